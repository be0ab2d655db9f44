/* splice, tee, vmsplice and copy_file_range: Linux's descriptor, mode and offset checks over kernel/fs/splice.c. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/vm_io.h>
#include <abi/fcntl.h>
#include <kernel/pipe.h>
#include <kernel/splice.h>
#include "sys_fs.h"
#include "rw_engine.h"

#define SPLICE_F_ALL (SPLICE_F_MOVE | SPLICE_F_NONBLOCK | SPLICE_F_MORE | SPLICE_F_GIFT)
/* Linux's MAX_RW_COUNT. */
#define SPLICE_MAX_COUNT 0x7ffff000u

static bool readable(const struct file *f)
{
	uint32_t acc = f->flags & O_ACCMODE;
	return !(f->flags & O_PATH) && (acc == O_RDONLY || acc == O_RDWR);
}

static bool writable(const struct file *f)
{
	uint32_t acc = f->flags & O_ACCMODE;
	return !(f->flags & O_PATH) && (acc == O_WRONLY || acc == O_RDWR);
}

static int get_off(int64_t __user *uoff, int64_t *out)
{
	uint64_t v;
	if (get_user_u64(&v, uoff))
		return -EFAULT;
	*out = (int64_t)v;
	return 0;
}

static int64_t do_splice(struct file *in, int64_t __user *uoff_in, struct file *out, int64_t __user *uoff_out,
			 size_t len, unsigned flags)
{
	bool ipipe = file_is_pipe(in), opipe = file_is_pipe(out);
	if ((ipipe && uoff_in) || (opipe && uoff_out))
		return -ESPIPE;
	int64_t off_in = 0, off_out = 0;
	if (uoff_in && get_off(uoff_in, &off_in))
		return -EFAULT;
	if (uoff_out && get_off(uoff_out, &off_out))
		return -EFAULT;
	if (!readable(in) || !writable(out))
		return -EBADF;
	bool nonblock = flags & SPLICE_F_NONBLOCK;
	ssize_t n;
	if (ipipe && opipe) {
		if (in->private_data == out->private_data)
			return -EINVAL;
		return splice_pipe_to_pipe(in, out, len, nonblock);
	}
	if (ipipe) {
		if (uoff_out && !out->ops->positional)
			return -ESPIPE;
		if (out->flags & O_APPEND)
			return -EINVAL;
		if (uoff_out && off_out < 0)
			return -EINVAL;
		n = splice_pipe_to_file(in, out, uoff_out ? &off_out : NULL, len, nonblock);
		if (n > 0 && uoff_out && put_user_u64((uint64_t)off_out, uoff_out))
			return -EFAULT;
		return n;
	}
	if (opipe) {
		if (uoff_in && !in->ops->positional)
			return -ESPIPE;
		if (uoff_in && off_in < 0)
			return -EINVAL;
		n = splice_file_to_pipe(in, uoff_in ? &off_in : NULL, out, len, nonblock);
		if (n > 0 && uoff_in && put_user_u64((uint64_t)off_in, uoff_in))
			return -EFAULT;
		return n;
	}
	return -EINVAL;	/* neither end is a pipe */
}

int64_t sys_splice(int fd_in, int64_t __user *off_in, int fd_out, int64_t __user *off_out, size_t len, uint64_t flags)
{
	if (!len)
		return 0;
	if (flags & ~(uint64_t)SPLICE_F_ALL)
		return -EINVAL;
	len = MIN(len, (size_t)SPLICE_MAX_COUNT);
	struct file *in = fs_file(fd_in);
	if (!in)
		return -EBADF;
	struct file *out = fs_file(fd_out);
	int64_t ret = out ? do_splice(in, off_in, out, off_out, len, flags) : -EBADF;
	if (out)
		file_put(out);
	file_put(in);
	return ret;
}

