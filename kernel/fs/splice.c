/*
 * splice, tee and copy_file_range through a kernel bounce buffer: the
 * pipe's ring and the file's pages are separate stores, so bytes are
 * copied rather than moved (Linux moves page references; the results
 * user space sees are the same).
 */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/string.h>
#include <abi/fcntl.h>
#include <kernel/pipe.h>
#include <kernel/poll.h>
#include <kernel/splice.h>

#include "pipe_internal.h"

static ssize_t file_read_at(struct file *f, int64_t *off, void *buf, size_t len)
{
	if (!off)
		return vfs_read(f, buf, len);
	ssize_t n = vfs_pread(f, buf, len, *off);
	if (n > 0)
		*off += n;
	return n;
}

static ssize_t file_write_at(struct file *f, int64_t *off, const void *buf, size_t len)
{
	if (!off)
		return vfs_write(f, buf, len);
	ssize_t n = vfs_pwrite(f, buf, len, *off);
	if (n > 0)
		*off += n;
	return n;
}

static bool nonblocking(const struct file *f, bool nonblock)
{
	return nonblock || (f->flags & O_NONBLOCK);
}

ssize_t splice_file_to_pipe(struct file *in, int64_t *off, struct file *out, size_t len,
			    bool nonblock)
{
	struct pipe *p = out->private_data;
	len = MIN(len, (size_t)SPLICE_CHUNK);
	/* Read no more than fits now, so what was read from the file is not lost. */
	mutex_lock(&p->lock);
	size_t room = p->cap - p->len;
	mutex_unlock(&p->lock);
	if (room == 0) {
		if (nonblocking(out, nonblock))
			return -EAGAIN;
		room = len;	/* pipe_write waits for space */
	}
	len = MIN(len, room);
	uint8_t *buf = kmalloc(len ? len : 1);
	if (!buf)
		return -ENOMEM;
	int64_t pos = off ? *off : 0;
	ssize_t n = off ? vfs_pread(in, buf, len, pos) : vfs_read(in, buf, len);
	if (n > 0) {
		ssize_t w = pipe_write(p, buf, (size_t)n, nonblocking(out, nonblock));
		if (w > 0 && off)
			*off = pos + w;
		if (w < n && !off) {
			/* Give back to the file offset what the pipe did not take. */
			vfs_lseek(in, (int64_t)MAX(w, (ssize_t)0) - n, SEEK_CUR);
		}
		n = w;
	}
	kfree(buf);
	return n;
}

ssize_t splice_pipe_to_file(struct file *in, struct file *out, int64_t *off, size_t len,
			    bool nonblock)
{
	uint8_t *buf = kmalloc(MIN(len, (size_t)SPLICE_CHUNK));
	if (!buf)
		return -ENOMEM;
	ssize_t n = pipe_read(in->private_data, buf, MIN(len, (size_t)SPLICE_CHUNK),
			      nonblocking(in, nonblock));
	if (n > 0) {
		size_t done = 0;
		while (done < (size_t)n) {
			ssize_t w = file_write_at(out, off, buf + done, (size_t)n - done);
			if (w <= 0) {
				if (!done)
					n = w ? w : -EIO;
				break;
			}
			done += (size_t)w;
		}
		if (done)
			n = (ssize_t)done;
	}
	kfree(buf);
	return n;
}

ssize_t splice_pipe_to_pipe(struct file *in, struct file *out, size_t len, bool nonblock)
{
	uint8_t *buf = kmalloc(MIN(len, (size_t)SPLICE_CHUNK));
	if (!buf)
		return -ENOMEM;
	ssize_t n = pipe_read(in->private_data, buf, MIN(len, (size_t)SPLICE_CHUNK),
			      nonblocking(in, nonblock));
	if (n > 0)
		n = pipe_write(out->private_data, buf, (size_t)n, nonblocking(out, nonblock));
	kfree(buf);
	return n;
}

/* Copy up to @len bytes from the front of @p's ring without consuming them; under p->lock. */
static size_t ring_peek(struct pipe *p, uint8_t *dst, size_t len)
{
	size_t n = MIN(len, (size_t)p->len);
	size_t first = MIN(n, (size_t)(p->cap - p->head));
	memcpy(dst, p->buf + p->head, first);
	memcpy(dst + first, p->buf, n - first);
	return n;
}

ssize_t splice_tee(struct file *in, struct file *out, size_t len, bool nonblock)
{
	struct pipe *p = in->private_data;
	len = MIN(len, (size_t)SPLICE_CHUNK);
	uint8_t *buf = kmalloc(len);
	if (!buf)
		return -ENOMEM;
	ssize_t n;
	for (;;) {
		mutex_lock(&p->lock);
		if (p->len) {
			n = (ssize_t)ring_peek(p, buf, len);
			mutex_unlock(&p->lock);
			break;
		}
		bool eof = p->writers == 0;
		mutex_unlock(&p->lock);
		if (eof) {
			n = 0;
			break;
		}
		if (nonblocking(in, nonblock)) {
			n = -EAGAIN;
			break;
		}
		n = poll_wait_event(&p->wq, __atomic_load_n(&p->len, __ATOMIC_ACQUIRE) ||
				    !__atomic_load_n(&p->writers, __ATOMIC_ACQUIRE), 0);
		if (n)
			break;
	}
	if (n > 0)
		n = pipe_write(out->private_data, buf, (size_t)n, nonblocking(out, nonblock));
	kfree(buf);
	return n;
}

ssize_t splice_copy_range(struct file *in, int64_t *off_in, struct file *out, int64_t *off_out,
			  size_t len)
{
	size_t chunk = MIN(len, (size_t)SPLICE_CHUNK);
	uint8_t *buf = kmalloc(chunk ? chunk : 1);
	if (!buf)
		return -ENOMEM;
	size_t done = 0;
	ssize_t err = 0;
	while (done < len) {
		size_t want = MIN(len - done, chunk);
		int64_t pos = off_in ? *off_in : 0;
		ssize_t n = file_read_at(in, off_in, buf, want);
		if (n <= 0) {
			err = n;
			break;
		}
		ssize_t w = file_write_at(out, off_out, buf, (size_t)n);
		if (w < n) {
			/* Put the input offset back to what was written. */
			int64_t back = (int64_t)n - (w > 0 ? w : 0);
			if (off_in)
				*off_in = pos + n - back;
			else
				vfs_lseek(in, -back, SEEK_CUR);
			if (w > 0)
				done += (size_t)w;
			err = w < 0 ? w : 0;
			break;
		}
		done += (size_t)n;
	}
	kfree(buf);
	return done ? (ssize_t)done : err;
}
