/*
 * Interrupt lines and interrupt-disabled critical sections.
 *
 * A line is numbered like the platform's interrupt wiring: 0-15 are the
 * legacy ISA IRQs (the frame applies the firmware's overrides, e.g. the timer
 * IRQ 0 arriving at GSI 2), 16 and above are global system interrupts as
 * PCI/ACPI describe them. Lines from IRQ_MSI_BASE up are message-signalled
 * (PCI MSI-X): only the PCI layer hands them out (pci_irq_alloc() in
 * frame/pci.h), each belongs to one device vector, is edge-triggered and
 * masked at the device. Up to IRQ_MAX_HANDLERS handlers may share a line.
 *
 * Handlers run in interrupt context: with interrupts disabled, on the stack
 * of whatever was interrupted, and must not sleep or block. They are called in
 * registration order; the line is acknowledged after the last one returns.
 */
#ifndef FRAME_IRQ_H
#define FRAME_IRQ_H

#include <frame/types.h>

#define IRQ_MAX_HANDLERS 4
#define IRQ_MSI_BASE 256

/* Trigger/polarity for irq_line_request_flags(); 0 means the platform default. */
#define IRQ_TRIGGER_EDGE (1u << 0)
#define IRQ_TRIGGER_LEVEL (1u << 1)
#define IRQ_POLARITY_HIGH (1u << 2)
#define IRQ_POLARITY_LOW (1u << 3)

typedef void (*irq_handler_fn)(void *arg);

/*
 * Register @handler(@arg) on @line and unmask it. The caller keeps ownership
 * of @arg; it must stay valid until irq_line_free(). Defaults: ISA lines use
 * the firmware override or edge/active-high, lines >= 16 level/active-low.
 * Returns 0, -EINVAL (no such line, NULL handler), -EBUSY (line full or its
 * trigger mode conflicts), -ENODEV (no interrupt controller for it).
 */
int irq_line_request(unsigned line, irq_handler_fn handler, void *arg);
int irq_line_request_flags(unsigned line, unsigned flags, irq_handler_fn handler, void *arg);

/* Remove the (@handler, @arg) registration; the line is masked when none is left. 0 or -ENOENT. */
int irq_line_free(unsigned line, irq_handler_fn handler, void *arg);

/* Stop/resume delivery of @line (not nested). 0, -EINVAL, or -ENODEV. */
int irq_line_mask(unsigned line);
int irq_line_unmask(unsigned line);

/* Number of times @line's handlers ran since boot (0 for an unknown line). */
uint64_t irq_line_count(unsigned line);

/* Disable/enable interrupts on this CPU. */
void irq_disable(void);
void irq_enable(void);
/* True if interrupts are enabled on this CPU. */
bool irq_enabled(void);

/*
 * Critical section: irq_save() disables interrupts and returns the previous
 * state; irq_restore() puts it back. Nest by keeping each returned value.
 *
 *   unsigned long flags = irq_save();
 *   ...
 *   irq_restore(flags);
 */
unsigned long irq_save(void);
void irq_restore(unsigned long flags);

#endif
