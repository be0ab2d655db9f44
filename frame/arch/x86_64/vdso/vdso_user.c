/*
 * The vDSO's code: user-mode functions every program gets mapped (Linux's
 * x86_64 set, version LINUX_2.6). The clocks the frame keeps in the data
 * page are answered here from the TSC; anything else is the system call.
 * Built as a position-independent shared object with no relocations.
 */
#include <stdint.h>
#include "vdso_data.h"

struct timespec_u {
	int64_t tv_sec;
	int64_t tv_nsec;
};
struct timeval_u {
	int64_t tv_sec;
	int64_t tv_usec;
};

/* Placed by the linker script VDSO_DATA_PAGES pages before the image. */
extern const struct vdso_data vdso_data __attribute__((visibility("hidden")));

#define NR_gettimeofday 96
#define NR_time 201
#define NR_clock_gettime 228
#define NR_clock_getres 229
#define NR_getcpu 309

static long sys3(long nr, long a, long b, long c)
{
	long ret;
	__asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return ret;
}

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* The frame's clock: 0 and *ns, or -1 when it has none (the caller makes the system call). */
static int clock_ns(int realtime, uint64_t *ns)
{
	const struct vdso_data *d = &vdso_data;
	uint32_t seq;
	uint64_t base, mult, t;
	int64_t off;
	do {
		seq = __atomic_load_n(&d->seq, __ATOMIC_ACQUIRE);
		base = __atomic_load_n(&d->tsc_base, __ATOMIC_RELAXED);
		mult = __atomic_load_n(&d->tsc_mult, __ATOMIC_RELAXED);
		off = __atomic_load_n(&d->realtime_offset, __ATOMIC_RELAXED);
		t = rdtsc();
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
	} while ((seq & 1) || seq != __atomic_load_n(&d->seq, __ATOMIC_RELAXED));
	if (!mult)
		return -1;
	*ns = (uint64_t)(((unsigned __int128)(t - base) * mult) >> 32);
	if (realtime)
		*ns += (uint64_t)off;
	return 0;
}

/* Which clocks the data page answers: the kernel's CLOCK_* ids it derives from the same two clocks. */
static int clock_kind(long clock)
{
	switch (clock) {
	case 0:		/* CLOCK_REALTIME */
	case 5:		/* CLOCK_REALTIME_COARSE */
	case 11:	/* CLOCK_TAI */
		return 1;
	case 1:		/* CLOCK_MONOTONIC */
	case 4:		/* CLOCK_MONOTONIC_RAW */
	case 6:		/* CLOCK_MONOTONIC_COARSE */
	case 7:		/* CLOCK_BOOTTIME */
		return 0;
	default:
		return -1;
	}
}

int __vdso_clock_gettime(long clock, struct timespec_u *ts)
{
	int kind = clock_kind(clock);
	uint64_t ns;
	if (kind < 0 || clock_ns(kind, &ns))
		return (int)sys3(NR_clock_gettime, clock, (long)ts, 0);
	ts->tv_sec = (int64_t)(ns / 1000000000u);
	ts->tv_nsec = (int64_t)(ns % 1000000000u);
	return 0;
}

int __vdso_gettimeofday(struct timeval_u *tv, void *tz)
{
	uint64_t ns;
	/* The time zone lives in the kernel: ask it then. */
	if (tz || clock_ns(1, &ns))
		return (int)sys3(NR_gettimeofday, (long)tv, (long)tz, 0);
	if (tv) {
		tv->tv_sec = (int64_t)(ns / 1000000000u);
		tv->tv_usec = (int64_t)(ns % 1000000000u / 1000u);
	}
	return 0;
}

int64_t __vdso_time(int64_t *t)
{
	uint64_t ns;
	if (clock_ns(1, &ns))
		return sys3(NR_time, (long)t, 0, 0);
	int64_t s = (int64_t)(ns / 1000000000u);
	if (t)
		*t = s;
	return s;
}

/* Which CPU runs the caller is the scheduler's to say: the system call answers. */
long __vdso_getcpu(unsigned *cpu, unsigned *node, void *cache)
{
	return sys3(NR_getcpu, (long)cpu, (long)node, (long)cache);
}

int __vdso_clock_getres(long clock, struct timespec_u *res)
{
	return (int)sys3(NR_clock_getres, clock, (long)res, 0);
}

int clock_gettime(long, struct timespec_u *) __attribute__((weak, alias("__vdso_clock_gettime")));
int gettimeofday(struct timeval_u *, void *) __attribute__((weak, alias("__vdso_gettimeofday")));
int64_t time(int64_t *) __attribute__((weak, alias("__vdso_time")));
long getcpu(unsigned *, unsigned *, void *) __attribute__((weak, alias("__vdso_getcpu")));
int clock_getres(long, struct timespec_u *) __attribute__((weak, alias("__vdso_clock_getres")));
