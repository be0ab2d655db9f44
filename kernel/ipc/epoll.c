/* epoll instances: the interest list, level/edge-triggered and one-shot readiness over the files' poll ops, and the epoll file itself. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/mutex.h>
#include <frame/string.h>
#include <abi/fcntl.h>
#include <kernel/anon_inode.h>
#include <kernel/epoll.h>
#include <kernel/poll.h>
#include <kernel/proc.h>

/* Events every entry reports whether asked or not. */
#define ALWAYS (EPOLLERR | EPOLLHUP)
#define EXCLUSIVE_OK (EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP | EPOLLWAKEUP | EPOLLET | EPOLLEXCLUSIVE)

struct epitem {
	struct epitem *next;
	int fd;
	const struct file *file;	/* identity only: dereferenced after fd_get() matches it */
	uint32_t events;
	uint64_t data;
	unsigned last;		/* edge-triggered: the mask last reported or seen falling */
	bool disabled;		/* EPOLLONESHOT fired: silent until EPOLL_CTL_MOD */
};

struct eventpoll {
	struct mutex lock;
	struct epitem *items;
	struct fdtable *fds;	/* the creator's table, for poll() on the epoll file itself */
};

extern const struct file_ops epoll_ops;

static struct epitem *find(struct eventpoll *ep, int fd, const struct file *f)
{
	for (struct epitem *i = ep->items; i; i = i->next)
		if (i->fd == fd && i->file == f)
			return i;
	return NULL;
}

/* The file an entry names, referenced, or NULL when its descriptor moved on. */
static struct file *item_file(struct fdtable *fds, const struct epitem *i)
{
	struct file *f = fds ? fd_get(fds, i->fd) : NULL;
	if (f && f != i->file) {
		file_put(f);
		return NULL;
	}
	return f;
}

/* What @i would report now for @mask (no state change). */
static unsigned item_ready(const struct epitem *i, unsigned mask)
{
	if (i->disabled)
		return 0;
	mask &= i->events | ALWAYS;
	if (i->events & EPOLLET)
		mask &= ~i->last;
	return mask;
}

/* Poll an entry; nested epoll files are not polled through (no recursion, so no loops). */
static unsigned poll_item(struct file *f, struct poll_table *pt)
{
	if (file_is_epoll(f))
		return 0;
	return file_poll(f, pt);
}

struct scan_ctx {
	struct eventpoll *ep;
	struct fdtable *fds;
	struct epoll_event *out;	/* NULL: count only */
	int max;
};

static int scan(void *arg, struct poll_table *pt)
{
	struct scan_ctx *c = arg;
	struct eventpoll *ep = c->ep;
	int n = 0;
	mutex_lock(&ep->lock);
	struct epitem **pp = &ep->items;
	while (*pp && (!c->out || n < c->max)) {
		struct epitem *i = *pp;
		struct file *f = item_file(c->fds, i);
		if (!f) {
			/* Its descriptor was closed or reused: the entry is gone, as on Linux. */
			*pp = i->next;
			kfree(i);
			continue;
		}
		unsigned mask = poll_item(f, pt);
		file_put(f);
		/* A falling edge re-arms an edge-triggered entry. */
		i->last &= mask;
		unsigned ready = item_ready(i, mask);
		if (ready) {
			if (c->out) {
				c->out[n].events = ready;
				c->out[n].data = i->data;
				if (i->events & EPOLLET)
					i->last |= mask;
				if (i->events & EPOLLONESHOT)
					i->disabled = true;
			}
			n++;
		}
		pp = &i->next;
	}
	mutex_unlock(&ep->lock);
	return n;
}

