/* ext2 regular files through their page cache (pages filled and written straight between the disk and the cache), symlinks, and the inode operation tables. */
#include <frame/errno.h>
#include <frame/page.h>
#include <frame/string.h>
#include <kernel/page_cache.h>

#include "ext2.h"

static struct ext2_fs *fs_of(struct inode *inode)
{
	return ext2_fs_of(inode->sb);
}

/* Read @n blocks starting at disk block @pblock into @page at byte @off. */
static int read_run(struct ext2_fs *fs, struct page *page, uint32_t off, uint32_t pblock,
		    unsigned n)
{
	struct bio *bio = bio_alloc(1);
	if (!bio)
		return -ENOMEM;
	bio->op = BIO_READ;
	bio->sector = (uint64_t)pblock << (fs->block_log - SECTOR_SHIFT);
	(void)bio_add_page(bio, page, off, n << fs->block_log);
	int err = bio_submit_wait(fs->bdev, bio);
	bio_free(bio);
	return err;
}

/* Fill page @idx of a file: holes and bytes past the end are zeros; runs of adjacent blocks are read at once. */
static int ext2_read_page(struct page_cache *pc, uint64_t idx, struct page *page)
{
	struct inode *inode = page_cache_owner(pc);
	struct ext2_fs *fs = fs_of(inode);
	unsigned per_page = (unsigned)(PAGE_SIZE >> fs->block_log);
	uint64_t first = idx * per_page;
	uint64_t nblocks = (inode->size + fs->block_size - 1) >> fs->block_log;
	uint32_t run_start = 0;
	unsigned run_len = 0, run_at = 0;
	int err = 0;
	for (unsigned i = 0; i <= per_page && !err; i++) {
		uint32_t pblock = 0;
		if (i < per_page && first + i < nblocks)
			err = ext2_bmap(fs, ext2_i(inode), first + i, false, &pblock, NULL);
		if (err)
			break;
		if (run_len && pblock == run_start + run_len && i < per_page) {
			run_len++;
			continue;
		}
		if (run_len)
			err = read_run(fs, page, run_at << fs->block_log, run_start, run_len);
		run_len = 0;
		if (i == per_page || err)
			break;
		if (pblock) {
			run_start = pblock;
			run_len = 1;
			run_at = i;
		} else {
			page_zero(page, i << fs->block_log, fs->block_size);
		}
	}
	return err == -EFBIG ? -EIO : err;
}

/* Read-ahead's bio under construction: blocks adjacent on the disk join it. */
struct ra_bio {
	struct bio *bio;
	uint64_t next_sector;
	int err;
};

static void ra_flush(struct ext2_fs *fs, struct ra_bio *r)
{
	if (!r->bio)
		return;
	int err = bio_submit_wait(fs->bdev, r->bio);
	if (err && !r->err)
		r->err = err;
	bio_free(r->bio);
	r->bio = NULL;
}

/* Add block-sized piece @off of @page, to be read from disk sector @sector. */
static void ra_add(struct ext2_fs *fs, struct ra_bio *r, struct page *page, uint32_t off,
		   uint64_t sector)
{
	if (r->bio && (sector != r->next_sector ||
		       r->bio->nvec == fs->bdev->disk->max_segments ||
		       bio_bytes(r->bio) + fs->block_size > fs->bdev->disk->max_bytes ||
		       bio_add_page(r->bio, page, off, fs->block_size)))
		ra_flush(fs, r);
	if (!r->bio) {
		r->bio = bio_alloc(MIN(256u, fs->bdev->disk->max_segments));
		if (!r->bio) {
			r->err = -ENOMEM;
			return;
		}
		r->bio->op = BIO_READ;
		r->bio->sector = sector;
		(void)bio_add_page(r->bio, page, off, fs->block_size);
	}
	r->next_sector = sector + (fs->block_size >> SECTOR_SHIFT);
}

