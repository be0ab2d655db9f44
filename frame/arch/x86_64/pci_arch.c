/* x86_64 PCI configuration access (ECAM from ACPI's MCFG, else ports 0xcf8/0xcfc) and INTx routing on QEMU's q35 and i440FX chipsets. */
#include <arch/acpi.h>
#include <arch/cpu.h>
#include <frame/log.h>
#include <frame/errno.h>
#include <frame/spinlock.h>
#include <internal/mm.h>
#include <io/pci_internal.h>

#define CONF1_ADDR 0xcf8
#define CONF1_DATA 0xcfc

static volatile uint8_t *ecam;	/* bus mcfg_start_bus's function 0, 0 */
static paddr_t ecam_start, ecam_end;
static uint8_t ecam_first_bus;
/* Mechanism #1 is an address/data pair: one access at a time. */
static spinlock_t conf1_lock = SPINLOCK_INIT("pci conf1");

/* Host bridge at 00:00.0 identifies the chipset for INTx routing. */
#define HOST_Q35 0x29c08086u
#define HOST_I440FX 0x12378086u
static uint32_t host_id;

static volatile uint8_t *ecam_at(const struct pci_loc *l, unsigned off)
{
	return ecam + (((size_t)(l->bus - ecam_first_bus) << 20) | (size_t)l->slot << 15 |
		       (size_t)l->function << 12 | off);
}

static uint32_t conf1_addr(const struct pci_loc *l, unsigned off)
{
	return 0x80000000u | (uint32_t)l->bus << 16 | (uint32_t)l->slot << 11 |
	       (uint32_t)l->function << 8 | (off & 0xfc);
}

uint32_t arch_pci_read(const struct pci_loc *l, unsigned off, unsigned width)
{
	if (ecam) {
		volatile uint8_t *p = ecam_at(l, off);
		switch (width) {
		case 1: return *p;
		case 2: return *(volatile uint16_t *)p;
		default: return *(volatile uint32_t *)p;
		}
	}
	unsigned long flags = spin_lock_irqsave(&conf1_lock);
	outl(CONF1_ADDR, conf1_addr(l, off));
	uint32_t v;
	switch (width) {
	case 1: v = inb(CONF1_DATA + (off & 3)); break;
	case 2: v = inw(CONF1_DATA + (off & 2)); break;
	default: v = inl(CONF1_DATA); break;
	}
	spin_unlock_irqrestore(&conf1_lock, flags);
	return v;
}

void arch_pci_write(const struct pci_loc *l, unsigned off, unsigned width, uint32_t val)
{
	if (ecam) {
		volatile uint8_t *p = ecam_at(l, off);
		switch (width) {
		case 1: *p = (uint8_t)val; break;
		case 2: *(volatile uint16_t *)p = (uint16_t)val; break;
		default: *(volatile uint32_t *)p = val; break;
		}
		return;
	}
	unsigned long flags = spin_lock_irqsave(&conf1_lock);
	outl(CONF1_ADDR, conf1_addr(l, off));
	switch (width) {
	case 1: outb(CONF1_DATA + (off & 3), (uint8_t)val); break;
	case 2: outw(CONF1_DATA + (off & 2), (uint16_t)val); break;
	default: outl(CONF1_DATA, val); break;
	}
	spin_unlock_irqrestore(&conf1_lock, flags);
}

unsigned arch_pci_init(uint8_t *first_bus, uint8_t *last_bus)
{
	const struct acpi_info *a = &acpi_info;
	const struct pci_loc host = { 0, 0, 0, 0 };
	if (a->have_mcfg) {
		ecam_first_bus = a->mcfg_start_bus;
		ecam_start = a->mcfg_base + ((paddr_t)a->mcfg_start_bus << 20);
		ecam_end = a->mcfg_base + ((paddr_t)(a->mcfg_end_bus + 1) << 20);
		ecam = mmio_map(ecam_start, ecam_end - ecam_start);
		if (!ecam)
			pr_warn("pci: cannot map the ECAM at %#lx; using ports 0xcf8/0xcfc\n",
				(unsigned long)ecam_start);
	}
	if (ecam) {
		*first_bus = a->mcfg_start_bus;
		*last_bus = a->mcfg_end_bus;
		host_id = arch_pci_read(&host, 0, 4);
		pr_info("pci: ECAM at %#lx, buses %u-%u\n", (unsigned long)ecam_start,
			a->mcfg_start_bus, a->mcfg_end_bus);
		return 4096;
	}
	ecam_start = ecam_end = 0;
	*first_bus = 0;
	*last_bus = 255;
	host_id = arch_pci_read(&host, 0, 4);
	if ((host_id & 0xffff) == 0xffff) {
		pr_info("pci: no host bridge answers on ports 0xcf8/0xcfc\n");
		return 0;
	}
	pr_info("pci: configuration mechanism #1 (ports 0xcf8/0xcfc)\n");
	return 256;
}

void arch_pci_ecam_range(paddr_t *start, paddr_t *end)
{
	const struct acpi_info *a = &acpi_info;
	/* Known before arch_pci_init() too: io_mem must refuse it from the start. */
	if (a->have_mcfg) {
		*start = a->mcfg_base + ((paddr_t)a->mcfg_start_bus << 20);
		*end = a->mcfg_base + ((paddr_t)(a->mcfg_end_bus + 1) << 20);
	} else {
		*start = *end = 0;
	}
}

/*
 * Without an AML interpreter the frame cannot run the DSDT's _PRT, so it
 * knows the two chipsets QEMU emulates, as their ACPI tables describe them:
 * - q35 (ICH9), APIC mode: root-bus slots 0-24 reach PIRQ E-H as
 *   (slot + pin - 1) % 4, slots 25-31 PIRQ A-D by pin (the chipset's
 *   D25IR-D31IR defaults); PIRQ n is GSI 16 + n, level, active high.
 * - i440FX (PIIX3): slot s pin p reaches PIRQ (s + p - 2) % 4, which
 *   firmware routes to an ISA IRQ and writes into the Interrupt Line
 *   register; that IRQ is level, active high (QEMU's MADT overrides say so).
 * Elsewhere a plausible Interrupt Line (an ISA IRQ) is trusted the same way.
 */
int arch_pci_intx_route(uint8_t root_slot, uint8_t pin, uint8_t intline, unsigned *line,
			bool *level, bool *active_low)
{
	if (pin < 1 || pin > 4)
		return -ENODEV;
	*level = true;
	*active_low = false;
	if (host_id == HOST_Q35) {
		unsigned pirq = root_slot >= 25 ? pin - 1u : 4 + (root_slot + pin - 1u) % 4;
		*line = 16 + pirq;
		return 0;
	}
	if (intline >= 1 && intline < 16 && intline != 2) {
		*line = intline;
		return 0;
	}
	return -ENODEV;
}
