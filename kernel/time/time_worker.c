/*
 * The time worker: a kernel task that turns timer expiries into signals and
 * polls CPU time (ITIMER_VIRTUAL/PROF each tick while one is armed,
 * RLIMIT_CPU every 100 ms). Timer callbacks run in interrupt context and the
 * signal code walks process state under proc_tree_lock (a mutex), so signals
 * are sent from here rather than from the callbacks.
 */
#include <abi/resource.h>
#include <abi/signal.h>
#include <frame/clock.h>
#include <frame/log.h>
#include <frame/task.h>
#include <frame/wait.h>
#include <kernel/ktime.h>
#include <kernel/proc.h>
#include <kernel/signal.h>
#include "time_internal.h"

#define RLIMIT_POLL_NS (100 * NSEC_PER_MSEC)
#define IDLE_POLL_NS RLIMIT_POLL_NS

static struct wait_queue worker_wq;
static uint32_t worker_kicked;
static uint32_t worker_started;

void time_worker_kick(void)
{
	__atomic_store_n(&worker_kicked, 1, __ATOMIC_RELEASE);
	wait_wake_all(&worker_wq);
}

/* RLIMIT_CPU: SIGXCPU at the soft limit and each second after, SIGKILL at the hard limit. */
static void check_cpu_limit(struct process *p)
{
	uint64_t soft = p->rlim[RLIMIT_CPU].rlim_cur, hard = p->rlim[RLIMIT_CPU].rlim_max;
	if (soft == RLIM_INFINITY && hard == RLIM_INFINITY)
		return;
	uint64_t secs = ktime_process_cpu_ns(p) / NSEC_PER_SEC;
	if (hard != RLIM_INFINITY && secs >= hard) {
		signal_send_process(p, SIGKILL, NULL);
		return;
	}
	if (soft == RLIM_INFINITY || secs < soft)
		return;
	struct proc_extra *e = proc_extra_find(p, true);
	if (!e)
		return;
	if (secs >= (e->xcpu_next_s ? e->xcpu_next_s : soft)) {
		signal_send_process(p, SIGXCPU, NULL);
		e->xcpu_next_s = secs + 1;
	}
}

static int time_worker(void *arg)
{
	(void)arg;
	uint64_t next_rlimit_scan = 0;
	uint64_t poll_ns = IDLE_POLL_NS;
	for (;;) {
		wait_event_timeout(&worker_wq, __atomic_load_n(&worker_kicked, __ATOMIC_ACQUIRE),
				   poll_ns);
		__atomic_store_n(&worker_kicked, 0, __ATOMIC_RELEASE);
		bool cpu_timers = false;
		proc_tree_lock();
		for (struct proc_extra *e = proc_extra_first(); e; e = e->next) {
			struct process *p = process_find(e->pid);	/* live: proc_extra_first() checked */
			itimer_deliver(p, e);
			posix_timers_deliver(p, e);
			cpu_timers |= itimer_cpu_armed(e);
		}
		uint64_t now = clock_monotonic_ns();
		if (now >= next_rlimit_scan) {
			for (struct process *p = process_first(); p; p = process_next(p))
				if (p->state != PROC_ZOMBIE)
					check_cpu_limit(p);
			next_rlimit_scan = now + RLIMIT_POLL_NS;
		}
		proc_tree_unlock();
		poll_ns = cpu_timers ? CLOCK_TICK_NS : IDLE_POLL_NS;
	}
	return 0;
}

void ktime_init(void)
{
	if (__atomic_load_n(&worker_started, __ATOMIC_ACQUIRE))
		return;
	if (__atomic_exchange_n(&worker_started, 1, __ATOMIC_ACQ_REL))
		return;
	int err = task_create("ktimed", time_worker, NULL, TASK_PRIO_MAX, NULL);
	if (err) {
		pr_err("time: cannot start the time worker (%d)\n", err);
		__atomic_store_n(&worker_started, 0, __ATOMIC_RELEASE);
	}
}
