/* initramfs tests: a real cpio newc archive (and its gzip) unpacked into tmpfs; built archives with nodes and the crc format; corrupt input. */
#include <frame/heap.h>
#include <frame/ktest.h>
#include <frame/log.h>

#include "fixtures.h"
#include "vfs_fixture.h"

#define FIXTURE_MTIME 981173106	/* 2001-02-03 04:05:06 UTC, set by gen-fixtures */

struct mem_src {
	const uint8_t *p;
	size_t len;
};

static ssize_t src_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	struct mem_src *m = ctx;
	if (off > m->len)
		return -EINVAL;
	size_t n = MIN(len, m->len - (size_t)off);
	memcpy(buf, m->p + off, n);
	return (ssize_t)n;
}

/* Unpack @len bytes of @data into a fresh tmpfs; the fixture stays set up for checks. */
static int unpack(struct fx *fx, const uint8_t *data, size_t len, struct initramfs_stats *st)
{
	struct mem_src m = { data, len };
	struct byte_source src = { src_read, &m, len };
	return initramfs_unpack(&src, &fx->root, st);
}

/* A newc/crc archive builder for cases the host's cpio cannot make (devices as non-root, corruption). */
struct builder {
	uint8_t *buf;
	size_t len, cap;
};

static void put(struct builder *b, const void *p, size_t n)
{
	if (n && b->len + n <= b->cap)
		memcpy(b->buf + b->len, p, n);
	b->len += n;
}

static void pad4(struct builder *b)
{
	while (b->len & 3)
		put(b, "", 1);
}

static void entry(struct builder *b, const char *magic, uint32_t ino, uint32_t mode,
		  uint32_t nlink, uint32_t rmaj, uint32_t rmin, const char *name, const char *data,
		  uint32_t check)
{
	char hdr[111];
	size_t dlen = data ? strlen(data) : 0;
	snprintf(hdr, sizeof(hdr), "%s%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x",
		 magic, ino, mode, 1000u, 100u, nlink, 12345u, (uint32_t)dlen, 0u, 0u, rmaj, rmin,
		 (uint32_t)strlen(name) + 1, check);
	put(b, hdr, 110);
	put(b, name, strlen(name) + 1);
	pad4(b);
	put(b, data, dlen);
	pad4(b);
}

static void trailer(struct builder *b)
{
	entry(b, "070701", 0, 0, 1, 0, 0, "TRAILER!!!", NULL, 0);
}

KTEST(initramfs_real_cpio_archive)
{
	for (int gz = 0; gz < 2; gz++) {
		struct fx fx;
		KASSERT(fx_setup(&fx, NULL) == 0);
		struct initramfs_stats s;
		if (gz)
			KEXPECT_EQ(unpack(&fx, fx_a_cpio_gz, sizeof(fx_a_cpio_gz), &s), 0);
		else
			KEXPECT_EQ(unpack(&fx, fx_a_cpio, sizeof(fx_a_cpio), &s), 0);
		KEXPECT_EQ(s.archives, 1);
		KEXPECT_EQ(s.dirs, 3);		/* bin etc etc/empty */
		KEXPECT_EQ(s.files, 3);		/* bin/a (b is a link) etc/hello init */
		KEXPECT_EQ(s.links, 1);
		KEXPECT_EQ(s.symlinks, 1);
		KEXPECT_EQ(s.skipped, 0);
		char buf[64];
		KEXPECT_EQ(fx_read(&fx.ctx, "/etc/hello", buf, sizeof(buf)), 17);
		KEXPECT(!strcmp(buf, "hello, initramfs\n"));
		KEXPECT_EQ(fx_read(&fx.ctx, "/bin/hello-link", buf, sizeof(buf)), 17);
		KEXPECT_EQ(vfs_readlink(&fx.ctx, NULL, "bin/hello-link", buf, sizeof(buf)), 12);
		KEXPECT(!memcmp(buf, "../etc/hello", 12));
		struct stat a, b, st;
		KEXPECT_EQ(FX_STAT(&fx, "init", &st), 0);
		KEXPECT_EQ(st.st_mode, S_IFREG | 0755);
		KEXPECT_EQ(st.st_mtime, FIXTURE_MTIME);
		KEXPECT_EQ(FX_STAT(&fx, "etc/empty", &st), 0);
		KEXPECT_EQ(st.st_mode, S_IFDIR | 0700);
		KEXPECT_EQ(FX_STAT(&fx, "etc", &st), 0);
		KEXPECT_EQ(st.st_mtime, FIXTURE_MTIME);	/* directory times set after their entries */
		KEXPECT_EQ(st.st_nlink, 3);
		KEXPECT_EQ(FX_STAT(&fx, "bin/a", &a), 0);
		KEXPECT_EQ(FX_STAT(&fx, "bin/b", &b), 0);
		KEXPECT_EQ(a.st_ino, b.st_ino);
		KEXPECT_EQ(a.st_nlink, 2);
		KEXPECT_EQ(fx_read(&fx.ctx, "bin/b", buf, sizeof(buf)), 12);
		KEXPECT(!strcmp(buf, "shared data\n"));
		KEXPECT_EQ(fx_teardown(&fx), 0);
	}
}

