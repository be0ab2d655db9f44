/* Arch-independent clocks (frame/clock.h): monotonic, wall clock offset, ticks, busy waits. */
#include <frame/clock.h>
#include <frame/errno.h>
#include <frame/irq.h>
#include <internal/arch.h>
#include <timer/timer_internal.h>

/* Wall clock = monotonic + this offset (0 until a service sets it, e.g. from the RTC: 1970 + uptime). */
static int64_t realtime_offset;

uint64_t clock_monotonic_ns(void)
{
	return arch_clock_ns();
}

uint64_t clock_counter_hz(void)
{
	return arch_clock_hz();
}

int64_t clock_realtime_offset(void)
{
	return realtime_offset;
}

uint64_t clock_realtime_ns(void)
{
	return arch_clock_ns() + (uint64_t)realtime_offset;
}

int clock_realtime_set(uint64_t epoch_ns)
{
	uint64_t now = arch_clock_ns();
	if (!now)
		return -EINVAL;
	unsigned long f = irq_save();
	realtime_offset = (int64_t)(epoch_ns - now);
	irq_restore(f);
	arch_vdso_update();
	return 0;
}

void clock_delay_ns(uint64_t ns)
{
	uint64_t start = arch_clock_ns();
	if (!start) {
		/* Before calibration: the arch's fixed-rate wait, rounded up to microseconds. */
		uint64_t us = (ns + 999) / 1000;
		while (us) {
			uint32_t chunk = us > 10000 ? 10000 : (uint32_t)us;
			arch_early_delay_us(chunk);
			us -= chunk;
		}
		return;
	}
	while (arch_clock_ns() - start < ns)
		__asm__ volatile("" ::: "memory");
}
