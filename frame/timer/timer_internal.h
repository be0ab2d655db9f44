/* Glue between the arch timer hardware and the arch-independent clocks and timers (frame-internal). */
#ifndef FRAME_TIMER_INTERNAL_H
#define FRAME_TIMER_INTERNAL_H

#include <frame/types.h>

/* Provided by the arch: fire timer_interrupt() at (or a little after) @deadline_ns. */
void arch_timer_program(uint64_t deadline_ns);

/* Called by the arch once the clock and the event source work: starts the tick. */
void timer_start(void);
/* Called by the arch from its timer interrupt, interrupts off, after acknowledging it. */
void timer_interrupt(void);

/* clock_realtime_ns() - clock_monotonic_ns(), for the vDSO's data. */
int64_t clock_realtime_offset(void);
/* Busy-wait of the arch that works before the clock is calibrated. */
void arch_early_delay_us(uint32_t us);
/* Counter frequency behind arch_clock_ns(). */
uint64_t arch_clock_hz(void);

#endif
