/* Private to kernel/time: the per-process timer records and the signal worker they feed. */
#ifndef KERNEL_TIME_INTERNAL_H
#define KERNEL_TIME_INTERNAL_H

#include <frame/spinlock.h>
#include <frame/timer.h>
#include <frame/types.h>
#include <kernel/ktime.h>

/* The largest second count a nanosecond time can hold (Linux's KTIME_SEC_MAX). */
#define KTIME_SEC_MAX (INT64_MAX / (int64_t)NSEC_PER_SEC)

struct process;

/* A timer_create() timer. Fields after `timer` change under time_lock. */
struct posix_timer {
	struct posix_timer *next;
	struct proc_extra *owner;
	int id;
	int clock;
	int notify;		/* SIGEV_SIGNAL, SIGEV_NONE, SIGEV_THREAD_ID */
	int signo;
	int tid;		/* SIGEV_THREAD_ID target */
	struct timer timer;
	uint64_t deadline_ns;	/* monotonic, while armed */
	uint64_t interval_ns;
	bool armed;
	bool rearm;		/* periodic and expired: the worker arms the next period */
	uint32_t fired;		/* expirations not yet turned into a signal */
	uint32_t overrun;	/* of the last signal sent (timer_getoverrun) */
};

/* The CPU-time interval timers, ITIMER_VIRTUAL and ITIMER_PROF (both on total CPU time). */
struct cpu_itimer {
	uint64_t expires_ns;	/* process CPU time at which it fires */
	uint64_t interval_ns;
	bool armed;
};

/*
 * What Cadre keeps per process beside struct process. The list and the
 * non-timer fields are guarded by proc_tree_lock; the fields the timer
 * callbacks touch (real_*, fired bits, posix timers' state) by time_lock.
 */
struct proc_extra {
	struct proc_extra *next;
	int pid;
	uint64_t start_ns;
	struct proc_misc misc;
	struct timer real_timer;
	uint64_t real_deadline_ns;
	uint64_t real_interval_ns;
	bool real_armed;
	bool real_rearm;	/* periodic and expired: the worker arms the next period */
	uint32_t real_fired;
	struct cpu_itimer cpu[2];	/* [0] ITIMER_VIRTUAL, [1] ITIMER_PROF */
	uint64_t xcpu_next_s;		/* RLIMIT_CPU: CPU second of the next SIGXCPU (0: soft limit) */
	struct posix_timer *timers;
	int next_timer_id;
};

/* Irq-saving: timer callbacks take it. */
extern spinlock_t time_lock;

/* @p's record (created if @create), caller holds proc_tree_lock; NULL if none / no memory. */
struct proc_extra *proc_extra_find(struct process *p, bool create);
/* Disarm every timer of @e and free it (unlinked already; proc_tree_lock held). */
void proc_extra_free(struct proc_extra *e);
/* First record, for the worker's scan (proc_tree_lock held); removes records of dead processes. */
struct proc_extra *proc_extra_first(void);

/* Wake the worker: a timer fired, or a CPU timer was armed (polling starts). Irq-safe. */
void time_worker_kick(void);

/*
 * Periodic timers are re-armed by the worker, never by their interrupt-time
 * callback: with a 1 ns interval the callback re-arming itself (or counting
 * missed periods one by one) kept the CPU in interrupts for good, whatever
 * user program asked for it. The next deadline is the first period boundary
 * after now (missed ones counted by division) and at least TIMER_MIN_REARM_NS
 * away. Returns the periods missed besides the one that fired. time_lock held.
 */
#define TIMER_MIN_REARM_NS 100000ull
uint64_t timer_next_period(uint64_t *deadline, uint64_t interval, uint64_t now);

/* Timer callbacks (arg: the proc_extra / posix_timer). */
void itimer_real_fire(void *arg);
void posix_timer_fire(void *arg);

/* Work of the worker for one live process (proc_tree_lock held). */
void itimer_deliver(struct process *p, struct proc_extra *e);
bool itimer_cpu_armed(const struct proc_extra *e);
void posix_timers_deliver(struct process *p, struct proc_extra *e);
void posix_timers_free(struct proc_extra *e);
/* Stop @pt and forget its pending expiries. */
void posix_timer_disarm(struct posix_timer *pt);

#endif
