/* DEFLATE and gzip decoder: canonical Huffman decoding bit by bit, a 32 KiB window flushed to a sink. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/string.h>
#include <kernel/crc32.h>
#include <kernel/inflate.h>

#define WINDOW_SIZE 32768u
#define INBUF_SIZE 4096u
#define MAX_BITS 15
#define MAX_LCODES 286
#define MAX_DCODES 30
#define FIX_LCODES 288

struct huffman {
	uint16_t count[MAX_BITS + 1];	/* codes per length */
	uint16_t symbol[FIX_LCODES];	/* symbols ordered by code */
};

struct inflate_state {
	struct inflate_io *io;
	uint8_t inbuf[INBUF_SIZE];
	size_t in_pos, in_len;
	uint64_t in_fetched;
	uint64_t bitbuf;
	unsigned bitcnt;
	uint8_t *win;
	size_t wpos, wflushed;
	uint64_t out_total;
	bool do_crc;
	uint32_t crc;
	int err;
	struct huffman lencode, distcode;
};

static int fail(struct inflate_state *s, int err, const char *why)
{
	if (!s->err) {
		s->err = err;
		s->io->error = why;
	}
	return s->err;
}

/* Next input byte, or -1 with s->err set. */
static int next_byte(struct inflate_state *s)
{
	if (s->in_pos == s->in_len) {
		ssize_t n = s->io->read(s->io->ctx, s->inbuf, INBUF_SIZE);
		if (n < 0)
			return fail(s, (int)n, "input read error"), -1;
		if (n == 0 || (size_t)n > INBUF_SIZE)
			return fail(s, n ? -EINVAL : -EIO, "input ends inside the stream"), -1;
		s->in_pos = 0;
		s->in_len = (size_t)n;
		s->in_fetched += (uint64_t)n;
	}
	return s->inbuf[s->in_pos++];
}

/* @n (<= 24) bits, least significant first; on error returns 0 with s->err set. */
static uint32_t bits(struct inflate_state *s, unsigned n)
{
	while (s->bitcnt < n) {
		int b = next_byte(s);
		if (b < 0)
			return 0;
		s->bitbuf |= (uint64_t)b << s->bitcnt;
		s->bitcnt += 8;
	}
	uint32_t v = (uint32_t)(s->bitbuf & ((1ull << n) - 1));
	s->bitbuf >>= n;
	s->bitcnt -= n;
	return v;
}

/* Drop the bits left of the current byte (stored blocks, trailers). */
static void align_byte(struct inflate_state *s)
{
	s->bitbuf >>= s->bitcnt % 8;
	s->bitcnt -= s->bitcnt % 8;
}

static int flush(struct inflate_state *s)
{
	size_t n = s->wpos - s->wflushed;
	if (n == 0)
		return 0;
	if (s->do_crc)
		s->crc = crc32_update(s->crc, s->win + s->wflushed, n);
	int err = s->io->write(s->io->ctx, s->win + s->wflushed, n);
	if (err)
		return fail(s, err, "output write error");
	s->wflushed = s->wpos;
	return 0;
}

static int put(struct inflate_state *s, uint8_t b)
{
	if (s->io->max_out && s->out_total >= s->io->max_out)
		return fail(s, -EFBIG, "output larger than allowed");
	s->win[s->wpos++] = b;
	s->out_total++;
	if (s->wpos == WINDOW_SIZE) {
		if (flush(s))
			return s->err;
		s->wpos = s->wflushed = 0;
	}
	return 0;
}

/*
 * Build a canonical code from @n lengths. Returns -1 if over-subscribed
 * (corrupt), else the number of unused codes (0: complete). Incomplete
 * codes are accepted; decoding an unused code is an error then.
 */
static int build(struct huffman *h, const uint8_t *length, unsigned n)
{
	uint16_t offs[MAX_BITS + 1];
	memset(h->count, 0, sizeof(h->count));
	for (unsigned i = 0; i < n; i++)
		h->count[length[i]]++;
	if (h->count[0] == n)
		return 0;
	int left = 1;
	for (unsigned len = 1; len <= MAX_BITS; len++) {
		left <<= 1;
		left -= h->count[len];
		if (left < 0)
			return -1;
	}
	offs[1] = 0;
	for (unsigned len = 1; len < MAX_BITS; len++)
		offs[len + 1] = (uint16_t)(offs[len] + h->count[len]);
	for (unsigned i = 0; i < n; i++)
		if (length[i])
			h->symbol[offs[length[i]]++] = (uint16_t)i;
	return left;
}

