/* DMA memory for services: coherent buffers and one-direction streaming buffers, addressed by devices as numbers. */
#ifndef FRAME_DMA_H
#define FRAME_DMA_H

#include <frame/page.h>
#include <frame/types.h>

/*
 * Both kinds of buffer are physically contiguous, zeroed when allocated, and
 * reached by the CPU only through bounds-checked accessors. A device is
 * given the buffer's physical address (dma_*_paddr()), a number the service
 * writes into a device register; the service never gets a pointer into it.
 *
 * Limits: a buffer is at most DMA_MAX_SIZE bytes (the largest contiguous
 * block of the page allocator); its pages come from any RAM, so a device
 * that can only address 32 bits needs the machine to have its RAM below
 * 4 GiB (there is no DMA zone yet). There is no IOMMU: a device programmed
 * with a wrong address can still write anywhere; the frame only ensures the
 * service itself cannot.
 */
#define DMA_MAX_SIZE (PAGE_SIZE << PAGE_MAX_ORDER)

/*
 * Coherent memory: CPU and device see each other's writes without any sync
 * call (descriptor rings, mailboxes). On x86 DMA snoops the CPU caches, so
 * this is ordinary write-back memory; an architecture without coherent DMA
 * would map it uncached.
 */
struct dma_coherent;

/*
 * Allocate @size bytes (rounded up internally to a power-of-two number of
 * pages, aligned to that size), zeroed. The caller owns the handle until
 * dma_coherent_free(). Returns 0, or -EINVAL (@size 0 or above DMA_MAX_SIZE,
 * @out NULL), -ENOMEM (no contiguous block that large, no memory for the
 * handle). On error *@out (if @out is not NULL) is set to NULL.
 */
int dma_coherent_alloc(size_t size, struct dma_coherent **out)
	__attribute__((warn_unused_result));

/*
 * Free the buffer; NULL is ignored. The device must have been stopped from
 * using it first: the memory is reused at once.
 */
void dma_coherent_free(struct dma_coherent *dma);

/* Device address of byte 0 (the buffer is contiguous: byte i is at paddr + i). */
paddr_t dma_coherent_paddr(const struct dma_coherent *dma);
/* Size in bytes, as requested; accessors are checked against it. */
size_t dma_coherent_size(const struct dma_coherent *dma);

/*
 * Copy @len bytes between the buffer at @offset and the kernel buffer @buf.
 * Returns 0, or -EINVAL when [@offset, @offset + @len) is not inside the
 * buffer (or the handle is NULL/freed); nothing is copied then.
 */
int dma_coherent_read(const struct dma_coherent *dma, size_t offset, void *buf, size_t len);
int dma_coherent_write(struct dma_coherent *dma, size_t offset, const void *buf, size_t len);

/*
 * One naturally aligned access of 16/32/64 bits, for fields a device reads
 * or writes concurrently (ring indices, descriptor flags): never torn. The
 * access is ordered with the io_mem_* accessors in program order, so
 * "write descriptor, then write doorbell register" needs no extra barrier.
 * -EINVAL when outside the buffer or @offset is not a multiple of the width;
 * a failed read sets *@val to all ones.
 */
int dma_coherent_read16(const struct dma_coherent *dma, size_t offset, uint16_t *val);
int dma_coherent_read32(const struct dma_coherent *dma, size_t offset, uint32_t *val);
int dma_coherent_read64(const struct dma_coherent *dma, size_t offset, uint64_t *val);
int dma_coherent_write16(struct dma_coherent *dma, size_t offset, uint16_t val);
int dma_coherent_write32(struct dma_coherent *dma, size_t offset, uint32_t val);
int dma_coherent_write64(struct dma_coherent *dma, size_t offset, uint64_t val);

/*
 * Full barrier on coherent memory as devices see it: every access before it,
 * loads included, is ordered before every access after it. The accessors
 * already keep stores in order and loads in order; this is for a store
 * followed by a load of another field that the device may have written
 * meanwhile (virtio's event index: publish the ring index, then read the
 * device's notification threshold).
 */
void dma_coherent_mb(void);

