/* Packet buffers and queues of the IPv4 stack, and the Internet checksum. */
#include <frame/heap.h>
#include <frame/string.h>
#include "pkt.h"

static uint64_t live;

uint64_t pkt_live(void)
{
	return live;
}

struct pkt *pkt_alloc(uint32_t headroom, uint32_t len)
{
	if (len > PKT_MAX_SIZE || headroom > PKT_MAX_SIZE - len)
		return NULL;
	struct pkt *p = kmalloc(sizeof(*p));
	if (!p)
		return NULL;
	memset(p, 0, sizeof(*p));
	uint32_t size = headroom + len;
	p->head = kmalloc(size ? size : 1);
	if (!p->head) {
		kfree(p);
		return NULL;
	}
	p->size = size;
	p->off = headroom;
	p->len = len;
	live++;
	return p;
}

struct pkt *pkt_clone(const struct pkt *src, uint32_t headroom)
{
	struct pkt *p = pkt_alloc(headroom, src->len);
	if (!p)
		return NULL;
	uint8_t *head = p->head;
	uint32_t size = p->size, off = p->off;
	*p = *src;
	p->next = NULL;
	p->head = head;
	p->size = size;
	p->off = off;
	memcpy(pkt_data(p), pkt_data(src), src->len);
	return p;
}

void pkt_free(struct pkt *p)
{
	if (!p)
		return;
	live--;
	kfree(p->head);
	kfree(p);
}

uint8_t *pkt_push(struct pkt *p, uint32_t n)
{
	if (n > p->off)
		return NULL;
	p->off -= n;
	p->len += n;
	return pkt_data(p);
}

bool pkt_pull(struct pkt *p, uint32_t n)
{
	if (n > p->len)
		return false;
	p->off += n;
	p->len -= n;
	return true;
}

void pkt_trim(struct pkt *p, uint32_t len)
{
	if (len < p->len)
		p->len = len;
}

uint32_t pkt_truesize(const struct pkt *p)
{
	return p->size + (uint32_t)sizeof(*p);
}

void pkt_queue_push(struct pkt_queue *q, struct pkt *p)
{
	p->next = NULL;
	if (q->tail)
		q->tail->next = p;
	else
		q->head = p;
	q->tail = p;
	q->count++;
	q->bytes += p->len;
}

struct pkt *pkt_queue_pop(struct pkt_queue *q)
{
	struct pkt *p = q->head;
	if (!p)
		return NULL;
	q->head = p->next;
	if (!q->head)
		q->tail = NULL;
	p->next = NULL;
	q->count--;
	q->bytes -= p->len;
	return p;
}

void pkt_queue_purge(struct pkt_queue *q)
{
	struct pkt *p;
	while ((p = pkt_queue_pop(q)))
		pkt_free(p);
}

/* ---- checksum ---- */

void pkt_csum_finish(struct pkt *p)
{
	if (!(p->flags & PKT_CSUM_PARTIAL))
		return;
	p->flags &= ~PKT_CSUM_PARTIAL;
	uint32_t end = p->off + p->len;
	if (p->csum_start < p->off || p->csum_start + p->csum_off + 2u > end)
		return;
	uint8_t *start = p->head + p->csum_start;
	uint16_t c = csum_fold(csum_add(0, start, end - p->csum_start));
	if (c == 0 && (p->flags & PKT_CSUM_UDP))
		c = 0xffff;
	wr16(start + p->csum_off, c);
}

uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	/* 64-bit accumulation of 32-bit big-endian words: carries are folded at the end. */
	uint64_t acc = sum;
	while (len >= 4) {
		acc += rd32(p);
		p += 4;
		len -= 4;
	}
	if (len >= 2) {
		acc += (uint32_t)rd16(p) << 16;
		p += 2;
		len -= 2;
		if (len)
			acc += (uint32_t)p[0] << 8;
	} else if (len) {
		acc += (uint32_t)p[0] << 24;
	}
	while (acc >> 32)
		acc = (acc & 0xffffffffu) + (acc >> 32);
	/* Fold the 32-bit sum of word pairs into a 16-bit-aligned 32-bit sum. */
	uint32_t s = (uint32_t)acc;
	uint64_t r = (uint64_t)(s >> 16) + (s & 0xffffu);
	return (uint32_t)r;
}

uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffffu) + (sum >> 16);
	return (uint16_t)~sum;
}

uint32_t csum_pseudo(uint32_t saddr, uint32_t daddr, uint8_t proto, uint32_t len)
{
	uint64_t s = (saddr >> 16) + (saddr & 0xffffu) + (daddr >> 16) + (daddr & 0xffffu) +
		     proto + (len >> 16) + (len & 0xffffu);
	while (s >> 16)
		s = (s & 0xffffu) + (s >> 16);
	return (uint32_t)s;
}
