/*
 * Clocks: a monotonic nanosecond clock, the wall clock, a periodic tick
 * counter, and busy waits. All are safe to call from any context, including
 * interrupt handlers, and cheap (a counter read and a multiply).
 */
#ifndef FRAME_CLOCK_H
#define FRAME_CLOCK_H

#include <frame/types.h>

/* Frequency of the periodic tick (clock_ticks()). */
#define CLOCK_TICK_HZ 250
#define CLOCK_TICK_NS (1000000000ull / CLOCK_TICK_HZ)

#define NSEC_PER_USEC 1000ull
#define NSEC_PER_MSEC 1000000ull
#define NSEC_PER_SEC 1000000000ull

/* Nanoseconds since boot; never goes backwards. 0 until time is initialised. */
uint64_t clock_monotonic_ns(void);

/*
 * Nanoseconds since 1970-01-01 00:00:00 UTC, advanced by the monotonic clock
 * from the last clock_realtime_set(): a service sets it at boot from a
 * real-time clock (Cadre: kernel/drivers/rtc_cmos.c); until then it reads as
 * 1970 plus the time since boot.
 */
uint64_t clock_realtime_ns(void);

/* Set the wall clock to @epoch_ns (settimeofday). 0, or -EINVAL before time init. */
int clock_realtime_set(uint64_t epoch_ns);

/* Ticks (CLOCK_TICK_HZ per second) since the tick started; Linux's jiffies. */
uint64_t clock_ticks(void);

/*
 * Busy-wait at least @ns nanoseconds without sleeping (works with interrupts
 * off and before time init, then less precisely). For short device delays.
 */
void clock_delay_ns(uint64_t ns);

/* Frequency of the counter behind the monotonic clock, in Hz (0 before init). */
uint64_t clock_counter_hz(void);

#endif