int epoll_wait_file(struct file *epf, struct fdtable *fds, struct epoll_event *out, int max,
		    uint64_t deadline_ns, bool no_wait)
{
	struct eventpoll *ep = epf->private_data;
	struct scan_ctx wait_ctx = { ep, fds, NULL, max };
	struct scan_ctx take_ctx = { ep, fds, out, max };
	for (;;) {
		int n = poll_loop(scan, &wait_ctx, deadline_ns, no_wait);
		if (n <= 0)
			return n;
		/* Collect (and consume edges and one-shots) once, now that something is ready. */
		n = scan(&take_ctx, NULL);
		if (n || no_wait)
			return n;
	}
}

int epoll_ctl_file(struct file *epf, int op, int fd, struct file *tf, const struct epoll_event *ev)
{
	struct eventpoll *ep = epf->private_data;
	if (!tf->ops || !tf->ops->poll)
		return -EPERM;
	if (tf == epf)
		return -EINVAL;
	uint32_t events = ev ? ev->events : 0;
	if (op != EPOLL_CTL_DEL && (events & EPOLLEXCLUSIVE)) {
		if (op == EPOLL_CTL_MOD || (events & ~(uint32_t)EXCLUSIVE_OK) || file_is_epoll(tf))
			return -EINVAL;
	}
	mutex_lock(&ep->lock);
	struct epitem *i = find(ep, fd, tf);
	int err = 0;
	switch (op) {
	case EPOLL_CTL_ADD:
		if (i) {
			err = -EEXIST;
			break;
		}
		i = kzalloc(sizeof(*i));
		if (!i) {
			err = -ENOMEM;
			break;
		}
		i->fd = fd;
		i->file = tf;
		i->events = events | ALWAYS;
		i->data = ev->data;
		i->next = ep->items;
		ep->items = i;
		break;
	case EPOLL_CTL_MOD:
		if (!i) {
			err = -ENOENT;
			break;
		}
		if (i->events & EPOLLEXCLUSIVE) {
			err = -EINVAL;
			break;
		}
		i->events = events | ALWAYS;
		i->data = ev->data;
		i->last = 0;
		i->disabled = false;
		break;
	case EPOLL_CTL_DEL:
		if (!i) {
			err = -ENOENT;
			break;
		}
		for (struct epitem **pp = &ep->items; *pp; pp = &(*pp)->next) {
			if (*pp == i) {
				*pp = i->next;
				break;
			}
		}
		kfree(i);
		break;
	default:
		err = -EINVAL;
	}
	mutex_unlock(&ep->lock);
	return err;
}

/* ---- the epoll file ---- */

static unsigned epf_poll(struct file *f, struct poll_table *pt)
{
	struct eventpoll *ep = f->private_data;
	struct process *p = process_current();
	struct scan_ctx c = { ep, p ? p->fds : ep->fds, NULL, 0 };
	return scan(&c, pt) ? POLLIN | POLLRDNORM : 0;
}

static void epf_release(struct file *f)
{
	struct eventpoll *ep = f->private_data;
	while (ep->items) {
		struct epitem *i = ep->items;
		ep->items = i->next;
		kfree(i);
	}
	kfree(ep);
}

static ssize_t epf_read(struct file *f, void *buf, size_t len, uint64_t *pos)
{
	(void)f, (void)buf, (void)len, (void)pos;
	return -EINVAL;
}

static ssize_t epf_write(struct file *f, const void *buf, size_t len, uint64_t *pos)
{
	(void)f, (void)buf, (void)len, (void)pos;
	return -EINVAL;
}

const struct file_ops epoll_ops = {
	.read = epf_read,
	.write = epf_write,
	.release = epf_release,
	.positional = false,
	.poll = epf_poll,
};

bool file_is_epoll(const struct file *f)
{
	return f->ops == &epoll_ops;
}

int epoll_create_file(uint32_t flags, struct file **out)
{
	struct eventpoll *ep = kzalloc(sizeof(*ep));
	if (!ep)
		return -ENOMEM;
	mutex_init(&ep->lock, "epoll");
	static const struct cred root;
	int err = anon_file_create(&root, 0600, O_RDWR | (flags & O_NONBLOCK), &epoll_ops, ep, out);
	if (err)
		kfree(ep);
	return err;
}
