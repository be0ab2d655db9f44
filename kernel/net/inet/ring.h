/* Private to the IPv4 stack: byte rings, the TCP send and receive buffers. */
#ifndef KERNEL_NET_INET_RING_H
#define KERNEL_NET_INET_RING_H

#include <frame/types.h>

struct ring {
	uint8_t *buf;		/* NULL until the first ring_reserve() */
	uint32_t cap;
	uint32_t start;		/* offset of the first byte */
	uint32_t len;		/* bytes held */
};

static inline uint32_t ring_room(const struct ring *r)
{
	return r->cap - r->len;
}

/* Make the capacity @cap (kept bytes stay; never below len). 0 or -ENOMEM. */
int ring_resize(struct ring *r, uint32_t cap);
void ring_free(struct ring *r);
/* Append up to @n bytes: the count taken (limited by the room). */
uint32_t ring_put(struct ring *r, const void *src, uint32_t n);
/* Copy @n bytes from offset @off of the held data (off + n <= len). */
void ring_peek(const struct ring *r, uint32_t off, void *dst, uint32_t n);
/* Drop the first @n bytes. */
void ring_drop(struct ring *r, uint32_t n);
/* Write @n bytes at offset @off past the held data (off + n <= room), without taking them yet. */
void ring_poke(struct ring *r, uint32_t off, const void *src, uint32_t n);
/* Take @n more bytes as held (ring_poke()d before). */
void ring_commit(struct ring *r, uint32_t n);

#endif
