/* Byte rings for TCP's send and receive buffers: wrap-around copies in and out, kernel or user memory. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/string.h>
#include "ring.h"

int ring_resize(struct ring *r, uint32_t cap)
{
	if (cap < r->len)
		cap = r->len;
	if (cap == r->cap && r->buf)
		return 0;
	uint8_t *n = kmalloc(cap ? cap : 1);
	if (!n)
		return -ENOMEM;
	if (r->len)
		ring_peek(r, 0, n, r->len);
	kfree(r->buf);
	r->buf = n;
	r->cap = cap;
	r->start = 0;
	return 0;
}

void ring_free(struct ring *r)
{
	kfree(r->buf);
	r->buf = NULL;
	r->cap = r->start = r->len = 0;
}

/* The contiguous piece at logical offset @off of the whole ring (held or not), at most @n bytes. */
static uint32_t piece(const struct ring *r, uint32_t off, uint32_t n, uint32_t *pos)
{
	uint32_t p = r->start + off;
	if (p >= r->cap)
		p -= r->cap;
	*pos = p;
	return MIN(n, r->cap - p);
}

void ring_poke(struct ring *r, uint32_t off, const void *src, uint32_t n)
{
	const uint8_t *s = src;
	uint32_t at = r->len + off;
	while (n) {
		uint32_t pos, k = piece(r, at, n, &pos);
		memcpy(r->buf + pos, s, k);
		s += k;
		at += k;
		n -= k;
	}
}

void ring_commit(struct ring *r, uint32_t n)
{
	r->len += n;
}

uint32_t ring_put(struct ring *r, const void *src, uint32_t n)
{
	n = MIN(n, ring_room(r));
	ring_poke(r, 0, src, n);
	r->len += n;
	return n;
}

void ring_peek(const struct ring *r, uint32_t off, void *dst, uint32_t n)
{
	uint8_t *d = dst;
	while (n) {
		uint32_t pos, k = piece(r, off, n, &pos);
		memcpy(d, r->buf + pos, k);
		d += k;
		off += k;
		n -= k;
	}
}

void ring_drop(struct ring *r, uint32_t n)
{
	if (n > r->len)
		n = r->len;
	r->len -= n;
	r->start += n;
	if (r->start >= r->cap)
		r->start -= r->cap;
	if (!r->len)
		r->start = 0;
}
