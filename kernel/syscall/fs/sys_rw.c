/* read/write and their vector and positional forms, lseek and sendfile. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/vm_io.h>
#include <abi/fcntl.h>
#include "fs_user.h"
#include "rw_internal.h"

static int64_t rw_one(int fd, uint64_t ubuf, uint64_t len, bool write, int64_t off, bool positional)
{
	struct file *f = fs_file(fd);
	if (!f)
		return -EBADF;
	int64_t ret;
	if (positional && off < 0)
		ret = -EINVAL;
	else if ((int64_t)len < 0)
		ret = -EINVAL;
	else if (!fs_may_rw(f, write))
		ret = -EBADF;
	else if (len && !user_range_ok(ubuf, len))
		ret = -EFAULT;
	else {
		struct fs_iov v = { ubuf, len };
		ret = fs_do_io(f, &v, 1, write, positional ? off : -1);
	}
	file_put(f);
	return ret;
}

int64_t sys_read(const struct syscall_args *a)
{
	return rw_one((int)a->a[0], a->a[1], a->a[2], false, -1, false);
}

int64_t sys_write(const struct syscall_args *a)
{
	return rw_one((int)a->a[0], a->a[1], a->a[2], true, -1, false);
}

int64_t sys_pread64(const struct syscall_args *a)
{
	return rw_one((int)a->a[0], a->a[1], a->a[2], false, (int64_t)a->a[3], true);
}

int64_t sys_pwrite64(const struct syscall_args *a)
{
	return rw_one((int)a->a[0], a->a[1], a->a[2], true, (int64_t)a->a[3], true);
}

static int64_t rw_vec(int fd, uint64_t uiov, uint64_t cnt, bool write, int64_t off, bool positional)
{
	struct file *f = fs_file(fd);
	if (!f)
		return -EBADF;
	int64_t ret;
	struct fs_iov *v = NULL;
	if (positional && off < 0)
		ret = -EINVAL;
	else if ((ret = fs_copy_iov(uiov, cnt, &v)) == 0)
		ret = fs_do_io(f, v, (size_t)cnt, write, positional ? off : -1);
	kfree(v);
	file_put(f);
	return ret;
}

int64_t sys_readv(const struct syscall_args *a)
{
	return rw_vec((int)a->a[0], a->a[1], a->a[2], false, -1, false);
}

int64_t sys_writev(const struct syscall_args *a)
{
	return rw_vec((int)a->a[0], a->a[1], a->a[2], true, -1, false);
}

/* x86_64 passes the offset whole in pos_l; pos_h is ignored. */
int64_t sys_preadv(const struct syscall_args *a)
{
	return rw_vec((int)a->a[0], a->a[1], a->a[2], false, (int64_t)a->a[3], true);
}

int64_t sys_pwritev(const struct syscall_args *a)
{
	return rw_vec((int)a->a[0], a->a[1], a->a[2], true, (int64_t)a->a[3], true);
}

#define RWF_SUPPORTED 0x1fu	/* HIPRI DSYNC SYNC NOWAIT APPEND: accepted, no effect beyond plain I/O */

int64_t sys_preadv2(const struct syscall_args *a)
{
	if ((uint32_t)a->a[5] & ~RWF_SUPPORTED)
		return -EOPNOTSUPP;
	int64_t off = (int64_t)a->a[3];
	return rw_vec((int)a->a[0], a->a[1], a->a[2], false, off, off != -1);
}

int64_t sys_pwritev2(const struct syscall_args *a)
{
	if ((uint32_t)a->a[5] & ~RWF_SUPPORTED)
		return -EOPNOTSUPP;
	int64_t off = (int64_t)a->a[3];
	return rw_vec((int)a->a[0], a->a[1], a->a[2], true, off, off != -1);
}

int64_t sys_lseek(const struct syscall_args *a)
{
	struct file *f = fs_file((int)a->a[0]);
	if (!f)
		return -EBADF;
	unsigned whence = (unsigned)a->a[2];
	int64_t ret = whence > SEEK_HOLE ? -EINVAL : vfs_lseek(f, (int64_t)a->a[1], (int)whence);
	file_put(f);
	return ret;
}

/* sendfile(out, in, offset*, count): through a kernel buffer, like a read then a write. */
int64_t sys_sendfile(const struct syscall_args *a)
{
	struct file *out = fs_file((int)a->a[0]);
	struct file *in = fs_file((int)a->a[1]);
	uint64_t uoff = a->a[2];
	size_t count = (size_t)MIN(a->a[3], 0x7ffff000ull);
	int64_t ret = 0;
	uint8_t *buf = NULL;
	if (!in || !out) {
		ret = -EBADF;
		goto done;
	}
	uint32_t iacc = in->flags & O_ACCMODE, oacc = out->flags & O_ACCMODE;
	if ((in->flags & O_PATH) || iacc == O_WRONLY || (out->flags & O_PATH) || oacc == O_RDONLY) {
		ret = -EBADF;
		goto done;
	}
	/* Linux refuses an O_APPEND destination. */
	if (out->flags & O_APPEND) {
		ret = -EINVAL;
		goto done;
	}
	int64_t off = -1;
	if (uoff) {
		uint64_t v;
		if (get_user_u64(&v, user_ptr(uoff))) {
			ret = -EFAULT;
			goto done;
		}
		if ((int64_t)v < 0) {
			ret = -EINVAL;
			goto done;
		}
		if (!in->ops->positional) {
			ret = -ESPIPE;
			goto done;
		}
		off = (int64_t)v;
	}
	buf = kmalloc(65536);
	if (!buf) {
		ret = -ENOMEM;
		goto done;
	}
	size_t total = 0;
	while (total < count) {
		size_t want = MIN(count - total, (size_t)65536);
		ssize_t n = off >= 0 ? vfs_pread(in, buf, want, off) : vfs_read(in, buf, want);
		if (n <= 0) {
			if (n < 0 && !total)
				ret = n;
			break;
		}
		ssize_t w = vfs_write(out, buf, (size_t)n);
		if (w < 0) {
			if (!total)
				ret = w;
			/* The input moved past bytes not written: put them back. */
			if (off < 0 && in->ops->llseek)
				vfs_lseek(in, -(int64_t)n, SEEK_CUR);
			break;
		}
		if (w < n && off < 0 && in->ops->llseek)
			vfs_lseek(in, -(int64_t)(n - w), SEEK_CUR);
		total += (size_t)w;
		if (off >= 0)
			off += w;
		if (w < n || (size_t)n < want)
			break;
	}
	if (ret == 0)
		ret = (int64_t)total;
	if (uoff && ret >= 0 && put_user_u64((uint64_t)off, user_ptr(uoff)))
		ret = -EFAULT;
done:
	kfree(buf);
	if (in)
		file_put(in);
	if (out)
		file_put(out);
	return ret;
}
