/*
 * POSIX per-process timers (their calls, timer_create/settime/gettime/
 * getoverrun/delete, are in sys_timer.c) on the wall and monotonic clocks. Expiries are counted in interrupt
 * context and turned into one signal per batch by the time worker; the
 * extra expiries of a batch are the overrun. Timers on CPU-time clocks are
 * not supported (EINVAL).
 */
#include <abi/errno.h>
#include <abi/sigevent.h>
#include <abi/signal.h>
#include <frame/clock.h>
#include <frame/heap.h>
#include <frame/vm_io.h>
#include <kernel/ktime.h>
#include <kernel/proc.h>
#include <kernel/signal.h>
#include "time_internal.h"

#define SI_TIMER (-2)

void posix_timer_fire(void *arg)
{
	struct posix_timer *pt = arg;
	spin_lock(&time_lock);
	if (pt->armed) {
		pt->fired++;
		if (pt->interval_ns)
			pt->rearm = true;	/* by the worker, which counts missed periods */
		else
			pt->armed = false;
	}
	spin_unlock(&time_lock);
	time_worker_kick();
}

void posix_timers_deliver(struct process *p, struct proc_extra *e)
{
	for (struct posix_timer *pt = e->timers; pt; pt = pt->next) {
		unsigned long flags = spin_lock_irqsave(&time_lock);
		if (pt->rearm && pt->armed) {
			uint64_t missed = timer_next_period(&pt->deadline_ns, pt->interval_ns,
							    clock_monotonic_ns());
			pt->fired = (uint32_t)MIN((uint64_t)pt->fired + missed, (uint64_t)INT32_MAX);
			timer_arm(&pt->timer, pt->deadline_ns);
		}
		pt->rearm = false;
		uint32_t fired = pt->fired;
		pt->fired = 0;
		if (fired)
			pt->overrun = fired - 1;
		spin_unlock_irqrestore(&time_lock, flags);
		if (!fired || pt->notify == SIGEV_NONE)
			continue;
		/* si_tid and si_overrun share si_pid's and si_uid's places. */
		struct ksiginfo info = { .signo = pt->signo, .code = SI_TIMER, .pid = pt->id,
					 .uid = pt->overrun };
		if (pt->notify == SIGEV_THREAD_ID) {
			struct thread *t = thread_find(pt->tid);
			if (t && t->proc == p)
				signal_send_thread(t, pt->signo, &info);
		} else {
			signal_send_process(p, pt->signo, &info);
		}
	}
}

uint64_t timer_next_period(uint64_t *deadline, uint64_t interval, uint64_t now)
{
	uint64_t missed = 0, next = *deadline + interval;
	if (next <= now) {
		missed = (now - *deadline) / interval;
		next = *deadline + (missed + 1) * interval;
	}
	if (next < now + TIMER_MIN_REARM_NS)
		next = now + TIMER_MIN_REARM_NS;
	*deadline = next;
	return missed;
}

void posix_timer_disarm(struct posix_timer *pt)
{
	unsigned long flags = spin_lock_irqsave(&time_lock);
	timer_cancel(&pt->timer);
	pt->armed = false;
	pt->rearm = false;
	pt->fired = 0;
	spin_unlock_irqrestore(&time_lock, flags);
}

void posix_timers_free(struct proc_extra *e)
{
	while (e->timers) {
		struct posix_timer *pt = e->timers;
		e->timers = pt->next;
		posix_timer_disarm(pt);
		kfree(pt);
	}
}
