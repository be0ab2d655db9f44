/* Physical pages: a buddy allocator handing out reference-counted page handles. */
#ifndef FRAME_PAGE_H
#define FRAME_PAGE_H

#include <frame/types.h>

/*
 * A block of 2^order physically contiguous pages, named by its first page.
 * Services hold struct page pointers as opaque handles; the contents are
 * reached through the frame's reader/writer and mapping APIs, never directly.
 *
 * Ownership. A block is held in two separate ways, counted apart:
 *  - service references: page_alloc() returns a handle carrying one;
 *    page_get() makes another from a handle the caller holds a reference
 *    on; page_put() gives one back. A handle is usable only while its holder
 *    has a reference on it.
 *  - mappings: every leaf vm_map() installs holds the block until that leaf
 *    is unmapped (vm_unmap(), vm_space_destroy()). Only the frame changes
 *    this count; services never give back a mapping's hold.
 * The block returns to the free pool when both counts are zero, so a
 * mapped block is never freed by a service's put, and an unmap never frees
 * a block a service still holds. vm_get_page() is the one way to get a
 * handle to what a space maps: it comes with its own reference.
 *
 * Misuse is refused, not obeyed: a page_put() on a handle with no service
 * reference left (a second put, a put of a borrowed handle) or a page_get()
 * through one changes nothing and is reported ("PAGE: ...", with the caller
 * and a backtrace; the test kernel fails the test that caused it). No
 * sequence of calls frees a block twice or while mapped. What the frame
 * cannot see is a handle kept after its holder's last put while the block
 * is reused: holders must forget a handle when they put it.
 */
struct page;

/* Largest block: 2^PAGE_MAX_ORDER pages (4 MiB). */
#define PAGE_MAX_ORDER 10

/* page_alloc() flags. */
#define PAGE_ZERO 0x1u /* fill the block with zeros */
/*
 * Memory for programs (their pages, file data): refused while taking it
 * would leave fewer than page_reserve() pages free, so the kernel's own
 * allocations (page tables, heap, an exiting victim's needs) keep room
 * when programs exhaust memory (Linux's min watermark).
 */
#define PAGE_USER 0x2u

/*
 * Allocate 2^@order contiguous pages, aligned to their size. The caller owns
 * the one reference of the returned handle and gives it back with page_put().
 * Returns NULL when @order > PAGE_MAX_ORDER or no free block is large enough
 * (never panics).
 */
struct page *page_alloc(unsigned order, unsigned flags);

/*
 * Memory pressure: when no free block is large enough, page_alloc() calls
 * @fn(@pages wanted) once and tries again. The hook (the services' page
 * cache) frees what it can without sleeping, doing I/O or taking a lock it
 * cannot get at once, since page_alloc() may be called anywhere; it is not
 * re-entered while it runs. NULL removes it.
 */
typedef size_t (*page_reclaim_fn)(size_t pages);
void page_set_reclaim_hook(page_reclaim_fn fn);

/* Take another service reference on @page; the caller must hold one already. */
void page_get(struct page *page);

/* Drop a service reference; the block is freed once no reference and no mapping holds it. */
void page_put(struct page *page);

/* log2 of the number of pages in the block. */
unsigned page_order(const struct page *page);

/* Service references held now (0 for free blocks and for blocks only mappings hold). */
unsigned page_refcount(const struct page *page);

/* Leaves mapping the block now, in all spaces. */
unsigned page_mapcount(const struct page *page);

/*
 * Page contents (frame/mm/page_copy.c), for services that own a reference
 * on @page: copy-on-write, file pages, zeroing a bss tail. page_copy copies
 * the whole block (@dst and @src of the same order). The others access
 * [@off, @off + @len) of the block: 0, or -EINVAL if that leaves the block.
 * Touching a free block is a bug (panic), not an error; touching a block
 * through a handle without a reference is reported as misuse (it works only
 * while a mapping still holds the block).
 */
void page_copy(struct page *dst, const struct page *src);
int page_read(const struct page *page, size_t off, void *buf, size_t len);
int page_write(struct page *page, size_t off, const void *buf, size_t len);
int page_zero(struct page *page, size_t off, size_t len);

/* Pages PAGE_USER allocations leave free: 1/256 of memory, 32 to 1024 pages. */
size_t page_reserve(void);

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
	uint64_t heap_objects;    /* live kmalloc allocations, small and large */
	uint64_t pgtable_pages;   /* page-table pages of all vm_spaces */
};

/* Fill @out with a snapshot of memory use. */
void mem_stats(struct mem_stats *out);

#endif