/* Next symbol of @h, or -1 on an invalid code or input error. */
static int decode(struct inflate_state *s, const struct huffman *h)
{
	int code = 0, first = 0, index = 0;
	for (unsigned len = 1; len <= MAX_BITS; len++) {
		code |= (int)bits(s, 1);
		if (s->err)
			return -1;
		int count = h->count[len];
		if (code - first < count)
			return h->symbol[index + (code - first)];
		index += count;
		first += count;
		first <<= 1;
		code <<= 1;
	}
	fail(s, -EINVAL, "invalid Huffman code");
	return -1;
}

static const uint16_t len_base[29] = { 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27,
	31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258 };
static const uint8_t len_extra[29] = { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3,
	3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0 };
static const uint16_t dist_base[30] = { 1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129,
	193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577 };
static const uint8_t dist_extra[30] = { 0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7,
	8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13 };

static int codes(struct inflate_state *s)
{
	for (;;) {
		int sym = decode(s, &s->lencode);
		if (sym < 0)
			return s->err;
		if (sym < 256) {
			if (put(s, (uint8_t)sym))
				return s->err;
			continue;
		}
		if (sym == 256)
			return 0;
		sym -= 257;
		if (sym >= 29)
			return fail(s, -EINVAL, "invalid length symbol");
		unsigned len = len_base[sym] + bits(s, len_extra[sym]);
		int dsym = decode(s, &s->distcode);
		if (dsym < 0)
			return s->err;
		if (dsym >= 30)
			return fail(s, -EINVAL, "invalid distance symbol");
		unsigned dist = dist_base[dsym] + bits(s, dist_extra[dsym]);
		if (s->err)
			return s->err;
		if (dist > s->out_total)
			return fail(s, -EINVAL, "distance before the start of the output");
		while (len--) {
			if (put(s, s->win[(s->wpos - dist) & (WINDOW_SIZE - 1)]))
				return s->err;
		}
	}
}

static int stored(struct inflate_state *s)
{
	align_byte(s);
	uint32_t len = bits(s, 16);
	uint32_t nlen = bits(s, 16);
	if (s->err)
		return s->err;
	if (len != (~nlen & 0xffffu))
		return fail(s, -EINVAL, "stored block length check failed");
	while (len--) {
		uint32_t b = bits(s, 8);
		if (s->err || put(s, (uint8_t)b))
			return s->err;
	}
	return 0;
}

static int fixed(struct inflate_state *s)
{
	uint8_t lengths[FIX_LCODES];
	unsigned i = 0;
	for (; i < 144; i++)
		lengths[i] = 8;
	for (; i < 256; i++)
		lengths[i] = 9;
	for (; i < 280; i++)
		lengths[i] = 7;
	for (; i < FIX_LCODES; i++)
		lengths[i] = 8;
	build(&s->lencode, lengths, FIX_LCODES);
	for (i = 0; i < MAX_DCODES; i++)
		lengths[i] = 5;
	build(&s->distcode, lengths, MAX_DCODES);
	return codes(s);
}

static int dynamic(struct inflate_state *s)
{
	static const uint8_t order[19] = { 16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2,
		14, 1, 15 };
	uint8_t lengths[MAX_LCODES + MAX_DCODES];
	unsigned nlen = bits(s, 5) + 257;
	unsigned ndist = bits(s, 5) + 1;
	unsigned ncode = bits(s, 4) + 4;
	if (s->err)
		return s->err;
	if (nlen > MAX_LCODES || ndist > MAX_DCODES)
		return fail(s, -EINVAL, "too many length or distance codes");
	unsigned i;
	for (i = 0; i < ncode; i++)
		lengths[order[i]] = (uint8_t)bits(s, 3);
	for (; i < 19; i++)
		lengths[order[i]] = 0;
	if (s->err)
		return s->err;
	/* The code-length code must be complete: it has no reason not to be. */
	if (build(&s->lencode, lengths, 19) != 0)
		return fail(s, -EINVAL, "bad code-length code");
	for (i = 0; i < nlen + ndist;) {
		int sym = decode(s, &s->lencode);
		if (sym < 0)
			return s->err;
		if (sym < 16) {
			lengths[i++] = (uint8_t)sym;
			continue;
		}
		uint8_t val = 0;
		unsigned rep;
		if (sym == 16) {
			if (i == 0)
				return fail(s, -EINVAL, "repeat with no previous length");
			val = lengths[i - 1];
			rep = 3 + bits(s, 2);
		} else if (sym == 17) {
			rep = 3 + bits(s, 3);
		} else {
			rep = 11 + bits(s, 7);
		}
		if (s->err)
			return s->err;
		if (i + rep > nlen + ndist)
			return fail(s, -EINVAL, "code lengths overflow");
		while (rep--)
			lengths[i++] = val;
	}
	if (lengths[256] == 0)
		return fail(s, -EINVAL, "no end-of-block code");
	if (build(&s->lencode, lengths, nlen) < 0)
		return fail(s, -EINVAL, "over-subscribed literal/length code");
	if (build(&s->distcode, lengths + nlen, ndist) < 0)
		return fail(s, -EINVAL, "over-subscribed distance code");
	return codes(s);
}

