/* The vDSO's data page as the frame writes it and the vDSO's user code reads it (one layout, two sides). */
#ifndef ARCH_VDSO_DATA_H
#define ARCH_VDSO_DATA_H

#include <stdint.h>

/*
 * A sequence count guards the clock parameters: odd while the frame writes
 * them, so a reader retries when it saw an odd or changed count. The clock is
 * the frame's: monotonic ns = (rdtsc - tsc_base) * tsc_mult >> 64-bit shift 32,
 * realtime = monotonic + realtime_offset.
 */
struct vdso_data {
	uint32_t seq;
	uint32_t reserved;
	uint64_t tsc_base;
	uint64_t tsc_mult;		/* 0: no calibrated clock, the vDSO makes the system call */
	int64_t realtime_offset;
};

/* Pages of data before the image (Linux's [vvar] has four; the first holds struct vdso_data). */
#define VDSO_DATA_PAGES 4

#endif
