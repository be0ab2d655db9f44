/* Hosted frame clock: nanoseconds since the process started, from CLOCK_MONOTONIC. */
#include <time.h>

#include <internal/arch.h>

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t start_ns;

__attribute__((constructor)) static void clock_start(void)
{
	start_ns = now_ns();
}

uint64_t arch_clock_ns(void)
{
	return now_ns() - start_ns;
}
