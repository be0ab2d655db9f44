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

static const struct page_cache_ops ext2_cache_ops = {
	.read_page = ext2_read_page,
};

int ext2_file_init(struct inode *inode)
{
	inode->cache = page_cache_create(&ext2_cache_ops, PC_FILE, inode);
	return inode->cache ? 0 : -ENOMEM;
}

static ssize_t ext2_file_read(struct inode *inode, uint64_t off, void *buf, size_t len)
{
	return page_cache_read(inode->cache, off, buf, len, inode->size);
}

static ssize_t ext2_file_write(struct inode *inode, uint64_t off, const void *buf, size_t len)
{
	(void)inode, (void)off, (void)buf, (void)len;
	return -EROFS;
}

static int ext2_file_truncate(struct inode *inode, uint64_t size)
{
	(void)inode, (void)size;
	return -EROFS;
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

static int ext2_create(struct inode *dir, const char *name, size_t len, uint32_t mode,
		       uint32_t uid, uint32_t gid, uint64_t rdev, const char *target,
		       struct inode **out)
{
	(void)dir, (void)name, (void)len, (void)mode, (void)uid, (void)gid, (void)rdev, (void)target,
		(void)out;
	return -EROFS;
}

static int ext2_link(struct inode *dir, const char *name, size_t len, struct inode *inode)
{
	(void)dir, (void)name, (void)len, (void)inode;
	return -EROFS;
}

static int ext2_unlink(struct inode *dir, const char *name, size_t len, struct inode *inode)
{
	(void)dir, (void)name, (void)len, (void)inode;
	return -EROFS;
}

static int ext2_rename(struct inode *odir, const char *oname, size_t olen, struct inode *ndir,
		       const char *nname, size_t nlen, bool exchange)
{
	(void)odir, (void)oname, (void)olen, (void)ndir, (void)nname, (void)nlen, (void)exchange;
	return -EROFS;
}

const struct inode_ops ext2_file_ops = {
	.read = ext2_file_read,
	.write = ext2_file_write,
	.truncate = ext2_file_truncate,
};

const struct inode_ops ext2_dir_ops = {
	.lookup = ext2_lookup,
	.create = ext2_create,
	.link = ext2_link,
	.unlink = ext2_unlink,
	.rename = ext2_rename,
	.iterate = ext2_iterate,
};

const struct inode_ops ext2_symlink_ops = {
	.readlink = ext2_readlink,
};

const struct inode_ops ext2_special_ops = {
	.readlink = NULL,
};
