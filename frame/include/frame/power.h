/* Machine power control: turn off or restart the whole machine. */
#ifndef FRAME_POWER_H
#define FRAME_POWER_H

/*
 * Turn the machine off (ACPI S5). Under QEMU this ends the emulator with exit
 * status 0. If no method works, the CPU halts with interrupts off.
 */
_Noreturn void power_off(void);

/*
 * Restart the machine: ACPI reset register, then the keyboard controller,
 * then a triple fault. Under QEMU with -no-reboot this ends the emulator.
 */
_Noreturn void power_reboot(void);

#endif
