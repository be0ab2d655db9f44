/* x86_64 ACPI table discovery: RSDP, RSDT/XSDT, MADT, FADT (+ DSDT _S5_), HPET, MCFG; checksums verified. */
#include <arch/acpi.h>
#include <frame/firmware.h>
#include <frame/log.h>
#include <frame/string.h>
#include <internal/arch.h>
#include <internal/mm.h>

struct acpi_info acpi_info;

#define SDT_HEADER_LEN 36

/* Little-endian field readers: ACPI tables are byte-packed and unaligned. */
static uint8_t rd8(const uint8_t *p, size_t off) { return p[off]; }
static uint16_t rd16(const uint8_t *p, size_t off)
{
	return (uint16_t)(p[off] | p[off + 1] << 8);
}
static uint32_t rd32(const uint8_t *p, size_t off)
{
	return (uint32_t)rd16(p, off) | (uint32_t)rd16(p, off + 2) << 16;
}
static uint64_t rd64(const uint8_t *p, size_t off)
{
	return (uint64_t)rd32(p, off) | (uint64_t)rd32(p, off + 4) << 32;
}

const void *acpi_map(paddr_t pa, size_t len)
{
	if (pa + len < pa)
		return NULL;
	/*
	 * The kernel direct-maps all of the first 4 GiB, holes included, for
	 * firmware tables: read them cached there rather than aliasing RAM with
	 * an uncached MMIO mapping. Tables above 4 GiB get a window of their own.
	 */
	if (pa + len <= GiB(4))
		return phys_to_virt(pa);
	return mmio_map(pa, len);
}

static bool checksum_ok(const uint8_t *p, size_t len)
{
	uint8_t sum = 0;
	for (size_t i = 0; i < len; i++)
		sum += p[i];
	return sum == 0;
}

/* Map a whole SDT after checking its header; NULL if bad or not @sig (NULL sig: any). */
static const uint8_t *map_sdt(paddr_t pa, const char *sig)
{
	const uint8_t *h = acpi_map(pa, SDT_HEADER_LEN);
	if (!h)
		return NULL;
	if (sig && memcmp(h, sig, 4) != 0)
		return NULL;
	uint32_t len = rd32(h, 4);
	if (len < SDT_HEADER_LEN || len > MiB(1))
		return NULL;
	const uint8_t *t = acpi_map(pa, len);
	if (!t)
		return NULL;
	if (!checksum_ok(t, len)) {
		pr_warn("acpi: %.4s at 0x%lx has a bad checksum, ignored\n", (const char *)t, pa);
		return NULL;
	}
	return t;
}

static paddr_t scan_rsdp(paddr_t start, size_t len)
{
	const uint8_t *p = acpi_map(start, len);
	if (!p)
		return 0;
	for (size_t off = 0; off + 20 <= len; off += 16)
		if (memcmp(p + off, "RSD PTR ", 8) == 0 && checksum_ok(p + off, 20))
			return start + off;
	return 0;
}

static paddr_t find_rsdp(paddr_t hint)
{
	if (hint) {
		const uint8_t *p = acpi_map(hint, 20);
		if (p && memcmp(p, "RSD PTR ", 8) == 0 && checksum_ok(p, 20))
			return hint;
		pr_warn("acpi: RSDP hint 0x%lx is not valid, scanning\n", hint);
	}
	/* The word at 0x40e holds the EBDA segment; the RSDP is in its first KiB or the BIOS ROM. */
	const uint8_t *bda = acpi_map(0x40e, 2);
	paddr_t ebda = bda ? (paddr_t)rd16(bda, 0) << 4 : 0;
	paddr_t found = 0;
	if (ebda >= 0x80000 && ebda < 0xa0000)
		found = scan_rsdp(ebda, 1024);
	if (!found)
		found = scan_rsdp(0xe0000, 0x20000);
	return found;
}

