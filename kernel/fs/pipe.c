/* Pipes: the byte ring, blocking read/write with Linux's rules, poll, FIONREAD, capacity, and pipe2's anonymous inodes. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/string.h>
#include <abi/fcntl.h>
#include <kernel/pipe.h>
#include <kernel/poll.h>

#include "pipe_internal.h"
#include "vfs_internal.h"

#define PAGE 4096u

static bool readable(const struct file *f)
{
	uint32_t acc = f->flags & O_ACCMODE;
	return acc == O_RDONLY || acc == O_RDWR;
}

static bool writable(const struct file *f)
{
	uint32_t acc = f->flags & O_ACCMODE;
	return acc == O_WRONLY || acc == O_RDWR;
}

static uint32_t ld(const uint32_t *v)
{
	return __atomic_load_n(v, __ATOMIC_ACQUIRE);
}

struct pipe *pipe_alloc(void)
{
	struct pipe *p = kzalloc(sizeof(*p));
	if (!p)
		return NULL;
	p->buf = kmalloc(PIPE_DEF_SIZE);
	if (!p->buf) {
		kfree(p);
		return NULL;
	}
	p->cap = PIPE_DEF_SIZE;
	mutex_init(&p->lock, "pipe");
	wait_queue_init(&p->wq);
	return p;
}

void pipe_free(struct pipe *p)
{
	wait_queue_release(&p->wq);
	kfree(p->buf);
	kfree(p);
}

void pipe_add_end(struct pipe *p, bool rd, bool wr)
{
	mutex_lock(&p->lock);
	p->files++;
	if (rd) {
		__atomic_add_fetch(&p->readers, 1, __ATOMIC_RELEASE);
		__atomic_add_fetch(&p->r_counter, 1, __ATOMIC_RELEASE);
	}
	if (wr) {
		__atomic_add_fetch(&p->writers, 1, __ATOMIC_RELEASE);
		__atomic_add_fetch(&p->w_counter, 1, __ATOMIC_RELEASE);
	}
	mutex_unlock(&p->lock);
	wait_wake_all(&p->wq);
}

bool pipe_drop_end(struct pipe *p, bool rd, bool wr)
{
	mutex_lock(&p->lock);
	if (rd)
		__atomic_sub_fetch(&p->readers, 1, __ATOMIC_RELEASE);
	if (wr)
		__atomic_sub_fetch(&p->writers, 1, __ATOMIC_RELEASE);
	mutex_unlock(&p->lock);
	/*
	 * Wake while this file still counts: the other end's last closer frees
	 * the pipe once the count reaches zero, and must not do it while this
	 * wake still walks the wait queue (KASAN saw exactly that at exit).
	 */
	wait_wake_all(&p->wq);
	mutex_lock(&p->lock);
	bool last = --p->files == 0;
	mutex_unlock(&p->lock);
	return last;
}

/* Copy out of the ring; the caller holds the lock. */
static size_t ring_get(struct pipe *p, uint8_t *dst, size_t n)
{
	n = MIN(n, (size_t)p->len);
	size_t first = MIN(n, (size_t)(p->cap - p->head));
	memcpy(dst, p->buf + p->head, first);
	memcpy(dst + first, p->buf, n - first);
	p->head = (uint32_t)((p->head + n) & (p->cap - 1));
	__atomic_store_n(&p->len, p->len - (uint32_t)n, __ATOMIC_RELEASE);
	return n;
}

static size_t ring_put(struct pipe *p, const uint8_t *src, size_t n)
{
	n = MIN(n, (size_t)(p->cap - p->len));
	uint32_t tail = (p->head + p->len) & (p->cap - 1);
	size_t first = MIN(n, (size_t)(p->cap - tail));
	memcpy(p->buf + tail, src, first);
	memcpy(p->buf, src + first, n - first);
	__atomic_store_n(&p->len, p->len + (uint32_t)n, __ATOMIC_RELEASE);
	return n;
}

ssize_t pipe_read(struct pipe *p, void *buf, size_t len, bool nonblock)
{
	if (len == 0)
		return 0;
	for (;;) {
		mutex_lock(&p->lock);
		if (p->len) {
			size_t n = ring_get(p, buf, len);
			mutex_unlock(&p->lock);
			wait_wake_all_key(&p->wq, POLLOUT | POLLWRNORM);
			return (ssize_t)n;
		}
		bool eof = p->writers == 0;
		mutex_unlock(&p->lock);
		if (eof)
			return 0;
		if (nonblock)
			return -EAGAIN;
		int err = poll_wait_event(&p->wq, ld(&p->len) || !ld(&p->writers), 0);
		if (err)
			return err;
	}
}