KTEST(initramfs_built_nodes_crc_and_concatenation)
{
	struct builder b = { kzalloc(8192), 0, 8192 };
	KASSERT(b.buf != NULL);
	/* The gzip archive, padding, the raw one, then one built here with nodes and the crc format. */
	put(&b, fx_a_cpio_gz, sizeof(fx_a_cpio_gz));
	put(&b, "\0\0\0\0", 4);
	pad4(&b);	/* the builder aligns to the buffer's start, as archives align to theirs */
	put(&b, fx_a_cpio, sizeof(fx_a_cpio));
	entry(&b, "070701", 1, S_IFDIR | 0755, 2, 0, 0, "dev", NULL, 0);
	entry(&b, "070701", 2, S_IFCHR | 0666, 1, 1, 3, "dev/null", NULL, 0);
	entry(&b, "070701", 3, S_IFBLK | 0660, 1, 8, 1, "dev/sda1", NULL, 0);
	entry(&b, "070701", 4, S_IFIFO | 0600, 1, 0, 0, "./run.fifo", NULL, 0);
	entry(&b, "070702", 5, S_IFREG | 0644, 1, 0, 0, "/sum", "abc", 'a' + 'b' + 'c');
	entry(&b, "070701", 6, S_IFDIR | 0711, 2, 0, 0, ".", NULL, 0);
	trailer(&b);
	KASSERT(b.len <= b.cap);
	struct fx fx;
	KASSERT(fx_setup(&fx, NULL) == 0);
	struct initramfs_stats s;
	KEXPECT_EQ(unpack(&fx, b.buf, b.len, &s), 0);
	KEXPECT_EQ(s.archives, 3);
	KEXPECT_EQ(s.nodes, 3);
	struct stat st;
	KEXPECT_EQ(FX_STAT(&fx, "dev/null", &st), 0);
	KEXPECT_EQ(st.st_mode, S_IFCHR | 0666);
	KEXPECT_EQ(dev_major(st.st_rdev), 1);
	KEXPECT_EQ(dev_minor(st.st_rdev), 3);
	KEXPECT_EQ(st.st_uid, 1000);
	KEXPECT_EQ(st.st_gid, 100);
	KEXPECT_EQ(st.st_mtime, 12345);
	KEXPECT_EQ(FX_STAT(&fx, "dev/sda1", &st), 0);
	KEXPECT(S_ISBLK(st.st_mode));
	KEXPECT_EQ(FX_STAT(&fx, "run.fifo", &st), 0);
	KEXPECT(S_ISFIFO(st.st_mode));
	KEXPECT_EQ(FX_STAT(&fx, "sum", &st), 0);
	KEXPECT_EQ(st.st_size, 3);
	KEXPECT_EQ(FX_STAT(&fx, "/", &st), 0);
	KEXPECT_EQ(st.st_mode, S_IFDIR | 0711);	/* "." sets the root's mode */
	KEXPECT_EQ(FX_STAT(&fx, "etc/hello", &st), 0);	/* the later archives were unpacked too */
	KEXPECT_EQ(st.st_size, 17);
	KEXPECT_EQ(fx_teardown(&fx), 0);
	kfree(b.buf);
}

/* One corrupt archive: unpack must fail with @want and leave nothing in use. */
static int corrupt_case(struct builder *b, int want)
{
	struct fx fx;
	if (fx_setup(&fx, NULL))
		return -1;
	struct initramfs_stats s;
	int got = unpack(&fx, b->buf, b->len, &s);
	int torn = fx_teardown(&fx);
	b->len = 0;
	memset(b->buf, 0, b->cap);
	return got == want && torn == 0 ? 0 : got ? got : -1000;
}

