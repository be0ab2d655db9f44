/*
 * In-kernel tests of the virtio transport, virtio-blk and the block layer
 * on the disks test/kernel/run attaches (made by test/kernel/mkdisks.py:
 * sector s holds s as 64-bit numbers): reads, many requests in flight,
 * merging, writes and flushes, errors, INTx, MBR and GPT partitions, and
 * the block device cache's buffers with sub-page dirtiness.
 */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/irq.h>
#include <frame/ktest.h>
#include <frame/page.h>
#include <frame/wait.h>
#include <kernel/block.h>
#include <kernel/page_cache.h>
#include <kernel/virtio.h>
#include <kernel/vfs.h>

#include "block_fixture.h"

/* Does @page hold sectors @first.. of the pattern (@n of them)? */
static bool holds_pattern(struct page *page, uint64_t first, unsigned n)
{
	for (unsigned s = 0; s < n; s++) {
		uint64_t v[64];
		page_read(page, s * 512, v, sizeof(v));
		for (int i = 0; i < 64; i++)
			if (v[i] != first + s)
				return false;
	}
	return true;
}

static int read_page_at(struct block_device *b, uint64_t sector, struct page *page)
{
	struct bio *bio = bio_alloc(1);
	if (!bio)
		return -ENOMEM;
	bio->op = BIO_READ;
	bio->sector = sector;
	bio_add_page(bio, page, 0, PAGE_SIZE);
	int err = bio_submit_wait(b, bio);
	bio_free(bio);
	return err;
}

KTEST(virtio_blk_finds_the_disks)
{
	KASSERT(block_fixture_probe() >= 4);
	struct block_device *a = bdev_lookup(dev_encode(VIRTBLK_MAJOR, 0));
	struct block_device *b = bdev_lookup(dev_encode(VIRTBLK_MAJOR, 16));
	KASSERT(a && b);
	KEXPECT(!strcmp(a->name, "vda"));
	KEXPECT_EQ(a->nr_sectors, 32768);
	KEXPECT_EQ(bdev_size(a), 16 << 20);
	KEXPECT(!bdev_read_only(a));
	KEXPECT(!strcmp(b->name, "vdb"));
	KEXPECT_EQ(b->nr_sectors, 2048);
	KEXPECT(bdev_read_only(b));
	KEXPECT(a->disk->has_flush);
	KEXPECT(a->disk->max_segments >= 8);
	KEXPECT(bdev_lookup(dev_encode(VIRTBLK_MAJOR, 1)) == NULL);	/* no table on vda */
	KEXPECT(bdev_lookup(dev_encode(VIRTBLK_MAJOR + 1, 0)) == NULL);
}

KTEST(virtio_blk_reads_sectors)
{
	KASSERT(block_fixture_probe() >= 4);
	struct block_device *a = bdev_lookup(dev_encode(VIRTBLK_MAJOR, 0));
	KASSERT(a);
	struct page *pg = page_alloc(0, 0);
	KASSERT(pg);
	static const uint64_t at[] = { 0, 1, 7, 4095, 32768 - 8 };
	for (size_t i = 0; i < ARRAY_SIZE(at); i++) {
		KEXPECT_EQ(read_page_at(a, at[i], pg), 0);
		KEXPECT(holds_pattern(pg, at[i], 8));
	}
	/* A single sector into the middle of the page. */
	struct bio *bio = bio_alloc(1);
	KASSERT(bio);
	bio->op = BIO_READ;
	bio->sector = 1234;
	KEXPECT_EQ(bio_add_page(bio, pg, 1024, 512), 0);
	KEXPECT_EQ(bio_submit_wait(a, bio), 0);
	uint64_t v = 0;
	page_read(pg, 1024 + 8 * 17, &v, 8);
	KEXPECT_EQ(v, 1234);
	bio_free(bio);
	page_put(pg);
}

struct flight {
	uint32_t done;	/* atomic */
	struct wait_queue wq;
};

static void flight_end(struct bio *bio)
{
	struct flight *f = bio->private;
	__atomic_add_fetch(&f->done, 1, __ATOMIC_RELEASE);
	wait_wake_all(&f->wq);
}

