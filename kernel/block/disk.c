/*
 * Disks and block devices: registration (names vda, vdb... and minors),
 * the partition devices a table describes, lookup by device number, each
 * device's own page cache and the metadata buffers file systems read
 * through it, sync and flush.
 */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/log.h>
#include <frame/mutex.h>
#include <frame/page.h>
#include <frame/string.h>
#include <kernel/block.h>
#include <kernel/devices.h>
#include <kernel/page_cache.h>
#include <kernel/special.h>
#include <kernel/vfs.h>

#include "block_internal.h"

#define MAX_DISKS 16

static struct gendisk *disks[MAX_DISKS];
static unsigned nr_disks;
static struct mutex disks_lock = MUTEX_INIT("disks");

int disk_alloc_name(char *name, size_t size, uint32_t *first_minor)
{
	mutex_lock(&disks_lock);
	unsigned n = nr_disks;
	mutex_unlock(&disks_lock);
	if (n >= MAX_DISKS || n >= 26)
		return -ENOSPC;
	snprintf(name, size, "vd%c", 'a' + n);
	*first_minor = n * DISK_MINORS;
	return 0;
}

/* ---- the block device's page cache ---- */

static uint64_t page_sectors(const struct block_device *bdev, uint64_t idx, unsigned *count)
{
	uint64_t sector = idx * (PAGE_SIZE / SECTOR_SIZE);
	uint64_t left = sector < bdev->nr_sectors ? bdev->nr_sectors - sector : 0;
	*count = (unsigned)MIN(left, PAGE_SIZE / SECTOR_SIZE);
	return sector;
}

static int bdev_read_page(struct page_cache *pc, uint64_t idx, struct page *page)
{
	struct block_device *bdev = page_cache_owner(pc);
	unsigned count;
	uint64_t sector = page_sectors(bdev, idx, &count);
	if (count == 0)
		return 0;	/* wholly past the end: zeros */
	struct bio *bio = bio_alloc(1);
	if (!bio)
		return -ENOMEM;
	bio->op = BIO_READ;
	bio->sector = sector;
	(void)bio_add_page(bio, page, 0, count * SECTOR_SIZE);
	int err = bio_submit_wait(bdev, bio);
	bio_free(bio);
	return err;
}

static int bdev_read_pages(struct page_cache *pc, uint64_t first, struct page **pages, unsigned n)
{
	struct block_device *bdev = page_cache_owner(pc);
	struct bio *bio = bio_alloc(n);
	if (!bio)
		return -ENOMEM;
	bio->op = BIO_READ;
	unsigned count = 0;
	bio->sector = page_sectors(bdev, first, &count);
	for (unsigned i = 0; i < n; i++) {
		uint64_t s = page_sectors(bdev, first + i, &count);
		(void)s;
		if (count)
			(void)bio_add_page(bio, pages[i], 0, count * SECTOR_SIZE);
	}
	int err = bio->nvec ? bio_submit_wait(bdev, bio) : 0;
	bio_free(bio);
	return err;
}

static void batch_end_io(struct bio *bio)
{
	pc_batch_done(bio->private, bio->status);
	bio_free(bio);
}

/* Submit a write of sectors [@first, @first + @n) of @page, counted in @b. */
int bdev_write_sectors(struct block_device *bdev, uint64_t sector, struct page *page,
		       unsigned first, unsigned n, struct pc_batch *b)
{
	struct bio *bio = bio_alloc(1);
	if (!bio)
		return -ENOMEM;
	bio->op = BIO_WRITE;
	bio->sector = sector + first;
	bio->end_io = batch_end_io;
	bio->private = b;
	(void)bio_add_page(bio, page, first * SECTOR_SIZE, n * SECTOR_SIZE);
	pc_batch_add(b);
	bio_submit(bdev, bio);
	return 0;
}