static void parse_madt(const uint8_t *t)
{
	struct acpi_info *a = &acpi_info;
	uint32_t len = rd32(t, 4);

	a->have_madt = true;
	a->lapic_address = rd32(t, 36);
	a->pcat_compat = rd32(t, 40) & 1;
	a->lapic_nmi_lint = -1;
	for (uint32_t off = 44; off + 2 <= len;) {
		uint8_t type = rd8(t, off), elen = rd8(t, off + 1);
		if (elen < 2 || off + elen > len)
			break;
		const uint8_t *e = t + off;
		switch (type) {
		case 0: /* processor local APIC */
			if (elen >= 8 && (rd32(e, 4) & 3)) /* enabled or online-capable */
				a->nr_cpus++;
			break;
		case 1: /* IOAPIC */
			if (elen >= 12 && a->nr_ioapics < ACPI_MAX_IOAPICS) {
				struct acpi_ioapic *io = &a->ioapics[a->nr_ioapics++];
				io->id = rd8(e, 2);
				io->address = rd32(e, 4);
				io->gsi_base = rd32(e, 8);
			}
			break;
		case 2: /* interrupt source override */
			if (elen >= 10 && rd8(e, 2) == 0 && a->nr_isos < ACPI_MAX_ISOS) {
				struct acpi_iso *iso = &a->isos[a->nr_isos++];
				uint16_t flags = rd16(e, 8);
				iso->source = rd8(e, 3);
				iso->gsi = rd32(e, 4);
				iso->polarity_set = (flags & 3) != 0;
				iso->active_low = (flags & 3) == 3;
				iso->trigger_set = ((flags >> 2) & 3) != 0;
				iso->level = ((flags >> 2) & 3) == 3;
			}
			break;
		case 4: /* local APIC NMI */
			if (elen >= 6)
				a->lapic_nmi_lint = rd8(e, 5);
			break;
		case 5: /* 64-bit local APIC address override */
			if (elen >= 12)
				a->lapic_address = rd64(e, 4);
			break;
		}
		off += elen;
	}
}

bool acpi_parse_s5(const uint8_t *aml, size_t len, uint8_t *slp_typ_a, uint8_t *slp_typ_b)
{
	for (size_t i = 2; i + 8 < len; i++) {
		if (memcmp(aml + i, "_S5_", 4) != 0)
			continue;
		/* NameOp, optionally with a root prefix; otherwise it is a reference, not the definition. */
		bool named = aml[i - 1] == 0x08 || (aml[i - 1] == '\\' && aml[i - 2] == 0x08);
		if (!named || aml[i + 4] != 0x12) /* PackageOp */
			continue;
		size_t p = i + 5;
		p += 1 + (aml[p] >> 6); /* PkgLength: the top two bits count extra bytes */
		p += 1;			/* NumElements */
		uint8_t vals[2];
		for (int k = 0; k < 2; k++) {
			if (p + 1 >= len)
				return false;
			uint8_t op = aml[p];
			if (op == 0x0a) { /* BytePrefix */
				vals[k] = aml[p + 1];
				p += 2;
			} else if (op == 0x00 || op == 0x01) { /* ZeroOp, OneOp */
				vals[k] = op;
				p += 1;
			} else {
				return false;
			}
		}
		*slp_typ_a = vals[0];
		*slp_typ_b = vals[1];
		return true;
	}
	return false;
}

static void decode_gas(const uint8_t *p, struct acpi_gas *g)
{
	g->space = rd8(p, 0);
	g->bit_width = rd8(p, 1);
	g->address = rd64(p, 4);
}

static void parse_fadt(const uint8_t *t)
{
	struct acpi_info *a = &acpi_info;
	uint32_t len = rd32(t, 4);

	a->have_fadt = true;
	a->sci_irq = rd16(t, 46);
	a->smi_cmd = rd32(t, 48);
	a->acpi_enable = rd8(t, 52);
	a->pm1a_evt = rd32(t, 56);
	a->pm1a_cnt = rd32(t, 64);
	a->pm1b_cnt = rd32(t, 68);
	a->pm_timer = rd32(t, 76);
	if (len > 108)
		a->century_reg = rd8(t, 108);
	if (len >= 111)
		a->boot_arch = rd16(t, 109);
	/* Flags bit 10: RESET_REG_SUP. */
	if (len >= 129 && (rd32(t, 112) & (1u << 10))) {
		decode_gas(t + 116, &a->reset_reg);
		a->reset_value = rd8(t, 128);
		a->have_reset_reg = a->reset_reg.address != 0;
	}
	/* The 64-bit X_ fields win over the 32-bit ones when present. */
	struct acpi_gas g;
	if (len >= 184) {
		decode_gas(t + 172, &g);
		if (g.space == ACPI_SPACE_IO && g.address)
			a->pm1a_cnt = (uint32_t)g.address;
	}
	if (len >= 196) {
		decode_gas(t + 184, &g);
		if (g.space == ACPI_SPACE_IO && g.address)
			a->pm1b_cnt = (uint32_t)g.address;
	}

	paddr_t dsdt_pa = rd32(t, 40);
	if (len >= 148 && rd64(t, 140))
		dsdt_pa = rd64(t, 140);
	const uint8_t *dsdt = dsdt_pa ? map_sdt(dsdt_pa, "DSDT") : NULL;
	if (dsdt)
		acpi_info.have_s5 = acpi_parse_s5(dsdt + SDT_HEADER_LEN, rd32(dsdt, 4) - SDT_HEADER_LEN,
						  &acpi_info.slp_typ_a, &acpi_info.slp_typ_b);
}

