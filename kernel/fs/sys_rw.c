/* read/write and their vector and positional forms, lseek and sendfile. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/vm_io.h>
#include <abi/fcntl.h>
#include "sys_fs.h"
#include "rw_engine.h"

static int64_t rw_one(int fd, vaddr_t ubuf, uint64_t len, bool write, int64_t off, bool positional)
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

int64_t sys_read(int fd, void __user *buf, size_t count)
{
	return rw_one(fd, user_addr(buf), count, false, -1, false);
}

int64_t sys_write(int fd, const void __user *buf, size_t count)
{
	return rw_one(fd, user_addr(buf), count, true, -1, false);
}

int64_t sys_pread64(int fd, void __user *buf, size_t count, int64_t pos)
{
	return rw_one(fd, user_addr(buf), count, false, pos, true);
}

int64_t sys_pwrite64(int fd, const void __user *buf, size_t count, int64_t pos)
{
	return rw_one(fd, user_addr(buf), count, true, pos, true);
}

static int64_t rw_vec(int fd, const struct iovec __user *uiov, uint64_t cnt, bool write, int64_t off,
		      bool positional)
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

int64_t sys_readv(int fd, const struct iovec __user *vec, uint64_t vlen)
{
	return rw_vec(fd, vec, vlen, false, -1, false);
}

int64_t sys_writev(int fd, const struct iovec __user *vec, uint64_t vlen)
{
	return rw_vec(fd, vec, vlen, true, -1, false);
}

/* x86_64 passes the offset whole in pos_l; pos_h is ignored (preadv2 and pwritev2 too). */
int64_t sys_preadv(int fd, const struct iovec __user *vec, uint64_t vlen, int64_t pos)
{
	return rw_vec(fd, vec, vlen, false, pos, true);
}

int64_t sys_pwritev(int fd, const struct iovec __user *vec, uint64_t vlen, int64_t pos)
{
	return rw_vec(fd, vec, vlen, true, pos, true);
}

#define RWF_SUPPORTED 0x1fu	/* HIPRI DSYNC SYNC NOWAIT APPEND: accepted, no effect beyond plain I/O */

int64_t sys_preadv2(int fd, const struct iovec __user *vec, uint64_t vlen, int64_t pos, uint64_t pos_h, uint32_t flags)
{
	(void)pos_h;
	if (flags & ~RWF_SUPPORTED)
		return -EOPNOTSUPP;
	return rw_vec(fd, vec, vlen, false, pos, pos != -1);
}

int64_t sys_pwritev2(int fd, const struct iovec __user *vec, uint64_t vlen, int64_t pos, uint64_t pos_h, uint32_t flags)
{
	(void)pos_h;
	if (flags & ~RWF_SUPPORTED)
		return -EOPNOTSUPP;
	return rw_vec(fd, vec, vlen, true, pos, pos != -1);
}

int64_t sys_lseek(int fd, int64_t offset, uint32_t whence)
{
	struct file *f = fs_file(fd);
	if (!f)
		return -EBADF;
	int64_t ret = whence > SEEK_HOLE ? -EINVAL : vfs_lseek(f, offset, (int)whence);
	file_put(f);
	return ret;
}

/* sendfile(out, in, offset*, count): through a kernel buffer, like a read then a write. */
int64_t sys_sendfile(int out_fd, int in_fd, int64_t __user *offset, size_t count)
{
	struct file *out = fs_file(out_fd);
	struct file *in = fs_file(in_fd);
	count = (size_t)MIN(count, 0x7ffff000ull);
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
	if (offset) {
		uint64_t v;
		if (get_user_u64(&v, offset)) {
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
	if (offset && ret >= 0 && put_user_u64((uint64_t)off, offset))

		ret = -EFAULT;
done:
	kfree(buf);
	if (in)
		file_put(in);
	if (out)
		file_put(out);
	return ret;
}