/* Read-ahead: pages @first.. at once, runs of adjacent blocks across pages in one request each. */
static int ext2_read_pages(struct page_cache *pc, uint64_t first, struct page **pages, unsigned n)
{
	struct inode *inode = page_cache_owner(pc);
	struct ext2_fs *fs = fs_of(inode);
	unsigned per_page = (unsigned)(PAGE_SIZE >> fs->block_log);
	uint64_t nblocks = (inode->size + fs->block_size - 1) >> fs->block_log;
	struct ra_bio r = { NULL, 0, 0 };
	for (unsigned p = 0; p < n && !r.err; p++) {
		for (unsigned b = 0; b < per_page && !r.err; b++) {
			uint64_t lb = (first + p) * per_page + b;
			uint32_t pblock = 0;
			if (lb < nblocks) {
				int err = ext2_bmap(fs, ext2_i(inode), lb, false, &pblock, NULL);
				if (err) {
					r.err = err == -EFBIG ? -EIO : err;
					break;
				}
			}
			if (pblock)
				ra_add(fs, &r, pages[p], b << fs->block_log,
				       (uint64_t)pblock << (fs->block_log - SECTOR_SHIFT));
			else
				page_zero(pages[p], b << fs->block_log, fs->block_size);
		}
	}
	ra_flush(fs, &r);
	return r.err;
}

static void write_end_io(struct bio *bio)
{
	pc_batch_done(bio->private, bio->status);
	bio_free(bio);
}

/* Submit a write of @n sectors of @page from byte @off to disk sector @sector, counted in @b. */
static int write_run(struct ext2_fs *fs, struct page *page, uint32_t off, uint64_t sector,
		     unsigned n, struct pc_batch *b)
{
	struct bio *bio = bio_alloc(1);
	if (!bio)
		return -ENOMEM;
	bio->op = BIO_WRITE;
	bio->sector = sector;
	bio->end_io = write_end_io;
	bio->private = b;
	(void)bio_add_page(bio, page, off, n * SECTOR_SIZE);
	pc_batch_add(b);
	bio_submit(fs->bdev, bio);
	return 0;
}

/*
 * Write the dirty sectors of page @idx where its blocks live; runs of
 * sectors adjacent on the disk go as one bio. Sectors of holes (blocks
 * freed by a truncate since) have nowhere to go and are dropped.
 */
static int ext2_write_page(struct page_cache *pc, uint64_t idx, struct page *page,
			   uint8_t sectors, struct pc_batch *b)
{
	struct inode *inode = page_cache_owner(pc);
	struct ext2_fs *fs = fs_of(inode);
	unsigned per_block = fs->block_size / SECTOR_SIZE;
	unsigned per_page = (unsigned)(PAGE_SIZE >> fs->block_log);
	uint64_t run_sector = 0;
	unsigned run_len = 0, run_at = 0;
	int err = 0;
	for (unsigned blk = 0; blk < per_page && !err; blk++) {
		unsigned mask = ((1u << per_block) - 1) << (blk * per_block);
		uint32_t pblock = 0;
		if (sectors & mask) {
			err = ext2_bmap(fs, ext2_i(inode), idx * per_page + blk, false, &pblock, NULL);
			if (err)
				break;
		}
		for (unsigned s = 0; s < per_block; s++) {
			unsigned bit = blk * per_block + s;
			bool dirty = pblock && (sectors >> bit & 1);
			uint64_t sector = ((uint64_t)pblock << (fs->block_log - SECTOR_SHIFT)) + s;
			if (dirty && run_len && sector == run_sector + run_len) {
				run_len++;
				continue;
			}
			if (run_len && (err = write_run(fs, page, run_at * SECTOR_SIZE, run_sector,
							run_len, b)))
				break;
			run_len = 0;
			if (dirty) {
				run_sector = sector;
				run_len = 1;
				run_at = bit;
			}
		}
	}
	if (!err && run_len)
		err = write_run(fs, page, run_at * SECTOR_SIZE, run_sector, run_len, b);
	return err == -EFBIG ? -EIO : err;
}

