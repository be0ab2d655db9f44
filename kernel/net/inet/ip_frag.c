/* IPv4 fragment reassembly: per-datagram queues with a 30 s lifetime, overlaps discard the datagram (RFC 5722), memory and count limits. */
#include <frame/heap.h>
#include <frame/string.h>
#include "ip.h"

/* Below this much held memory eviction stops (Linux's ipfrag_low_thresh). */
#define IPFRAG_LOW_THRESH (3u << 20)

struct frag_queue {
	struct frag_queue *next;	/* oldest first */
	uint32_t saddr, daddr;
	uint16_t id;
	uint8_t proto;
	struct pkt *frags;		/* by offset; data = payload, head + nh = its header */
	uint32_t total;			/* datagram payload length, once the last fragment came */
	uint32_t received;		/* payload bytes held */
	uint32_t mem;
	uint32_t count;
	struct ntimer timer;
};

static struct frag_queue *queues;
static uint32_t nqueues, mem_total;

uint32_t ip_frag_mem(void)
{
	return mem_total;
}

uint32_t ip_frag_queues(void)
{
	return nqueues;
}

static void unlink_queue(struct frag_queue *q)
{
	for (struct frag_queue **pp = &queues; *pp; pp = &(*pp)->next) {
		if (*pp == q) {
			*pp = q->next;
			break;
		}
	}
	ntimer_cancel(&q->timer);
	while (q->frags) {
		struct pkt *p = q->frags;
		q->frags = p->next;
		pkt_free(p);
	}
	mem_total -= q->mem;
	nqueues--;
	kfree(q);
}

static void kill_queue(struct frag_queue *q)
{
	NET_INC(ip_reasm_fails);
	unlink_queue(q);
}

static void expire(struct ntimer *t)
{
	struct frag_queue *q = container_of(t, struct frag_queue, timer);
	NET_INC(ip_reasm_timeout);
	/* RFC 792: time exceeded, but only if the first fragment (which the sender can recognise) came. */
	if (q->frags && q->frags->seq == 0)
		icmp_send_error(q->frags, ICMP_TIME_EXCEEDED, ICMP_EXC_FRAGTIME, 0);
	kill_queue(q);
}

/* Drop the oldest datagrams but @keep until @want more bytes fit under the low mark. */
static void evict(uint32_t want, const struct frag_queue *keep)
{
	struct frag_queue **pp = &queues;
	while (*pp && (mem_total + want > IPFRAG_LOW_THRESH || nqueues >= IPFRAG_MAX_QUEUES)) {
		if (*pp == keep) {
			pp = &(*pp)->next;
			continue;
		}
		kill_queue(*pp);
	}
}

static struct frag_queue *find(const struct pkt *p, uint16_t id)
{
	for (struct frag_queue *q = queues; q; q = q->next)
		if (q->id == id && q->saddr == p->saddr && q->daddr == p->daddr &&
		    q->proto == p->proto)
			return q;
	return NULL;
}

/* The datagram rebuilt: the first fragment's header (length and offset fixed) and every payload. */
static struct pkt *assemble(struct frag_queue *q)
{
	struct pkt *first = q->frags;
	uint32_t hlen = first->ip_hlen;
	if (hlen + q->total > IP_MAX_LEN)
		return NULL;
	struct pkt *d = pkt_alloc(PKT_HEADROOM, hlen + q->total);
	if (!d)
		return NULL;
	uint8_t *h = pkt_data(d);
	memcpy(h, first->head + first->nh, hlen);
	wr16(h + 2, (uint16_t)(hlen + q->total));
	wr16(h + 6, 0);
	wr16(h + 10, 0);
	wr16(h + 10, csum_fold(csum_add(0, h, hlen)));
	for (struct pkt *f = q->frags; f; f = f->next)
		memcpy(h + hlen + f->seq, pkt_data(f), f->len);
	d->dev = first->dev;
	d->flags = first->flags & ~(uint32_t)PKT_CSUM_OK;
	d->saddr = first->saddr;
	d->daddr = first->daddr;
	d->proto = first->proto;
	d->ttl = first->ttl;
	d->tos = first->tos;
	d->ip_hlen = (uint8_t)hlen;
	d->stamp_ns = first->stamp_ns;
	return d;
}

struct pkt *ip_frag_input(struct pkt *p, uint16_t id, uint16_t off_bytes, bool more)
{
	NET_INC(ip_reasm_reqds);
	uint32_t hlen = p->ip_hlen;
	if (!pkt_pull(p, hlen))
		goto drop;
	uint32_t start = off_bytes, end = start + p->len;
	/* A fragment that is not the last carries whole 8-byte units; a tail is cut (as Linux does). */
	if (more)
		end &= ~7u;
	if (end <= start || hlen + end > IP_MAX_LEN)
		goto drop;
	pkt_trim(p, end - start);
	p->seq = start;
	p->end_seq = end;

	struct frag_queue *q = find(p, id);
	if (!q) {
		if (mem_total + pkt_truesize(p) > IPFRAG_HIGH_THRESH || nqueues >= IPFRAG_MAX_QUEUES)
			evict(pkt_truesize(p), NULL);
		q = kzalloc(sizeof(*q));
		if (!q)
			goto drop;
		q->saddr = p->saddr;
		q->daddr = p->daddr;
		q->id = id;
		q->proto = p->proto;
		ntimer_init(&q->timer, expire);
		ntimer_arm(&q->timer, p->stamp_ns + IPFRAG_TIME_NS);
		struct frag_queue **pp = &queues;
		while (*pp)
			pp = &(*pp)->next;
		*pp = q;
		nqueues++;
	}
	if (!more) {
		if (q->total && q->total != end)
			goto corrupt;
		for (struct pkt *f = q->frags; f; f = f->next)
			if (f->end_seq > end)
				goto corrupt;
		q->total = end;
	} else if (q->total && end > q->total) {
		goto corrupt;
	}
	struct pkt **pp = &q->frags;
	while (*pp && (*pp)->seq < start)
		pp = &(*pp)->next;
	struct pkt *prev = NULL;
	for (struct pkt *f = q->frags; f && f != *pp; f = f->next)
		prev = f;
	struct pkt *next = *pp;
	if (next && next->seq == start && next->end_seq == end) {
		/* An exact repeat is only dropped; the datagram lives on. */
		pkt_free(p);
		return NULL;
	}
	if ((prev && prev->end_seq > start) || (next && next->seq < end))
		goto corrupt;
	if (q->count >= IPFRAG_MAX_FRAGS)
		goto corrupt;
	if (mem_total + pkt_truesize(p) > IPFRAG_HIGH_THRESH) {
		evict(pkt_truesize(p), q);
		if (mem_total + pkt_truesize(p) > IPFRAG_HIGH_THRESH)
			goto corrupt;
	}
	p->next = next;
	*pp = p;
	q->count++;
	q->received += end - start;
	q->mem += pkt_truesize(p);
	mem_total += pkt_truesize(p);
	if (!q->total || q->received != q->total || q->frags->seq != 0)
		return NULL;
	struct pkt *d = assemble(q);
	if (!d) {
		kill_queue(q);
		return NULL;
	}
	NET_INC(ip_reasm_oks);
	unlink_queue(q);
	return d;

corrupt:
	kill_queue(q);
drop:
	pkt_free(p);
	return NULL;
}

void ip_frag_flush(void)
{
	while (queues)
		unlink_queue(queues);
}
