/* The CMOS RTC driver (kernel/drivers/rtc_cmos.c) in the test kernel: it sets a recent wall clock, and owns its ports. */
#include <frame/clock.h>
#include <frame/errno.h>
#include <frame/io_port.h>
#include <frame/ktest.h>
#include <kernel/rtc.h>

#define JAN_1_2024 1704067200ull

KTEST(rtc_wall_clock_is_recent)
{
	/* In-kernel tests run before kernel_main(), which calls it too; a second call is harmless. */
	KASSERT(rtc_cmos_init() == 0);
	KEXPECT_EQ(rtc_cmos_init(), 0);
	uint64_t now = clock_realtime_ns() / NSEC_PER_SEC;
	KEXPECT(now >= JAN_1_2024);
	KEXPECT(now < JAN_1_2024 + 100ull * 365 * 86400);
	/* The RTC read again agrees with the wall clock derived from it. */
	uint64_t rtc = rtc_cmos_read_epoch_ns() / NSEC_PER_SEC;
	KEXPECT(rtc + 2 >= now && rtc <= now + 2);
	/* The driver keeps the index/data pair: nobody else may interleave accesses. */
	struct io_port *p;
	KEXPECT_EQ(io_port_acquire(0x70, 1, &p), -EBUSY);
	KEXPECT(p == NULL);
}
