/* In-kernel tests of frame/pci.h on q35: enumeration, exclusive claims, the configuration-write filter, BAR sizing and mapping, MSI-X table programming and masking, and the frame keeping PCI configuration to itself. */
#include <arch/acpi.h>
#include <frame/errno.h>
#include <frame/io_mem.h>
#include <frame/io_port.h>
#include <frame/irq.h>
#include <frame/ktest.h>
#include <frame/pci.h>

#include "pci_test_dev.h"

static long find_fn(uint16_t vendor, uint16_t device, struct pci_info *out)
{
	for (size_t i = 0; pci_device_info(i, out) == 0; i++)
		if (out->vendor == vendor && out->device == device)
			return (long)i;
	return -ENOENT;
}

KTEST(pci_enumerates_q35_functions)
{
	struct pci_info info;
	KEXPECT(pci_device_count() >= 4);
	/* The MCH at 00:00.0 and the ICH9 LPC bridge at 00:1f.0, as QEMU's q35 places them. */
	long host = find_fn(0x8086, 0x29c0, &info);
	KASSERT(host >= 0);
	KEXPECT_EQ(info.bus, 0);
	KEXPECT_EQ(info.slot, 0);
	KEXPECT_EQ(info.class_code, 0x06);
	KEXPECT_EQ(info.subclass, 0x00);
	long lpc = find_fn(0x8086, 0x2918, &info);
	KASSERT(lpc >= 0);
	KEXPECT_EQ(info.slot, 0x1f);
	KEXPECT_EQ(info.function, 0);
	KEXPECT_EQ(info.subclass, 0x01);
	/* The virtio-rng the test machine has: MSI-X, an INTx pin, PCI Express on q35's root bus. */
	long rng = pci_test_rng_index();
	KASSERT(rng >= 0);
	KEXPECT_EQ(pci_device_info((size_t)rng, &info), 0);
	KEXPECT(info.has_msix);
	KEXPECT(info.irq_pin >= 1 && info.irq_pin <= 4);
	KEXPECT_EQ(pci_device_info(pci_device_count(), &info), -ENOENT);
	KEXPECT_EQ(pci_device_info(0, NULL), -EINVAL);
	/* ECAM from the MCFG table, which QEMU's q35 provides. */
	KEXPECT(acpi_info.have_mcfg);
	KEXPECT_EQ(acpi_info.mcfg_start_bus, 0);
}

KTEST(pci_claims_are_exclusive)
{
	long idx = pci_test_rng_index();
	KASSERT(idx >= 0);
	struct pci_device *a, *b = (struct pci_device *)&b;
	KASSERT(pci_device_claim((size_t)idx, "ktest-a", &a) == 0);
	struct pci_info info;
	KEXPECT_EQ(pci_device_info((size_t)idx, &info), 0);
	KEXPECT(info.claimed);
	KEXPECT_EQ(pci_device_claim((size_t)idx, "ktest-b", &b), -EBUSY);
	KEXPECT(b == NULL);
	const struct pci_info *id = pci_device_identity(a);
	KEXPECT(id != NULL && pci_test_is_rng(id));
	pci_device_release(a);
	KEXPECT_EQ(pci_device_info((size_t)idx, &info), 0);
	KEXPECT(!info.claimed);
	KEXPECT_EQ(pci_device_claim((size_t)idx, "ktest-b", &b), 0);
	pci_device_release(b);
	KEXPECT_EQ(pci_device_claim(pci_device_count(), "x", &b), -ENOENT);
	KEXPECT_EQ(pci_device_claim(0, "x", NULL), -EINVAL);
	pci_device_release(NULL);
}

