/* x86_64 time sources inside the frame: TSC, PIT, HPET, and the LAPIC timer glue. */
#ifndef ARCH_TIME_H
#define ARCH_TIME_H

#include <frame/types.h>

/* PIT channel 2 (speaker gate, no interrupt): busy-wait @us microseconds (<= 50000). */
void pit_wait_us(uint32_t us);

/* HPET: map it from the ACPI table and start its counter. false if there is none. */
bool hpet_init(void);
bool hpet_present(void);
uint64_t hpet_counter(void);
/* Counter frequency in Hz (from the femtosecond period). */
uint64_t hpet_hz(void);

/* TSC: remember the boot instant (arch_cpu_init), calibrate against the HPET, else the PIT. */
void tsc_mark_boot(void);
void tsc_calibrate(void);
uint64_t tsc_hz(void);
/* The monotonic clock's formula, ns = (tsc - *base) * *mult >> 32 (*mult 0 before calibration), for the vDSO. */
void tsc_params(uint64_t *base, uint64_t *mult);
/* Convert a TSC delta to nanoseconds (0 before calibration). */
uint64_t tsc_delta_to_ns(uint64_t delta);

/* LAPIC timer event source: set up the vector and the first tick. */
void arch_timer_init(void);

#endif