static void ext2_begin_writeback(struct page_cache *pc)
{
	blk_plug(fs_of(page_cache_owner(pc))->bdev);
}

static void ext2_end_writeback(struct page_cache *pc)
{
	blk_unplug(fs_of(page_cache_owner(pc))->bdev);
}

static const struct page_cache_ops ext2_cache_ops = {
	.read_page = ext2_read_page,
	.read_pages = ext2_read_pages,
	.write_page = ext2_write_page,
	.begin_writeback = ext2_begin_writeback,
	.end_writeback = ext2_end_writeback,
};

int ext2_file_init(struct inode *inode)
{
	inode->cache = page_cache_create(&ext2_cache_ops, PC_FILE, inode);
	return inode->cache ? 0 : -ENOMEM;
}

int ext2_sync_files(struct ext2_fs *fs)
{
	int first = 0;
	/* Inodes stay cached until unmount, so walking the cache without its lock is safe between buckets. */
	for (unsigned i = 0; i < EXT2_ICACHE_BUCKETS; i++) {
		mutex_lock(&fs->meta);
		struct ext2_inode_info *list[64];
		unsigned n = 0;
		bool more = false;
		for (struct ext2_inode_info *ei = fs->icache[i]; ei; ei = ei->hash_next)
			if (ei->vfs.cache && page_cache_dirty_pages(ei->vfs.cache)) {
				if (n == 64) {
					more = true;
					break;
				}
				inode_get(&ei->vfs);
				list[n++] = ei;
			}
		mutex_unlock(&fs->meta);
		for (unsigned k = 0; k < n; k++) {
			int err = page_cache_sync(list[k]->vfs.cache);
			if (err && !first)
				first = err;
			inode_put(&list[k]->vfs);
		}
		/* A crowded bucket: the synced ones are clean now, so the next pass finds the rest. */
		if (more && !first)
			i--;
	}
	return first;
}

static ssize_t ext2_file_read(struct inode *inode, uint64_t off, void *buf, size_t len)
{
	return page_cache_read(inode->cache, off, buf, len, inode->size);
}

/* Bring page @idx into the cache before its blocks are allocated, so a fresh block's unwritten part reads as zeros. */
static struct page *hold_page(struct inode *inode, uint64_t idx)
{
	struct page *pg = NULL;
	if (page_cache_get(inode->cache, idx, true, &pg))
		return NULL;
	return pg;
}

static ssize_t ext2_file_write(struct inode *inode, uint64_t off, const void *buf, size_t len)
{
	struct ext2_fs *fs = fs_of(inode);
	struct ext2_inode_info *ei = ext2_i(inode);
	if (fs->read_only)
		return -EROFS;
	uint64_t end = off + len;
	struct page *first = NULL, *last = NULL;
	uint64_t fp = off >> PAGE_SHIFT, lp = end >> PAGE_SHIFT;
	if (off & (PAGE_SIZE - 1))
		first = hold_page(inode, fp);
	if ((end & (PAGE_SIZE - 1)) && !(first && lp == fp))
		last = hold_page(inode, lp);
	/* Every block the write touches gets its disk block now: ENOSPC shows here, not at write-back. */
	uint64_t done_end = off;
	int err = 0;
	for (uint64_t lb = off >> fs->block_log; (lb << fs->block_log) < end; lb++) {
		uint32_t pblock;
		err = ext2_bmap(fs, ei, lb, true, &pblock, NULL);
		if (err)
			break;
		done_end = MIN(end, (lb + 1) << fs->block_log);
	}
	ssize_t n = 0;
	if (done_end > off) {
		n = page_cache_write(inode->cache, off, buf, (size_t)(done_end - off), inode->size);
		if (n > 0 && off + (uint64_t)n > inode->size) {
			inode->size = off + (uint64_t)n;
			if (inode->size > 0x7fffffffull &&
			    !(fs->s.s_feature_ro_compat & EXT2_FEATURE_RO_COMPAT_LARGE_FILE)) {
				fs->s.s_feature_ro_compat |= EXT2_FEATURE_RO_COMPAT_LARGE_FILE;
				fs->large_file = true;
			}
			(void)ext2_write_inode(fs, ei);
		}
	}
	if (first)
		page_put(first);
	if (last)
		page_put(last);
	if (n == 0 && err)
		return err == -EFBIG ? -EFBIG : err;
	return n;
}

