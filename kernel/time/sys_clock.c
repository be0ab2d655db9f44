/* The clock system calls: clock_gettime/getres/settime, gettimeofday/settimeofday, time. */
#include <abi/errno.h>
#include <frame/clock.h>
#include <frame/vm_io.h>
#include <kernel/ktime.h>
#include <kernel/proc.h>
#include <kernel/syscalls.h>
#include "time_internal.h"

static struct timezone sys_tz;

int64_t sys_clock_gettime(int clock, struct timespec __user *tp)
{
	struct timespec ts;
	int err = ktime_clock_read(clock, &ts);
	if (err)
		return err;
	if (copy_to_user(tp, &ts, sizeof(ts)))
		return -EFAULT;
	return 0;
}

int64_t sys_clock_getres(int clock, struct timespec __user *tp)
{
	int id = clock;
	struct timespec ts;
	int err = ktime_clock_read(id, &ts);	/* validates the id, CPU clocks of others included */
	if (err)
		return err;
	bool coarse = id == CLOCK_REALTIME_COARSE || id == CLOCK_MONOTONIC_COARSE;
	/* Linux reports high-resolution clocks at 1 ns, coarse ones at the tick. */
	ts = (struct timespec){ 0, coarse ? (int64_t)CLOCK_TICK_NS : 1 };
	if (tp && copy_to_user(tp, &ts, sizeof(ts)))
		return -EFAULT;
	return 0;
}

static bool may_set_time(void)
{
	return process_current()->cred.euid == 0;	/* CAP_SYS_TIME */
}

int64_t sys_clock_settime(int clock, const struct timespec __user *tp)
{
	int id = clock;
	struct timespec ts;
	if (copy_from_user(&ts, tp, sizeof(ts)))
		return -EFAULT;
	if (id == CLOCK_PROCESS_CPUTIME_ID || id == CLOCK_THREAD_CPUTIME_ID || id < 0)
		return id < 0 && ktime_clock_read(id, &(struct timespec){ 0, 0 }) ? -EINVAL : -EPERM;
	if (id != CLOCK_REALTIME)
		return -EINVAL;
	if (!timespec_valid(&ts) || ts.tv_sec >= KTIME_SEC_MAX / 2)
		return -EINVAL;
	if (!may_set_time())
		return -EPERM;
	return clock_realtime_set(timespec_to_ns(&ts));
}

int64_t sys_gettimeofday(struct timeval __user *utv, struct timezone __user *utz)
{
	if (utv) {
		struct timeval tv = ns_to_timeval(clock_realtime_ns());
		if (copy_to_user(utv, &tv, sizeof(tv)))
			return -EFAULT;
	}
	if (utz && copy_to_user(utz, &sys_tz, sizeof(sys_tz)))
		return -EFAULT;
	return 0;
}

int64_t sys_settimeofday(const struct timeval __user *utv, const struct timezone __user *utz)
{
	struct timeval tv;
	struct timezone tz;
	if (utv) {
		if (copy_from_user(&tv, utv, sizeof(tv)))
			return -EFAULT;
		if (tv.tv_sec < 0 || tv.tv_usec < 0 || tv.tv_usec >= (int64_t)(NSEC_PER_SEC / NSEC_PER_USEC) ||
		    tv.tv_sec >= KTIME_SEC_MAX / 2)
			return -EINVAL;
	}
	if (utz) {
		if (copy_from_user(&tz, utz, sizeof(tz)))
			return -EFAULT;
		if (tz.tz_minuteswest > 15 * 60 || tz.tz_minuteswest < -15 * 60)
			return -EINVAL;
	}
	if (!may_set_time())
		return -EPERM;
	if (utz)
		sys_tz = tz;
	if (utv)
		return clock_realtime_set((uint64_t)tv.tv_sec * NSEC_PER_SEC +
					  (uint64_t)tv.tv_usec * NSEC_PER_USEC);
	return 0;
}

int64_t sys_time(int64_t __user *tloc)
{
	int64_t now = (int64_t)(clock_realtime_ns() / NSEC_PER_SEC);
	if (tloc && put_user_u64((uint64_t)now, tloc))
		return -EFAULT;
	return now;
}
