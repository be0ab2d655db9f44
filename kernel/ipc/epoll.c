/* epoll instances as Linux's: entries sit on their files' wait queues as wake callbacks that fill a ready list; level/edge-triggered, one-shot, exclusive, nested. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/mutex.h>
#include <frame/spinlock.h>
#include <frame/string.h>
#include <frame/wait.h>
#include <abi/fcntl.h>
#include <kernel/anon_inode.h>
#include <kernel/epoll.h>
#include <kernel/poll.h>

/* Events every entry reports whether asked or not. */
#define ALWAYS (EPOLLERR | EPOLLHUP)
/* Flags, not events: an entry with nothing else left is disabled (a one-shot that fired). */
#define PRIVATE_BITS (EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE)
#define EXCLUSIVE_OK (EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP | EPOLLWAKEUP | EPOLLET | EPOLLEXCLUSIVE)
/* Linux's EP_MAX_NESTS: epoll files nested in a chain, at most. */
#define MAX_NESTS 4

/* One wait queue an entry's file registered: the callback lives on it. */
struct ep_hook {
	struct wait_entry w;	/* w.arg: the entry */
	struct ep_hook *next;
};

struct epitem {
	struct epitem *next;		/* the interest list */
	struct epitem *rd_next;		/* the ready list, under rdlock */
	struct epitem *tx_next;		/* a transfer's private list, under the mutex */
	struct epitem *file_next;	/* the entries watching the same file, under ep_global */
	struct eventpoll *ep;
	struct file *file;		/* unreferenced: the file's release removes us first */
	int fd;
	uint32_t events;		/* written under the mutex, read by callbacks (atomic) */
	uint64_t data;
	bool on_rdlist;			/* under rdlock */
	struct ep_hook *hooks;
};

struct eventpoll {
	struct mutex lock;		/* the interest list, entries' events, transfers */
	spinlock_t rdlock;		/* the ready list; callbacks take it under a queue's lock */
	struct epitem *items;
	struct epitem *rd_head, *rd_tail;
	struct wait_queue wq;		/* epoll_wait callers */
	struct wait_queue poll_wq;	/* pollers of the epoll file itself: poll/select, outer epolls */
	struct file *file;		/* our own file (not referenced), for the upward nesting walk */
	unsigned gen, depth;		/* memo of the nesting walks, under ep_global */
};

/*
 * Serializes changes to the interest graph (ADD, DEL, file and epoll
 * releases) and the nesting walks over it. Order: ep_global, then an
 * instance's lock, then (nested polls) inner instances' locks.
 */
static struct mutex ep_global = MUTEX_INIT("epoll_global");
static unsigned walk_gen;

extern const struct file_ops epoll_ops;

static uint32_t item_events(const struct epitem *i)
{
	return __atomic_load_n(&i->events, __ATOMIC_RELAXED);
}

/* ---- the ready list (rdlock held) ---- */

static void rd_append_locked(struct eventpoll *ep, struct epitem *i)
{
	i->rd_next = NULL;
	if (ep->rd_tail)
		ep->rd_tail->rd_next = i;
	else
		ep->rd_head = i;
	ep->rd_tail = i;
	i->on_rdlist = true;
}

static void rd_remove_locked(struct eventpoll *ep, struct epitem *i)
{
	struct epitem *prev = NULL;
	for (struct epitem *c = ep->rd_head; c; prev = c, c = c->rd_next) {
		if (c != i)
			continue;
		if (prev)
			prev->rd_next = c->rd_next;
		else
			ep->rd_head = c->rd_next;
		if (ep->rd_tail == c)
			ep->rd_tail = prev;
		break;
	}
	i->on_rdlist = false;
}

static bool rd_nonempty(struct eventpoll *ep)
{
	return __atomic_load_n(&ep->rd_head, __ATOMIC_ACQUIRE) != NULL;
}

/* Tell the waiters and the pollers of @ep that its ready list grew. */
static void ep_notify(struct eventpoll *ep)
{
	wait_wake_all(&ep->wq);
	wait_wake_all_key(&ep->poll_wq, EPOLLIN | EPOLLRDNORM);
}

