/*
 * Block device nodes as files (Linux's block/fops.c): read and write
 * through the device's page cache (O_DIRECT straight to the disk, aligned
 * to the logical block size), llseek within the device, fsync, and the
 * BLK* ioctls.
 */
#include <abi/fcntl.h>
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/string.h>
#include <frame/vm_io.h>
#include <kernel/block.h>
#include <kernel/file.h>
#include <kernel/page_cache.h>

/* <linux/fs.h> ioctl numbers. */
#define BLKROSET 0x125d
#define BLKROGET 0x125e
#define BLKRRPART 0x125f
#define BLKGETSIZE 0x1260
#define BLKFLSBUF 0x1261
#define BLKSSZGET 0x1268
#define BLKBSZGET 0x80081270u
#define BLKGETSIZE64 0x80081272u
#define BLKIOMIN 0x1278
#define BLKIOOPT 0x1279
#define BLKALIGNOFF 0x127a
#define BLKPBSZGET 0x127b

static struct block_device *bdev_of(struct file *f)
{
	return f->private_data;
}

static ssize_t direct_io(struct block_device *bdev, enum bio_op op, void *buf, size_t len,
			 uint64_t pos)
{
	uint32_t lbs = bdev->disk->logical_block_size;
	if (pos % lbs || len % lbs)
		return -EINVAL;
	uint64_t size = bdev_size(bdev);
	if (pos >= size)
		return op == BIO_READ ? 0 : -ENOSPC;
	len = (size_t)MIN((uint64_t)len, size - pos);
	/* The cache must not hold older data than the disk after this (Linux writes back, then invalidates). */
	uint64_t first = pos >> PAGE_SHIFT, last = (pos + len - 1) >> PAGE_SHIFT;
	int err = page_cache_sync_range(bdev->cache, first, last);
	if (err)
		return err;
	err = bdev_rw_direct(bdev, op, pos / SECTOR_SIZE, buf, len);
	if (op == BIO_WRITE)
		page_cache_invalidate(bdev->cache, first, last);
	return err ? err : (ssize_t)len;
}

static ssize_t blkdev_read(struct file *f, void *buf, size_t len, uint64_t *pos)
{
	struct block_device *bdev = bdev_of(f);
	ssize_t n;
	if (f->flags & O_DIRECT)
		n = direct_io(bdev, BIO_READ, buf, len, *pos);
	else
		n = page_cache_read(bdev->cache, *pos, buf, len, bdev_size(bdev));
	if (n > 0)
		*pos += (uint64_t)n;
	return n;
}

static ssize_t blkdev_write(struct file *f, const void *buf, size_t len, uint64_t *pos)
{
	struct block_device *bdev = bdev_of(f);
	uint64_t size = bdev_size(bdev);
	/* Linux's blkdev_write_iter: EPERM on a read-only disk, ENOSPC at the end. */
	if (bdev_read_only(bdev))
		return -EPERM;
	if (len == 0)
		return 0;
	if (*pos >= size)
		return -ENOSPC;
	len = (size_t)MIN((uint64_t)len, size - *pos);
	ssize_t n;
	if (f->flags & O_DIRECT) {
		/* The buffer is a kernel copy the rw engine made: writing from it is fine. */
		void *tmp = kmalloc(len);
		if (!tmp)
			return -ENOMEM;
		memcpy(tmp, buf, len);
		n = direct_io(bdev, BIO_WRITE, tmp, len, *pos);
		kfree(tmp);
	} else {
		n = page_cache_write(bdev->cache, *pos, buf, len, size);
		if (n > 0 && (f->flags & (O_SYNC | O_DSYNC))) {
			int err = page_cache_sync_range(bdev->cache, *pos >> PAGE_SHIFT,
							(*pos + (uint64_t)n - 1) >> PAGE_SHIFT);
			err = err ?: bdev_flush_disk(bdev);
			if (err)
				n = err;
		}
	}
	if (n > 0)
		*pos += (uint64_t)n;
	return n;
}

/* Linux's fixed_size_llseek: offsets between 0 and the device's size. */
static int64_t blkdev_llseek(struct file *f, int64_t off, int whence)
{
	int64_t size = (int64_t)bdev_size(bdev_of(f)), base;
	switch (whence) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = (int64_t)f->pos; break;
	case SEEK_END: base = size; break;
	case SEEK_DATA: return off < 0 || off >= size ? -ENXIO : off;
	case SEEK_HOLE: return off < 0 || off >= size ? -ENXIO : size;
	default: return -EINVAL;
	}
	int64_t r;
	if (__builtin_add_overflow(base, off, &r) || r < 0 || r > size)
		return -EINVAL;
	return r;
}

static long blkdev_ioctl(struct file *f, unsigned cmd, unsigned long arg)
{
	struct block_device *bdev = bdev_of(f);
	void __user *up = user_ptr(arg);
	switch (cmd) {
	case BLKGETSIZE64:
		return put_user_u64(bdev_size(bdev), up);
	case BLKGETSIZE:
		return put_user_u64(bdev->nr_sectors, up);
	case BLKSSZGET:
	case BLKPBSZGET:
	case BLKIOMIN:
		return put_user_u32(bdev->disk->logical_block_size, up);
	case BLKIOOPT:
	case BLKALIGNOFF:
		return put_user_u32(0, up);
	case BLKBSZGET:
		/* The soft block size Linux starts a device with: the page size, if the device divides into it. */
		return put_user_u32(bdev_size(bdev) % PAGE_SIZE ? bdev->disk->logical_block_size
							 : PAGE_SIZE, up);
	case BLKROGET:
		return put_user_u32(bdev_read_only(bdev), up);
	case BLKFLSBUF:
		return bdev_flush_buffers(bdev);
	case BLKRRPART:
		return bdev->partno ? -EINVAL : -EBUSY;
	case BLKROSET:
		return -EACCES;
	default:
		return -ENOTTY;
	}
}

static int blkdev_fsync(struct file *f, bool datasync)
{
	(void)datasync;
	return bdev_sync(bdev_of(f));
}

static void blkdev_release(struct file *f)
{
	struct block_device *bdev = bdev_of(f);
	/* Linux writes a device's dirty pages back when its last opener closes it. */
	if (__atomic_sub_fetch(&bdev->openers, 1, __ATOMIC_ACQ_REL) == 0 && !bdev->mounted)
		(void)bdev_sync(bdev);
}

static const struct file_ops blkdev_fops = {
	.read = blkdev_read,
	.write = blkdev_write,
	.llseek = blkdev_llseek,
	.release = blkdev_release,
	.positional = true,
	.ioctl = blkdev_ioctl,
	.fsync = blkdev_fsync,
};

int blkdev_open(struct file *f)
{
	struct inode *inode = f->path.inode;
	if (!S_ISBLK(inode->mode))
		return -ENXIO;
	struct block_device *bdev = bdev_lookup(inode->rdev);
	if (!bdev)
		return -ENXIO;
	/* A mounted device refuses exclusive opens, as Linux's bdev claiming does. */
	if ((f->flags & O_EXCL) && bdev->mounted)
		return -EBUSY;
	__atomic_add_fetch(&bdev->openers, 1, __ATOMIC_ACQ_REL);
	f->private_data = bdev;
	f->ops = &blkdev_fops;
	return 0;
}
