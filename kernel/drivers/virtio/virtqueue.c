/*
 * Split virtqueues (virtio 1.x, 2.7): descriptor table, available and used
 * rings in one coherent DMA buffer, free-list management, and notification
 * suppression both ways with the event index (VIRTIO_F_EVENT_IDX).
 */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/log.h>
#include <frame/string.h>

#include "virtio_internal.h"

#define DESC_SIZE 16
#define DESC_F_NEXT 1
#define DESC_F_WRITE 2
#define AVAIL_F_NO_INTERRUPT 1
#define USED_F_NO_NOTIFY 1

/* Layout: desc[size]; avail {flags, idx, ring[size], used_event}; used {flags, idx, ring[size]{id,len}, avail_event}. */
static size_t avail_ring(const struct virtq *q, unsigned slot) { return q->avail_off + 4 + 2 * slot; }
static size_t used_event_off(const struct virtq *q) { return q->avail_off + 4 + 2 * (size_t)q->size; }
static size_t used_elem(const struct virtq *q, unsigned slot) { return q->used_off + 4 + 8 * slot; }
static size_t avail_event_off(const struct virtq *q) { return q->used_off + 4 + 8 * (size_t)q->size; }

int virtq_alloc(struct virtq *q)
{
	size_t n = q->size;
	q->avail_off = DESC_SIZE * n;
	q->used_off = ALIGN_UP(q->avail_off + 6 + 2 * n, 4);
	size_t total = q->used_off + 6 + 8 * n;
	int err = dma_coherent_alloc(total, &q->ring);
	if (err)
		return err;
	q->next = kcalloc(n, sizeof(*q->next));
	q->chain_len = kcalloc(n, sizeof(*q->chain_len));
	q->tokens = kcalloc(n, sizeof(*q->tokens));
	if (!q->next || !q->chain_len || !q->tokens) {
		virtq_free_ring(q);
		return -ENOMEM;
	}
	for (unsigned i = 0; i < n; i++)
		q->next[i] = (uint16_t)(i + 1);
	q->free_head = 0;
	q->num_free = (uint16_t)n;
	q->avail_idx = q->kicked_idx = q->last_used = 0;
	return 0;
}

void virtq_free_ring(struct virtq *q)
{
	dma_coherent_free(q->ring);
	q->ring = NULL;
	kfree(q->next);
	kfree(q->chain_len);
	kfree(q->tokens);
	q->next = q->chain_len = NULL;
	q->tokens = NULL;
}

paddr_t virtq_desc_addr(const struct virtq *q) { return dma_coherent_paddr(q->ring); }
paddr_t virtq_avail_addr(const struct virtq *q) { return dma_coherent_paddr(q->ring) + q->avail_off; }
paddr_t virtq_used_addr(const struct virtq *q) { return dma_coherent_paddr(q->ring) + q->used_off; }

unsigned virtq_size(const struct virtq *q)
{
	return q->size;
}

unsigned virtq_free(const struct virtq *q)
{
	return q->num_free;
}

int virtq_add(struct virtq *q, const struct virtq_buf *bufs, unsigned n, void *token)
{
	if (n == 0 || !token || !bufs)
		return -EINVAL;
	for (unsigned i = 1; i < n; i++)
		if (bufs[i - 1].device_writes && !bufs[i].device_writes)
			return -EINVAL;
	if (n > q->num_free)
		return -ENOSPC;
	uint16_t head = q->free_head, d = head;
	for (unsigned i = 0; i < n; i++) {
		size_t off = (size_t)d * DESC_SIZE;
		uint16_t flags = (uint16_t)((bufs[i].device_writes ? DESC_F_WRITE : 0) |
					    (i + 1 < n ? DESC_F_NEXT : 0));
		(void)dma_coherent_write64(q->ring, off, bufs[i].addr);
		(void)dma_coherent_write32(q->ring, off + 8, bufs[i].len);
		(void)dma_coherent_write16(q->ring, off + 12, flags);
		(void)dma_coherent_write16(q->ring, off + 14, i + 1 < n ? q->next[d] : 0);
		if (i + 1 < n)
			d = q->next[d];
	}
	q->free_head = q->next[d];
	q->num_free = (uint16_t)(q->num_free - n);
	q->chain_len[head] = (uint16_t)n;
	q->tokens[head] = token;
	(void)dma_coherent_write16(q->ring, avail_ring(q, q->avail_idx % q->size), head);
	q->avail_idx++;
	return 0;
}

void virtq_kick(struct virtq *q)
{
	uint16_t old = q->kicked_idx, now = q->avail_idx;
	if (old == now)
		return;
	/* The descriptors and ring slots are written before the index that publishes them. */
	(void)dma_coherent_write16(q->ring, q->avail_off + 2, now);
	q->kicked_idx = now;
	/* The device may be reading avail_event while we publish: full barrier before looking. */
	dma_coherent_mb();
	bool notify;
	if (q->event_idx) {
		uint16_t event = 0;
		(void)dma_coherent_read16(q->ring, avail_event_off(q), &event);
		notify = (uint16_t)(now - event - 1) < (uint16_t)(now - old);
	} else {
		uint16_t flags = 0;
		(void)dma_coherent_read16(q->ring, q->used_off, &flags);
		notify = !(flags & USED_F_NO_NOTIFY);
	}
	if (notify) {
		q->kicks++;
		virtio_notify(q);
	}
}

void *virtq_get_used(struct virtq *q, uint32_t *len)
{
	for (;;) {
		uint16_t idx = 0;
		(void)dma_coherent_read16(q->ring, q->used_off + 2, &idx);
		if (idx == q->last_used)
			return NULL;
		uint32_t id = 0, written = 0;
		size_t e = used_elem(q, q->last_used % q->size);
		(void)dma_coherent_read32(q->ring, e, &id);
		(void)dma_coherent_read32(q->ring, e + 4, &written);
		q->last_used++;
		if (id >= q->size || !q->tokens[id]) {
			/* A device naming a chain it was never given: skip the entry, loudly. */
			pr_warn("virtio: %s queue %u: used entry names descriptor %u, not a chain in flight\n",
				virtio_location(q->vd), q->index, id);
			continue;
		}
		void *token = q->tokens[id];
		q->tokens[id] = NULL;
		uint16_t d = (uint16_t)id, n = q->chain_len[id];
		for (uint16_t i = 1; i < n; i++)
			d = q->next[d];
		q->next[d] = q->free_head;
		q->free_head = (uint16_t)id;
		q->num_free = (uint16_t)(q->num_free + n);
		if (len)
			*len = written;
		return token;
	}
}

bool virtq_enable_cb(struct virtq *q)
{
	if (q->event_idx)
		(void)dma_coherent_write16(q->ring, used_event_off(q), q->last_used);
	else
		(void)dma_coherent_write16(q->ring, q->avail_off, 0);
	dma_coherent_mb();
	uint16_t idx = 0;
	(void)dma_coherent_read16(q->ring, q->used_off + 2, &idx);
	return idx == q->last_used;
}

void virtq_disable_cb(struct virtq *q)
{
	if (!q->event_idx)
		(void)dma_coherent_write16(q->ring, q->avail_off, AVAIL_F_NO_INTERRUPT);
}

uint64_t virtq_kicks(const struct virtq *q)
{
	return q->kicks;
}

uint64_t virtq_interrupts(const struct virtq *q)
{
	return q->interrupts;
}
