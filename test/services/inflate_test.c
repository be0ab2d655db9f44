/* inflate/gunzip tests on streams made by the host's gzip, and on corrupt and truncated streams. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/ktest.h>
#include <frame/string.h>
#include <kernel/crc32.h>
#include <kernel/inflate.h>

#include "fixtures.h"

/* Input from memory @chunk bytes at a time; output only measured (length, CRC). */
struct mem_io {
	const uint8_t *p;
	size_t len, pos, chunk;
	uint32_t crc;
	uint64_t out_len;
};

static ssize_t mem_read(void *ctx, void *buf, size_t len)
{
	struct mem_io *m = ctx;
	size_t n = MIN(MIN(len, m->chunk), m->len - m->pos);
	memcpy(buf, m->p + m->pos, n);
	m->pos += n;
	return (ssize_t)n;
}

static int mem_write(void *ctx, const void *buf, size_t len)
{
	struct mem_io *m = ctx;
	m->crc = crc32_update(m->crc, buf, len);
	m->out_len += len;
	return 0;
}

static int run(int (*fn)(struct inflate_io *), const uint8_t *data, size_t len, size_t chunk,
	       struct mem_io *m, struct inflate_io *io)
{
	*m = (struct mem_io){ data, len, 0, chunk, 0, 0 };
	*io = (struct inflate_io){ mem_read, mem_write, m, 0, 0, 0, NULL };
	return fn(io);
}

KTEST(crc32_known_values)
{
	KEXPECT_EQ(crc32_update(0, "123456789", 9), 0xcbf43926u);
	KEXPECT_EQ(crc32_update(0, "", 0), 0);
	uint32_t c = crc32_update(0, "1234", 4);
	KEXPECT_EQ(crc32_update(c, "56789", 5), 0xcbf43926u);	/* incremental */
}

KTEST(inflate_host_gzip_streams)
{
	struct mem_io m;
	struct inflate_io io;
	/* Dynamic-Huffman text, read whole and one byte at a time. */
	KEXPECT_EQ(run(gunzip, fx_text_gz, sizeof(fx_text_gz), 4096, &m, &io), 0);
	KEXPECT_EQ(m.out_len, FX_TEXT_LEN);
	KEXPECT_EQ(m.crc, FX_TEXT_CRC);
	KEXPECT_EQ(io.in_used, sizeof(fx_text_gz));
	KEXPECT_EQ(io.out_total, FX_TEXT_LEN);
	KEXPECT_EQ(run(gunzip, fx_text_gz, sizeof(fx_text_gz), 1, &m, &io), 0);
	KEXPECT_EQ(m.crc, FX_TEXT_CRC);
	/* Incompressible bytes: stored blocks. */
	KEXPECT_EQ(run(gunzip, fx_noise_gz, sizeof(fx_noise_gz), 7, &m, &io), 0);
	KEXPECT_EQ(m.out_len, FX_NOISE_LEN);
	KEXPECT_EQ(m.crc, FX_NOISE_CRC);
	/* The raw deflate body (after the 10-byte header, before the 8-byte trailer). */
	KEXPECT_EQ(run(inflate_raw, fx_text_gz + 10, sizeof(fx_text_gz) - 10, 100, &m, &io), 0);
	KEXPECT_EQ(m.crc, FX_TEXT_CRC);
	KEXPECT_EQ(io.in_used, sizeof(fx_text_gz) - 18);
	/* Exact consumption: bytes after the member are left alone. */
	uint8_t *two = kmalloc(sizeof(fx_text_gz) + 5);
	KASSERT(two != NULL);
	memcpy(two, fx_text_gz, sizeof(fx_text_gz));
	memcpy(two + sizeof(fx_text_gz), "extra", 5);
	KEXPECT_EQ(run(gunzip, two, sizeof(fx_text_gz) + 5, 4096, &m, &io), 0);
	KEXPECT_EQ(io.in_used, sizeof(fx_text_gz));
	kfree(two);
	/* An output limit is enforced. */
	m = (struct mem_io){ fx_text_gz, sizeof(fx_text_gz), 0, 4096, 0, 0 };
	io = (struct inflate_io){ mem_read, mem_write, &m, 100, 0, 0, NULL };
	KEXPECT_EQ(gunzip(&io), -EFBIG);
}

KTEST(inflate_corrupt_streams)
{
	struct mem_io m;
	struct inflate_io io;
	static const uint8_t far[] = { 0x03, 0x02, 0x00 };	/* fixed block: copy from distance 1 first */
	KEXPECT_EQ(run(inflate_raw, far, sizeof(far), 16, &m, &io), -EINVAL);
	KEXPECT(io.error != NULL);
	static const uint8_t type3[] = { 0x07 };		/* final block of reserved type 3 */
	KEXPECT_EQ(run(inflate_raw, type3, 1, 16, &m, &io), -EINVAL);
	static const uint8_t stored_bad[] = { 0x01, 0x05, 0x00, 0x00, 0x00 };	/* NLEN != ~LEN */
	KEXPECT_EQ(run(inflate_raw, stored_bad, sizeof(stored_bad), 16, &m, &io), -EINVAL);
	static const uint8_t stored_short[] = { 0x01, 0x05, 0x00, 0xfa, 0xff, 'a', 'b' };
	KEXPECT_EQ(run(inflate_raw, stored_short, sizeof(stored_short), 16, &m, &io), -EIO);
	KEXPECT_EQ(run(inflate_raw, type3, 0, 16, &m, &io), -EIO);	/* empty */
	/* Dynamic header claiming 30 length codes too many: HLIT = 31 -> 288 > 286. */
	static const uint8_t hlit[] = { 0x05 | (31 << 3), 0x00, 0x00 };
	KEXPECT_EQ(run(inflate_raw, hlit, sizeof(hlit), 16, &m, &io), -EINVAL);
	/* gzip header checks. */
	uint8_t hdr[sizeof(fx_text_gz)];
	memcpy(hdr, fx_text_gz, sizeof(hdr));
	hdr[1] = 0x8c;
	KEXPECT_EQ(run(gunzip, hdr, sizeof(hdr), 4096, &m, &io), -EINVAL);
	hdr[1] = 0x8b;
	hdr[2] = 7;
	KEXPECT_EQ(run(gunzip, hdr, sizeof(hdr), 4096, &m, &io), -EINVAL);
	hdr[2] = 8;
	hdr[3] = 0x20;
	KEXPECT_EQ(run(gunzip, hdr, sizeof(hdr), 4096, &m, &io), -EINVAL);
	hdr[3] = 0;
	/* Any flipped byte in the body or trailer is caught (decode error or CRC/size mismatch). */
	int undetected = 0;
	for (size_t pos = 10; pos < sizeof(hdr); pos += 13) {
		hdr[pos] ^= 0x55;
		if (run(gunzip, hdr, sizeof(hdr), 4096, &m, &io) == 0)
			undetected++;
		hdr[pos] ^= 0x55;
	}
	KEXPECT_EQ(undetected, 0);
	/* Every truncation is an error, never a crash. */
	int accepted = 0;
	for (size_t len = 0; len < sizeof(fx_text_gz); len += 11)
		if (run(gunzip, fx_text_gz, len, 64, &m, &io) == 0)
			accepted++;
	KEXPECT_EQ(accepted, 0);
	KEXPECT_EQ(run(gunzip, fx_text_gz, sizeof(fx_text_gz) - 1, 64, &m, &io), -EIO);
}
