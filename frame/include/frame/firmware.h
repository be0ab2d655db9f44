/*
 * Facts from the firmware's tables that device drivers need and cannot
 * probe. The frame parses the tables (ACPI on x86_64) because it needs them
 * itself to bring the machine up; drivers read what concerns them here.
 */
#ifndef FRAME_FIRMWARE_H
#define FRAME_FIRMWARE_H

#include <frame/types.h>

/*
 * CMOS index of the real-time clock's century register (ACPI FADT CENTURY),
 * or 0 when the firmware names none (the RTC then keeps two-digit years).
 */
uint8_t firmware_rtc_century_index(void);

#endif