KTEST(pci_config_reads_and_the_write_filter)
{
	struct pci_device *d;
	KASSERT(pci_test_claim_rng(&d) == 0);
	uint32_t id = 0;
	uint16_t vendor = 0, cmd = 0, cmd2 = 0;
	uint8_t b = 0;
	KEXPECT_EQ(pci_config_read32(d, 0, &id), 0);
	KEXPECT_EQ(id & 0xffff, 0x1af4);
	KEXPECT_EQ(pci_config_read16(d, 0, &vendor), 0);
	KEXPECT_EQ(vendor, 0x1af4);
	KEXPECT_EQ(pci_config_read8(d, 1, &b), 0);
	KEXPECT_EQ(b, 0x1a);
	/* Alignment and bounds: the ECAM gives 4096 bytes per function. */
	KEXPECT_EQ(pci_config_read32(d, 2, &id), -EINVAL);
	KEXPECT_EQ(id, 0xffffffffu);
	KEXPECT_EQ(pci_config_read16(d, 4095, &vendor), -EINVAL);
	KEXPECT_EQ(pci_config_read32(d, 4096, &id), -EINVAL);
	KEXPECT_EQ(pci_config_read32(d, 4092, &id), 0);
	KEXPECT_EQ(pci_config_read32(NULL, 0, &id), -EINVAL);
	/* The header, BARs, command register and interrupt capability belong to the frame. */
	KEXPECT_EQ(pci_config_read16(d, 4, &cmd), 0);
	KEXPECT_EQ(pci_config_write16(d, 4, cmd | 4), -EPERM);
	KEXPECT_EQ(pci_config_read16(d, 4, &cmd2), 0);
	KEXPECT_EQ(cmd2, cmd);
	KEXPECT_EQ(pci_config_write32(d, 0x10, 0xffffffffu), -EPERM);
	KEXPECT_EQ(pci_config_write8(d, 0x3c, 5), -EPERM);
	unsigned msix = 0;
	KASSERT(pci_capability_find(d, PCI_CAP_ID_MSIX, 0, &msix) == 0);
	KEXPECT(msix >= 0x40);
	KEXPECT_EQ(pci_config_write16(d, msix + 2, 0x8000), -EPERM);
	/*
	 * A vendor-specific capability's body is the driver's: virtio's PCI
	 * configuration access capability (cfg_type 5) has a writable offset
	 * field at +8, which reads back what was written.
	 */
	unsigned cap = 0, pcicfg = 0;
	while (pci_capability_find(d, PCI_CAP_ID_VENDOR, cap, &cap) == 0) {
		uint8_t type = 0;
		KEXPECT_EQ(pci_config_read8(d, cap + 3, &type), 0);
		if (type == 5)
			pcicfg = cap;
	}
	KASSERT(pcicfg != 0);
	uint32_t back = 0;
	KEXPECT_EQ(pci_config_write32(d, pcicfg + 8, 0x1234), 0);
	KEXPECT_EQ(pci_config_read32(d, pcicfg + 8, &back), 0);
	KEXPECT_EQ(back, 0x1234);
	KEXPECT_EQ(pci_config_write32(d, pcicfg + 8, 0), 0);
	/* Its header (ID, next, length) is not. */
	KEXPECT_EQ(pci_config_write8(d, pcicfg + 1, 0), -EPERM);
	KEXPECT_EQ(pci_config_write8(d, pcicfg + 2, 0), -EPERM);
	/* A capability ID no device here has. */
	KEXPECT_EQ(pci_capability_find(d, 0x14, 0, &cap), -ENOENT);
	pci_device_release(d);
}

KTEST(pci_bars_are_sized_and_mapped)
{
	struct pci_device *d;
	KASSERT(pci_test_claim_rng(&d) == 0);
	/* QEMU's virtio-pci: BAR1 the MSI-X table (4 KiB), BAR4 the 64-bit modern window (16 KiB). */
	struct pci_bar b1, b4, b5;
	KEXPECT_EQ(pci_bar_info(d, 1, &b1), 0);
	KEXPECT_EQ(b1.kind, PCI_BAR_MEM);
	KEXPECT_EQ(b1.size, 4096);
	KEXPECT_EQ(pci_bar_info(d, 4, &b4), 0);
	KEXPECT_EQ(b4.kind, PCI_BAR_MEM);
	KEXPECT(b4.is_64bit);
	KEXPECT_EQ(b4.size, 16384);
	KEXPECT(b4.assigned);
	KEXPECT_EQ(pci_bar_info(d, 5, &b5), 0);
	KEXPECT_EQ(b5.kind, PCI_BAR_NONE); /* upper half of BAR4 */
	KEXPECT_EQ(pci_bar_info(d, 6, &b5), -EINVAL);
	struct io_mem *m = (struct io_mem *)&m, *m2;
	KEXPECT_EQ(pci_bar_map_mem(d, 4, 0, 16385, &m), -EINVAL);
	KEXPECT(m == NULL);
	KEXPECT_EQ(pci_bar_map_mem(d, 4, 16384, 1, &m), -EINVAL);
	KEXPECT_EQ(pci_bar_map_mem(d, 5, 0, 16, &m), -EINVAL);
	/* The MSI-X table is the frame's: no window over it, however it is asked for. */
	KEXPECT_EQ(pci_bar_map_mem(d, 1, 0, 4096, &m), -EBUSY);
	KEXPECT_EQ(pci_bar_map_mem(d, 1, 8, 4, &m), -EBUSY);
	/* The common configuration at BAR4+0: device_feature_select is read-write. */
	KASSERT(pci_bar_map_mem(d, 4, 0, 0x1000, &m) == 0);
	uint32_t v = 0;
	KEXPECT_EQ(io_mem_write32(m, 0, 1), 0);
	KEXPECT_EQ(io_mem_read32(m, 0, &v), 0);
	KEXPECT_EQ(v, 1);
	KEXPECT_EQ(io_mem_write32(m, 0, 0), 0);
	KEXPECT_EQ(pci_bar_map_mem(d, 4, 0x800, 0x10, &m2), -EBUSY);
	io_mem_release(m);
	/* No I/O BAR there. */
	struct io_port *p = (struct io_port *)&p;
	KEXPECT_EQ(pci_bar_map_io(d, 4, &p), -EINVAL);
	KEXPECT(p == NULL);
	KEXPECT_EQ(pci_set_bus_master(d, true), 0);
	uint16_t cmd = 0;
	KEXPECT_EQ(pci_config_read16(d, 4, &cmd), 0);
	KEXPECT(cmd & 4);
	KEXPECT(cmd & 2);
	pci_device_release(d);
	/* Release turns mastering off again. */
	KASSERT(pci_test_claim_rng(&d) == 0);
	KEXPECT_EQ(pci_config_read16(d, 4, &cmd), 0);
	KEXPECT(!(cmd & 4));
	pci_device_release(d);
}

