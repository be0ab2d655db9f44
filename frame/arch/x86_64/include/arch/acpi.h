/* What the frame's x86_64 code learned from the ACPI tables (MADT, FADT, HPET, MCFG, DSDT _S5_). */
#ifndef ARCH_ACPI_H
#define ARCH_ACPI_H

#include <frame/types.h>

#define ACPI_MAX_IOAPICS 8
#define ACPI_MAX_ISOS 16

/* ACPI generic address structure, decoded. */
struct acpi_gas {
	uint8_t space; /* 0 = memory, 1 = I/O port */
	uint8_t bit_width;
	uint64_t address;
};
#define ACPI_SPACE_MEMORY 0
#define ACPI_SPACE_IO 1

struct acpi_ioapic {
	uint8_t id;
	paddr_t address;
	uint32_t gsi_base;
};

/* An interrupt source override: ISA IRQ @source arrives at @gsi. */
struct acpi_iso {
	uint8_t source;
	uint32_t gsi;
	bool level;
	bool active_low;
	bool trigger_set, polarity_set; /* false: conforms to the ISA default */
};

struct acpi_info {
	bool present;
	uint8_t revision;
	/* MADT */
	bool have_madt;
	paddr_t lapic_address;
	bool pcat_compat;
	unsigned nr_cpus;
	unsigned nr_ioapics;
	struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
	unsigned nr_isos;
	struct acpi_iso isos[ACPI_MAX_ISOS];
	int lapic_nmi_lint; /* LINT pin wired to NMI, -1 if not stated */
	/* FADT */
	bool have_fadt;
	uint16_t sci_irq;
	uint32_t smi_cmd;
	uint8_t acpi_enable;
	uint32_t pm1a_cnt, pm1b_cnt; /* I/O ports, 0 if absent */
	uint32_t pm1a_evt;
	uint32_t pm_timer;
	uint8_t century_reg; /* CMOS index of the century, 0 if none */
	uint16_t boot_arch;
	bool have_reset_reg;
	struct acpi_gas reset_reg;
	uint8_t reset_value;
	/* DSDT _S5_ */
	bool have_s5;
	uint8_t slp_typ_a, slp_typ_b;
	/* HPET */
	bool have_hpet;
	paddr_t hpet_address;
	/* MCFG: the PCIe ECAM of segment 0 (the only one the frame uses) */
	bool have_mcfg;
	paddr_t mcfg_base;	/* address of bus 0's configuration space, as the table states */
	uint8_t mcfg_start_bus, mcfg_end_bus;
};

#define ACPI_BOOT_ARCH_8042 (1u << 1)

extern struct acpi_info acpi_info;

/*
 * Find the S5 sleep type values in AML: the "_S5_" object defined by NameOp
 * as a Package whose first two elements are SLP_TYPa and SLP_TYPb. A byte
 * scan, not an AML interpreter: enough for firmware that declares _S5_
 * statically (all known, including QEMU's PIIX4 and ICH9 tables).
 */
bool acpi_parse_s5(const uint8_t *aml, size_t len, uint8_t *slp_typ_a, uint8_t *slp_typ_b);

/* Map @len bytes of firmware memory at @pa for reading; NULL on failure. */
const void *acpi_map(paddr_t pa, size_t len);

#endif