static int bdev_write_page(struct page_cache *pc, uint64_t idx, struct page *page,
			   uint8_t sectors, struct pc_batch *b)
{
	struct block_device *bdev = page_cache_owner(pc);
	unsigned count;
	uint64_t sector = page_sectors(bdev, idx, &count);
	int err = 0;
	/* One bio per run of dirty sectors; adjacent runs of neighbouring pages merge below. */
	for (unsigned i = 0; i < count && !err;) {
		if (!(sectors >> i & 1)) {
			i++;
			continue;
		}
		unsigned j = i;
		while (j < count && (sectors >> j & 1))
			j++;
		err = bdev_write_sectors(bdev, sector, page, i, j - i, b);
		i = j;
	}
	return err;
}

static void bdev_begin_writeback(struct page_cache *pc)
{
	blk_plug(page_cache_owner(pc));
}

static void bdev_end_writeback(struct page_cache *pc)
{
	blk_unplug(page_cache_owner(pc));
}

static const struct page_cache_ops bdev_cache_ops = {
	.read_page = bdev_read_page,
	.read_pages = bdev_read_pages,
	.write_page = bdev_write_page,
	.begin_writeback = bdev_begin_writeback,
	.end_writeback = bdev_end_writeback,
};

/* ---- registration ---- */

static struct block_device *bdev_new(struct gendisk *disk, unsigned partno, uint64_t start,
				     uint64_t sectors)
{
	struct block_device *b = kzalloc(sizeof(*b));
	if (!b)
		return NULL;
	b->disk = disk;
	b->partno = partno;
	b->minor = disk->first_minor + partno;
	b->start_sector = start;
	b->nr_sectors = sectors;
	if (partno == 0)
		strlcpy(b->name, disk->name, sizeof(b->name));
	else
		snprintf(b->name, sizeof(b->name), "%s%u", disk->name, partno);
	b->cache = page_cache_create(&bdev_cache_ops, PC_BUFFERS, b);
	if (!b->cache) {
		kfree(b);
		return NULL;
	}
	return b;
}

int disk_add_partition(struct gendisk *disk, unsigned partno, uint64_t start, uint64_t sectors)
{
	if (partno == 0 || partno > DISK_MAX_PARTS || disk->parts[partno])
		return -EINVAL;
	if (start >= disk->sectors || sectors == 0 || sectors > disk->sectors - start) {
		pr_warn("%s: partition %u (%llu+%llu) lies past the end of the disk, ignored\n",
			disk->name, partno, (unsigned long long)start, (unsigned long long)sectors);
		return -EINVAL;
	}
	struct block_device *b = bdev_new(disk, partno, start, sectors);
	if (!b)
		return -ENOMEM;
	disk->parts[partno] = b;
	return 0;
}

int disk_register(struct gendisk *disk)
{
	spin_lock_init(&disk->lock, "disk queue");
	if (!disk->max_segments)
		disk->max_segments = 64;
	if (!disk->max_bytes)
		disk->max_bytes = 1u << 20;
	if (!disk->logical_block_size)
		disk->logical_block_size = SECTOR_SIZE;
	struct block_device *whole = bdev_new(disk, 0, 0, disk->sectors);
	if (!whole)
		return -ENOMEM;
	disk->parts[0] = whole;
	mutex_lock(&disks_lock);
	if (nr_disks == MAX_DISKS) {
		mutex_unlock(&disks_lock);
		page_cache_destroy(whole->cache);
		kfree(whole);
		disk->parts[0] = NULL;
		return -ENOSPC;
	}
	disks[nr_disks++] = disk;
	mutex_unlock(&disks_lock);
	int err = special_register_blkdev(disk->major, disk->first_minor,
					  disk->first_minor + DISK_MINORS - 1, blkdev_open);
	if (err)
		pr_warn("%s: device nodes cannot be opened (error %d)\n", disk->name, err);
	unsigned nparts = partitions_scan(disk);
	for (unsigned p = 0; p < DISK_MINORS; p++)
		if (disk->parts[p])
			(void)devtmpfs_add_node(disk->parts[p]->name, S_IFBLK | 0600,
						bdev_dev(disk->parts[p]));
	pr_info("%s: %llu sectors (%llu MiB)%s, %u partition(s)\n", disk->name,
		(unsigned long long)disk->sectors, (unsigned long long)(disk->sectors >> 11),
		disk->read_only ? ", read-only" : "", nparts);
	return 0;
}