static void ready_add(struct eventpoll *ep, struct epitem *i)
{
	unsigned long f = spin_lock_irqsave(&ep->rdlock);
	if (!i->on_rdlist)
		rd_append_locked(ep, i);
	spin_unlock_irqrestore(&ep->rdlock, f);
	ep_notify(ep);
}

/*
 * The wake callback (frame/wait.h's rules: no sleeping, no mutexes). An
 * event outside the entry's interest is not one (Linux's filter on the
 * waker's key); anything else queues the entry to be polled by the next
 * epoll_wait, which is what makes every wake a new edge.
 */
static bool ep_callback(struct wait_entry *w, uint32_t key)
{
	struct epitem *i = w->arg;
	struct eventpoll *ep = i->ep;
	if (key != WAIT_KEY_RELEASE) {
		uint32_t ev = item_events(i);
		if (!(ev & ~PRIVATE_BITS))
			return false;
		if (key && !(key & ev))
			return false;
	}
	bool waiting = wait_queue_active(&ep->wq);
	ready_add(ep, i);
	/* An exclusive entry counts as a wake only if it reached a waiter. */
	return waiting || !(item_events(i) & EPOLLEXCLUSIVE);
}

/* epoll's poll table: each queue a file registers gets a hook with our callback. */
struct ep_table {
	struct poll_table pt;
	struct epitem *item;
	int error;
};

static void ep_queue(struct poll_table *table, struct file *f, struct wait_queue *wq)
{
	(void)f;
	struct ep_table *t = container_of(table, struct ep_table, pt);
	struct ep_hook *h = kzalloc(sizeof(*h));
	if (!h) {
		t->error = -ENOMEM;
		return;
	}
	h->w.arg = t->item;
	h->next = t->item->hooks;
	t->item->hooks = h;
	wait_add_callback(wq, &h->w, ep_callback, item_events(t->item) & EPOLLEXCLUSIVE);
}

static unsigned ep_ready_mask(struct eventpoll *ep, struct poll_table *pt, int depth);

/* What @i reports now (its interest applied); registers its queues with @pt. */
static unsigned item_poll(struct epitem *i, struct poll_table *pt, int depth)
{
	unsigned mask;
	if (file_is_epoll(i->file))
		mask = ep_ready_mask(i->file->private_data, pt, depth + 1);
	else
		mask = file_poll(i->file, pt);
	return mask & item_events(i);
}

/* Take @i out of @ep for good (ep_global and @ep's lock held). */
static void item_remove(struct eventpoll *ep, struct epitem *i)
{
	while (i->hooks) {
		struct ep_hook *h = i->hooks;
		i->hooks = h->next;
		wait_remove_callback(&h->w);
		kfree(h);
	}
	unsigned long f = spin_lock_irqsave(&ep->rdlock);
	if (i->on_rdlist)
		rd_remove_locked(ep, i);
	spin_unlock_irqrestore(&ep->rdlock, f);
	for (struct epitem **pp = &ep->items; *pp; pp = &(*pp)->next) {
		if (*pp == i) {
			*pp = i->next;
			break;
		}
	}
	for (struct epitem **pp = &i->file->epitems; *pp; pp = &(*pp)->file_next) {
		if (*pp == i) {
			*pp = i->file_next;
			break;
		}
	}
	kfree(i);
}

/*
 * Move the ready list aside and poll each entry on it (the mutex held, so
 * file poll ops may sleep): up to @max events into @out (NULL: stop at the
 * first ready entry and consume nothing). Entries found not ready leave the
 * list; level-triggered ones that reported go back to its tail; the rest,
 * unvisited, back to its head. Returns the count.
 */
