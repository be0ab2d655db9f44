/* Flushing and whole-file locks: sync/syncfs/fsync/fdatasync through the VFS's write-back, flock, fallocate. */
#include <frame/errno.h>
#include <abi/fcntl.h>
#include <kernel/page_cache.h>
#include "locks.h"
#include "sys_fs.h"

/* sync(2) returns nothing: write-back errors stay with the files for their fsync. */
int64_t sys_sync(void)
{
	(void)vfs_sync_all();
	return 0;
}

int64_t sys_syncfs(int fd)
{
	struct file *f = fs_file(fd);
	if (!f)
		return -EBADF;
	int64_t ret = (f->flags & O_PATH) ? -EBADF : 0;
	if (!ret) {
		/* Linux's sync_filesystem: the file system's data pages, then its metadata. */
		ret = page_cache_sync_all();
		int err = vfs_syncfs(f->path.inode->sb);
		if (!ret)
			ret = err;
	}
	file_put(f);
	return ret;
}

static int64_t fsync_fd(int fd, bool datasync)
{
	struct file *f = fs_file(fd);
	if (!f)
		return -EBADF;
	int64_t ret = (f->flags & O_PATH) ? -EBADF : vfs_fsync(f, datasync);
	file_put(f);
	return ret;
}

int64_t sys_fsync(int fd)
{
	return fsync_fd(fd, false);
}

int64_t sys_fdatasync(int fd)
{
	return fsync_fd(fd, true);
}

int64_t sys_flock(int fd, uint32_t op)
{
	struct file *f = fs_file(fd);
	if (!f)
		return -EBADF;
	int64_t ret = (f->flags & O_PATH) ? -EBADF : fs_flock(f, op);
	file_put(f);
	return ret;
}

/*
 * fallocate: tmpfs files read zeros in holes and allocate pages on write,
 * so reserving is only growing the size (mode 0); KEEP_SIZE has nothing to
 * do. Other modes (punching, zeroing, collapsing) are not offered yet.
 */
int64_t sys_fallocate(int fd, uint32_t mode, int64_t offset, int64_t len)
{
	int64_t off = offset;
	if (off < 0 || len <= 0)
		return -EINVAL;
	struct file *f = fs_file(fd);
	if (!f)
		return -EBADF;
	int64_t ret = 0, end;
	uint32_t acc = f->flags & O_ACCMODE;
	uint32_t type = f->path.inode->mode & S_IFMT;
	if ((f->flags & O_PATH) || (acc != O_WRONLY && acc != O_RDWR))
		ret = -EBADF;
	else if (mode & ~(uint32_t)FALLOC_FL_KEEP_SIZE)
		ret = -EOPNOTSUPP;
	else if (type == S_IFIFO)
		ret = -ESPIPE;
	else if (type == S_IFDIR)
		ret = -EISDIR;
	else if (type != S_IFREG)
		ret = -ENODEV;
	else if (f->path.inode->cache)
		ret = -EOPNOTSUPP;	/* a disk file system's file (ext2): no blocks reserved ahead, as Linux's ext2 */
	else if (__builtin_add_overflow(off, len, &end))
		ret = -EFBIG;
	else if (!(mode & FALLOC_FL_KEEP_SIZE)) {
		struct inode *inode = f->path.inode;
		mutex_lock(&inode->data_lock);
		bool grow = (uint64_t)end > inode->size;
		mutex_unlock(&inode->data_lock);
		/* Limit: a write that extends the file between this check and the truncate is cut back to @end. */
		if (grow)
			ret = vfs_truncate(fs_ctx()->cred, inode, end, false);
	}
	file_put(f);
	return ret;
}
