/* The bounce-buffered I/O engine: user buffers gathered/scattered through a kernel buffer around the VFS calls. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/vm_io.h>
#include <abi/fcntl.h>
#include "rw_engine.h"

/* One VFS call moves at most this much; regular files loop, others return after one call. */
#define RW_CHUNK 65536u
/* Linux's MAX_RW_COUNT. */
#define MAX_RW 0x7ffff000ull

static bool may_read(const struct file *f)
{
	uint32_t acc = f->flags & O_ACCMODE;
	return !(f->flags & O_PATH) && (acc == O_RDONLY || acc == O_RDWR);
}

static bool may_write(const struct file *f)
{
	uint32_t acc = f->flags & O_ACCMODE;
	return !(f->flags & O_PATH) && (acc == O_WRONLY || acc == O_RDWR);
}

bool fs_may_rw(const struct file *f, bool write)
{
	return write ? may_write(f) : may_read(f);
}

int fs_copy_iov(const struct iovec __user *uiov, uint64_t cnt, struct fs_iov **out)
{
	if (cnt > FS_IOV_MAX)
		return -EINVAL;
	struct fs_iov *v = kmalloc(sizeof(*v) * (cnt ? cnt : 1));
	if (!v)
		return -ENOMEM;
	if (cnt && copy_from_user(v, uiov, sizeof(*v) * cnt)) {
		kfree(v);
		return -EFAULT;
	}
	uint64_t total = 0;
	for (size_t i = 0; i < cnt; i++) {
		if ((int64_t)v[i].len < 0) {
			kfree(v);
			return -EINVAL;
		}
		/* Linux trims the total to MAX_RW_COUNT rather than failing. */
		if (v[i].len > MAX_RW - total)
			v[i].len = MAX_RW - total;
		total += v[i].len;
		if (v[i].len && !user_range_ok(v[i].base, v[i].len)) {
			kfree(v);
			return -EFAULT;
		}
	}
	*out = v;
	return 0;
}

/* Cursor over an iovec array. */
struct iov_cur {
	const struct fs_iov *iov;
	size_t cnt, i;
	uint64_t in;	/* offset inside iov[i] */
};

static void cur_skip_empty(struct iov_cur *c)
{
	while (c->i < c->cnt && c->in == c->iov[c->i].len) {
		c->i++;
		c->in = 0;
	}
}

/* Gather up to @n bytes from user memory; bytes gathered or -EFAULT if none. */
static ssize_t gather(struct iov_cur *c, uint8_t *buf, size_t n)
{
	size_t got = 0;
	cur_skip_empty(c);
	while (got < n && c->i < c->cnt) {
		size_t k = (size_t)MIN((uint64_t)(n - got), c->iov[c->i].len - c->in);
		size_t left = copy_from_user(buf + got, user_ptr(c->iov[c->i].base + c->in), k);
		got += k - left;
		c->in += k - left;
		if (left)
			return got ? (ssize_t)got : -EFAULT;
		cur_skip_empty(c);
	}
	return (ssize_t)got;
}

/* Scatter @n bytes to user memory; the count that could not be written. */
static size_t scatter(struct iov_cur *c, const uint8_t *buf, size_t n)
{
	size_t put = 0;
	cur_skip_empty(c);
	while (put < n && c->i < c->cnt) {
		size_t k = (size_t)MIN((uint64_t)(n - put), c->iov[c->i].len - c->in);
		size_t left = copy_to_user(user_ptr(c->iov[c->i].base + c->in), buf + put, k);
		put += k - left;
		c->in += k - left;
		if (left)
			break;
		cur_skip_empty(c);
	}
	return n - put;
}

ssize_t fs_do_io(struct file *f, const struct fs_iov *iov, size_t cnt, bool write, int64_t off)
{
	if (write ? !may_write(f) : !may_read(f))
		return -EBADF;
	uint64_t total_len = 0;
	for (size_t i = 0; i < cnt; i++)
		total_len += iov[i].len;
	if (off >= 0 && !f->ops->positional)
		return -ESPIPE;
	size_t bsize = (size_t)MIN(total_len, (uint64_t)RW_CHUNK);
	uint8_t *buf = kmalloc(bsize ? bsize : 1);
	if (!buf)
		return -ENOMEM;
	bool regular = S_ISREG(f->path.inode->mode) || S_ISBLK(f->path.inode->mode);
	struct iov_cur c = { iov, cnt, 0, 0 };
	ssize_t total = 0;
	for (;;) {
		size_t want = (size_t)MIN(total_len - (uint64_t)total, (uint64_t)bsize);
		ssize_t n;
		if (write) {
			n = want ? gather(&c, buf, want) : 0;
			if (n < 0) {
				if (!total)
					total = n;
				break;
			}
			want = (size_t)n;
			n = off >= 0 ? vfs_pwrite(f, buf, want, off + total) : vfs_write(f, buf, want);
		} else {
			n = off >= 0 ? vfs_pread(f, buf, want, off + total) : vfs_read(f, buf, want);
			if (n > 0) {
				size_t lost = scatter(&c, buf, (size_t)n);
				if (lost) {
					/* Undo the offset move for bytes the caller never got, as Linux never moves it. */
					if (off < 0 && f->ops->llseek)
						vfs_lseek(f, -(int64_t)lost, SEEK_CUR);
					n -= (ssize_t)lost;
					total += n;
					if (!total)
						total = -EFAULT;
					break;
				}
			}
		}
		if (n < 0) {
			if (!total)
				total = n;
			break;
		}
		total += n;
		if ((size_t)n < want || !want || (uint64_t)total >= total_len)
			break;
		/* A pipe or terminal read returns what one call gave; writes go on until done. */
		if (!write && !regular)
			break;
	}
	kfree(buf);
	return total;
}
