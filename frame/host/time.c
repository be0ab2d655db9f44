/* Hosted frame clocks (frame/clock.h and arch_clock_ns) from the process's CLOCK_MONOTONIC/REALTIME. */
#include <time.h>

#include <frame/clock.h>
#include <frame/errno.h>
#include <internal/arch.h>

static uint64_t read_ns(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

/* "Boot" is process start, so monotonic time starts near 0 as in the kernel. */
static uint64_t start_ns;
static int64_t realtime_offset;

__attribute__((constructor)) static void clock_start(void)
{
	start_ns = read_ns(CLOCK_MONOTONIC);
	realtime_offset = (int64_t)(read_ns(CLOCK_REALTIME) - start_ns);
}

uint64_t arch_clock_ns(void)
{
	return read_ns(CLOCK_MONOTONIC) - start_ns;
}

uint64_t clock_monotonic_ns(void)
{
	return arch_clock_ns();
}

uint64_t clock_realtime_ns(void)
{
	return read_ns(CLOCK_MONOTONIC) + (uint64_t)realtime_offset;
}

int clock_realtime_set(uint64_t epoch_ns)
{
	realtime_offset = (int64_t)(epoch_ns - read_ns(CLOCK_MONOTONIC));
	return 0;
}

uint64_t clock_ticks(void)
{
	return arch_clock_ns() / CLOCK_TICK_NS;
}

void clock_delay_ns(uint64_t ns)
{
	uint64_t start = arch_clock_ns();
	while (arch_clock_ns() - start < ns)
		;
}

uint64_t clock_counter_hz(void)
{
	return NSEC_PER_SEC;
}