ssize_t pipe_write(struct pipe *p, const void *buf, size_t len, bool nonblock)
{
	const uint8_t *src = buf;
	size_t done = 0;
	if (len == 0)
		return 0;
	for (;;) {
		mutex_lock(&p->lock);
		if (p->readers == 0) {
			mutex_unlock(&p->lock);
			poll_raise_sigpipe();
			return done ? (ssize_t)done : -EPIPE;
		}
		size_t space = p->cap - p->len;
		size_t left = len - done;
		/* Up to PIPE_BUF bytes go in one piece or not at all. */
		if (space && (left > PIPE_BUF || space >= left))
			done += ring_put(p, src + done, left);
		uint32_t cap = p->cap;
		mutex_unlock(&p->lock);
		if (space)
			wait_wake_all_key(&p->wq, POLLIN | POLLRDNORM);
		if (done == len)
			return (ssize_t)done;
		if (nonblock)
			return done ? (ssize_t)done : -EAGAIN;
		size_t need = MIN(len - done, (size_t)PIPE_BUF);
		if (need > cap)
			need = 1;
		int err = poll_wait_event(&p->wq, !ld(&p->readers) ||
					  ld(&p->cap) - ld(&p->len) >= need, 0);
		if (err)
			return done ? (ssize_t)done : err;
	}
}

unsigned pipe_poll_mask(struct pipe *p, struct file *f, struct poll_table *pt)
{
	poll_wait(f, &p->wq, pt);
	uint32_t len = ld(&p->len), cap = ld(&p->cap);
	unsigned mask = 0;
	if (readable(f)) {
		if (len)
			mask |= POLLIN | POLLRDNORM;
		/* A FIFO reader that has never seen a writer is not at end of file (Linux's w_counter check). */
		if (!ld(&p->writers) && f->pos != ld(&p->w_counter))
			mask |= POLLHUP;
	}
	if (writable(f)) {
		if (cap - len >= PIPE_BUF || (cap < PIPE_BUF && cap > len))
			mask |= POLLOUT | POLLWRNORM;
		if (!ld(&p->readers))
			mask |= POLLERR;
	}
	return mask;
}

static long do_set_size(struct pipe *p, unsigned long size)
{
	if (size > (1ul << 31))
		return -EINVAL;
	unsigned long pages = (size + PAGE - 1) / PAGE;
	unsigned long cap = PAGE;
	while (cap < pages * PAGE)
		cap <<= 1;
	if (cap > PIPE_MAX_SIZE && !poll_capable_resource())
		return -EPERM;
	uint8_t *nbuf = kmalloc(cap);
	if (!nbuf)
		return -ENOMEM;
	mutex_lock(&p->lock);
	if (p->len > cap) {
		mutex_unlock(&p->lock);
		kfree(nbuf);
		return -EBUSY;
	}
	uint32_t len = p->len;
	ring_get(p, nbuf, len);
	kfree(p->buf);
	p->buf = nbuf;
	p->head = 0;
	__atomic_store_n(&p->cap, (uint32_t)cap, __ATOMIC_RELEASE);
	__atomic_store_n(&p->len, len, __ATOMIC_RELEASE);
	mutex_unlock(&p->lock);
	wait_wake_all(&p->wq);
	return (long)cap;
}

/* ---- pipe file operations ---- */

static ssize_t pf_read(struct file *f, void *buf, size_t len, uint64_t *pos)
{
	(void)pos;
	return pipe_read(f->private_data, buf, len, f->flags & O_NONBLOCK);
}

static ssize_t pf_write(struct file *f, const void *buf, size_t len, uint64_t *pos)
{
	(void)pos;
	return pipe_write(f->private_data, buf, len, f->flags & O_NONBLOCK);
}

static void pf_release(struct file *f)
{
	struct pipe *p = f->private_data;
	if (p->fifo)
		fifo_release(p, readable(f), writable(f));
	else if (pipe_drop_end(p, readable(f), writable(f)))
		pipe_free(p);
}

