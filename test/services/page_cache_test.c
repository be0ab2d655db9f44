/* Tests of the page cache over a store in memory: filling, dirtiness by sector, write-back and its errors, truncation, read-ahead, eviction, and the figures. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/ktest.h>
#include <frame/page.h>
#include <frame/string.h>
#include <kernel/page_cache.h>

#define STORE_PAGES 64

struct store {
	uint8_t data[STORE_PAGES * 4096];
	unsigned reads, multi_reads, writes;
	uint8_t last_mask;
	int fail_read, fail_write;	/* error to return, 0 for none */
};

static int store_read(struct page_cache *pc, uint64_t idx, struct page *page)
{
	struct store *s = page_cache_owner(pc);
	s->reads++;
	if (s->fail_read)
		return s->fail_read;
	if (idx >= STORE_PAGES)
		return 0;
	return page_write(page, 0, s->data + idx * 4096, 4096);
}

static int store_read_pages(struct page_cache *pc, uint64_t first, struct page **pages, unsigned n)
{
	struct store *s = page_cache_owner(pc);
	s->multi_reads++;
	for (unsigned i = 0; i < n; i++) {
		int err = store_read(pc, first + i, pages[i]);
		if (err)
			return err;
	}
	return 0;
}

static int store_write(struct page_cache *pc, uint64_t idx, struct page *page, uint8_t sectors,
		       struct pc_batch *b)
{
	struct store *s = page_cache_owner(pc);
	s->writes++;
	s->last_mask = sectors;
	pc_batch_add(b);
	if (!s->fail_write && idx < STORE_PAGES)
		for (unsigned i = 0; i < 8; i++)
			if (sectors >> i & 1)
				page_read(page, i * 512, s->data + idx * 4096 + i * 512, 512);
	pc_batch_done(b, s->fail_write);
	return 0;
}

static const struct page_cache_ops store_ops = {
	.read_page = store_read,
	.write_page = store_write,
};

static const struct page_cache_ops store_ra_ops = {
	.read_page = store_read,
	.read_pages = store_read_pages,
	.write_page = store_write,
};

static struct store *store_new(void)
{
	struct store *s = kzalloc(sizeof(*s));
	if (s)
		for (size_t i = 0; i < sizeof(s->data); i++)
			s->data[i] = (uint8_t)(i / 4096 + 1);
	return s;
}

KTEST(page_cache_fills_once_and_reads_through)
{
	struct store *s = store_new();
	KASSERT(s);
	struct page_cache *pc = page_cache_create(&store_ops, PC_FILE, s);
	KASSERT(pc);
	uint8_t buf[6000];
	KEXPECT_EQ(page_cache_read(pc, 4000, buf, sizeof(buf), 20000), 6000);
	KEXPECT_EQ(buf[0], 1);
	KEXPECT_EQ(buf[96], 2);
	KEXPECT_EQ(buf[5999], 3);
	KEXPECT_EQ(s->reads, 3);
	/* Again: from the cache. */
	KEXPECT_EQ(page_cache_read(pc, 4000, buf, sizeof(buf), 20000), 6000);
	KEXPECT_EQ(s->reads, 3);
	KEXPECT_EQ(page_cache_pages(pc), 3);
	/* Short at the size, nothing past it. */
	KEXPECT_EQ(page_cache_read(pc, 19990, buf, 100, 20000), 10);
	KEXPECT_EQ(page_cache_read(pc, 20000, buf, 100, 20000), 0);
	KEXPECT(page_cache_present(pc, 1));
	KEXPECT(!page_cache_present(pc, 7));
	struct page *pg = page_cache_find(pc, 1);
	KEXPECT(pg != NULL);
	if (pg)
		page_put(pg);
	KEXPECT(page_cache_find(pc, 9) == NULL);
	page_cache_destroy(pc);
	kfree(s);
}

KTEST(page_cache_read_errors_are_not_cached)
{
	struct store *s = store_new();
	KASSERT(s);
	struct page_cache *pc = page_cache_create(&store_ops, PC_FILE, s);
	KASSERT(pc);
	s->fail_read = -EIO;
	uint8_t b;
	KEXPECT_EQ(page_cache_read(pc, 0, &b, 1, 100), -EIO);
	KEXPECT_EQ(page_cache_pages(pc), 0);
	struct page *pg = NULL;
	KEXPECT_EQ(page_cache_get(pc, 0, true, &pg), -EIO);
	KEXPECT(pg == NULL);
	s->fail_read = 0;
	KEXPECT_EQ(page_cache_read(pc, 0, &b, 1, 100), 1);
	KEXPECT_EQ(b, 1);
	page_cache_destroy(pc);
	kfree(s);
}