static int transfer(struct eventpoll *ep, struct epoll_event *out, int max, int depth)
{
	unsigned long f = spin_lock_irqsave(&ep->rdlock);
	struct epitem *tx = ep->rd_head;
	for (struct epitem *i = tx; i; i = i->rd_next) {
		i->tx_next = i->rd_next;
		i->on_rdlist = false;
	}
	ep->rd_head = ep->rd_tail = NULL;
	spin_unlock_irqrestore(&ep->rdlock, f);
	int n = 0;
	struct epitem *i = tx;
	while (i && n < max) {
		struct epitem *next = i->tx_next;
		unsigned mask = item_poll(i, NULL, depth);
		if (mask && !out) {
			n = 1;
			break;	/* i stays for the caller's real transfer */
		}
		if (mask) {
			out[n].events = mask;
			out[n].data = i->data;
			n++;
			uint32_t ev = item_events(i);
			if (ev & EPOLLONESHOT) {
				__atomic_store_n(&i->events, ev & PRIVATE_BITS, __ATOMIC_RELAXED);
			} else if (!(ev & EPOLLET)) {
				f = spin_lock_irqsave(&ep->rdlock);
				if (!i->on_rdlist)
					rd_append_locked(ep, i);
				spin_unlock_irqrestore(&ep->rdlock, f);
			}
		}
		i = next;
	}
	if (i) {
		/* Put the unvisited back in front, in order, unless a callback queued them again meanwhile. */
		f = spin_lock_irqsave(&ep->rdlock);
		struct epitem *head = NULL, *tail = NULL;
		for (; i; i = i->tx_next) {
			if (i->on_rdlist)
				continue;
			i->on_rdlist = true;
			i->rd_next = NULL;
			if (tail)
				tail->rd_next = i;
			else
				head = i;
			tail = i;
		}
		if (tail) {
			tail->rd_next = ep->rd_head;
			if (!ep->rd_head)
				ep->rd_tail = tail;
			ep->rd_head = head;
		}
		spin_unlock_irqrestore(&ep->rdlock, f);
	}
	return n;
}

/* The epoll file's own mask: readable while some entry on its ready list is ready. */
static unsigned ep_ready_mask(struct eventpoll *ep, struct poll_table *pt, int depth)
{
	poll_wait(ep->file, &ep->poll_wq, pt);
	if (depth > MAX_NESTS + 1)
		return 0;
	mutex_lock(&ep->lock);
	int n = transfer(ep, NULL, 1, depth);
	mutex_unlock(&ep->lock);
	return n ? EPOLLIN | EPOLLRDNORM : 0;
}

int epoll_wait_file(struct file *epf, struct epoll_event *out, int max, uint64_t deadline_ns,
		    bool no_wait)
{
	struct eventpoll *ep = epf->private_data;
	for (;;) {
		mutex_lock(&ep->lock);
		int n = transfer(ep, out, max, 0);
		mutex_unlock(&ep->lock);
		if (n || no_wait)
			return n;
		int err = poll_wait_event(&ep->wq, rd_nonempty(ep), deadline_ns);
		if (err == -ERESTARTSYS)
			return -EINTR;
		if (err == -ETIMEDOUT) {
			mutex_lock(&ep->lock);
			n = transfer(ep, out, max, 0);
			mutex_unlock(&ep->lock);
			return n;
		}
	}
}

/* ---- nesting: no loops, chains of at most MAX_NESTS (Linux's ep_loop_check) ---- */

#define LOOP 1000u

/* Longest chain of epoll files below @ep; LOOP if @target is among them. */
static unsigned depth_down(struct eventpoll *ep, struct eventpoll *target)
{
	if (ep->gen == walk_gen)
		return ep->depth;
	ep->gen = walk_gen;
	ep->depth = 0;
	unsigned d = 0;
	for (struct epitem *i = ep->items; i && d < LOOP; i = i->next) {
		if (!file_is_epoll(i->file))
			continue;
		struct eventpoll *child = i->file->private_data;
		unsigned c = child == target ? LOOP : 1 + depth_down(child, target);
		if (c > d)
			d = c;
	}
	ep->depth = d;
	return d;
}

/* Longest chain of epoll files watching @ep. */
static unsigned depth_up(struct eventpoll *ep)
{
	unsigned d = 0;
	for (struct epitem *i = ep->file->epitems; i; i = i->file_next) {
		unsigned c = 1 + depth_up(i->ep);
		if (c > d)
			d = c;
	}
	return d;
}

