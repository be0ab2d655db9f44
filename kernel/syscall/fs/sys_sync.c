/* Flushing and whole-file locks: sync/syncfs/fsync/fdatasync (memory file systems: nothing to write back), flock, fallocate. */
#include <frame/errno.h>
#include <abi/fcntl.h>
#include "fs_lock.h"
#include "fs_user.h"

int64_t sys_sync(const struct syscall_args *a)
{
	(void)a;
	return 0;
}

/* Every file system Cadre has lives in memory: after the descriptor checks there is nothing to do. */
static int64_t sync_fd(int fd)
{
	struct file *f = fs_file(fd);
	if (!f)
		return -EBADF;
	int64_t ret = (f->flags & O_PATH) ? -EBADF : 0;
	file_put(f);
	return ret;
}

int64_t sys_syncfs(const struct syscall_args *a)
{
	return sync_fd((int)a->a[0]);
}

int64_t sys_fsync(const struct syscall_args *a)
{
	int64_t ret = sync_fd((int)a->a[0]);
	if (ret)
		return ret;
	/* Linux's fsync on a pipe or socket has no fsync op: EINVAL. */
	struct file *f = fs_file((int)a->a[0]);
	if (!f)
		return -EBADF;
	uint32_t type = f->path.inode->mode & S_IFMT;
	ret = (type == S_IFIFO || type == S_IFSOCK) ? -EINVAL : 0;
	file_put(f);
	return ret;
}

int64_t sys_fdatasync(const struct syscall_args *a)
{
	return sys_fsync(a);
}

int64_t sys_flock(const struct syscall_args *a)
{
	struct file *f = fs_file((int)a->a[0]);
	if (!f)
		return -EBADF;
	int64_t ret = (f->flags & O_PATH) ? -EBADF : fs_flock(f, (unsigned)a->a[1]);
	file_put(f);
	return ret;
}

/*
 * fallocate: tmpfs files read zeros in holes and allocate pages on write,
 * so reserving is only growing the size (mode 0); KEEP_SIZE has nothing to
 * do. Other modes (punching, zeroing, collapsing) are not offered yet.
 */
int64_t sys_fallocate(const struct syscall_args *a)
{
	uint32_t mode = (uint32_t)a->a[1];
	int64_t off = (int64_t)a->a[2], len = (int64_t)a->a[3];
	if (off < 0 || len <= 0)
		return -EINVAL;
	struct file *f = fs_file((int)a->a[0]);
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
