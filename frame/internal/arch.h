/*
 * Hooks every architecture provides to the frame's arch-independent code,
 * called by boot in this order: early console, cpu (descriptor tables,
 * exceptions), memory, acpi, interrupt controllers, time.
 */
#ifndef FRAME_INTERNAL_ARCH_H
#define FRAME_INTERNAL_ARCH_H

#include <frame/types.h>

/* Serial + VGA text console; usable before memory is set up. */
void arch_console_init(void);
void arch_console_write(const char *buf, size_t len);

/* GDT, TSS, IDT with all exception handlers, CPU features (SSE, NX, ...). */
void arch_cpu_init(void);

/* Find ACPI tables (@rsdp_hint from the boot loader, 0 to scan the BIOS area). */
void arch_acpi_init(paddr_t rsdp_hint);

/* Local APIC + IOAPIC, legacy PIC masked; interrupts enabled on return. */
void arch_irq_init(void);

/* TSC calibration, monotonic clock, RTC wall clock, periodic timer tick. */
void arch_time_init(void);

/*
 * The vDSO (frame/vdso.h): build its pages once memory and time are up;
 * update its clock data whenever the wall clock's offset changes (a no-op
 * before init or without a vDSO).
 */
void arch_vdso_init(void);
void arch_vdso_update(void);

/* Stop this CPU for good, interrupts off. */
_Noreturn void arch_halt(void);

/*
 * Leave QEMU with exit status (code << 1) | 1 through isa-debug-exit when the
 * device is present; returns if it is not.
 */
void arch_debug_exit(int code);

/* Nanoseconds since boot, from the calibrated clock; 0 before time init. */
uint64_t arch_clock_ns(void);

#endif
