/* Frame-internal side of interrupt lines: message-signalled lines for the PCI layer, default triggers for routed INTx lines. */
#ifndef FRAME_INTERNAL_IRQ_H
#define FRAME_INTERNAL_IRQ_H

#include <frame/types.h>

/* What a device writes to raise a message-signalled interrupt. */
struct msi_msg {
	uint64_t address;
	uint32_t data;
};

/*
 * Masks or unmasks the device-side vector of an MSI line (the MSI-X table
 * entry); called by irq_line_request/free/mask/unmask with interrupts off.
 */
typedef void (*msi_mask_fn)(void *ctx, unsigned entry, bool masked);

/*
 * Allocate a message-signalled line (>= IRQ_MSI_BASE) whose device-side
 * mask is @mask(@ctx, @entry), and the message that raises it. The line
 * starts with no handler and masked. 0, or -ENOSPC when every MSI vector is
 * taken, -ENODEV without a local APIC.
 */
int irq_msi_alloc(msi_mask_fn mask, void *ctx, unsigned entry, unsigned *line,
		  struct msi_msg *msg);
/* Free an MSI line; its handlers are dropped (the device must be quiet). */
void irq_msi_free(unsigned line);

/*
 * Default trigger for a routed line (a PCI INTx pin reaching an ISA IRQ or a
 * GSI): what irq_line_request() uses when the caller gives no flags.
 */
void irq_line_set_default(unsigned line, bool level, bool active_low);

#endif