static bool nesting_ok(struct eventpoll *ep, struct eventpoll *inner)
{
	walk_gen++;
	unsigned down = depth_down(inner, ep);
	if (down >= LOOP || down > MAX_NESTS)
		return false;
	return down + 1 + depth_up(ep) <= MAX_NESTS;
}

/* ---- epoll_ctl ---- */

static struct epitem *find(struct eventpoll *ep, int fd, const struct file *f)
{
	for (struct epitem *i = ep->items; i; i = i->next)
		if (i->fd == fd && i->file == f)
			return i;
	return NULL;
}

static int item_add(struct eventpoll *ep, int fd, struct file *tf, const struct epoll_event *ev)
{
	if (find(ep, fd, tf))
		return -EEXIST;
	if (file_is_epoll(tf) && !nesting_ok(ep, tf->private_data))
		return -ELOOP;
	struct epitem *i = kzalloc(sizeof(*i));
	if (!i)
		return -ENOMEM;
	i->ep = ep;
	i->file = tf;
	i->fd = fd;
	/* EPOLLWAKEUP needs CAP_BLOCK_SUSPEND and means nothing here: Linux drops it quietly too. */
	i->events = (ev->events & ~(uint32_t)EPOLLWAKEUP) | ALWAYS;
	i->data = ev->data;
	i->next = ep->items;
	ep->items = i;
	i->file_next = tf->epitems;
	tf->epitems = i;
	struct ep_table t = { { ep_queue }, i, 0 };
	unsigned mask = item_poll(i, &t.pt, 0);
	if (t.error) {
		item_remove(ep, i);
		return t.error;
	}
	if (mask)
		ready_add(ep, i);
	return 0;
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
	mutex_lock(&ep_global);
	mutex_lock(&ep->lock);
	struct epitem *i = find(ep, fd, tf);
	int err = 0;
	switch (op) {
	case EPOLL_CTL_ADD:
		err = item_add(ep, fd, tf, ev);
		break;
	case EPOLL_CTL_MOD:
		if (!i) {
			err = -ENOENT;
			break;
		}
		if (item_events(i) & EPOLLEXCLUSIVE) {
			err = -EINVAL;
			break;
		}
		i->data = ev->data;
		__atomic_store_n(&i->events, (events & ~(uint32_t)EPOLLWAKEUP) | ALWAYS, __ATOMIC_RELAXED);
		/* Re-armed (a fired one-shot) or newly interested: report what holds now. */
		if (item_poll(i, NULL, 0))
			ready_add(ep, i);
		break;
	case EPOLL_CTL_DEL:
		if (!i) {
			err = -ENOENT;
			break;
		}
		item_remove(ep, i);
		break;
	default:
		err = -EINVAL;
	}
	mutex_unlock(&ep->lock);
	mutex_unlock(&ep_global);
	return err;
}

void epoll_file_release(struct file *f)
{
	mutex_lock(&ep_global);
	while (f->epitems) {
		struct epitem *i = f->epitems;
		struct eventpoll *ep = i->ep;
		mutex_lock(&ep->lock);
		item_remove(ep, i);
		mutex_unlock(&ep->lock);
	}
	mutex_unlock(&ep_global);
}

/* ---- the epoll file ---- */

static unsigned epf_poll(struct file *f, struct poll_table *pt)
{
	return ep_ready_mask(f->private_data, pt, 0);
}

static void epf_release(struct file *f)
{
	struct eventpoll *ep = f->private_data;
	mutex_lock(&ep_global);
	mutex_lock(&ep->lock);
	while (ep->items)
		item_remove(ep, ep->items);
	mutex_unlock(&ep->lock);
	mutex_unlock(&ep_global);
	/* Outer epolls' hooks went with our file's entries (epoll_file_release ran first). */
	wait_queue_release(&ep->poll_wq);
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
	spin_lock_init(&ep->rdlock, "epoll_ready");
	wait_queue_init(&ep->wq);
	wait_queue_init(&ep->poll_wq);
	static const struct cred root;
	int err = anon_file_create(&root, 0600, O_RDWR | (flags & O_NONBLOCK), &epoll_ops, ep, out);
	if (err)
		kfree(ep);
	else
		ep->file = *out;
	return err;
}