static unsigned pf_poll(struct file *f, struct poll_table *pt)
{
	return pipe_poll_mask(f->private_data, f, pt);
}

const struct file_ops pipe_file_ops = {
	.read = pf_read,
	.write = pf_write,
	.llseek = NULL,
	.release = pf_release,
	.positional = false,
	.poll = pf_poll,
	/* FIONREAD is answered by the ioctl layer from pipe_unread(): no user memory here. */
	.ioctl = NULL,
};

bool file_is_pipe(const struct file *f)
{
	return f->ops == &pipe_file_ops;
}

long pipe_unread(struct file *f)
{
	if (!file_is_pipe(f))
		return -EBADF;
	struct pipe *p = f->private_data;
	return (long)ld(&p->len);
}

long pipe_get_size(struct file *f)
{
	if (!file_is_pipe(f))
		return -EBADF;
	struct pipe *p = f->private_data;
	return (long)ld(&p->cap);
}

long pipe_set_size(struct file *f, unsigned long size)
{
	if (!file_is_pipe(f))
		return -EBADF;
	return do_set_size(f->private_data, size);
}

/* ---- anonymous pipes: inodes of an internal, never mounted file system ---- */

static void pipefs_evict(struct inode *inode)
{
	kfree(inode);
}

static int pipefs_statfs(struct super_block *sb, struct statfs *out)
{
	(void)sb;
	memset(out, 0, sizeof(*out));
	out->f_type = PIPEFS_MAGIC;
	out->f_bsize = PAGE;
	out->f_namelen = NAME_MAX;
	return 0;
}

static const struct super_ops pipefs_ops = { .evict = pipefs_evict, .statfs = pipefs_statfs };
static struct super_block pipefs_sb = { .ops = &pipefs_ops, .magic = PIPEFS_MAGIC };
/* Never unmounted: its table reference (1) keeps it alive. */
static struct mount pipefs_mnt = { .refcount = 1, .sb = &pipefs_sb };
static uint64_t pipefs_next_ino;

static struct inode *pipefs_inode(const struct cred *c)
{
	struct inode *inode = kzalloc(sizeof(*inode));
	if (!inode)
		return NULL;
	uint64_t zero = 0;
	if (__atomic_load_n(&pipefs_sb.dev, __ATOMIC_ACQUIRE) == 0) {
		uint64_t dev = vfs_anon_dev();
		__atomic_compare_exchange_n(&pipefs_sb.dev, &zero, dev, false, __ATOMIC_ACQ_REL,
					    __ATOMIC_ACQUIRE);
	}
	inode_init(inode, &pipefs_sb, S_IFIFO | 0600);
	/* No name links it anywhere: the last file's reference frees it. */
	inode->nlink = 0;
	inode->uid = c->fsuid;
	inode->gid = c->fsgid;
	inode->ino = __atomic_add_fetch(&pipefs_next_ino, 1, __ATOMIC_RELAXED);
	inode->ops = NULL;
	return inode;
}

static struct file *pipe_file(struct inode *inode, struct pipe *p, uint32_t flags)
{
	struct file *f = kzalloc(sizeof(*f));
	if (!f)
		return NULL;
	f->refcount = 1;
	f->path.mnt = &pipefs_mnt;
	f->path.inode = inode;
	path_get(&f->path);
	f->flags = flags;
	mutex_init(&f->pos_lock, "file pos");
	f->ops = &pipe_file_ops;
	f->private_data = p;
	return f;
}

int pipe_create(const struct cred *c, uint32_t flags, struct file **rd, struct file **wr)
{
	struct inode *inode = pipefs_inode(c);
	struct pipe *p = inode ? pipe_alloc() : NULL;
	if (!p) {
		kfree(inode);
		return -ENOMEM;
	}
	flags &= O_NONBLOCK | O_DIRECT;
	struct file *r = pipe_file(inode, p, O_RDONLY | flags);
	struct file *w = r ? pipe_file(inode, p, O_WRONLY | flags) : NULL;
	if (!w) {
		if (r) {
			r->ops = NULL;
			file_put(r);
		}
		inode_put(inode);
		pipe_free(p);
		return -ENOMEM;
	}
	inode_put(inode);	/* the files hold it now */
	pipe_add_end(p, true, false);
	pipe_add_end(p, false, true);
	*rd = r;
	*wr = w;
	return 0;
}