/* ---- lookup ---- */

struct block_device *bdev_lookup(uint64_t rdev)
{
	uint32_t major = dev_major(rdev), minor = dev_minor(rdev);
	struct block_device *found = NULL;
	mutex_lock(&disks_lock);
	for (unsigned i = 0; i < nr_disks && !found; i++) {
		struct gendisk *d = disks[i];
		if (d->major == major && minor >= d->first_minor &&
		    minor < d->first_minor + DISK_MINORS)
			found = d->parts[minor - d->first_minor];
	}
	mutex_unlock(&disks_lock);
	return found;
}

struct name_match {
	const char *name;
	uint64_t rdev;
	bool found;
};

static bool match_name(struct block_device *bdev, void *arg)
{
	struct name_match *m = arg;
	if (strcmp(bdev->name, m->name))
		return true;
	m->rdev = bdev_dev(bdev);
	m->found = true;
	return false;
}

int bdev_parse_name(const char *spec, uint64_t *rdev)
{
	if (!strncmp(spec, "/dev/", 5))
		spec += 5;
	uint32_t major = 0, minor = 0;
	const char *p = spec;
	while (*p >= '0' && *p <= '9')
		major = major * 10 + (uint32_t)(*p++ - '0');
	if (p != spec && *p == ':' && p[1]) {
		for (p++; *p >= '0' && *p <= '9'; p++)
			minor = minor * 10 + (uint32_t)(*p - '0');
		if (*p)
			return -ENXIO;
		*rdev = dev_encode(major, minor);
		return bdev_lookup(*rdev) ? 0 : -ENXIO;
	}
	struct name_match m = { spec, 0, false };
	bdev_for_each(match_name, &m);
	if (!m.found)
		return -ENXIO;
	*rdev = m.rdev;
	return 0;
}

int bdev_from_rdev(uint64_t rdev, struct block_device **out)
{
	*out = bdev_lookup(rdev);
	return *out ? 0 : -ENXIO;
}

uint64_t bdev_dev(const struct block_device *bdev)
{
	return dev_encode(bdev->disk->major, bdev->minor);
}

uint64_t bdev_size(const struct block_device *bdev)
{
	return bdev->nr_sectors * SECTOR_SIZE;
}

bool bdev_read_only(const struct block_device *bdev)
{
	return bdev->disk->read_only;
}

void bdev_for_each(bool (*fn)(struct block_device *bdev, void *arg), void *arg)
{
	mutex_lock(&disks_lock);
	for (unsigned i = 0; i < nr_disks; i++)
		for (unsigned p = 0; p < DISK_MINORS; p++)
			if (disks[i]->parts[p] && !fn(disks[i]->parts[p], arg))
				goto out;
out:
	mutex_unlock(&disks_lock);
}

/* ---- sync, flush, buffers ---- */

int bdev_flush_disk(struct block_device *bdev)
{
	if (!bdev->disk->has_flush)
		return 0;
	struct bio *bio = bio_alloc(1);
	if (!bio)
		return -ENOMEM;
	bio->op = BIO_FLUSH;
	int err = bio_submit_wait(bdev, bio);
	bio_free(bio);
	return err;
}

int bdev_sync(struct block_device *bdev)
{
	int err = page_cache_sync(bdev->cache);
	int err2 = bdev_flush_disk(bdev);
	return err ? err : err2;
}

int bdev_flush_buffers(struct block_device *bdev)
{
	int err = bdev_sync(bdev);
	page_cache_invalidate(bdev->cache, 0, ~0ull);
	return err;
}

void bdev_invalidate(struct block_device *bdev)
{
	page_cache_invalidate(bdev->cache, 0, ~0ull);
}

