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
