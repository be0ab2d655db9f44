/*
 * Interval timers (their calls, alarm/setitimer/getitimer, are in
 * sys_itimer.c). ITIMER_REAL runs on a frame
 * timer whose callback (interrupt context) only records the expiry and wakes
 * the time worker, which sends SIGALRM from a task. ITIMER_VIRTUAL and
 * ITIMER_PROF count the process's total CPU time (the tick accounting does
 * not split user from system time) and are polled by the worker each tick.
 */
#include <abi/errno.h>
#include <abi/signal.h>
#include <frame/clock.h>
#include <frame/vm_io.h>
#include <kernel/ktime.h>
#include <kernel/proc.h>
#include <kernel/signal.h>
#include "time_internal.h"

void itimer_real_fire(void *arg)
{
	struct proc_extra *e = arg;
	spin_lock(&time_lock);
	if (e->real_armed) {
		e->real_fired++;
		if (e->real_interval_ns)
			e->real_rearm = true;	/* by the worker, after the signal */
		else
			e->real_armed = false;
	}
	spin_unlock(&time_lock);
	time_worker_kick();
}

bool itimer_cpu_armed(const struct proc_extra *e)
{
	return e->cpu[0].armed || e->cpu[1].armed;
}

void itimer_deliver(struct process *p, struct proc_extra *e)
{
	unsigned long flags = spin_lock_irqsave(&time_lock);
	uint32_t fired = e->real_fired;
	e->real_fired = 0;
	if (e->real_rearm && e->real_armed) {
		/* Missed periods are lost for itimers, as in Linux. */
		timer_next_period(&e->real_deadline_ns, e->real_interval_ns, clock_monotonic_ns());
		timer_arm(&e->real_timer, e->real_deadline_ns);
	}
	e->real_rearm = false;
	spin_unlock_irqrestore(&time_lock, flags);
	if (fired)
		signal_send_process(p, SIGALRM, NULL);

	if (!itimer_cpu_armed(e))
		return;
	uint64_t cpu = ktime_process_cpu_ns(p);
	static const int sigs[2] = { SIGVTALRM, SIGPROF };
	for (int i = 0; i < 2; i++) {
		struct cpu_itimer *c = &e->cpu[i];
		if (!c->armed || cpu < c->expires_ns)
			continue;
		signal_send_process(p, sigs[i], NULL);
		if (c->interval_ns) {
			c->expires_ns += c->interval_ns;
			if (c->expires_ns <= cpu)
				c->expires_ns = cpu + c->interval_ns;
		} else {
			c->armed = false;
		}
	}
}