static int buf_locate(struct block_device *bdev, uint64_t block, uint32_t size, uint64_t *idx,
		      uint32_t *off)
{
	if (size < SECTOR_SIZE || size > PAGE_SIZE || (size & (size - 1)))
		return -EINVAL;
	uint64_t byte;
	if (__builtin_mul_overflow(block, (uint64_t)size, &byte) || byte >= bdev_size(bdev) ||
	    size > bdev_size(bdev) - byte)
		return -EINVAL;
	*idx = byte >> PAGE_SHIFT;
	*off = (uint32_t)(byte & (PAGE_SIZE - 1));
	return 0;
}

static int buf_get(struct block_device *bdev, uint64_t block, uint32_t size, bool fill,
		   struct buf *out)
{
	uint64_t idx;
	uint32_t off;
	int err = buf_locate(bdev, block, size, &idx, &off);
	if (err)
		return err;
	err = page_cache_get(bdev->cache, idx, fill, &out->page);
	if (err)
		return err;
	out->bdev = bdev;
	out->off = off;
	out->size = size;
	out->block = block;
	return 0;
}

int bread(struct block_device *bdev, uint64_t block, uint32_t size, struct buf *out)
{
	return buf_get(bdev, block, size, true, out);
}

int bget_new(struct block_device *bdev, uint64_t block, uint32_t size, struct buf *out)
{
	/* Other blocks share the page when it holds several: then it must be read. */
	int err = buf_get(bdev, block, size, size < PAGE_SIZE, out);
	if (!err)
		err = buf_zero(out, 0, size);
	return err;
}

void brelse(struct buf *b)
{
	if (b->page)
		page_put(b->page);
	b->page = NULL;
}

int buf_read(const struct buf *b, uint32_t off, void *dst, uint32_t len)
{
	if (off > b->size || len > b->size - off)
		return -EINVAL;
	return page_read(b->page, b->off + off, dst, len);
}

int buf_write(struct buf *b, uint32_t off, const void *src, uint32_t len)
{
	if (off > b->size || len > b->size - off)
		return -EINVAL;
	int err = page_write(b->page, b->off + off, src, len);
	if (!err)
		page_cache_mark_dirty(b->bdev->cache, (b->block * b->size) >> PAGE_SHIFT,
				      b->off + off, len);
	return err;
}

int buf_zero(struct buf *b, uint32_t off, uint32_t len)
{
	if (off > b->size || len > b->size - off)
		return -EINVAL;
	int err = page_zero(b->page, b->off + off, len);
	if (!err)
		page_cache_mark_dirty(b->bdev->cache, (b->block * b->size) >> PAGE_SHIFT,
				      b->off + off, len);
	return err;
}

void bdev_forget_block(struct block_device *bdev, uint64_t block, uint32_t size)
{
	uint64_t idx;
	uint32_t off;
	if (buf_locate(bdev, block, size, &idx, &off) == 0)
		page_cache_clean_range(bdev->cache, idx, off, size);
}

int bdev_rw_direct(struct block_device *bdev, enum bio_op op, uint64_t sector, void *buf,
		   size_t len)
{
	if (len % SECTOR_SIZE)
		return -EINVAL;
	struct page *pg = page_alloc(0, 0);
	if (!pg)
		return -ENOMEM;
	uint8_t *p = buf;
	int err = 0;
	while (len && !err) {
		size_t n = MIN(len, PAGE_SIZE);
		if (op == BIO_WRITE)
			page_write(pg, 0, p, n);
		struct bio *bio = bio_alloc(1);
		if (!bio) {
			err = -ENOMEM;
			break;
		}
		bio->op = op;
		bio->sector = sector;
		(void)bio_add_page(bio, pg, 0, (uint32_t)n);
		err = bio_submit_wait(bdev, bio);
		bio_free(bio);
		if (!err && op == BIO_READ)
			page_read(pg, 0, p, n);
		p += n;
		len -= n;
		sector += n / SECTOR_SIZE;
	}
	page_put(pg);
	return err;
}
