/* Private structures of the virtio PCI transport and its split virtqueues. */
#ifndef KERNEL_DRIVERS_VIRTIO_INTERNAL_H
#define KERNEL_DRIVERS_VIRTIO_INTERNAL_H

#include <frame/dma.h>
#include <frame/io_mem.h>
#include <frame/pci.h>
#include <kernel/virtio.h>

#define VIRTIO_MAX_QUEUES 8
#define VIRTQ_MAX_SIZE 1024

struct virtq {
	struct virtio_device *vd;
	unsigned index;
	uint16_t size;
	struct dma_coherent *ring;	/* descriptors, then the available ring, then the used ring */
	size_t avail_off, used_off;
	uint16_t free_head, num_free;
	uint16_t avail_idx;		/* next available slot (shadow of avail->idx) */
	uint16_t kicked_idx;		/* avail->idx at the last notification decision */
	uint16_t last_used;
	uint16_t *next;			/* each descriptor's successor (free list and chains) */
	uint16_t *chain_len;		/* at a chain's head */
	void **tokens;			/* at a chain's head */
	bool event_idx;
	size_t notify_off;		/* in the notify window */
	virtq_callback cb;
	void *arg;
	uint64_t kicks, interrupts;
};

struct virtio_device {
	struct pci_device *pci;
	char loc[16];
	uint16_t type;
	struct io_mem *common, *notify, *isr, *device;
	uint32_t notify_mult;
	uint64_t features;
	const struct virtio_driver *drv;
	void *drvdata;
	unsigned irq_kind, nr_lines;
	unsigned lines[VIRTIO_MAX_QUEUES + 1];
	bool per_queue_vectors;		/* MSI-X: config on line 0, queue i on line i + 1 */
	unsigned nr_queues;
	struct virtq *queues[VIRTIO_MAX_QUEUES];
};

/* virtqueue.c: ring memory for @q->size entries at device addresses the transport programs. */
int virtq_alloc(struct virtq *q);
void virtq_free_ring(struct virtq *q);
paddr_t virtq_desc_addr(const struct virtq *q);
paddr_t virtq_avail_addr(const struct virtq *q);
paddr_t virtq_used_addr(const struct virtq *q);
/* virtio_pci.c: write the queue's index to its notification address. */
void virtio_notify(struct virtq *q);

#endif