KTEST(initramfs_corrupt_archives)
{
	struct builder b = { kzalloc(8192), 0, 8192 };
	KASSERT(b.buf != NULL);
	put(&b, "070707", 6);	/* odc magic */
	for (int i = 0; i < 13; i++)
		put(&b, "00000000", 8);
	KEXPECT_EQ(corrupt_case(&b, -EINVAL), 0);
	entry(&b, "070701", 1, S_IFREG | 0644, 1, 0, 0, "f", "x", 0);
	b.buf[10] = 'g';	/* non-hex digit in ino */
	KEXPECT_EQ(corrupt_case(&b, -EINVAL), 0);
	entry(&b, "070701", 1, S_IFREG | 0644, 1, 0, 0, "../escape", "x", 0);
	KEXPECT_EQ(corrupt_case(&b, -EINVAL), 0);
	entry(&b, "070701", 1, S_IFREG | 0644, 1, 0, 0, "a/../../escape", "x", 0);
	KEXPECT_EQ(corrupt_case(&b, -EINVAL), 0);
	entry(&b, "070701", 1, S_IFREG | 0644, 1, 0, 0, "noterm", "x", 0);
	b.buf[110 + 6] = 'X';	/* the name's NUL */
	KEXPECT_EQ(corrupt_case(&b, -EINVAL), 0);
	entry(&b, "070701", 1, S_IFREG | 0644, 1, 0, 0, "f", "x", 0);
	memcpy(b.buf + 6 + 8 * 11, "00000000", 8);	/* namesize 0 */
	KEXPECT_EQ(corrupt_case(&b, -EINVAL), 0);
	entry(&b, "070701", 1, S_IFREG | 0644, 1, 0, 0, "f", "x", 0);
	memcpy(b.buf + 6 + 8 * 11, "7fffffff", 8);	/* absurd namesize */
	KEXPECT_EQ(corrupt_case(&b, -EINVAL), 0);
	entry(&b, "070701", 1, S_IFREG | 0644, 1, 0, 0, "f", "x", 0);
	memcpy(b.buf + 6 + 8 * 6, "ffffffff", 8);	/* file larger than the archive */
	KEXPECT_EQ(corrupt_case(&b, -EINVAL), 0);
	entry(&b, "070701", 1, S_IFDIR | 0755, 1, 0, 0, "d", "data", 0);
	KEXPECT_EQ(corrupt_case(&b, -EINVAL), 0);
	entry(&b, "070701", 1, S_IFLNK | 0777, 1, 0, 0, "l", NULL, 0);
	KEXPECT_EQ(corrupt_case(&b, -EINVAL), 0);
	entry(&b, "070701", 1, 0170000 | 0777, 1, 0, 0, "weird", NULL, 0);
	KEXPECT_EQ(corrupt_case(&b, -EINVAL), 0);
	entry(&b, "070702", 1, S_IFREG | 0644, 1, 0, 0, "f", "abc", 1);	/* bad checksum */
	KEXPECT_EQ(corrupt_case(&b, -EINVAL), 0);
	entry(&b, "070701", 1, S_IFREG | 0644, 1, 0, 0, "f", "abc", 0);
	trailer(&b);
	put(&b, "junk", 4);
	KEXPECT_EQ(corrupt_case(&b, -EINVAL), 0);
	entry(&b, "070701", 1, S_IFREG | 0644, 1, 0, 0, "f", "abcdef", 0);
	b.len -= 6;	/* data cut short, no trailer */
	KEXPECT_EQ(corrupt_case(&b, -EIO), 0);
	/* Every cut of the real archive before its trailer fails cleanly. */
	size_t trailer_at = 0;
	for (size_t i = 0; i + 10 <= sizeof(fx_a_cpio); i++)
		if (!memcmp(fx_a_cpio + i, "TRAILER!!!", 10))
			trailer_at = i - 110;
	KASSERT(trailer_at > 0);
	int accepted = 0;
	for (size_t len = 1; len < trailer_at; len += 29) {
		put(&b, fx_a_cpio, len);
		if (corrupt_case(&b, -EIO) != 0)
			accepted++;
	}
	KEXPECT_EQ(accepted, 0);
	/* A corrupt gzip member and a truncated one. */
	put(&b, fx_a_cpio_gz, sizeof(fx_a_cpio_gz));
	b.buf[sizeof(fx_a_cpio_gz) - 6] ^= 1;	/* in the CRC */
	KEXPECT_EQ(corrupt_case(&b, -EINVAL), 0);
	put(&b, fx_a_cpio_gz, sizeof(fx_a_cpio_gz) - 20);
	KEXPECT_EQ(corrupt_case(&b, -EIO), 0);
	kfree(b.buf);
}
