/* DMA buffers for services: contiguous zeroed pages behind coherent and streaming handles with checked accessors. */
#include <frame/dma.h>
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/log.h>
#include <frame/page.h>
#include <frame/string.h>
#include <internal/mm.h>
#include "io_internal.h"

#define DMA_COHERENT_MAGIC 0xd3ac0e5u
#define DMA_STREAM_MAGIC 0xd3a5743u

/* The part both kinds share: a whole buddy block and the size asked for. */
struct dma_buf {
	uint32_t magic; /* cleared on free, so a stale handle is refused, not used */
	struct page *page;
	size_t size;
};

struct dma_coherent {
	struct dma_buf buf;
};

struct dma_stream {
	struct dma_buf buf;
	enum dma_direction dir;
	bool device_owned;
};

static unsigned order_for(size_t size)
{
	unsigned order = 0;
	while ((PAGE_SIZE << order) < size)
		order++;
	return order;
}

static int buf_alloc(struct dma_buf *b, size_t size, uint32_t magic)
{
	if (size == 0 || size > DMA_MAX_SIZE)
		return -EINVAL;
	b->page = page_alloc(order_for(size), PAGE_ZERO);
	if (!b->page)
		return -ENOMEM;
	b->size = size;
	b->magic = magic;
	return 0;
}

static void buf_free(struct dma_buf *b)
{
	b->magic = 0;
	page_put(b->page);
	b->page = NULL;
}

static bool buf_ok(const struct dma_buf *b, uint32_t magic, size_t offset, size_t len)
{
	return b->magic == magic && offset <= b->size && len <= b->size - offset;
}

/* Kernel virtual address of byte @offset: the direct map (write-back, DMA snoops it). */
static uint8_t *buf_at(const struct dma_buf *b, size_t offset)
{
	return (uint8_t *)page_to_virt(b->page) + offset;
}

int dma_coherent_alloc(size_t size, struct dma_coherent **out)
{
	if (!out)
		return -EINVAL;
	*out = NULL;
	struct dma_coherent *d = kmalloc(sizeof(*d));
	if (!d)
		return -ENOMEM;
	int err = buf_alloc(&d->buf, size, DMA_COHERENT_MAGIC);
	if (err) {
		kfree(d);
		return err;
	}
	*out = d;
	return 0;
}

void dma_coherent_free(struct dma_coherent *dma)
{
	if (!dma)
		return;
	if (dma->buf.magic != DMA_COHERENT_MAGIC) {
		pr_err("dma: dma_coherent_free of a handle that is not live, ignored\n");
		return;
	}
	buf_free(&dma->buf);
	kfree(dma);
}

paddr_t dma_coherent_paddr(const struct dma_coherent *dma)
{
	return dma && dma->buf.magic == DMA_COHERENT_MAGIC ? page_to_phys(dma->buf.page) : 0;
}

size_t dma_coherent_size(const struct dma_coherent *dma)
{
	return dma && dma->buf.magic == DMA_COHERENT_MAGIC ? dma->buf.size : 0;
}

int dma_coherent_read(const struct dma_coherent *dma, size_t offset, void *buf, size_t len)
{
	if (!dma || !buf_ok(&dma->buf, DMA_COHERENT_MAGIC, offset, len) || (len && !buf))
		return -EINVAL;
	arch_io_mb();
	memcpy(buf, buf_at(&dma->buf, offset), len);
	return 0;
}

int dma_coherent_write(struct dma_coherent *dma, size_t offset, const void *buf, size_t len)
{
	if (!dma || !buf_ok(&dma->buf, DMA_COHERENT_MAGIC, offset, len) || (len && !buf))
		return -EINVAL;
	memcpy(buf_at(&dma->buf, offset), buf, len);
	arch_io_mb();
	return 0;
}

