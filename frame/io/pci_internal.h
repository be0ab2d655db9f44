/* Frame-internal side of PCI: how the arch reaches configuration space and routes INTx pins. */
#ifndef FRAME_IO_PCI_INTERNAL_H
#define FRAME_IO_PCI_INTERNAL_H

#include <frame/types.h>

/* Where a function sits. */
struct pci_loc {
	uint16_t segment;
	uint8_t bus, slot, function;
};

/*
 * Set up configuration access; returns the size of each function's
 * configuration space (4096 with ECAM, 256 with the legacy mechanism), 0 if
 * the machine has no PCI. Called once, in task context. @first_bus and
 * @last_bus get the buses the mechanism reaches.
 */
unsigned arch_pci_init(uint8_t *first_bus, uint8_t *last_bus);

/*
 * One naturally aligned configuration access of @width bytes (1, 2, 4) at
 * @off; the caller has checked both. Usable with interrupts off.
 */
uint32_t arch_pci_read(const struct pci_loc *loc, unsigned off, unsigned width);
void arch_pci_write(const struct pci_loc *loc, unsigned off, unsigned width, uint32_t val);

/*
 * The irq line (frame/irq.h numbering) an INTx pin of a root-bus slot
 * reaches: @pin 1-4 after swizzling through any bridges, @root_slot the
 * slot on the root bus it enters at, @intline the function's Interrupt
 * Line register as firmware left it. Sets the trigger in *@level and
 * *@active_low. 0 or -ENODEV when the chipset's routing is unknown.
 */
int arch_pci_intx_route(uint8_t root_slot, uint8_t pin, uint8_t intline, unsigned *line,
			bool *level, bool *active_low);

/* ECAM bounds the frame must keep from io_mem_acquire() (0, 0 without ECAM). */
void arch_pci_ecam_range(paddr_t *start, paddr_t *end);

#endif
