/* In-kernel tests of ACPI parsing: the _S5_ scan on hand-made AML, and what QEMU's tables gave. */
#include <arch/acpi.h>
#include <frame/ktest.h>

KTEST(acpi_s5_byte_prefixed_values)
{
	/* Name (_S5, Package (0x04) { 0x05, 0x07, Zero, Zero }) after some unrelated bytes. */
	static const uint8_t aml[] = { 0x10, 0x20, 0x08, '_', 'S', '5', '_', 0x12, 0x0a, 0x04,
				       0x0a, 0x05, 0x0a, 0x07, 0x00, 0x00, 0xff, 0xff };
	uint8_t a = 0xee, b = 0xee;
	KEXPECT(acpi_parse_s5(aml, sizeof(aml), &a, &b));
	KEXPECT_EQ(a, 5);
	KEXPECT_EQ(b, 7);
}

KTEST(acpi_s5_rooted_name_and_zero_one_ops)
{
	/* Name (\_S5, Package () { One, Zero }) with a two-byte PkgLength. */
	static const uint8_t aml[] = { 0xaa, 0x08, '\\', '_', 'S', '5', '_', 0x12, 0x40, 0x00,
				       0x02, 0x01, 0x00, 0xff, 0xff, 0xff };
	uint8_t a = 0xee, b = 0xee;
	KEXPECT(acpi_parse_s5(aml, sizeof(aml), &a, &b));
	KEXPECT_EQ(a, 1);
	KEXPECT_EQ(b, 0);
}

KTEST(acpi_s5_reference_is_not_a_definition)
{
	/* A use of _S5_ (no NameOp before it) and a truncated table: neither is accepted. */
	static const uint8_t ref[] = { 0x70, '_', 'S', '5', '_', 0x12, 0x06, 0x02, 0x0a, 0x05,
				       0x0a, 0x05, 0x00, 0x00 };
	static const uint8_t cut[] = { 0x00, 0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x02, 0x0a };
	uint8_t a = 0xee, b = 0xee;
	KEXPECT(!acpi_parse_s5(ref, sizeof(ref), &a, &b));
	KEXPECT(!acpi_parse_s5(cut, sizeof(cut), &a, &b));
	KEXPECT_EQ(a, 0xee);
}

/* QEMU's q35 and pc both describe ACPI fully; the override of ISA IRQ 0 is what Cadre's timer test relies on. */
KTEST(acpi_tables_found_on_this_machine)
{
	KASSERT(acpi_info.present);
	KEXPECT(acpi_info.have_madt);
	KEXPECT(acpi_info.have_fadt);
	KEXPECT(acpi_info.have_s5);
	KEXPECT(acpi_info.pm1a_cnt != 0);
	KEXPECT(acpi_info.nr_ioapics >= 1);
	KEXPECT(acpi_info.nr_cpus >= 1);
	bool irq0_override = false;
	for (unsigned i = 0; i < acpi_info.nr_isos; i++)
		if (acpi_info.isos[i].source == 0)
			irq0_override = acpi_info.isos[i].gsi == 2;
	KEXPECT(irq0_override);
}
