/* Clocks by Linux clock id (wall, monotonic, boot, CPU time); their system calls are in sys_clock.c. */
#include <abi/errno.h>
#include <frame/clock.h>
#include <frame/task.h>
#include <frame/vm_io.h>
#include <kernel/ktime.h>
#include <kernel/proc.h>
#include "time_internal.h"

/* CPU clock ids of other processes and threads, as clock_getcpuclockid() builds them. */
#define CPUCLOCK_PERTHREAD 4
#define CPUCLOCK_TYPE_MASK 3
#define CPUCLOCK_MAX_TYPE 3

uint64_t timespec_to_ns(const struct timespec *t)
{
	if ((uint64_t)t->tv_sec >= (uint64_t)KTIME_SEC_MAX)
		return INT64_MAX;
	return (uint64_t)t->tv_sec * NSEC_PER_SEC + (uint64_t)t->tv_nsec;
}

struct timespec ns_to_timespec(uint64_t ns)
{
	return (struct timespec){ (int64_t)(ns / NSEC_PER_SEC), (int64_t)(ns % NSEC_PER_SEC) };
}

struct timeval ns_to_timeval(uint64_t ns)
{
	return (struct timeval){ (int64_t)(ns / NSEC_PER_SEC),
				 (int64_t)(ns % NSEC_PER_SEC / NSEC_PER_USEC) };
}

bool timespec_valid(const struct timespec *t)
{
	return t->tv_sec >= 0 && t->tv_nsec >= 0 && t->tv_nsec < (int64_t)NSEC_PER_SEC;
}

int timespec_from_user(const struct timespec __user *uts, struct timespec *out)
{
	if (copy_from_user(out, uts, sizeof(*out)))
		return -EFAULT;
	return timespec_valid(out) ? 0 : -EINVAL;
}

uint64_t ktime_thread_cpu_ns(struct thread *t)
{
	return t && t->task ? task_cpu_ticks(t->task) * CLOCK_TICK_NS : 0;
}

uint64_t ktime_process_cpu_ns(struct process *p)
{
	uint64_t ticks = p->utime_ticks + p->stime_ticks;
	for (struct thread *t = p->threads; t; t = t->next)
		if (t->task)
			ticks += task_cpu_ticks(t->task);
	return ticks * CLOCK_TICK_NS;
}

/* A CPU clock named by pid/tid (negative ids): 0 or -EINVAL. */
static int cpu_clock_read(int id, uint64_t *ns)
{
	int type = id & CPUCLOCK_TYPE_MASK;
	int pid = ~(id >> 3);
	if (type >= CPUCLOCK_MAX_TYPE)
		return -EINVAL;
	int err = 0;
	proc_tree_lock();
	if (id & CPUCLOCK_PERTHREAD) {
		struct thread *t = pid ? thread_find(pid) : thread_current();
		if (!t || t->proc != process_current())
			err = -EINVAL;	/* Linux: only threads of the caller's group */
		else
			*ns = ktime_thread_cpu_ns(t);
	} else {
		struct process *p = pid ? process_find(pid) : process_current();
		if (!p || p->state == PROC_ZOMBIE)
			err = -EINVAL;
		else
			*ns = ktime_process_cpu_ns(p);
	}
	proc_tree_unlock();
	return err;
}

int ktime_clock_read(int id, struct timespec *out)
{
	uint64_t ns;
	switch (id) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_REALTIME_ALARM:
	case CLOCK_TAI:		/* TAI offset 0 until adjtimex sets one */
		ns = clock_realtime_ns();
		break;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:	/* no suspend: boot time is monotonic time */
	case CLOCK_BOOTTIME_ALARM:
		ns = clock_monotonic_ns();
		break;
	case CLOCK_PROCESS_CPUTIME_ID: {
		struct process *p = process_current();
		proc_tree_lock();
		ns = ktime_process_cpu_ns(p);
		proc_tree_unlock();
		break;
	}
	case CLOCK_THREAD_CPUTIME_ID:
		ns = ktime_thread_cpu_ns(thread_current());
		break;
	default:
		if (id >= 0)
			return -EINVAL;
		int err = cpu_clock_read(id, &ns);
		if (err)
			return err;
		break;
	}
	*out = ns_to_timespec(ns);
	return 0;
}

bool ktime_clock_is_sleepable(int id)
{
	return id == CLOCK_REALTIME || id == CLOCK_MONOTONIC || id == CLOCK_BOOTTIME ||
	       id == CLOCK_TAI || id == CLOCK_REALTIME_ALARM || id == CLOCK_BOOTTIME_ALARM;
}

uint64_t ktime_abs_to_monotonic(int id, uint64_t abs_ns)
{
	if (id == CLOCK_REALTIME || id == CLOCK_TAI || id == CLOCK_REALTIME_ALARM) {
		uint64_t rt = clock_realtime_ns(), mono = clock_monotonic_ns();
		if (abs_ns <= rt)
			return mono > 0 ? mono - 1 : 0;
		uint64_t d = abs_ns - rt;
		return mono + d < mono ? UINT64_MAX : mono + d;
	}
	return abs_ns;
}