int64_t sys_tee(int fd_in, int fd_out, size_t len, uint64_t flags)
{
	len = MIN(len, (size_t)SPLICE_MAX_COUNT);
	if (flags & ~(uint64_t)SPLICE_F_ALL)
		return -EINVAL;
	if (!len)
		return 0;
	struct file *in = fs_file(fd_in);
	if (!in)
		return -EBADF;
	struct file *out = fs_file(fd_out);
	int64_t ret;
	if (!out)
		ret = -EBADF;
	else if (!readable(in) || !writable(out))
		ret = -EBADF;
	else if (!file_is_pipe(in) || !file_is_pipe(out) || in->private_data == out->private_data)
		ret = -EINVAL;
	else
		ret = splice_tee(in, out, len, flags & SPLICE_F_NONBLOCK);
	if (out)
		file_put(out);
	file_put(in);
	return ret;
}

/* Limit: SPLICE_F_NONBLOCK is not honoured (the pipe's own O_NONBLOCK is). */
int64_t sys_vmsplice(int fd, const struct iovec __user *iov, uint64_t nr_segs, uint64_t flags)
{
	if (flags & ~(uint64_t)SPLICE_F_ALL)
		return -EINVAL;
	struct file *f = fs_file(fd);
	if (!f)
		return -EBADF;
	int64_t ret;
	bool to_pipe = writable(f);
	struct fs_iov *v = NULL;
	if (!to_pipe && !readable(f))
		ret = -EBADF;
	else if ((ret = fs_copy_iov(iov, nr_segs, &v)) != 0)
		;
	else if (!file_is_pipe(f))
		ret = -EBADF;
	else
		ret = fs_do_io(f, v, (size_t)nr_segs, to_pipe, -1);
	kfree(v);
	file_put(f);
	return ret;
}

static int64_t do_copy_range(struct file *in, int64_t __user *uoff_in, struct file *out,
			     int64_t __user *uoff_out, size_t len, uint64_t flags)
{
	int64_t off_in = 0, off_out = 0;
	if (uoff_in && get_off(uoff_in, &off_in))
		return -EFAULT;
	if (uoff_out && get_off(uoff_out, &off_out))
		return -EFAULT;
	if (flags)
		return -EINVAL;
	struct inode *ii = in->path.inode, *oi = out->path.inode;
	if (S_ISDIR(ii->mode) || S_ISDIR(oi->mode))
		return -EISDIR;
	if (!S_ISREG(ii->mode) || !S_ISREG(oi->mode))
		return -EINVAL;
	if (!readable(in) || !writable(out) || (out->flags & O_APPEND))
		return -EBADF;
	if ((uoff_in && off_in < 0) || (uoff_out && off_out < 0))
		return -EINVAL;
	int64_t pin = uoff_in ? off_in : (int64_t)in->pos;
	int64_t pout = uoff_out ? off_out : (int64_t)out->pos;
	int64_t end;
	if (__builtin_add_overflow(pin, (int64_t)len, &end) ||
	    __builtin_add_overflow(pout, (int64_t)len, &end))
		return -EOVERFLOW;
	/* Overlapping ranges of one file are refused, as Linux. */
	if (ii == oi && pin < pout + (int64_t)len && pout < pin + (int64_t)len)
		return -EINVAL;
	if (!len)
		return 0;
	ssize_t n = splice_copy_range(in, uoff_in ? &off_in : NULL, out,
				      uoff_out ? &off_out : NULL, len);
	if (n > 0 && uoff_in && put_user_u64((uint64_t)off_in, uoff_in))
		return -EFAULT;
	if (n > 0 && uoff_out && put_user_u64((uint64_t)off_out, uoff_out))
		return -EFAULT;
	return n;
}

int64_t sys_copy_file_range(int fd_in, int64_t __user *off_in, int fd_out, int64_t __user *off_out, size_t len, uint64_t flags)
{
	len = MIN(len, (size_t)SPLICE_MAX_COUNT);
	struct file *in = fs_file(fd_in);

	if (!in)
		return -EBADF;
	struct file *out = fs_file(fd_out);
	int64_t ret = out ? do_copy_range(in, off_in, out, off_out, len, flags) : -EBADF;
	if (out)
		file_put(out);
	file_put(in);
	return ret;
}