/* Volatile: one access of the width, which the device may be racing with. */
#define DMA_COHERENT_RW(bits)                                                              \
	int dma_coherent_read##bits(const struct dma_coherent *dma, size_t offset,         \
				    uint##bits##_t *val)                                   \
	{                                                                                  \
		if (!val)                                                                  \
			return -EINVAL;                                                    \
		if (!dma || !buf_ok(&dma->buf, DMA_COHERENT_MAGIC, offset, bits / 8) ||    \
		    !IS_ALIGNED(offset, bits / 8)) {                                       \
			*val = (uint##bits##_t)~0ULL;                                      \
			return -EINVAL;                                                    \
		}                                                                          \
		arch_io_mb();                                                              \
		*val = *(volatile uint##bits##_t *)buf_at(&dma->buf, offset);              \
		arch_io_mb();                                                              \
		return 0;                                                                  \
	}                                                                                  \
	int dma_coherent_write##bits(struct dma_coherent *dma, size_t offset, uint##bits##_t val) \
	{                                                                                  \
		if (!dma || !buf_ok(&dma->buf, DMA_COHERENT_MAGIC, offset, bits / 8) ||    \
		    !IS_ALIGNED(offset, bits / 8))                                         \
			return -EINVAL;                                                    \
		arch_io_mb();                                                              \
		*(volatile uint##bits##_t *)buf_at(&dma->buf, offset) = val;               \
		arch_io_mb();                                                              \
		return 0;                                                                  \
	}
DMA_COHERENT_RW(16)
DMA_COHERENT_RW(32)
DMA_COHERENT_RW(64)

int dma_stream_alloc(size_t size, enum dma_direction dir, struct dma_stream **out)
{
	if (!out)
		return -EINVAL;
	*out = NULL;
	if (dir != DMA_TO_DEVICE && dir != DMA_FROM_DEVICE && dir != DMA_BIDIRECTIONAL)
		return -EINVAL;
	struct dma_stream *s = kmalloc(sizeof(*s));
	if (!s)
		return -ENOMEM;
	int err = buf_alloc(&s->buf, size, DMA_STREAM_MAGIC);
	if (err) {
		kfree(s);
		return err;
	}
	s->dir = dir;
	s->device_owned = false;
	*out = s;
	return 0;
}

void dma_stream_free(struct dma_stream *dma)
{
	if (!dma)
		return;
	if (dma->buf.magic != DMA_STREAM_MAGIC) {
		pr_err("dma: dma_stream_free of a handle that is not live, ignored\n");
		return;
	}
	buf_free(&dma->buf);
	kfree(dma);
}

paddr_t dma_stream_paddr(const struct dma_stream *dma)
{
	return dma && dma->buf.magic == DMA_STREAM_MAGIC ? page_to_phys(dma->buf.page) : 0;
}

size_t dma_stream_size(const struct dma_stream *dma)
{
	return dma && dma->buf.magic == DMA_STREAM_MAGIC ? dma->buf.size : 0;
}

enum dma_direction dma_stream_direction(const struct dma_stream *dma)
{
	return dma ? dma->dir : DMA_BIDIRECTIONAL;
}

int dma_stream_sync(struct dma_stream *dma, enum dma_sync to)
{
	if (!dma || dma->buf.magic != DMA_STREAM_MAGIC ||
	    (to != DMA_SYNC_FOR_DEVICE && to != DMA_SYNC_FOR_CPU))
		return -EINVAL;
	bool for_device = to == DMA_SYNC_FOR_DEVICE;
	/* Even a sync towards the current owner repeats the barrier: it is cheap and never wrong. */
	arch_dma_sync(page_to_phys(dma->buf.page), dma->buf.size, for_device);
	dma->device_owned = for_device;
	return 0;
}

static int stream_check(const struct dma_stream *dma, size_t offset, size_t len, const void *buf)
{
	if (!dma || !buf_ok(&dma->buf, DMA_STREAM_MAGIC, offset, len) || (len && !buf))
		return -EINVAL;
	return dma->device_owned ? -EBUSY : 0;
}

int dma_stream_read(const struct dma_stream *dma, size_t offset, void *buf, size_t len)
{
	int err = stream_check(dma, offset, len, buf);
	if (!err)
		memcpy(buf, buf_at(&dma->buf, offset), len);
	return err;
}

int dma_stream_write(struct dma_stream *dma, size_t offset, const void *buf, size_t len)
{
	int err = stream_check(dma, offset, len, buf);
	if (!err)
		memcpy(buf_at(&dma->buf, offset), buf, len);
	return err;
}

int dma_page_map(struct page *page, size_t off, size_t len, enum dma_direction dir,
		 paddr_t *addr)
{
	if (!addr)
		return -EINVAL;
	*addr = 0;
	if (!page || page_refcount(page) == 0 ||
	    (dir != DMA_TO_DEVICE && dir != DMA_FROM_DEVICE && dir != DMA_BIDIRECTIONAL))
		return -EINVAL;
	size_t block = PAGE_SIZE << page_order(page);
	if (len == 0 || off >= block || len > block - off)
		return -EINVAL;
	paddr_t pa = page_to_phys(page) + off;
	arch_dma_sync(pa, len, true);
	*addr = pa;
	return 0;
}

void dma_page_unmap(struct page *page, size_t off, size_t len, enum dma_direction dir)
{
	(void)dir;
	if (!page)
		return;
	arch_dma_sync(page_to_phys(page) + off, len, false);
}

void dma_coherent_mb(void)
{
	/* A zero-length sync is the arch's full barrier without cache maintenance. */
	arch_dma_sync(0, 0, true);
}
