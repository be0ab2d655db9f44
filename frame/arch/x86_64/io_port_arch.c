/* x86_64 side of io_port: the port instructions and the list of ports the frame drives itself. */
#include <arch/acpi.h>
#include <arch/cpu.h>
#include <io/io_internal.h>

/*
 * Ports used by frame code (pic.c, pit.c, serial.c, vga.c, power.c,
 * machine.c, cpu.h's io_wait). A new user of a fixed port in frame/arch
 * adds it here, or a service could be handed the same port.
 */
static const struct {
	uint16_t start, end; /* [start, end) */
	const char *owner;
} frame_ports[] = {
	{ 0x20, 0x22, "8259 PIC (master)" },
	{ 0x40, 0x44, "8254 PIT" },
	{ 0x60, 0x61, "8042 data" },
	{ 0x61, 0x62, "PIT gate / speaker (port B)" },
	{ 0x64, 0x65, "8042 command" },
	{ 0x80, 0x81, "POST delay port" },
	{ 0xa0, 0xa2, "8259 PIC (slave)" },
	{ 0xf4, 0xf8, "QEMU debug exit" },
	{ 0x3c0, 0x3e0, "VGA" },
	{ 0x3f8, 0x400, "COM1 console" },
	/* pci_arch.c; 0xcf9 inside is Intel's reset control, which power.c uses */
	{ 0xcf8, 0xd00, "PCI configuration" },
};

static void reserve_acpi_port(uint32_t port, uint32_t len, const char *owner)
{
	if (port && port <= 0xffff)
		io_port_reserve(port, MIN(port + len, 0x10000u), owner);
}

void arch_io_port_reserve_frame(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(frame_ports); i++)
		io_port_reserve(frame_ports[i].start, frame_ports[i].end, frame_ports[i].owner);
	const struct acpi_info *a = &acpi_info;
	if (!a->have_fadt)
		return;
	/* The FADT's lengths are not kept; these are the ACPI minimums (PM1 event 4, control 2, timer 4). */
	reserve_acpi_port(a->pm1a_evt, 4, "ACPI PM1a event");
	reserve_acpi_port(a->pm1a_cnt, 2, "ACPI PM1a control");
	reserve_acpi_port(a->pm1b_cnt, 2, "ACPI PM1b control");
	reserve_acpi_port(a->pm_timer, 4, "ACPI PM timer");
	reserve_acpi_port(a->smi_cmd, 1, "ACPI SMI command");
	if (a->have_reset_reg && a->reset_reg.space == ACPI_SPACE_IO)
		reserve_acpi_port((uint32_t)a->reset_reg.address, 1, "ACPI reset register");
}

uint32_t arch_io_port_space(void)
{
	return 0x10000;
}

uint8_t arch_io_in8(uint16_t port) { return inb(port); }
uint16_t arch_io_in16(uint16_t port) { return inw(port); }
uint32_t arch_io_in32(uint16_t port) { return inl(port); }
void arch_io_out8(uint16_t port, uint8_t v) { outb(port, v); }
void arch_io_out16(uint16_t port, uint16_t v) { outw(port, v); }
void arch_io_out32(uint16_t port, uint32_t v) { outl(port, v); }
