/* open/openat/creat/close/close_range: turning names into descriptors and back. */
#include <frame/errno.h>
#include <abi/fcntl.h>
#include <kernel/proc.h>
#include "locks.h"
#include "sys_fs.h"

#define CLOSE_RANGE_UNSHARE 2u
#define CLOSE_RANGE_CLOEXEC 4u

static int64_t do_open(int dirfd, const char __user *upath, uint32_t flags, uint32_t mode)
{
	fs_syscalls_init();
	/* An unnamed file must be writable (Linux's build_open_flags). */
	if ((flags & O_TMPFILE) == O_TMPFILE && !(flags & (O_WRONLY | O_RDWR)))
		return -EINVAL;
	struct fs_at a;
	int err = fs_at_get(dirfd, upath, false, &a);
	if (err)
		return err;
	/* x86_64 opens everything large-file (force_o_largefile()). */
	flags |= O_LARGEFILE;
	struct file *f;
	err = vfs_open(fs_ctx(), a.at, a.name, flags, mode, &f);
	fs_at_put(&a);
	if (err)
		return err;
	int fd = fs_install(f, flags & O_CLOEXEC);
	file_put(f);
	return fd;
}

int64_t sys_open(const char __user *path, uint32_t flags, uint32_t mode)
{
	return do_open(AT_FDCWD, path, flags, mode);
}

int64_t sys_openat(int dirfd, const char __user *path, uint32_t flags, uint32_t mode)
{
	return do_open(dirfd, path, flags, mode);
}

int64_t sys_creat(const char __user *path, uint32_t mode)
{
	return do_open(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

int64_t sys_close(int fd)
{
	struct file *f = fs_file(fd);
	int err = fd_close(fs_fds(), fd);
	if (f) {
		/* POSIX drops a process's record locks at any close of the file; flock at the last. */
		if (!err)
			fs_locks_close(f, process_current()->pid,
				       __atomic_load_n(&f->refcount, __ATOMIC_ACQUIRE) == 1);
		file_put(f);
	}
	return err;
}

int64_t sys_close_range(uint32_t first, uint32_t last, uint32_t flags)
{
	if ((flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC)) || first > last)
		return -EINVAL;
	struct fdtable *t = fs_fds();
	/* Slots past the table's size hold nothing; the size only grows while we run. */
	for (uint64_t fd = first; fd <= last && fd < __atomic_load_n(&t->size, __ATOMIC_ACQUIRE);
	     fd++) {
		if (flags & CLOSE_RANGE_CLOEXEC)
			fd_set_cloexec(t, (int)fd, true);
		else
			fd_close(t, (int)fd);
	}
	return 0;
}
