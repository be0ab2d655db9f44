/* PCI devices for services: the frame's enumeration, exclusive device handles, checked configuration access, BARs as io_mem/io_port, interrupts as irq lines, bus mastering. */
#ifndef FRAME_PCI_H
#define FRAME_PCI_H

#include <frame/io_mem.h>
#include <frame/io_port.h>
#include <frame/types.h>

/*
 * The frame finds every PCI function once, at the first call of this API:
 * through the PCIe ECAM that ACPI's MCFG table describes (q35 and real
 * machines), or configuration mechanism #1 (ports 0xcf8-0xcff) when there is
 * none (QEMU's -machine pc). It walks bus 0 and every bus behind a bridge as
 * firmware numbered them; BARs are used as firmware assigned them.
 *
 * A driver (a service) picks functions by their identity (pci_device_info())
 * and claims one (pci_device_claim()): from then on it alone may map the
 * function's BARs, take its interrupts and let it master the bus. It never
 * writes the header, the BARs or the interrupt capabilities itself: the
 * calls below do, so a driver cannot point a BAR over RAM or aim an MSI at
 * another vector. DMA memory comes from frame/dma.h.
 *
 *   struct pci_info info;
 *   for (size_t i = 0; pci_device_info(i, &info) == 0; i++) {
 *           if (info.vendor != 0x1af4 || info.device != 0x1042)
 *                   continue;
 *           struct pci_device *dev;
 *           if (pci_device_claim(i, "virtio-blk", &dev))
 *                   continue;
 *           struct io_mem *regs;
 *           int err = pci_bar_map_mem(dev, 4, 0, 0x4000, &regs);
 *           unsigned lines[2], n;
 *           err = err ?: pci_irq_alloc(dev, 2, PCI_IRQ_MSIX | PCI_IRQ_INTX, lines, &n);
 *           err = err ?: irq_line_request(lines[0], my_handler, my_state);
 *           err = err ?: pci_set_bus_master(dev, true);
 *           ...
 *   }
 *
 * Calls allocate and may sleep: call them from task context. The config
 * accessors may also be called from interrupt handlers.
 */
struct pci_device;

/* What enumeration learned of one function; a copy, stable for the boot. */
struct pci_info {
	uint16_t segment;
	uint8_t bus, slot, function;
	uint16_t vendor, device;
	uint16_t subsystem_vendor, subsystem_device;
	uint8_t class_code, subclass, prog_if, revision;
	uint8_t header_type;	/* 0 device, 1 PCI-PCI bridge, 2 CardBus (bit 7 cleared) */
	uint8_t irq_pin;	/* 0 none, 1-4 INTA#-INTD# */
	bool has_msix;		/* an MSI-X capability */
	bool pcie;		/* a PCI Express capability */
	bool claimed;		/* some driver holds it */
};

/*
 * Copy the identity of the @index-th function (0, 1, ... in bus order) into
 * *@out. Returns 0, -ENOENT past the last one, -EINVAL for NULL @out.
 */
int pci_device_info(size_t index, struct pci_info *out);
/* Number of functions found. */
size_t pci_device_count(void);

/*
 * Take the @index-th function for the driver named @owner (kept for the
 * log; a static string). The handle is the driver's until
 * pci_device_release(). Returns 0, or -ENOENT (no such function), -EBUSY
 * (claimed already), -EINVAL (NULL @out), -ENOMEM. Claiming leaves the
 * function as firmware left it, except that bus mastering is turned off
 * until the driver asks for it.
 */
int pci_device_claim(size_t index, const char *owner, struct pci_device **out)
	__attribute__((warn_unused_result));

/*
 * Give the function back: interrupts allocated with pci_irq_alloc() are
 * freed, bus mastering and decoding are turned off. The driver must first
 * have quiesced the device, freed its irq handlers and released the io_mem
 * and io_port handles it mapped from the BARs. NULL is ignored.
 */
void pci_device_release(struct pci_device *dev);

/* The identity of a claimed function (as pci_device_info()). */
const struct pci_info *pci_device_identity(const struct pci_device *dev);

/*
 * Configuration space of the function, at byte @off (a multiple of the
 * width; below 256, or below 4096 with ECAM). Reads may touch any of it.
 * Writes are refused with -EPERM outside what belongs to the driver: the
 * body of a vendor-specific capability (after its length byte) and the
 * extended space (0x100 up) except each extended capability's header — the
 * header, BARs, command register and interrupt capabilities belong to the
 * calls below. -EINVAL: bad offset or alignment, NULL or released handle
 * (a failed read stores all ones).
 */
