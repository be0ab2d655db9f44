/* Physical pages: a buddy allocator handing out reference-counted page handles. */
#ifndef FRAME_PAGE_H
#define FRAME_PAGE_H

#include <frame/types.h>

/*
 * A block of 2^order physically contiguous pages, named by its first page.
 * Services hold struct page pointers as opaque handles; the contents are
 * reached through the frame's reader/writer and mapping APIs, never directly.
 */
struct page;

/* Largest block: 2^PAGE_MAX_ORDER pages (4 MiB). */
#define PAGE_MAX_ORDER 10

/* page_alloc() flags. */
#define PAGE_ZERO 0x1u /* fill the block with zeros */

/*
 * Allocate 2^@order contiguous pages, aligned to their size. The caller owns
 * the one reference of the returned handle and gives it back with page_put().
 * Returns NULL when @order > PAGE_MAX_ORDER or no free block is large enough
 * (never panics).
 */
struct page *page_alloc(unsigned order, unsigned flags);

/* Take another reference on an allocated block (the handle of page_alloc()). */
void page_get(struct page *page);

/* Drop a reference; the block returns to the free pool when the last one goes. */
void page_put(struct page *page);

/* log2 of the number of pages in the block. */
unsigned page_order(const struct page *page);

/* Current number of references (0 only for free pages). */
unsigned page_refcount(const struct page *page);

/*
 * Page contents (frame/mm/page_copy.c), for services that own a reference
 * on @page: copy-on-write, file pages, zeroing a bss tail. page_copy copies
 * the whole block (@dst and @src of the same order). The others access
 * [@off, @off + @len) of the block: 0, or -EINVAL if that leaves the block.
 * Touching a free block is a bug (panic), not an error.
 */
void page_copy(struct page *dst, const struct page *src);
int page_read(const struct page *page, size_t off, void *buf, size_t len);
int page_write(struct page *page, size_t off, const void *buf, size_t len);
int page_zero(struct page *page, size_t off, size_t len);

/* Pages currently free, and pages managed in total (free or allocated). */
size_t page_count_free(void);
size_t page_count_total(void);

/* A `free`-style report of memory use, in pages unless noted. */
struct mem_stats {
	uint64_t total_pages;     /* managed by the allocator */
	uint64_t free_pages;
	uint64_t reserved_pages;  /* taken at boot for allocator metadata */
	uint64_t free_blocks[PAGE_MAX_ORDER + 1]; /* free blocks per order (buddyinfo) */
	uint64_t heap_slab_pages; /* pages holding kmalloc size classes */
	uint64_t heap_large_pages;/* pages of kmalloc allocations above 2 KiB */
	uint64_t heap_bytes;      /* live kmalloc bytes (small ones by size class) */
	uint64_t pgtable_pages;   /* page-table pages of all vm_spaces */
};

/* Fill @out with a snapshot of memory use. */
void mem_stats(struct mem_stats *out);

#endif
