/* Named pipes: one pipe per FIFO inode while it is open, and open()'s wait for the other side. */
#include <frame/errno.h>
#include <frame/mutex.h>
#include <abi/fcntl.h>
#include <kernel/pipe.h>
#include <kernel/poll.h>

#include "pipe_internal.h"

/* Open FIFOs; few at a time, so a list. */
static struct mutex fifos_lock = MUTEX_INIT("fifos");
static struct pipe *fifos;

/* The pipe of @inode with a file end counted for the caller, made on first open. */
static struct pipe *fifo_attach(struct inode *inode, bool rd, bool wr, bool nonblock, int *err)
{
	mutex_lock(&fifos_lock);
	struct pipe *p = fifos;
	while (p && p->fifo != inode)
		p = p->fifo_next;
	if (wr && !rd && nonblock && (!p || !__atomic_load_n(&p->readers, __ATOMIC_ACQUIRE))) {
		mutex_unlock(&fifos_lock);
		*err = -ENXIO;
		return NULL;
	}
	if (!p) {
		p = pipe_alloc();
		if (!p) {
			mutex_unlock(&fifos_lock);
			*err = -ENOMEM;
			return NULL;
		}
		p->fifo = inode;
		p->fifo_next = fifos;
		fifos = p;
	}
	/* Counted under the table lock, so the last release cannot free it meanwhile. */
	pipe_add_end(p, rd, wr);
	mutex_unlock(&fifos_lock);
	return p;
}

void fifo_release(struct pipe *p, bool rd, bool wr)
{
	mutex_lock(&fifos_lock);
	bool last = pipe_drop_end(p, rd, wr);
	if (last) {
		struct pipe **pp = &fifos;
		while (*pp != p)
			pp = &(*pp)->fifo_next;
		*pp = p->fifo_next;
	}
	mutex_unlock(&fifos_lock);
	if (last)
		pipe_free(p);
}

static uint32_t ld(const uint32_t *v)
{
	return __atomic_load_n(v, __ATOMIC_ACQUIRE);
}

int fifo_open(struct file *f)
{
	uint32_t acc = f->flags & O_ACCMODE;
	bool rd = acc == O_RDONLY || acc == O_RDWR;
	bool wr = acc == O_WRONLY || acc == O_RDWR;
	bool nonblock = f->flags & O_NONBLOCK;
	if (acc == 3)
		return -EINVAL;
	int err = 0;
	struct pipe *p = fifo_attach(f->path.inode, rd, wr, nonblock, &err);
	if (!p)
		return err;
	f->ops = &pipe_file_ops;
	f->private_data = p;
	/* Readers remember the writers seen so far: no POLLHUP until one came and went. */
	uint32_t seen_w = ld(&p->w_counter), seen_r = ld(&p->r_counter);
	f->pos = seen_w;
	if (rd && !wr && !nonblock && !ld(&p->writers))
		err = poll_wait_event(&p->wq, ld(&p->w_counter) != seen_w, 0);
	else if (wr && !rd && !ld(&p->readers))
		err = poll_wait_event(&p->wq, ld(&p->r_counter) != seen_r, 0);
	if (err) {
		f->ops = NULL;
		f->private_data = NULL;
		fifo_release(p, rd, wr);
		return err;
	}
	return 0;
}