static int run_blocks(struct inflate_state *s)
{
	unsigned last;
	do {
		last = bits(s, 1);
		unsigned type = bits(s, 2);
		if (s->err)
			return s->err;
		int err;
		if (type == 0)
			err = stored(s);
		else if (type == 1)
			err = fixed(s);
		else if (type == 2)
			err = dynamic(s);
		else
			err = fail(s, -EINVAL, "invalid block type");
		if (err)
			return err;
	} while (!last);
	if (flush(s))
		return s->err;
	align_byte(s);
	return 0;
}

static struct inflate_state *state_new(struct inflate_io *io)
{
	struct inflate_state *s = kzalloc(sizeof(*s));
	if (!s)
		return NULL;
	s->win = kmalloc(WINDOW_SIZE);
	if (!s->win) {
		kfree(s);
		return NULL;
	}
	s->io = io;
	io->error = NULL;
	io->in_used = io->out_total = 0;
	return s;
}

/* Report exact consumption: what was fetched minus what sits unused in the buffers. */
static int state_end(struct inflate_state *s, int err)
{
	struct inflate_io *io = s->io;
	io->in_used = s->in_fetched - (s->in_len - s->in_pos) - s->bitcnt / 8;
	io->out_total = s->out_total;
	kfree(s->win);
	kfree(s);
	return err;
}

int inflate_raw(struct inflate_io *io)
{
	struct inflate_state *s = state_new(io);
	if (!s)
		return -ENOMEM;
	return state_end(s, run_blocks(s));
}

static uint32_t le32(struct inflate_state *s)
{
	uint32_t v = bits(s, 16);
	return v | (bits(s, 16) << 16);
}

int gunzip(struct inflate_io *io)
{
	struct inflate_state *s = state_new(io);
	if (!s)
		return -ENOMEM;
	uint32_t id1 = bits(s, 8), id2 = bits(s, 8), cm = bits(s, 8), flg = bits(s, 8);
	if (s->err)
		return state_end(s, s->err);
	if (id1 != 0x1f || id2 != 0x8b)
		return state_end(s, fail(s, -EINVAL, "not gzip data"));
	if (cm != 8)
		return state_end(s, fail(s, -EINVAL, "gzip method is not deflate"));
	if (flg & 0xe0)
		return state_end(s, fail(s, -EINVAL, "reserved gzip flags set"));
	(void)le32(s);		/* mtime */
	(void)bits(s, 16);	/* extra flags, OS */
	if (flg & 0x04) {	/* FEXTRA */
		uint32_t xlen = bits(s, 16);
		while (xlen-- && !s->err)
			(void)bits(s, 8);
	}
	for (uint32_t f = 0x08; f <= 0x10; f <<= 1) {	/* FNAME, FCOMMENT: NUL-terminated */
		if (flg & f)
			while (!s->err && bits(s, 8) != 0)
				;
	}
	if (flg & 0x02)		/* FHCRC: header CRC16, not checked */
		(void)bits(s, 16);
	if (s->err)
		return state_end(s, s->err);
	s->do_crc = true;
	if (run_blocks(s))
		return state_end(s, s->err);
	uint32_t crc = le32(s), isize = le32(s);
	if (s->err)
		return state_end(s, s->err);
	if (crc != s->crc)
		return state_end(s, fail(s, -EINVAL, "gzip CRC32 mismatch"));
	if (isize != (uint32_t)s->out_total)
		return state_end(s, fail(s, -EINVAL, "gzip size mismatch"));
	return state_end(s, 0);
}