KTEST(virtio_blk_keeps_many_requests_in_flight)
{
	KASSERT(block_fixture_probe() >= 4);
	struct block_device *a = bdev_lookup(dev_encode(VIRTBLK_MAJOR, 0));
	KASSERT(a);
	enum { N = 48 };
	struct page *pages[N];
	struct bio *bios[N];
	struct flight f = { 0 };
	for (int i = 0; i < N; i++) {
		pages[i] = page_alloc(0, PAGE_ZERO);
		bios[i] = bio_alloc(1);
		KASSERT(pages[i] && bios[i]);
		bios[i]->op = BIO_READ;
		bios[i]->sector = (uint64_t)(N - i) * 64;	/* descending: nothing merges */
		bios[i]->end_io = flight_end;
		bios[i]->private = &f;
		bio_add_page(bios[i], pages[i], 0, PAGE_SIZE);
	}
	/* Plugged, all queue at once; the device then holds them together. */
	uint64_t merges = a->disk->stat_merges;
	blk_plug(a);
	for (int i = 0; i < N; i++)
		bio_submit(a, bios[i]);
	blk_unplug(a);
	wait_event(&f.wq, __atomic_load_n(&f.done, __ATOMIC_ACQUIRE) == N);
	KEXPECT_EQ(a->disk->stat_merges, merges);
	KEXPECT(a->disk->stat_max_in_flight >= 16);
	for (int i = 0; i < N; i++) {
		KEXPECT_EQ(bios[i]->status, 0);
		KEXPECT(holds_pattern(pages[i], (uint64_t)(N - i) * 64, 8));
		bio_free(bios[i]);
		page_put(pages[i]);
	}
}

KTEST(virtio_blk_merges_adjacent_bios)
{
	KASSERT(block_fixture_probe() >= 4);
	struct block_device *a = bdev_lookup(dev_encode(VIRTBLK_MAJOR, 0));
	KASSERT(a);
	enum { N = 8 };
	struct page *pages[N];
	struct bio *bios[N];
	struct flight f = { 0 };
	for (int i = 0; i < N; i++) {
		pages[i] = page_alloc(0, PAGE_ZERO);
		bios[i] = bio_alloc(1);
		KASSERT(pages[i] && bios[i]);
		bios[i]->op = BIO_READ;
		bios[i]->sector = 8000 + 8 * (uint64_t)i;
		bios[i]->end_io = flight_end;
		bios[i]->private = &f;
		bio_add_page(bios[i], pages[i], 0, PAGE_SIZE);
	}
	uint64_t merges = a->disk->stat_merges, reads = a->disk->stat_reads;
	blk_plug(a);
	for (int i = 0; i < N; i++)
		bio_submit(a, bios[i]);
	blk_unplug(a);
	wait_event(&f.wq, __atomic_load_n(&f.done, __ATOMIC_ACQUIRE) == N);
	/* One request of eight bios: seven merges. */
	KEXPECT_EQ(a->disk->stat_merges - merges, N - 1);
	KEXPECT_EQ(a->disk->stat_reads - reads, N);
	for (int i = 0; i < N; i++) {
		KEXPECT_EQ(bios[i]->status, 0);
		KEXPECT(holds_pattern(pages[i], 8000 + 8 * (uint64_t)i, 8));
		bio_free(bios[i]);
		page_put(pages[i]);
	}
}

KTEST(virtio_blk_writes_and_flushes)
{
	KASSERT(block_fixture_probe() >= 4);
	struct block_device *a = bdev_lookup(dev_encode(VIRTBLK_MAJOR, 0));
	KASSERT(a);
	struct page *pg = page_alloc(0, 0), *back = page_alloc(0, PAGE_ZERO);
	KASSERT(pg && back);
	uint8_t marks[PAGE_SIZE];
	for (size_t i = 0; i < sizeof(marks); i++)
		marks[i] = (uint8_t)(i * 7 + 3);
	page_write(pg, 0, marks, sizeof(marks));
	struct bio *bio = bio_alloc(1);
	KASSERT(bio);
	bio->op = BIO_WRITE;
	bio->sector = 20000;
	bio_add_page(bio, pg, 0, PAGE_SIZE);
	KEXPECT_EQ(bio_submit_wait(a, bio), 0);
	bio_free(bio);
	KEXPECT_EQ(bdev_flush_disk(a), 0);
	KEXPECT_EQ(read_page_at(a, 20000, back), 0);
	uint8_t got[PAGE_SIZE];
	page_read(back, 0, got, sizeof(got));
	KEXPECT(!memcmp(got, marks, sizeof(got)));
	/* Put the pattern back for the other tests. */
	for (unsigned s = 0; s < 8; s++) {
		uint64_t v[64];
		for (int i = 0; i < 64; i++)
			v[i] = 20000 + s;
		page_write(pg, s * 512, v, sizeof(v));
	}
	bio = bio_alloc(1);
	KASSERT(bio);
	bio->op = BIO_WRITE;
	bio->sector = 20000;
	bio_add_page(bio, pg, 0, PAGE_SIZE);
	KEXPECT_EQ(bio_submit_wait(a, bio), 0);
	bio_free(bio);
	KEXPECT_EQ(read_page_at(a, 20000, back), 0);
	KEXPECT(holds_pattern(back, 20000, 8));
	page_put(pg);
	page_put(back);
}