static void parse_hpet(const uint8_t *t)
{
	struct acpi_gas g;
	if (rd32(t, 4) < 56)
		return;
	decode_gas(t + 40, &g);
	if (g.space != ACPI_SPACE_MEMORY || !g.address)
		return;
	acpi_info.have_hpet = true;
	acpi_info.hpet_address = g.address;
}

/*
 * MCFG: after the header and 8 reserved bytes, 16-byte entries (base 64,
 * segment 16, start bus 8, end bus 8, 4 reserved). Only segment 0 is used:
 * QEMU and ordinary PCs have no other.
 */
static void parse_mcfg(const uint8_t *t)
{
	uint32_t len = rd32(t, 4);
	for (uint32_t off = SDT_HEADER_LEN + 8; off + 16 <= len; off += 16) {
		uint64_t base = rd64(t, off);
		uint16_t seg = rd16(t, off + 8);
		uint8_t start = rd8(t, off + 10), end = rd8(t, off + 11);
		if (seg != 0 || !base || end < start || (base & 0xfffff))
			continue;
		acpi_info.have_mcfg = true;
		acpi_info.mcfg_base = base;
		acpi_info.mcfg_start_bus = start;
		acpi_info.mcfg_end_bus = end;
		return;
	}
}

static void parse_table(paddr_t pa)
{
	const uint8_t *h = acpi_map(pa, SDT_HEADER_LEN);
	if (!h)
		return;
	char sig[5];
	memcpy(sig, h, 4);
	sig[4] = '\0';
	const uint8_t *t = map_sdt(pa, NULL);
	if (!t)
		return;
	pr_debug("acpi: %s at 0x%lx, %u bytes\n", sig, pa, rd32(t, 4));
	if (!strcmp(sig, "APIC") && !acpi_info.have_madt)
		parse_madt(t);
	else if (!strcmp(sig, "FACP") && !acpi_info.have_fadt)
		parse_fadt(t);
	else if (!strcmp(sig, "HPET") && !acpi_info.have_hpet)
		parse_hpet(t);
	else if (!strcmp(sig, "MCFG") && !acpi_info.have_mcfg)
		parse_mcfg(t);
}

void arch_acpi_init(paddr_t rsdp_hint)
{
	paddr_t rsdp_pa = find_rsdp(rsdp_hint);
	if (!rsdp_pa) {
		pr_warn("acpi: no RSDP found; using legacy defaults\n");
		return;
	}
	const uint8_t *rsdp = acpi_map(rsdp_pa, 36);
	if (!rsdp)
		return;
	acpi_info.revision = rd8(rsdp, 15);

	/* ACPI 2.0+: prefer the XSDT (64-bit entries) if its extended checksum holds. */
	const uint8_t *root = NULL;
	unsigned entry_size = 4;
	if (acpi_info.revision >= 2 && checksum_ok(rsdp, 36) && rd64(rsdp, 24)) {
		root = map_sdt(rd64(rsdp, 24), "XSDT");
		entry_size = 8;
	}
	if (!root) {
		root = map_sdt(rd32(rsdp, 16), "RSDT");
		entry_size = 4;
	}
	if (!root) {
		pr_warn("acpi: no valid RSDT/XSDT; using legacy defaults\n");
		return;
	}
	acpi_info.present = true;
	uint32_t len = rd32(root, 4);
	for (uint32_t off = SDT_HEADER_LEN; off + entry_size <= len; off += entry_size)
		parse_table(entry_size == 8 ? rd64(root, off) : rd32(root, off));

	pr_info("acpi: rev %u, %u cpu(s), %u ioapic(s), %u override(s)%s%s%s, S5 %s (%u/%u)\n",
		acpi_info.revision, acpi_info.nr_cpus, acpi_info.nr_ioapics, acpi_info.nr_isos,
		acpi_info.have_fadt ? ", FADT" : "", acpi_info.have_hpet ? ", HPET" : "",
		acpi_info.have_mcfg ? ", MCFG" : "",
		acpi_info.have_s5 ? "from DSDT" : "unknown", acpi_info.slp_typ_a,
		acpi_info.slp_typ_b);
}

/* frame/firmware.h: what the FADT says for the CMOS RTC driver (kernel/drivers/rtc_cmos.c). */
uint8_t firmware_rtc_century_index(void)
{
	return acpi_info.have_fadt ? acpi_info.century_reg : 0;
}
