/* IOAPICs from the ACPI MADT (default 0xFEC00000 without one): GSI routing to vectors and masking. */
#include <arch/acpi.h>
#include <arch/apic.h>
#include <frame/errno.h>
#include <frame/log.h>
#include <internal/mm.h>

#define IOAPIC_DEFAULT_BASE 0xfec00000ul
#define IOREGSEL 0x00
#define IOWIN 0x10
#define IOAPIC_REG_ID 0x00
#define IOAPIC_REG_VER 0x01
#define IOAPIC_REDTBL(n) (0x10 + 2 * (n))

#define RTE_MASKED (1u << 16)
#define RTE_LEVEL (1u << 15)
#define RTE_ACTIVE_LOW (1u << 13)

struct ioapic {
	volatile uint32_t *regs;
	uint32_t gsi_base;
	uint32_t nr_pins;
};

static struct ioapic ioapics[ACPI_MAX_IOAPICS];
static unsigned nr_ioapics;

static uint32_t ioapic_read(struct ioapic *io, uint32_t reg)
{
	io->regs[IOREGSEL / 4] = reg;
	return io->regs[IOWIN / 4];
}

static void ioapic_write(struct ioapic *io, uint32_t reg, uint32_t v)
{
	io->regs[IOREGSEL / 4] = reg;
	io->regs[IOWIN / 4] = v;
}

static struct ioapic *find(uint32_t gsi, uint32_t *pin)
{
	for (unsigned i = 0; i < nr_ioapics; i++) {
		struct ioapic *io = &ioapics[i];
		if (gsi >= io->gsi_base && gsi < io->gsi_base + io->nr_pins) {
			*pin = gsi - io->gsi_base;
			return io;
		}
	}
	return NULL;
}

static void add_ioapic(paddr_t pa, uint32_t gsi_base)
{
	struct ioapic *io = &ioapics[nr_ioapics];
	io->regs = mmio_map(pa, PAGE_SIZE);
	if (!io->regs) {
		pr_err("ioapic: cannot map 0x%lx\n", pa);
		return;
	}
	io->gsi_base = gsi_base;
	io->nr_pins = ((ioapic_read(io, IOAPIC_REG_VER) >> 16) & 0xff) + 1;
	for (uint32_t pin = 0; pin < io->nr_pins; pin++) {
		ioapic_write(io, IOAPIC_REDTBL(pin), RTE_MASKED);
		ioapic_write(io, IOAPIC_REDTBL(pin) + 1, 0);
	}
	nr_ioapics++;
	pr_info("ioapic: id %u at 0x%lx, GSI %u-%u\n", (ioapic_read(io, IOAPIC_REG_ID) >> 24) & 0xf,
		pa, gsi_base, gsi_base + io->nr_pins - 1);
}

void ioapic_init(void)
{
	if (acpi_info.nr_ioapics == 0) {
		pr_warn("ioapic: none in the MADT, assuming one at 0x%lx\n", IOAPIC_DEFAULT_BASE);
		add_ioapic(IOAPIC_DEFAULT_BASE, 0);
		return;
	}
	for (unsigned i = 0; i < acpi_info.nr_ioapics; i++)
		add_ioapic(acpi_info.ioapics[i].address, acpi_info.ioapics[i].gsi_base);
}

uint32_t ioapic_gsi_count(void)
{
	uint32_t end = 0;
	for (unsigned i = 0; i < nr_ioapics; i++)
		end = MAX(end, ioapics[i].gsi_base + ioapics[i].nr_pins);
	return end;
}

int ioapic_route(uint32_t gsi, uint8_t vector, bool level, bool active_low)
{
	uint32_t pin;
	struct ioapic *io = find(gsi, &pin);
	if (!io)
		return -ENODEV;
	uint32_t lo = vector | RTE_MASKED | (level ? RTE_LEVEL : 0) | (active_low ? RTE_ACTIVE_LOW : 0);
	/* Fixed delivery, physical destination: the boot CPU. */
	ioapic_write(io, IOAPIC_REDTBL(pin), RTE_MASKED);
	ioapic_write(io, IOAPIC_REDTBL(pin) + 1, lapic_id() << 24);
	ioapic_write(io, IOAPIC_REDTBL(pin), lo);
	return 0;
}

int ioapic_set_masked(uint32_t gsi, bool masked)
{
	uint32_t pin;
	struct ioapic *io = find(gsi, &pin);
	if (!io)
		return -ENODEV;
	uint32_t lo = ioapic_read(io, IOAPIC_REDTBL(pin));
	lo = masked ? lo | RTE_MASKED : lo & ~RTE_MASKED;
	ioapic_write(io, IOAPIC_REDTBL(pin), lo);
	return 0;
}
