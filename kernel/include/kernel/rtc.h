/* The CMOS real-time clock driver (kernel/drivers/rtc_cmos.c): the wall clock's source at boot. */
#ifndef KERNEL_RTC_H
#define KERNEL_RTC_H

#include <frame/types.h>

/*
 * Take the CMOS ports (once) and set the wall clock (clock_realtime_set) from
 * the RTC. Task context; called by kernel_main() and may be called again.
 * Returns 0, -EBUSY (ports taken), -ENODEV (the clock holds no valid time),
 * -ENOMEM.
 */
int rtc_cmos_init(void);

/* The RTC's time as Unix nanoseconds (whole seconds), 0 if unreadable or before rtc_cmos_init(). */
uint64_t rtc_cmos_read_epoch_ns(void);

#endif
