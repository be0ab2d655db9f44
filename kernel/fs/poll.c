/* The poll table and the wait loop behind poll/select: one task sleeping on many files' wait queues. */
#include <frame/clock.h>
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/string.h>
#include <kernel/file.h>
#include <kernel/poll.h>

struct poll_entry {
	struct wait_entry w;
	struct wait_queue *wq;
	struct file *file;	/* referenced while the entry exists */
};

struct poll_chunk {
	struct poll_chunk *next;
	struct poll_entry e[POLL_CHUNK_ENTRIES];
};

/* poll_loop's table; lives on the poller's stack. */
struct poll_set {
	struct poll_table pt;
	struct poll_chunk first;
	struct poll_chunk *last;
	size_t n;		/* entries in use */
	size_t cursor;		/* next entry expected in this scan */
	int error;		/* -ENOMEM while registering */
};

static struct poll_entry *entry_at(struct poll_set *pt, size_t i)
{
	struct poll_chunk *c = &pt->first;
	while (i >= POLL_CHUNK_ENTRIES) {
		c = c->next;
		i -= POLL_CHUNK_ENTRIES;
	}
	return &c->e[i];
}

static struct poll_entry *entry_new(struct poll_set *pt)
{
	size_t i = pt->n % POLL_CHUNK_ENTRIES;
	if (pt->n && i == 0) {
		struct poll_chunk *c = kzalloc(sizeof(*c));
		if (!c)
			return NULL;
		pt->last->next = c;
		pt->last = c;
	}
	pt->n++;
	return &pt->last->e[i];
}

void poll_wait(struct file *f, struct wait_queue *wq, struct poll_table *pt)
{
	if (pt && wq)
		pt->queue(pt, f, wq);
}

static void set_queue(struct poll_table *table, struct file *f, struct wait_queue *wq)
{
	struct poll_set *pt = container_of(table, struct poll_set, pt);
	/* Files are scanned in the same order each time: the expected entry is the next one. */
	struct poll_entry *e = NULL;
	if (pt->cursor < pt->n) {
		struct poll_entry *c = entry_at(pt, pt->cursor);
		if (c->wq == wq && c->file == f)
			e = c;
	}
	if (!e) {
		for (size_t i = 0; i < pt->n && !e; i++) {
			struct poll_entry *c = entry_at(pt, i);
			if (c->wq == wq && c->file == f)
				e = c;
		}
	}
	if (!e) {
		e = entry_new(pt);
		if (!e) {
			pt->error = -ENOMEM;
			return;
		}
		memset(e, 0, sizeof(*e));
		e->wq = wq;
		e->file = f;
		file_get(f);
		pt->cursor = pt->n;
	} else {
		pt->cursor++;
	}
	/* Queues the entry again if a wake-up took it off. */
	wait_prepare(wq, &e->w);
}

unsigned file_poll(struct file *f, struct poll_table *pt)
{
	if (f->ops && f->ops->poll)
		return f->ops->poll(f, pt);
	return POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
}

static void table_init(struct poll_set *pt)
{
	memset(pt, 0, sizeof(*pt));
	pt->pt.queue = set_queue;
	pt->last = &pt->first;
}

static void table_release(struct poll_set *pt)
{
	for (size_t i = 0; i < pt->n; i++) {
		struct poll_entry *e = entry_at(pt, i);
		wait_finish(e->wq, &e->w);
		file_put(e->file);
	}
	struct poll_chunk *c = pt->first.next;
	while (c) {
		struct poll_chunk *next = c->next;
		kfree(c);
		c = next;
	}
}

int poll_loop(poll_scan_fn scan, void *ctx, uint64_t deadline_ns, bool no_wait)
{
	if (no_wait)
		return scan(ctx, NULL);
	struct poll_set pt;
	table_init(&pt);
	/* The poller's own entry: what wait_sleep() sleeps on (signals and the deadline wake it). */
	struct wait_queue self_q;
	struct wait_entry self = { .task = NULL };
	wait_queue_init(&self_q);
	int ret;
	for (;;) {
		wait_prepare(&self_q, &self);
		pt.cursor = 0;
		ret = scan(ctx, &pt.pt);
		if (ret)
			break;
		if (pt.error) {
			ret = pt.error;
			break;
		}
		/* A queue woken before a later registration re-marked us asleep: its condition shows now. */
		ret = scan(ctx, NULL);
		if (ret)
			break;
		if (poll_signal_pending()) {
			ret = -EINTR;
			break;
		}
		if (wait_sleep(&self, deadline_ns) == -ETIMEDOUT) {
			wait_finish(&self_q, &self);
			ret = scan(ctx, NULL);
			goto out;
		}
	}
	wait_finish(&self_q, &self);
out:
	table_release(&pt);
	return ret;
}
