/*
 * nanosleep and clock_nanosleep: interruptible sleeps to a monotonic
 * deadline. Linux restarts an interrupted relative sleep for the remaining
 * time through its restart_block; Cadre returns -ERESTARTNOHAND instead: a
 * handler sees EINTR with the remainder written back, and a signal without
 * handler (a stop and continue) restarts the call with its original
 * arguments, so a relative sleep starts over in full.
 */
#include <abi/errno.h>
#include <frame/clock.h>
#include <frame/vm_io.h>
#include <frame/wait.h>
#include <kernel/ktime.h>
#include <kernel/kwait.h>
#include <kernel/proc.h>
#include <kernel/syscalls.h>

/* Sleep until @deadline_ns (monotonic): 0, or -ERESTARTSYS if a signal came first. */
static int sleep_until(uint64_t deadline_ns)
{
	struct wait_queue wq;
	wait_queue_init(&wq);
	if (deadline_ns <= clock_monotonic_ns())
		return 0;
	int ret = wait_event_interruptible_until(&wq, false, deadline_ns);
	return ret == -ETIMEDOUT ? 0 : ret;
}

/* Sleep for @req (relative, @deadline_ns computed); write the rest to @rem_uaddr when interrupted. */
static int64_t do_sleep(uint64_t deadline_ns, bool relative, struct timespec __user *rem_uaddr)
{
	int ret = sleep_until(deadline_ns);
	if (ret == 0)
		return 0;
	if (relative && rem_uaddr) {
		uint64_t now = clock_monotonic_ns();
		struct timespec rem = ns_to_timespec(deadline_ns > now ? deadline_ns - now : 0);
		if (copy_to_user(rem_uaddr, &rem, sizeof(rem)))
			return -EFAULT;
	}
	return -ERESTARTNOHAND;
}

static uint64_t deadline_after(uint64_t ns)
{
	return wait_deadline_after(ns);
}

int64_t sys_nanosleep(const struct timespec __user *req, struct timespec __user *rem)
{
	struct timespec ts;
	int err = timespec_from_user(req, &ts);
	if (err)
		return err;
	return do_sleep(deadline_after(timespec_to_ns(&ts)), true, rem);
}

int64_t sys_clock_nanosleep(int clock, int flags, const struct timespec __user *req, struct timespec __user *rem)
{
	struct timespec probe;
	if (ktime_clock_read(clock, &probe))
		return -EINVAL;
	/* CPU-time, raw and coarse clocks cannot be slept on (Linux: no nsleep for them). */
	if (!ktime_clock_is_sleepable(clock))
		return -EOPNOTSUPP;
	struct timespec ts;
	int err = timespec_from_user(req, &ts);
	if (err)
		return err;
	uint64_t ns = timespec_to_ns(&ts);
	if (flags & TIMER_ABSTIME)
		return do_sleep(ktime_abs_to_monotonic(clock, ns), false, NULL);
	return do_sleep(deadline_after(ns), true, rem);
}