KTEST(page_cache_writes_back_only_dirty_sectors)
{
	struct store *s = store_new();
	KASSERT(s);
	struct page_cache *pc = page_cache_create(&store_ops, PC_FILE, s);
	KASSERT(pc);
	struct page_cache_stats before, during;
	page_cache_stats(&before);
	/* 10 bytes in sector 1 of page 2: the page is read first (it keeps other bytes). */
	KEXPECT_EQ(page_cache_write(pc, 2 * 4096 + 600, "0123456789", 10, STORE_PAGES * 4096), 10);
	KEXPECT_EQ(s->reads, 1);
	KEXPECT_EQ(page_cache_dirty_pages(pc), 1);
	page_cache_stats(&during);
	KEXPECT_EQ(during.dirty - before.dirty, 1);
	KEXPECT_EQ(during.cached - before.cached, 1);
	KEXPECT_EQ(s->data[2 * 4096 + 600], 3);	/* not yet on the store */
	KEXPECT_EQ(page_cache_sync(pc), 0);
	KEXPECT_EQ(s->writes, 1);
	KEXPECT_EQ(s->last_mask, 0x02);
	KEXPECT(!memcmp(s->data + 2 * 4096 + 600, "0123456789", 10));
	KEXPECT_EQ(page_cache_dirty_pages(pc), 0);
	/* Nothing dirty: nothing written. */
	KEXPECT_EQ(page_cache_sync(pc), 0);
	KEXPECT_EQ(s->writes, 1);
	/* A whole-page write is not read first. */
	uint8_t full[4096];
	memset(full, 0xab, sizeof(full));
	KEXPECT_EQ(page_cache_write(pc, 5 * 4096, full, sizeof(full), STORE_PAGES * 4096), 4096);
	KEXPECT_EQ(s->reads, 1);
	/* Past the end of the data: not read either, the rest is zero. */
	KEXPECT_EQ(page_cache_write(pc, 40 * 4096 + 10, "x", 1, 40 * 4096), 1);
	KEXPECT_EQ(s->reads, 1);
	uint8_t z[2];
	KEXPECT_EQ(page_cache_read(pc, 40 * 4096 + 9, z, 2, 40 * 4096 + 11), 2);
	KEXPECT(z[0] == 0 && z[1] == 'x');
	KEXPECT_EQ(page_cache_sync_range(pc, 0, 10), 0);
	KEXPECT_EQ(s->last_mask, 0xff);
	KEXPECT_EQ(page_cache_dirty_pages(pc), 1);	/* page 40 was outside the range */
	KEXPECT_EQ(page_cache_sync(pc), 0);
	KEXPECT_EQ(s->last_mask, 0x01);
	page_cache_destroy(pc);
	kfree(s);
}

KTEST(page_cache_write_errors_are_reported_once)
{
	struct store *s = store_new();
	KASSERT(s);
	struct page_cache *pc = page_cache_create(&store_ops, PC_FILE, s);
	KASSERT(pc);
	KEXPECT_EQ(page_cache_write(pc, 0, "abc", 3, 4096), 3);
	s->fail_write = -EIO;
	KEXPECT_EQ(page_cache_sync(pc), -EIO);
	/* As Linux: the error is reported to one fsync, the page is not retried. */
	KEXPECT_EQ(page_cache_sync(pc), 0);
	KEXPECT_EQ(page_cache_dirty_pages(pc), 0);
	page_cache_destroy(pc);
	kfree(s);
}

KTEST(page_cache_truncate_drops_pages_and_zeroes_the_tail)
{
	struct store *s = store_new();
	KASSERT(s);
	struct page_cache *pc = page_cache_create(&store_ops, PC_FILE, s);
	KASSERT(pc);
	uint8_t buf[3 * 4096];
	KEXPECT_EQ(page_cache_read(pc, 0, buf, sizeof(buf), sizeof(buf)), (ssize_t)sizeof(buf));
	KEXPECT_EQ(page_cache_write(pc, 2 * 4096, "dirty", 5, sizeof(buf)), 5);
	page_cache_truncate(pc, 4096 + 100);
	KEXPECT_EQ(page_cache_pages(pc), 2);
	KEXPECT(!page_cache_present(pc, 2));
	/* The dirty page went with the truncation; the tail of page 1 is zero and dirty. */
	KEXPECT_EQ(page_cache_dirty_pages(pc), 1);
	uint8_t t[2];
	KEXPECT_EQ(page_cache_read(pc, 4096 + 99, t, 2, 8192), 2);
	KEXPECT(t[0] == 2 && t[1] == 0);
	KEXPECT_EQ(page_cache_sync(pc), 0);
	KEXPECT_EQ(s->last_mask, 0xff);	/* sectors 0 (from byte 100) to 7 */
	KEXPECT_EQ(s->data[4096 + 100], 0);
	KEXPECT_EQ(s->data[4096 + 99], 2);
	page_cache_truncate(pc, 0);
	KEXPECT_EQ(page_cache_pages(pc), 0);
	page_cache_destroy(pc);
	kfree(s);
}

