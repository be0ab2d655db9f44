/*
 * The per-process records beside struct process, keyed by (pid, start time)
 * so a recycled pid never inherits a dead process's timers; records of dead
 * processes are dropped by the exit hook or lazily, by lookups and the worker.
 */
#include <frame/heap.h>
#include <kernel/proc.h>
#include "time_internal.h"

spinlock_t time_lock = SPINLOCK_INIT("time");

static struct proc_extra *extras;

static bool extra_is_live(const struct proc_extra *e)
{
	struct process *p = process_find(e->pid);
	return p && p->start_ns == e->start_ns && p->state != PROC_ZOMBIE;
}

void proc_extra_free(struct proc_extra *e)
{
	unsigned long flags = spin_lock_irqsave(&time_lock);
	timer_cancel(&e->real_timer);
	e->real_armed = false;
	spin_unlock_irqrestore(&time_lock, flags);
	posix_timers_free(e);
	kfree(e);
}

static void unlink_and_free(struct proc_extra **link)
{
	struct proc_extra *e = *link;
	*link = e->next;
	struct process *p = process_find(e->pid);
	if (p && p->extra == e)
		p->extra = NULL;
	proc_extra_free(e);
}

struct proc_extra *proc_extra_first(void)
{
	for (struct proc_extra **link = &extras; *link;) {
		if (!extra_is_live(*link))
			unlink_and_free(link);
		else
			link = &(*link)->next;
	}
	return extras;
}

static struct proc_misc misc_defaults(void)
{
	return (struct proc_misc){ .nice = 0, .pdeath_signal = 0, .dumpable = 1,
				   .no_new_privs = false };
}

/* The process points at its record: no search. */
static struct proc_extra *lookup(struct process *p)
{
	return p->extra;
}

struct proc_extra *proc_extra_find(struct process *p, bool create)
{
	struct proc_extra *e = lookup(p);
	if (e || !create)
		return e;
	e = kzalloc(sizeof(*e));
	if (!e)
		return NULL;
	e->pid = p->pid;
	e->start_ns = p->start_ns;
	e->misc = misc_defaults();
	/*
	 * Without the fork hook, a child first seen here inherits its parent's
	 * current values: right unless the parent changed them since the fork.
	 */
	struct proc_extra *pe = p->parent ? lookup(p->parent) : NULL;
	if (pe) {
		e->misc.nice = pe->misc.nice;
		e->misc.dumpable = pe->misc.dumpable;
		e->misc.no_new_privs = pe->misc.no_new_privs;
	}
	timer_init(&e->real_timer, itimer_real_fire, e);
	e->next = extras;
	extras = e;
	p->extra = e;
	return e;
}

struct proc_misc *proc_misc_get(struct process *p)
{
	struct proc_extra *e = proc_extra_find(p, true);
	return e ? &e->misc : NULL;
}

struct proc_misc proc_misc_peek(struct process *p)
{
	struct proc_extra *e = proc_extra_find(p, false);
	if (e)
		return e->misc;
	struct proc_misc m = misc_defaults();
	struct proc_extra *pe = p->parent ? lookup(p->parent) : NULL;
	if (pe) {
		m.nice = pe->misc.nice;
		m.dumpable = pe->misc.dumpable;
		m.no_new_privs = pe->misc.no_new_privs;
	}
	return m;
}

void proc_extra_fork(struct process *parent, struct process *child)
{
	proc_tree_lock();
	struct proc_extra *pe = lookup(parent);
	if (pe) {
		struct proc_extra *ce = proc_extra_find(child, true);
		if (ce) {
			ce->misc = pe->misc;
			ce->misc.pdeath_signal = 0;	/* not inherited, as Linux */
		}
	}
	proc_tree_unlock();
}

void proc_extra_exit(struct process *p)
{
	proc_tree_lock();
	for (struct proc_extra **link = &extras; *link; link = &(*link)->next) {
		if ((*link)->pid == p->pid && (*link)->start_ns == p->start_ns) {
			unlink_and_free(link);
			break;
		}
	}
	proc_tree_unlock();
}