KTEST(virtio_blk_errors_are_errors)
{
	KASSERT(block_fixture_probe() >= 4);
	struct block_device *a = bdev_lookup(dev_encode(VIRTBLK_MAJOR, 0));
	struct block_device *ro = bdev_lookup(dev_encode(VIRTBLK_MAJOR, 16));
	KASSERT(a && ro);
	struct page *pg = page_alloc(0, PAGE_ZERO);
	KASSERT(pg);
	struct bio *bio = bio_alloc(2);
	KASSERT(bio);
	KEXPECT_EQ(bio_add_page(bio, pg, 0, 100), -EINVAL);
	KEXPECT_EQ(bio_add_page(bio, pg, 100, 512), -EINVAL);
	KEXPECT_EQ(bio_add_page(bio, pg, 4096 - 512, 1024), -EINVAL);
	KEXPECT_EQ(bio_add_page(bio, NULL, 0, 512), -EINVAL);
	KEXPECT_EQ(bio_add_page(bio, pg, 0, PAGE_SIZE), 0);
	/* Past the end, and straddling it. */
	bio->op = BIO_READ;
	bio->sector = 32768;
	KEXPECT_EQ(bio_submit_wait(a, bio), -EIO);
	bio->sector = 32768 - 4;
	KEXPECT_EQ(bio_submit_wait(a, bio), -EIO);
	bio->sector = ~0ull - 2;
	KEXPECT_EQ(bio_submit_wait(a, bio), -EIO);
	/* A read-only disk refuses writes and still reads. */
	bio->op = BIO_WRITE;
	bio->sector = 0;
	KEXPECT_EQ(bio_submit_wait(ro, bio), -EROFS);
	bio->op = BIO_READ;
	KEXPECT_EQ(bio_submit_wait(ro, bio), 0);
	KEXPECT(holds_pattern(pg, 0, 8));
	bio_free(bio);
	page_put(pg);
	/* Buffers past the end. */
	struct buf b;
	KEXPECT_EQ(bread(a, 16384, 1024, &b), -EINVAL);
	KEXPECT_EQ(bread(a, 0, 1000, &b), -EINVAL);
	KEXPECT_EQ(bread(a, ~0ull / 512, 4096, &b), -EINVAL);
}