KTEST(page_cache_reads_ahead_in_one_call)
{
	struct store *s = store_new();
	KASSERT(s);
	struct page_cache *pc = page_cache_create(&store_ra_ops, PC_FILE, s);
	KASSERT(pc);
	uint8_t buf[4096];
	uint64_t size = STORE_PAGES * 4096;
	/* A sequential reader: windows of 4, 8, 16, 32 pages, one call each, then the last 4. */
	for (unsigned i = 0; i < STORE_PAGES; i++) {
		KEXPECT_EQ(page_cache_read(pc, (uint64_t)i * 4096, buf, 4096, size), 4096);
		KEXPECT_EQ(buf[4095], (uint8_t)(i + 1));
	}
	KEXPECT_EQ(s->reads, STORE_PAGES);
	KEXPECT_EQ(s->multi_reads, 5);
	/* Never past the end of the data. */
	KEXPECT_EQ(page_cache_pages(pc), STORE_PAGES);
	page_cache_destroy(pc);
	kfree(s);
}

KTEST(page_cache_reclaim_takes_clean_unused_pages_only)
{
	struct store *s = store_new();
	KASSERT(s);
	struct page_cache *pc = page_cache_create(&store_ops, PC_FILE, s);
	KASSERT(pc);
	uint8_t buf[8 * 4096];
	KEXPECT_EQ(page_cache_read(pc, 0, buf, sizeof(buf), sizeof(buf)), (ssize_t)sizeof(buf));
	KEXPECT_EQ(page_cache_write(pc, 0, "d", 1, sizeof(buf)), 1);	/* page 0 dirty */
	struct page *held;
	KASSERT(page_cache_get(pc, 1, true, &held) == 0);		/* page 1 in use */
	/* Two rounds: the first gives every page its second chance. */
	page_cache_reclaim(1000);
	page_cache_reclaim(1000);
	KEXPECT_EQ(page_cache_pages(pc), 2);
	KEXPECT(page_cache_present(pc, 0));
	KEXPECT(page_cache_present(pc, 1));
	page_put(held);
	/* Read again from the store after eviction. */
	unsigned reads = s->reads;
	KEXPECT_EQ(page_cache_read(pc, 3 * 4096, buf, 1, sizeof(buf)), 1);
	KEXPECT_EQ(s->reads, reads + 1);
	KEXPECT_EQ(page_cache_sync(pc), 0);
	page_cache_reclaim(1000);
	page_cache_reclaim(1000);
	KEXPECT_EQ(page_cache_pages(pc), 0);
	page_cache_destroy(pc);
	kfree(s);
}

KTEST(page_cache_shmem_keeps_its_pages)
{
	struct page_cache *pc = page_cache_create(NULL, PC_SHMEM, NULL);
	KASSERT(pc);
	struct page_cache_stats before, after;
	page_cache_stats(&before);
	KEXPECT_EQ(page_cache_write(pc, 8192, "shm", 3, 0), 3);
	KEXPECT_EQ(page_cache_dirty_pages(pc), 0);	/* nowhere to write it */
	page_cache_stats(&after);
	KEXPECT_EQ(after.shmem - before.shmem, 1);
	KEXPECT_EQ(after.cached - before.cached, 1);
	page_cache_reclaim(1000);
	page_cache_reclaim(1000);
	KEXPECT_EQ(page_cache_pages(pc), 1);
	char b[3];
	KEXPECT_EQ(page_cache_read(pc, 8192, b, 3, 8195), 3);
	KEXPECT(!memcmp(b, "shm", 3));
	uint64_t at = 0;
	KEXPECT(page_cache_next_present(pc, 0, &at));
	KEXPECT_EQ(at, 2);
	KEXPECT(!page_cache_next_present(pc, 3, &at));
	KEXPECT_EQ(page_cache_sync(pc), 0);
	page_cache_destroy(pc);
	page_cache_stats(&after);
	KEXPECT_EQ(after.shmem, before.shmem);
}
