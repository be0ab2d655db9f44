/* Descriptors: dup/dup2/dup3, fcntl, and ioctl's generic requests before the file's own. */
#include <frame/errno.h>
#include <frame/vm_io.h>
#include <abi/fcntl.h>
#include <abi/termios.h>
#include <kernel/memfd.h>
#include <kernel/pipe.h>
#include "locks.h"
#include "sys_fs.h"

#define FIOASYNC 0x5452

int64_t sys_dup(int fd)
{
	return fd_dup(fs_fds(), fd, fs_nofile());
}

int64_t sys_dup2(int oldfd, int newfd)
{
	return fd_dup2(fs_fds(), oldfd, newfd, fs_nofile());
}

int64_t sys_dup3(int oldfd, int newfd, uint32_t flags)
{
	return fd_dup3(fs_fds(), oldfd, newfd, flags, fs_nofile());
}

static int64_t fcntl_file(struct file *f, int fd, unsigned cmd, uint64_t arg)
{
	struct fdtable *t = fs_fds();
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		/* The argument is an int: negative ones are beyond any limit. */
		if ((int32_t)arg < 0)
			return -EINVAL;
		return fd_dupfd(t, fd, (uint32_t)arg, fs_nofile(), cmd == F_DUPFD_CLOEXEC);
	case F_GETFD:
		return fd_get_cloexec(t, fd);
	case F_SETFD:
		return fd_set_cloexec(t, fd, arg & FD_CLOEXEC);
	case F_GETFL:
		return f->flags;
	case F_SETFL:
		file_set_status_flags(f, (uint32_t)arg);
		return 0;
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_GETLK:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
		return fs_fcntl_lock(f, cmd, arg);
	case F_GETPIPE_SZ:
		return pipe_get_size(f);
	case F_SETPIPE_SZ:
		return pipe_set_size(f, (uint32_t)arg);
	case F_GETOWN:
	case F_GETSIG:
		return 0;	/* no SIGIO owner is ever set (limit: F_SETOWN is accepted and dropped) */
	case F_SETOWN:
	case F_SETSIG:
		return 0;
	case F_ADD_SEALS:	/* tmpfs files take seals (kernel/fs/memfd.c); others -EINVAL */
		return memfd_add_seals(f, (uint32_t)arg);
	case F_GET_SEALS:
		return memfd_get_seals(f);
	default:
		return -EINVAL;
	}
}

int64_t sys_fcntl(int fd, uint32_t cmd, uint64_t arg)
{
	struct file *f = fs_file(fd);
	if (!f)
		return -EBADF;
	int64_t ret;
	/* O_PATH descriptors answer only the descriptor-level commands. */
	if ((f->flags & O_PATH) && cmd != F_DUPFD && cmd != F_DUPFD_CLOEXEC && cmd != F_GETFD &&
	    cmd != F_SETFD && cmd != F_GETFL)
		ret = -EBADF;
	else
		ret = fcntl_file(f, fd, cmd, arg);
	file_put(f);
	return ret;
}

static int64_t ioctl_file(struct file *f, int fd, unsigned cmd, uint64_t arg)
{
	switch (cmd) {
	case FIOCLEX:
		return fd_set_cloexec(fs_fds(), fd, true);
	case FIONCLEX:
		return fd_set_cloexec(fs_fds(), fd, false);
	case FIONBIO:
	case FIOASYNC: {
		uint32_t on;
		if (get_user_u32(&on, user_ptr(arg)))
			return -EFAULT;
		uint32_t bit = cmd == FIONBIO ? O_NONBLOCK : FASYNC;
		file_set_status_flags(f, on ? f->flags | bit : f->flags & ~bit);
		return 0;
	}
	case FIONREAD:
		if (S_ISREG(f->path.inode->mode)) {
			/* Bytes between the offset and the end, as Linux's file_ioctl. */
			mutex_lock(&f->path.inode->data_lock);
			uint64_t size = f->path.inode->size;
			mutex_unlock(&f->path.inode->data_lock);
			uint64_t left = size > f->pos ? size - f->pos : 0;
			return put_user_u32(left > INT32_MAX ? INT32_MAX : (uint32_t)left,
					    user_ptr(arg));
		}
		if (file_is_pipe(f))
			return put_user_u32((uint32_t)pipe_unread(f), user_ptr(arg));
		break;
	default:
		break;
	}
	if (f->ops && f->ops->ioctl)
		return f->ops->ioctl(f, cmd, arg);
	return -ENOTTY;
}

int64_t sys_ioctl(int fd, uint32_t cmd, uint64_t arg)
{
	struct file *f = fs_file(fd);
	if (!f)
		return -EBADF;
	int64_t ret = (f->flags & O_PATH) ? -EBADF : ioctl_file(f, fd, cmd, arg);
	file_put(f);
	return ret;
}
