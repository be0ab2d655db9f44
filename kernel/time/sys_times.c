/* times and getrusage: CPU time from the scheduler's tick accounting (all of it counted as user time). */
#include <abi/errno.h>
#include <abi/resource.h>
#include <frame/clock.h>
#include <frame/string.h>
#include <frame/vm_io.h>
#include <kernel/ktime.h>
#include <kernel/mm.h>
#include <kernel/proc.h>
#include <kernel/syscalls.h>

static int64_t ns_to_clock_t(uint64_t ns)
{
	return (int64_t)(ns / (NSEC_PER_SEC / USER_HZ));
}

int64_t sys_times(struct tms __user *buf)
{
	struct process *p = process_current();
	if (buf) {
		proc_tree_lock();
		struct tms t = {
			.tms_utime = ns_to_clock_t(ktime_process_cpu_ns(p)),
			.tms_stime = 0,
			.tms_cutime = ns_to_clock_t((p->child_utime_ticks + p->child_stime_ticks) *
						    CLOCK_TICK_NS),
			.tms_cstime = 0,
		};
		proc_tree_unlock();
		if (copy_to_user(buf, &t, sizeof(t)))
			return -EFAULT;
	}
	/* Linux counts from 300 s before the wrap of jiffies; any base will do: boot. */
	return ns_to_clock_t(clock_monotonic_ns());
}

int64_t sys_getrusage(int who, struct rusage __user *uru)
{
	struct process *p = process_current();
	uint64_t ns;
	switch (who) {
	case RUSAGE_SELF:
		proc_tree_lock();
		ns = ktime_process_cpu_ns(p);
		proc_tree_unlock();
		break;
	case RUSAGE_CHILDREN:
		proc_tree_lock();
		ns = (p->child_utime_ticks + p->child_stime_ticks) * CLOCK_TICK_NS;
		proc_tree_unlock();
		break;
	case RUSAGE_THREAD:
		ns = ktime_thread_cpu_ns(thread_current());
		break;
	default:
		return -EINVAL;
	}
	struct rusage ru;
	memset(&ru, 0, sizeof(ru));
	ru.ru_utime = ns_to_timeval(ns);
	if (copy_to_user(uru, &ru, sizeof(ru)))
		return -EFAULT;
	return 0;
}
