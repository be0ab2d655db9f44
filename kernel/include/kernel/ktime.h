/*
 * Time services shared by the time, misc and futex system calls: clock reads
 * by Linux clock id, user timespec/timeval checks, CPU-time accounting, and
 * the per-process state (interval and POSIX timers, nice, prctl flags) kept
 * beside struct process, keyed by (pid, start time), until it moves into it.
 */
#ifndef KERNEL_KTIME_H
#define KERNEL_KTIME_H

#include <abi/time.h>
#include <frame/compiler.h>
#include <frame/types.h>

struct process;
struct thread;

/* Linux's USER_HZ: the unit of times(2) and /proc tick counts. */
#define USER_HZ 100

/* @t as nanoseconds (callers validated it), saturating at INT64_MAX. */
uint64_t timespec_to_ns(const struct timespec *t);
struct timespec ns_to_timespec(uint64_t ns);
struct timeval ns_to_timeval(uint64_t ns);
/* True if 0 <= tv_nsec < 1e9 and tv_sec >= 0, as Linux's timespec64_valid(). */
bool timespec_valid(const struct timespec *t);

/* Copy a struct timespec from user memory: 0, -EFAULT, or -EINVAL if not timespec_valid(). */
int timespec_from_user(const struct timespec __user *uts, struct timespec *out);

/*
 * Read clock @id for the current thread: 0, or -EINVAL for an id Linux does
 * not have (per-process/thread CPU clock ids encoded from pids are refused).
 */
int ktime_clock_read(int id, struct timespec *out);
/* True for the ids clock_nanosleep and timer_create accept (wall and monotonic families). */
bool ktime_clock_is_sleepable(int id);
/*
 * Monotonic deadline for an absolute time @abs_ns on clock @id (realtime ids
 * are translated at the current offset). Past times give a past deadline.
 */
uint64_t ktime_abs_to_monotonic(int id, uint64_t abs_ns);

/* CPU time in nanoseconds (scheduler ticks, CLOCK_TICK_NS each). */
uint64_t ktime_thread_cpu_ns(struct thread *t);
/* All threads, live and exited; the caller holds proc_tree_lock. */
uint64_t ktime_process_cpu_ns(struct process *p);

/*
 * Start the kernel task that delivers timer signals and polls CPU-time
 * limits (ITIMER_VIRTUAL/PROF, RLIMIT_CPU). Idempotent; the time system
 * calls call it too, so calling it from kernel_main only makes RLIMIT_CPU
 * watched before the first one.
 */
void ktime_init(void);

/*
 * Hooks for the process core: fork copies what a child inherits (nice,
 * dumpable, no_new_privs; not timers), exit drops timers and state. Both are
 * optional: state of dead processes is also reclaimed lazily.
 */
void proc_extra_fork(struct process *parent, struct process *child);
void proc_extra_exit(struct process *p);

/* Per-process scheduling and prctl state (misc system calls); caller holds proc_tree_lock. */
struct proc_misc {
	int nice;		/* -20..19 */
	int pdeath_signal;
	int dumpable;		/* 0..2 */
	bool no_new_privs;
	int sched_policy;	/* recorded only: every task runs under the frame's policy */
	int sched_priority;
	uint32_t personality;
};
/* @p's state, created on first use (NULL only when out of memory: the caller sees defaults). */
struct proc_misc *proc_misc_get(struct process *p);
/* Read-only view: @p's state or the defaults. */
struct proc_misc proc_misc_peek(struct process *p);

#endif