int pci_config_read8(const struct pci_device *dev, unsigned off, uint8_t *val);
int pci_config_read16(const struct pci_device *dev, unsigned off, uint16_t *val);
int pci_config_read32(const struct pci_device *dev, unsigned off, uint32_t *val);
int pci_config_write8(struct pci_device *dev, unsigned off, uint8_t val);
int pci_config_write16(struct pci_device *dev, unsigned off, uint16_t val);
int pci_config_write32(struct pci_device *dev, unsigned off, uint32_t val);

/* Standard capability IDs a driver may look for. */
#define PCI_CAP_ID_PM 0x01
#define PCI_CAP_ID_MSI 0x05
#define PCI_CAP_ID_VENDOR 0x09
#define PCI_CAP_ID_EXP 0x10
#define PCI_CAP_ID_MSIX 0x11

/*
 * Walk the capability list: the offset of the first capability with ID @id
 * after offset @after (0: from the start) in *@off. Returns 0, -ENOENT when
 * there is none (a list that loops or points outside the header ends the
 * walk), -EINVAL for a bad handle.
 */
int pci_capability_find(const struct pci_device *dev, uint8_t id, unsigned after,
			unsigned *off);

enum pci_bar_kind {
	PCI_BAR_NONE = 0,	/* not implemented, or the upper half of a 64-bit BAR */
	PCI_BAR_MEM = 1,
	PCI_BAR_IO = 2,
};

struct pci_bar {
	enum pci_bar_kind kind;
	uint64_t size;		/* bytes the BAR decodes */
	bool is_64bit, prefetchable;
	bool assigned;		/* firmware gave it an address */
};

/*
 * Describe BAR @bar (0-5) of a claimed function. The BAR is sized once
 * (decoding is off for the moment that takes). Returns 0 or -EINVAL.
 */
int pci_bar_info(struct pci_device *dev, unsigned bar, struct pci_bar *out);

/*
 * Map [@off, @off + @len) of memory BAR @bar as an io_mem window (the driver
 * releases it with io_mem_release() before pci_device_release()) and turn
 * on memory decoding. Returns 0, or -EINVAL (not a memory BAR, range outside
 * it, NULL arguments), -ENODEV (firmware left it unassigned), -EBUSY (the
 * range overlaps the MSI-X table or another window), -ENOMEM.
 */
int pci_bar_map_mem(struct pci_device *dev, unsigned bar, uint64_t off, size_t len,
		    struct io_mem **out) __attribute__((warn_unused_result));

/*
 * The whole of I/O BAR @bar as an io_port range, with I/O decoding on.
 * Same errors (-EINVAL for a memory BAR).
 */
int pci_bar_map_io(struct pci_device *dev, unsigned bar, struct io_port **out)
	__attribute__((warn_unused_result));

/* Let the function master the bus (DMA, MSI writes) or stop it. 0 or -EINVAL. */
int pci_set_bus_master(struct pci_device *dev, bool on);

/* pci_irq_alloc() kinds. */
#define PCI_IRQ_MSIX 0x1u
#define PCI_IRQ_INTX 0x2u

/*
 * Allocate the function's interrupts as irq lines (frame/irq.h): with
 * PCI_IRQ_MSIX and an MSI-X capability, up to @max message-signalled lines
 * (entry i of the MSI-X table raises lines[i]); otherwise, with
 * PCI_IRQ_INTX, its INTx pin routed to one line, which may be shared with
 * other devices (level-triggered; the handler must check its device). Lines
 * start masked; irq_line_request() unmasks. *@count gets the number of
 * lines, *@kind (if not NULL) PCI_IRQ_MSIX or PCI_IRQ_INTX. Returns 0, or
 * -EINVAL (@max 0, no kind, NULL arguments), -EBUSY (allocated already),
 * -ENODEV (no interrupt of an allowed kind: no pin, or INTx routing unknown
 * on this chipset), -ENOSPC (no vectors left).
 */
int pci_irq_alloc(struct pci_device *dev, unsigned max, unsigned kinds, unsigned *lines,
		  unsigned *count, unsigned *kind);

/* Free what pci_irq_alloc() gave (handlers must be freed first). NULL is ignored. */
void pci_irq_free(struct pci_device *dev);

#endif