static unsigned msix_hits;
static void msix_handler(void *arg)
{
	(void)arg;
	msix_hits++;
}

KTEST(pci_msix_lines_are_programmed_and_masked)
{
	struct pci_device *d;
	KASSERT(pci_test_claim_rng(&d) == 0);
	unsigned lines[4], n = 0, kind = 0;
	KEXPECT_EQ(pci_irq_alloc(d, 0, PCI_IRQ_MSIX, lines, &n, &kind), -EINVAL);
	KEXPECT_EQ(pci_irq_alloc(d, 4, 0, lines, &n, &kind), -EINVAL);
	KASSERT(pci_irq_alloc(d, 4, PCI_IRQ_MSIX | PCI_IRQ_INTX, lines, &n, &kind) == 0);
	KEXPECT_EQ(kind, PCI_IRQ_MSIX);
	/* virtio-rng has two vectors: config and its one queue. */
	KEXPECT_EQ(n, 2);
	KEXPECT(lines[0] >= IRQ_MSI_BASE && lines[1] >= IRQ_MSI_BASE && lines[0] != lines[1]);
	KEXPECT_EQ(pci_irq_alloc(d, 4, PCI_IRQ_MSIX, lines, &n, &kind), -EBUSY);
	/* The table: MSI-X enabled in the capability, INTx off in the command register. */
	unsigned cap = 0;
	uint16_t ctrl = 0, cmd = 0;
	KASSERT(pci_capability_find(d, PCI_CAP_ID_MSIX, 0, &cap) == 0);
	KEXPECT_EQ(pci_config_read16(d, cap + 2, &ctrl), 0);
	KEXPECT(ctrl & 0x8000);
	KEXPECT(!(ctrl & 0x4000));
	KEXPECT_EQ(pci_config_read16(d, 4, &cmd), 0);
	KEXPECT(cmd & 0x400);
	/* Entries point at the local APIC with the line's vector; masked until a handler comes. */
	paddr_t table = pci_test_bar_addr(d, 1);
	KASSERT(table != 0);
	struct io_mem *t;
	/* The frame's own window covers the table, so a second one is refused... */
	KEXPECT_EQ(io_mem_acquire(table, 16, &t), -EBUSY);
	/* ...and the PBA behind it (BAR1 + 2048 on QEMU) is just device memory. */
	KASSERT(io_mem_acquire(table + 0x800, 8, &t) == 0);
	io_mem_release(t);
	KEXPECT_EQ(irq_line_request(lines[1], msix_handler, NULL), 0);
	KEXPECT_EQ(irq_line_mask(lines[1]), 0);
	KEXPECT_EQ(irq_line_unmask(lines[1]), 0);
	KEXPECT_EQ(irq_line_free(lines[1], msix_handler, NULL), 0);
	KEXPECT_EQ(irq_line_free(lines[1], msix_handler, NULL), -ENOENT);
	pci_irq_free(d);
	KEXPECT_EQ(pci_config_read16(d, cap + 2, &ctrl), 0);
	KEXPECT(!(ctrl & 0x8000));
	/* Freed lines are gone. */
	KEXPECT_EQ(irq_line_request(lines[0], msix_handler, NULL), -EINVAL);
	/* INTx instead: one level-triggered line routed through the q35 PIRQs (GSI 16-23). */
	KASSERT(pci_irq_alloc(d, 4, PCI_IRQ_INTX, lines, &n, &kind) == 0);
	KEXPECT_EQ(kind, PCI_IRQ_INTX);
	KEXPECT_EQ(n, 1);
	KEXPECT(lines[0] >= 20 && lines[0] <= 23);
	KEXPECT_EQ(pci_config_read16(d, 4, &cmd), 0);
	KEXPECT(!(cmd & 0x400));
	pci_device_release(d);
}

KTEST(pci_configuration_space_is_the_frames)
{
	/* Neither the ECAM nor the configuration ports can be had through io_mem/io_port. */
	KASSERT(acpi_info.have_mcfg);
	struct io_mem *m;
	KEXPECT_EQ(io_mem_acquire(acpi_info.mcfg_base, 4096, &m), -EBUSY);
	KEXPECT_EQ(io_mem_acquire(acpi_info.mcfg_base + (3u << 15), 4, &m), -EBUSY);
	struct io_port *p;
	KEXPECT_EQ(io_port_acquire(0xcf8, 4, &p), -EBUSY);
	KEXPECT_EQ(io_port_acquire(0xcfc, 4, &p), -EBUSY);
	KEXPECT_EQ(io_port_acquire(0xcf9, 1, &p), -EBUSY);
}