static int ext2_file_truncate(struct inode *inode, uint64_t size)
{
	struct ext2_fs *fs = fs_of(inode);
	struct ext2_inode_info *ei = ext2_i(inode);
	if (fs->read_only)
		return -EROFS;
	if (size < inode->size) {
		/* The tail of the last page must reach the disk as zeros: have it cached for the cache to zero. */
		struct page *tail = (size & (PAGE_SIZE - 1)) ? hold_page(inode, size >> PAGE_SHIFT) : NULL;
		page_cache_truncate(inode->cache, size);
		if (tail)
			page_put(tail);
		int err = ext2_free_blocks_from(fs, ei, (size + fs->block_size - 1) >> fs->block_log);
		inode->size = size;
		int werr = ext2_write_inode(fs, ei);
		return err ? err : werr;
	}
	inode->size = size;
	if (size > 0x7fffffffull && !(fs->s.s_feature_ro_compat & EXT2_FEATURE_RO_COMPAT_LARGE_FILE)) {
		fs->s.s_feature_ro_compat |= EXT2_FEATURE_RO_COMPAT_LARGE_FILE;
		fs->large_file = true;
	}
	return ext2_write_inode(fs, ei);
}

static int ext2_fsync(struct inode *inode, bool datasync)
{
	struct ext2_fs *fs = fs_of(inode);
	if (fs->read_only)
		return 0;
	int err = inode->cache ? page_cache_sync(inode->cache) : 0;
	/* The block map and the size live in metadata blocks: those go too (fdatasync needs them to find the data). */
	(void)datasync;
	int err2 = ext2_write_inode(fs, ext2_i(inode));
	int err3 = bdev_sync(fs->bdev);
	return err ? err : err2 ? err2 : err3;
}

static ssize_t ext2_readlink(struct inode *inode, char *buf, size_t len)
{
	struct ext2_fs *fs = fs_of(inode);
	struct ext2_inode_info *ei = ext2_i(inode);
	size_t size = (size_t)inode->size;
	size_t n = MIN(len, size);
	if (ei->fast_symlink) {
		memcpy(buf, ei->i_block, n);
		return (ssize_t)size;
	}
	uint32_t pblock;
	int err = ext2_bmap(fs, ei, 0, false, &pblock, NULL);
	if (err)
		return err == -EFBIG ? -EIO : err;
	if (!pblock) {
		ext2_warn(fs, "symlink without a block: inode", inode->ino);
		return -EUCLEAN;
	}
	struct buf b;
	if (bread(fs->bdev, pblock, fs->block_size, &b))
		return -EIO;
	err = buf_read(&b, 0, buf, (uint32_t)n);
	brelse(&b);
	return err ? -EIO : (ssize_t)size;
}

const struct inode_ops ext2_file_ops = {
	.read = ext2_file_read,
	.write = ext2_file_write,
	.truncate = ext2_file_truncate,
	.fsync = ext2_fsync,
};

const struct inode_ops ext2_dir_ops = {
	.lookup = ext2_lookup,
	.create = ext2_create,
	.link = ext2_link,
	.unlink = ext2_unlink,
	.rename = ext2_rename,
	.iterate = ext2_iterate,
	.tmpfile = ext2_tmpfile,
	.fsync = ext2_fsync,
};

const struct inode_ops ext2_symlink_ops = {
	.readlink = ext2_readlink,
	.fsync = ext2_fsync,
};

const struct inode_ops ext2_special_ops = {
	.readlink = NULL,
};
