/* kernel/time in the test kernel: timespec checks and conversions, clock ids, realtime-to-monotonic deadlines. */
#include <abi/time.h>
#include <frame/clock.h>
#include <frame/errno.h>
#include <frame/ktest.h>
#include <frame/sched.h>
#include <kernel/ktime.h>

KTEST(time_timespec_checks)
{
	KEXPECT(timespec_valid(&(struct timespec){ 0, 0 }));
	KEXPECT(timespec_valid(&(struct timespec){ 5, 999999999 }));
	KEXPECT(!timespec_valid(&(struct timespec){ 0, 1000000000 }));
	KEXPECT(!timespec_valid(&(struct timespec){ 0, -1 }));
	KEXPECT(!timespec_valid(&(struct timespec){ -1, 0 }));
	KEXPECT_EQ(timespec_to_ns(&(struct timespec){ 2, 5 }), 2000000005);
	KEXPECT_EQ(timespec_to_ns(&(struct timespec){ INT64_MAX, 0 }), INT64_MAX);	/* saturates */
	struct timespec t = ns_to_timespec(3 * NSEC_PER_SEC + 7);
	KEXPECT_EQ(t.tv_sec, 3);
	KEXPECT_EQ(t.tv_nsec, 7);
	struct timeval v = ns_to_timeval(NSEC_PER_SEC + 1999);
	KEXPECT_EQ(v.tv_sec, 1);
	KEXPECT_EQ(v.tv_usec, 1);
}

KTEST(time_clock_ids)
{
	struct timespec a, b;
	KEXPECT_EQ(ktime_clock_read(CLOCK_MONOTONIC, &a), 0);
	sched_sleep_ns(2 * NSEC_PER_MSEC);
	KEXPECT_EQ(ktime_clock_read(CLOCK_MONOTONIC, &b), 0);
	KEXPECT(timespec_to_ns(&b) - timespec_to_ns(&a) >= 2 * NSEC_PER_MSEC);
	KEXPECT_EQ(ktime_clock_read(CLOCK_REALTIME, &a), 0);
	KEXPECT(a.tv_sec > 1600000000);	/* the RTC holds a real date */
	KEXPECT_EQ(ktime_clock_read(CLOCK_BOOTTIME, &a), 0);
	KEXPECT_EQ(ktime_clock_read(10, &a), -EINVAL);	/* 10 was never a clock id */
	KEXPECT_EQ(ktime_clock_read(12345, &a), -EINVAL);
	KEXPECT_EQ(ktime_clock_read(-8 | 3, &a), -EINVAL);	/* CPU clock type 3 */
	KEXPECT(ktime_clock_is_sleepable(CLOCK_MONOTONIC));
	KEXPECT(!ktime_clock_is_sleepable(CLOCK_MONOTONIC_RAW));
	KEXPECT(!ktime_clock_is_sleepable(CLOCK_THREAD_CPUTIME_ID));
}

KTEST(time_abs_deadlines)
{
	uint64_t mono = clock_monotonic_ns(), rt = clock_realtime_ns();
	/* A monotonic absolute time is its own deadline. */
	KEXPECT_EQ(ktime_abs_to_monotonic(CLOCK_MONOTONIC, 12345), 12345);
	/* Realtime one second ahead: about one second ahead on the monotonic clock. */
	uint64_t d = ktime_abs_to_monotonic(CLOCK_REALTIME, rt + NSEC_PER_SEC);
	KEXPECT(d >= mono + NSEC_PER_SEC - 50 * NSEC_PER_MSEC && d <= mono + NSEC_PER_SEC + 50 * NSEC_PER_MSEC);
	/* A realtime moment in the past is already due. */
	KEXPECT(ktime_abs_to_monotonic(CLOCK_REALTIME, rt - NSEC_PER_SEC) <= clock_monotonic_ns());
	/* Far future saturates instead of wrapping. */
	KEXPECT(ktime_abs_to_monotonic(CLOCK_REALTIME, UINT64_MAX) > mono);
}