/* Which way a streaming buffer's data goes. */
enum dma_direction {
	DMA_TO_DEVICE = 1,     /* the CPU fills it, the device reads it */
	DMA_FROM_DEVICE = 2,   /* the device fills it, the CPU reads it */
	DMA_BIDIRECTIONAL = 3, /* both */
};

/* Who a streaming buffer is handed to by dma_stream_sync(). */
enum dma_sync {
	DMA_SYNC_FOR_DEVICE = 1, /* CPU is done; the device may use it now */
	DMA_SYNC_FOR_CPU = 2,    /* device is done; the CPU may use it now */
};

/*
 * Streaming memory: a buffer handed back and forth between CPU and device
 * (a packet, a disk block). It belongs to one side at a time:
 *
 *   dma_stream_write(s, 0, pkt, n);         CPU owns it (after allocation)
 *   dma_stream_sync(s, DMA_SYNC_FOR_DEVICE); now the device does
 *   ... program the device with dma_stream_paddr(s), wait for it ...
 *   dma_stream_sync(s, DMA_SYNC_FOR_CPU);    back to the CPU
 *   dma_stream_read(s, 0, buf, n);
 *
 * While the device owns it, the CPU accessors refuse with -EBUSY, so a
 * driver that forgets the sync gets an error, not stale data. What the sync
 * costs depends on the machine: on x86 DMA is cache-coherent and the sync is
 * only a full memory barrier (mfence, and no compiler reordering) plus the
 * ownership change; on a non-coherent architecture it would also clean or
 * invalidate the buffer's cache lines. Drivers must call it either way.
 */
struct dma_stream;

/*
 * Allocate a zeroed streaming buffer of @size bytes for @dir, owned by the
 * CPU. Same sizes and errors as dma_coherent_alloc(), plus -EINVAL for an
 * unknown @dir.
 */
int dma_stream_alloc(size_t size, enum dma_direction dir, struct dma_stream **out)
	__attribute__((warn_unused_result));

/* Free the buffer (the device must be done with it); NULL is ignored. */
void dma_stream_free(struct dma_stream *dma);

paddr_t dma_stream_paddr(const struct dma_stream *dma);
size_t dma_stream_size(const struct dma_stream *dma);
enum dma_direction dma_stream_direction(const struct dma_stream *dma);

/*
 * Hand the whole buffer to the device or back to the CPU (see above).
 * Syncing towards the side that already owns it is allowed and repeats the
 * barrier. Returns 0, or -EINVAL for an unknown @to or a NULL/freed handle.
 */
int dma_stream_sync(struct dma_stream *dma, enum dma_sync to);

/*
 * Copy between the buffer at @offset and the kernel buffer @buf while the CPU
 * owns it. Returns 0, -EINVAL (range outside the buffer, NULL/freed handle),
 * or -EBUSY (the device owns the buffer); nothing is copied on error.
 */
int dma_stream_read(const struct dma_stream *dma, size_t offset, void *buf, size_t len);
int dma_stream_write(struct dma_stream *dma, size_t offset, const void *buf, size_t len);

/*
 * Streaming DMA straight on pages a service already holds (page-cache
 * pages a disk reads into or writes from), with no copy and no allocation,
 * so it may be used from interrupt handlers. dma_page_map() hands bytes
 * [@off, @off + @len) of @page to the device and gives their device address
 * in *@addr (the block is contiguous: byte i is at *@addr + i);
 * dma_page_unmap() hands them back to the CPU once the device is done, and
 * must be called with the same arguments. The caller keeps a reference on
 * @page from map to unmap and does not touch the bytes meanwhile. Returns 0,
 * or -EINVAL (NULL or free @page, range outside the block, bad @dir).
 * Without an IOMMU the address is the physical one and map/unmap are the
 * barriers dma_stream_sync() makes; with one, the frame would map here.
 */
int dma_page_map(struct page *page, size_t off, size_t len, enum dma_direction dir,
		 paddr_t *addr);
void dma_page_unmap(struct page *page, size_t off, size_t len, enum dma_direction dir);

#endif
