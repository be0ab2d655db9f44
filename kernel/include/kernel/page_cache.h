/*
 * The page cache: one cache of pages per file (and per block device), used
 * by read/write, by mappings (shared ones map the very pages, private ones
 * copy them on write), by exec, and by write-back. File systems fill and
 * write pages through their ops; memory file systems (tmpfs) have no store
 * and keep their pages until truncated.
 *
 * Pages of an ordinary cache are clean or dirty. Dirty pages go back to
 * storage when a writer calls page_cache_sync() (fsync, sync, umount), or
 * when the write-back worker finds them older than a few seconds, or under
 * memory pressure. Clean pages nobody maps may be evicted at any time
 * (page_cache_reclaim(), called when memory runs low).
 *
 * Locking: each cache has an internal spin lock; callers keep one file's
 * data operations in order themselves (the inode's data_lock). Calls sleep
 * (I/O): task context only, except the batch completion.
 */
#ifndef KERNEL_PAGE_CACHE_H
#define KERNEL_PAGE_CACHE_H

#include <frame/types.h>

struct page;
struct page_cache;
struct pc_batch;

struct page_cache_ops {
	/*
	 * Fill @page, the cache's page @idx, from storage (bytes past the end
	 * of the data zeroed): 0 or a negative errno (-EIO). NULL: pages start
	 * zeroed (tmpfs).
	 */
	int (*read_page)(struct page_cache *pc, uint64_t idx, struct page *page);
	/*
	 * Optional, for read-ahead: fill the @n pages of indices @first ..
	 * @first + @n - 1 at once (one request where the storage allows): 0 or
	 * a negative errno (then none is cached). NULL: read_page one by one.
	 */
	int (*read_pages)(struct page_cache *pc, uint64_t first, struct page **pages, unsigned n);
	/*
	 * Start writing back the sectors of @page (page @idx) whose bits are
	 * set in @sectors (bit i: bytes [512 i, 512 i + 512)): submit I/O that
	 * calls pc_batch_done(@b, err) when done, after pc_batch_add(@b) for
	 * each piece. Returns 0 or the error found before any I/O (the page
	 * stays dirty for -ENOMEM/-EAGAIN, is counted failed otherwise).
	 * NULL: the cache never writes back (tmpfs).
	 */
	int (*write_page)(struct page_cache *pc, uint64_t idx, struct page *page,
			  uint8_t sectors, struct pc_batch *b);
	/* Optional: around each batch of write_page calls (plug the disk so writes merge). */
	void (*begin_writeback)(struct page_cache *pc);
	void (*end_writeback)(struct page_cache *pc);
};

enum page_cache_kind {
	PC_FILE,	/* a disk file's data: "Cached" */
	PC_SHMEM,	/* memory file systems: "Cached" and "Shmem", never evicted */
	PC_BUFFERS,	/* a block device's own cache: "Buffers" */
};

/* A new empty cache for @owner (passed back by page_cache_owner()); NULL when out of memory. */
struct page_cache *page_cache_create(const struct page_cache_ops *ops, enum page_cache_kind kind,
				     void *owner);
/*
 * Drop every page (dirty ones are lost: sync first when they matter) and
 * free the cache. Pages still mapped live on with the mapping's reference.
 */
void page_cache_destroy(struct page_cache *pc);
void *page_cache_owner(const struct page_cache *pc);

/*
 * Page @idx, filled (read_page) if it was not cached, with a reference for
 * the caller (page_put()). @fill false: a page not yet cached is zeroed
 * instead of read, for a caller about to overwrite all of it. 0, -ENOMEM,
 * or read_page's error (the page is then not cached).
 */
int page_cache_get(struct page_cache *pc, uint64_t idx, bool fill, struct page **out);
/* The cached page @idx with a reference, or NULL (no I/O, no allocation). */
struct page *page_cache_find(struct page_cache *pc, uint64_t idx);
bool page_cache_present(struct page_cache *pc, uint64_t idx);

/* Mark bytes [@off, @off + @len) of cached page @idx dirty (whole sectors). No-op for PC_SHMEM or an absent page. */
void page_cache_mark_dirty(struct page_cache *pc, uint64_t idx, uint32_t off, uint32_t len);
/* Forget the dirtiness of those bytes (a block that stopped being metadata). */
void page_cache_clean_range(struct page_cache *pc, uint64_t idx, uint32_t off, uint32_t len);
/*
 * A page a shared writable mapping got: written back at every pass while
 * something maps it (stores through a mapping are not seen by the cache).
 */
void page_cache_mark_mapped_writable(struct page_cache *pc, uint64_t idx);

/*
 * Copy file bytes [@off, @off + @len) to @buf through the cache; nothing
 * past @size (the file's length) is read. Returns bytes copied (short
 * only at @size) or a negative errno if nothing could be copied.
 */
ssize_t page_cache_read(struct page_cache *pc, uint64_t off, void *buf, size_t len,
			uint64_t size);
/*
 * Copy @buf into the cache at @off (pages read first when only part of
 * them is written and @size, the current length, says they hold data),
 * marking them dirty. Returns bytes copied or a negative errno.
 */
ssize_t page_cache_write(struct page_cache *pc, uint64_t off, const void *buf, size_t len,
			 uint64_t size);

/*
 * Shrink to @size bytes: drop every page from the one after @size on
 * (dirty ones too) and zero the tail of the page holding @size.
 */
void page_cache_truncate(struct page_cache *pc, uint64_t size);
/* Drop clean, unmapped pages of [@first, @last] (BLKFLSBUF, O_DIRECT coherence). */
void page_cache_invalidate(struct page_cache *pc, uint64_t first, uint64_t last);

/*
 * Write back the dirty pages of [@first, @last] and wait for them: 0, or
 * the first write error since the last call that returned one (-EIO), as
 * Linux's fsync reports a write-back error once.
 */
int page_cache_sync_range(struct page_cache *pc, uint64_t first, uint64_t last);
int page_cache_sync(struct page_cache *pc);
/* Dirty pages of @pc now. */
uint64_t page_cache_dirty_pages(const struct page_cache *pc);
/* Pages cached. */
uint64_t page_cache_pages(const struct page_cache *pc);
/* The first cached page index >= @idx in *@found; false if none (SEEK_DATA). */
bool page_cache_next_present(struct page_cache *pc, uint64_t idx, uint64_t *found);

/* Write-back batches (write_page): pieces in flight; done in any context. */
void pc_batch_add(struct pc_batch *b);
void pc_batch_done(struct pc_batch *b, int err);

/* sync(2): write back every cache and wait. 0 or -EIO. */
int page_cache_sync_all(void);
/*
 * Evict up to @want clean, unmapped pages, least recently used first,
 * without sleeping or I/O. Returns pages freed. Safe where page_alloc() is.
 */
size_t page_cache_reclaim(size_t want);
/* Start the write-back worker (kernel task) and hook reclaim into the page allocator. */
void page_cache_init(void);

/* /proc/meminfo figures, in pages. */
struct page_cache_stats {
	uint64_t cached;	/* file and shmem pages */
	uint64_t buffers;	/* block device pages */
	uint64_t shmem;
	uint64_t dirty;
	uint64_t writeback;
};
void page_cache_stats(struct page_cache_stats *out);

#endif
