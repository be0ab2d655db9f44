/* alarm, setitimer, getitimer: reading and setting a process's interval timers (itimer.c runs them). */
#include <abi/errno.h>
#include <abi/signal.h>
#include <frame/clock.h>
#include <frame/vm_io.h>
#include <kernel/ktime.h>
#include <kernel/proc.h>
#include <kernel/syscalls.h>
#include "time_internal.h"

#define USEC_PER_SEC 1000000

static bool timeval_ok(const struct timeval *tv)
{
	return tv->tv_sec >= 0 && tv->tv_usec >= 0 && tv->tv_usec < USEC_PER_SEC;
}

static uint64_t timeval_ns(const struct timeval *tv)
{
	if ((uint64_t)tv->tv_sec >= INT64_MAX / NSEC_PER_SEC)
		return INT64_MAX;
	return (uint64_t)tv->tv_sec * NSEC_PER_SEC + (uint64_t)tv->tv_usec * NSEC_PER_USEC;
}

/* A running timer never reads as zero (that means disarmed): at least 1 us, as Linux. */
static struct timeval remaining_tv(uint64_t ns)
{
	struct timeval tv = ns_to_timeval(ns);
	if (tv.tv_sec == 0 && tv.tv_usec == 0)
		tv.tv_usec = 1;
	return tv;
}

/* Read timer @which of @p into @out (proc_tree_lock held). */
static void itimer_get(struct process *p, struct proc_extra *e, int which, struct itimerval *out)
{
	*out = (struct itimerval){ { 0, 0 }, { 0, 0 } };
	if (!e)
		return;
	if (which == ITIMER_REAL) {
		unsigned long flags = spin_lock_irqsave(&time_lock);
		out->it_interval = ns_to_timeval(e->real_interval_ns);
		if (e->real_armed) {
			uint64_t now = clock_monotonic_ns();
			uint64_t d = e->real_deadline_ns, iv = e->real_interval_ns;
			/* Expired, next period not armed yet by the worker: what is left of that period. */
			uint64_t left = d > now ? d - now : iv ? iv - (now - d) % iv : 0;
			out->it_value = remaining_tv(left);
		}
		spin_unlock_irqrestore(&time_lock, flags);
		return;
	}
	struct cpu_itimer *c = &e->cpu[which - 1];
	out->it_interval = ns_to_timeval(c->interval_ns);
	if (c->armed) {
		uint64_t cpu = ktime_process_cpu_ns(p);
		out->it_value = remaining_tv(c->expires_ns > cpu ? c->expires_ns - cpu : 0);
	}
}

/* Set timer @which of the current process; old value to @old. 0 or -ENOMEM. */
static int itimer_set(int which, const struct itimerval *val, struct itimerval *old)
{
	ktime_init();
	struct process *p = process_current();
	uint64_t value = timeval_ns(&val->it_value), interval = timeval_ns(&val->it_interval);
	int err = 0;
	proc_tree_lock();
	struct proc_extra *e = proc_extra_find(p, value != 0 || interval != 0);
	itimer_get(p, e, which, old);
	if (!e) {
		if (value || interval)
			err = -ENOMEM;
		proc_tree_unlock();
		return err;
	}
	if (which == ITIMER_REAL) {
		unsigned long flags = spin_lock_irqsave(&time_lock);
		e->real_interval_ns = interval;
		e->real_fired = 0;
		e->real_rearm = false;
		if (value) {
			e->real_deadline_ns = wait_deadline_after(value);
			e->real_armed = true;
			timer_arm(&e->real_timer, e->real_deadline_ns);
		} else {
			e->real_armed = false;
			timer_cancel(&e->real_timer);
		}
		spin_unlock_irqrestore(&time_lock, flags);
	} else {
		struct cpu_itimer *c = &e->cpu[which - 1];
		c->interval_ns = interval;
		c->armed = value != 0;
		if (value) {
			/* Granularity is the tick: round up so it never fires early. */
			uint64_t ticks = (value + CLOCK_TICK_NS - 1) / CLOCK_TICK_NS;
			c->expires_ns = ktime_process_cpu_ns(p) + ticks * CLOCK_TICK_NS;
		}
	}
	proc_tree_unlock();
	if (which != ITIMER_REAL && value)
		time_worker_kick();	/* start polling */
	return 0;
}

int64_t sys_getitimer(int which, struct itimerval __user *value)
{
	if (which < ITIMER_REAL || which > ITIMER_PROF)
		return -EINVAL;
	struct process *p = process_current();
	struct itimerval v;
	proc_tree_lock();
	itimer_get(p, proc_extra_find(p, false), which, &v);
	proc_tree_unlock();
	if (copy_to_user(value, &v, sizeof(v)))
		return -EFAULT;
	return 0;
}

int64_t sys_setitimer(int which, const struct itimerval __user *value, struct itimerval __user *ovalue)
{
	struct itimerval v = { { 0, 0 }, { 0, 0 } }, old;
	/* A NULL new value disarms, as Linux still accepts (with a warning). */
	if (value && copy_from_user(&v, value, sizeof(v)))
		return -EFAULT;
	if (which < ITIMER_REAL || which > ITIMER_PROF)
		return -EINVAL;
	if (!timeval_ok(&v.it_value) || !timeval_ok(&v.it_interval))
		return -EINVAL;
	int err = itimer_set(which, &v, &old);
	if (err)
		return err;
	if (ovalue && copy_to_user(ovalue, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

int64_t sys_alarm(uint32_t seconds)
{
	struct itimerval v = { { 0, 0 }, { (int64_t)seconds, 0 } }, old;
	if (itimer_set(ITIMER_REAL, &v, &old))
		return 0;
	/* Round to the nearest second, and never report 0 for a pending alarm. */
	int64_t s = old.it_value.tv_sec;
	if ((s == 0 && old.it_value.tv_usec) || old.it_value.tv_usec >= 500000)
		s++;
	return s;
}
