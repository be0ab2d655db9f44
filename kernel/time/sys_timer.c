/* timer_create, timer_settime, timer_gettime, timer_getoverrun, timer_delete (posix_timer.c runs the timers). */
#include <abi/errno.h>
#include <abi/sigevent.h>
#include <abi/signal.h>
#include <frame/clock.h>
#include <frame/heap.h>
#include <frame/vm_io.h>
#include <kernel/ktime.h>
#include <kernel/proc.h>
#include <kernel/syscalls.h>
#include "time_internal.h"

#define POSIX_TIMERS_MAX 1024

/* The caller's timer @id (proc_tree_lock held), or NULL. */
static struct posix_timer *timer_lookup(int id, struct proc_extra **owner)
{
	struct proc_extra *e = proc_extra_find(process_current(), false);
	if (owner)
		*owner = e;
	if (!e || id < 0)
		return NULL;
	for (struct posix_timer *pt = e->timers; pt; pt = pt->next)
		if (pt->id == id)
			return pt;
	return NULL;
}

static int check_sigevent(const struct ksigevent *ev)
{
	switch (ev->sigev_notify) {
	case SIGEV_NONE:
		return 0;
	case SIGEV_THREAD_ID: {
		struct thread *t = thread_find(ev->sigev_tid);
		if (!t || t->proc != process_current())
			return -EINVAL;
	}
		/* fall through */
	case SIGEV_SIGNAL:
		return ev->sigev_signo >= 1 && ev->sigev_signo <= KERNEL_NSIG ? 0 : -EINVAL;
	default:
		return -EINVAL;
	}
}

int64_t sys_timer_create(int clock, const struct ksigevent __user *event, int __user *timer_id)
{
	struct timespec probe;
	if (ktime_clock_read(clock, &probe))
		return -EINVAL;
	if (clock == CLOCK_MONOTONIC_RAW || clock == CLOCK_MONOTONIC_COARSE ||
	    clock == CLOCK_REALTIME_COARSE)
		return -EOPNOTSUPP;
	if (!ktime_clock_is_sleepable(clock))
		return -EINVAL;	/* CPU-time clocks: not supported (Linux has them) */
	if ((clock == CLOCK_REALTIME_ALARM || clock == CLOCK_BOOTTIME_ALARM) &&
	    process_current()->cred.euid != 0)
		return -EPERM;	/* CAP_WAKE_ALARM */
	struct ksigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGALRM };
	bool have_ev = event != 0;
	if (have_ev && copy_from_user(&ev, event, sizeof(ev)))
		return -EFAULT;
	ktime_init();
	struct process *p = process_current();
	int err = 0;
	proc_tree_lock();
	if (have_ev)
		err = check_sigevent(&ev);
	struct proc_extra *e = err ? NULL : proc_extra_find(p, true);
	struct posix_timer *pt = NULL;
	if (!err && !e)
		err = -ENOMEM;
	if (!err && e->next_timer_id >= POSIX_TIMERS_MAX)
		err = -EAGAIN;
	if (!err && !(pt = kzalloc(sizeof(*pt))))
		err = -ENOMEM;
	if (err) {
		proc_tree_unlock();
		return err;
	}
	pt->owner = e;
	pt->id = e->next_timer_id++;
	pt->clock = clock;
	pt->notify = ev.sigev_notify;
	pt->signo = ev.sigev_signo;
	pt->tid = ev.sigev_tid;
	timer_init(&pt->timer, posix_timer_fire, pt);
	pt->next = e->timers;
	e->timers = pt;
	int id = pt->id;
	proc_tree_unlock();
	if (put_user_u32((uint32_t)id, timer_id)) {
		proc_tree_lock();
		struct proc_extra *owner;
		struct posix_timer *gone = timer_lookup(id, &owner);
		if (gone) {
			for (struct posix_timer **l = &owner->timers; *l; l = &(*l)->next)
				if (*l == gone) {
					*l = gone->next;
					break;
				}
			posix_timer_disarm(gone);
			kfree(gone);
		}
		proc_tree_unlock();
		return -EFAULT;
	}
	return 0;
}

static void timer_read(struct posix_timer *pt, struct itimerspec *out)
{
	unsigned long flags = spin_lock_irqsave(&time_lock);
	out->it_interval = ns_to_timespec(pt->interval_ns);
	out->it_value = (struct timespec){ 0, 0 };
	if (pt->armed) {
		uint64_t now = clock_monotonic_ns();
		uint64_t left = pt->deadline_ns > now ? pt->deadline_ns - now : 1;
		out->it_value = ns_to_timespec(left);
	}
	spin_unlock_irqrestore(&time_lock, flags);
}

int64_t sys_timer_settime(int timer_id, int flags, const struct itimerspec __user *value, struct itimerspec __user *ovalue)
{
	struct itimerspec val, old;
	if (!value)
		return -EINVAL;
	if (copy_from_user(&val, value, sizeof(val)))
		return -EFAULT;
	if (!timespec_valid(&val.it_value) || !timespec_valid(&val.it_interval))
		return -EINVAL;
	proc_tree_lock();
	struct posix_timer *pt = timer_lookup(timer_id, NULL);
	if (!pt) {
		proc_tree_unlock();
		return -EINVAL;
	}
	timer_read(pt, &old);
	uint64_t first = timespec_to_ns(&val.it_value);
	unsigned long irq = spin_lock_irqsave(&time_lock);
	timer_cancel(&pt->timer);
	pt->fired = 0;
	pt->rearm = false;
	pt->interval_ns = timespec_to_ns(&val.it_interval);
	pt->armed = first != 0;
	if (first) {
		pt->deadline_ns = (flags & TIMER_ABSTIME) ? ktime_abs_to_monotonic(pt->clock, first)
							  : wait_deadline_after(first);
		timer_arm(&pt->timer, pt->deadline_ns);
	}
	spin_unlock_irqrestore(&time_lock, irq);
	proc_tree_unlock();
	if (ovalue && copy_to_user(ovalue, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

int64_t sys_timer_gettime(int timer_id, struct itimerspec __user *value)
{
	struct itimerspec cur;
	proc_tree_lock();
	struct posix_timer *pt = timer_lookup(timer_id, NULL);
	if (pt)
		timer_read(pt, &cur);
	proc_tree_unlock();
	if (!pt)
		return -EINVAL;
	if (copy_to_user(value, &cur, sizeof(cur)))
		return -EFAULT;
	return 0;
}

int64_t sys_timer_getoverrun(int timer_id)
{
	proc_tree_lock();
	struct posix_timer *pt = timer_lookup(timer_id, NULL);
	int64_t ret = pt ? (int64_t)pt->overrun : -EINVAL;
	proc_tree_unlock();
	return ret;
}

int64_t sys_timer_delete(int timer_id)
{
	int id = timer_id;
	proc_tree_lock();
	struct proc_extra *e;
	struct posix_timer *pt = timer_lookup(id, &e);
	bool found = pt != NULL;
	if (pt) {
		for (struct posix_timer **l = &e->timers; *l; l = &(*l)->next)
			if (*l == pt) {
				*l = pt->next;
				break;
			}
		posix_timer_disarm(pt);
		kfree(pt);
	}
	proc_tree_unlock();
	return found ? 0 : -EINVAL;
}