KTEST(virtio_blk_intx_disk_and_mbr_partitions)
{
	KASSERT(block_fixture_probe() >= 4);
	struct block_device *c = bdev_lookup(dev_encode(VIRTBLK_MAJOR, 32));
	KASSERT(c);
	KEXPECT(!strcmp(c->name, "vdc"));
	static const struct { unsigned part; uint64_t start, count; } want[] = {
		{ 1, 2048, 2048 }, { 2, 4096, 2 }, { 4, 12288, 4096 }, { 5, 4159, 1000 },
		{ 6, 6207, 2000 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		struct block_device *p = bdev_lookup(dev_encode(VIRTBLK_MAJOR, 32 + want[i].part));
		if (!KEXPECT(p != NULL))
			continue;
		KEXPECT_EQ(p->partno, want[i].part);
		KEXPECT_EQ(p->start_sector, want[i].start);
		KEXPECT_EQ(p->nr_sectors, want[i].count);
	}
	KEXPECT(bdev_lookup(dev_encode(VIRTBLK_MAJOR, 35)) == NULL);
	KEXPECT(bdev_lookup(dev_encode(VIRTBLK_MAJOR, 39)) == NULL);
	/* Reads through a partition are offset by its start; this disk interrupts through INTx (GSI 16-23). */
	struct block_device *p5 = bdev_lookup(dev_encode(VIRTBLK_MAJOR, 37));
	KASSERT(p5);
	KEXPECT(!strcmp(p5->name, "vdc5"));
	uint64_t before = 0, after = 0;
	for (unsigned gsi = 16; gsi < 24; gsi++)
		before += irq_line_count(gsi);
	struct page *pg = page_alloc(0, 0);
	KASSERT(pg);
	KEXPECT_EQ(read_page_at(p5, 8, pg), 0);
	KEXPECT(holds_pattern(pg, 4159 + 8, 8));
	/* The partition ends where its table says. */
	KEXPECT_EQ(read_page_at(p5, 1000 - 4, pg), -EIO);
	for (unsigned gsi = 16; gsi < 24; gsi++)
		after += irq_line_count(gsi);
	KEXPECT(after > before);
	page_put(pg);
}

KTEST(virtio_blk_gpt_partitions)
{
	KASSERT(block_fixture_probe() >= 4);
	static const struct { unsigned part; uint64_t start, count; } want[] = {
		{ 1, 2048, 2048 }, { 2, 4096, 4096 }, { 4, 10240, 2048 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		struct block_device *p = bdev_lookup(dev_encode(VIRTBLK_MAJOR, 48 + want[i].part));
		if (!KEXPECT(p != NULL))
			continue;
		KEXPECT_EQ(p->start_sector, want[i].start);
		KEXPECT_EQ(p->nr_sectors, want[i].count);
	}
	KEXPECT(bdev_lookup(dev_encode(VIRTBLK_MAJOR, 51)) == NULL);
	struct block_device *p4 = bdev_lookup(dev_encode(VIRTBLK_MAJOR, 52));
	KASSERT(p4);
	struct page *pg = page_alloc(0, 0);
	KASSERT(pg);
	KEXPECT_EQ(read_page_at(p4, 0, pg), 0);
	KEXPECT(holds_pattern(pg, 10240, 8));
	page_put(pg);
}

KTEST(block_buffers_write_back_only_their_sectors)
{
	KASSERT(block_fixture_probe() >= 4);
	struct block_device *a = bdev_lookup(dev_encode(VIRTBLK_MAJOR, 0));
	KASSERT(a);
	/* Blocks 6000 and 6001 of 1 KiB share a page of the device cache. */
	struct buf b0, b1;
	KASSERT(bread(a, 6000, 1024, &b0) == 0);
	KASSERT(bread(a, 6001, 1024, &b1) == 0);
	KEXPECT(b0.page == b1.page);
	uint64_t v = 0;
	KEXPECT_EQ(buf_read(&b1, 8, &v, 8), 0);
	KEXPECT_EQ(v, 12002);	/* sector 2 * 6001 */
	uint64_t mark = 0x5a5a5a5a5a5a5a5aull;
	KEXPECT_EQ(buf_write(&b0, 0, &mark, 8), 0);
	KEXPECT_EQ(buf_write(&b1, 0, &mark, 8), 0);
	KEXPECT_EQ(buf_write(&b1, 1020, &mark, 8), -EINVAL);
	/* Block 6001 becomes file data: its dirty copy here must not reach the disk. */
	bdev_forget_block(a, 6001, 1024);
	KEXPECT(page_cache_dirty_pages(a->cache) >= 1);
	KEXPECT_EQ(bdev_sync(a), 0);
	KEXPECT_EQ(page_cache_dirty_pages(a->cache), 0);
	uint64_t disk[128];
	KEXPECT_EQ(bdev_rw_direct(a, BIO_READ, 12000, disk, 1024), 0);
	KEXPECT_EQ(disk[0], mark);
	KEXPECT_EQ(disk[1], 12000);
	KEXPECT_EQ(bdev_rw_direct(a, BIO_READ, 12002, disk, 1024), 0);
	KEXPECT_EQ(disk[0], 12002);
	/* Put the pattern back, through the cache again. */
	uint64_t orig = 12000;
	KEXPECT_EQ(buf_write(&b0, 0, &orig, 8), 0);
	brelse(&b0);
	brelse(&b1);
	KEXPECT_EQ(bdev_sync(a), 0);
	KEXPECT_EQ(bdev_rw_direct(a, BIO_READ, 12000, disk, 512), 0);
	KEXPECT_EQ(disk[0], 12000);
	/* BLKFLSBUF drops the clean pages. */
	KEXPECT(page_cache_pages(a->cache) > 0);
	KEXPECT_EQ(bdev_flush_buffers(a), 0);
	KEXPECT_EQ(page_cache_pages(a->cache), 0);
}
