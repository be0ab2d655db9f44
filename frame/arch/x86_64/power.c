/* Power off (ACPI S5 through PM1x_CNT, SLP_TYP from the DSDT) and reboot (reset register, 8042, triple fault). */
#include <arch/acpi.h>
#include <arch/cpu.h>
#include <frame/clock.h>
#include <frame/log.h>
#include <frame/power.h>
#include <internal/arch.h>

#define PM1_SCI_EN (1u << 0)
#define PM1_SLP_TYP_SHIFT 10
#define PM1_SLP_TYP_MASK (7u << PM1_SLP_TYP_SHIFT)
#define PM1_SLP_EN (1u << 13)

/*
 * Without a _S5_ object, SLP_TYP 0: what QEMU's PIIX4 and ICH9 power
 * management take for S5. On hardware where 0 means S0 the write does
 * nothing and power_off() falls back to halting, rather than risking a
 * sleep state the machine would wake from.
 */
#define S5_FALLBACK_SLP_TYP 0

static void enter_sleep(uint32_t port, uint8_t slp_typ)
{
	uint16_t v = inw((uint16_t)port) & ~(PM1_SLP_TYP_MASK | PM1_SLP_EN);
	v |= (uint16_t)((slp_typ & 7) << PM1_SLP_TYP_SHIFT);
	/* The spec asks for SLP_TYP first, then SLP_EN in a second write. */
	outw((uint16_t)port, v);
	outw((uint16_t)port, v | PM1_SLP_EN);
}

static void acpi_enable_mode(void)
{
	const struct acpi_info *a = &acpi_info;
	if (inw((uint16_t)a->pm1a_cnt) & PM1_SCI_EN)
		return;
	if (!a->smi_cmd || !a->acpi_enable)
		return;
	outb((uint16_t)a->smi_cmd, a->acpi_enable);
	for (int i = 0; i < 300 && !(inw((uint16_t)a->pm1a_cnt) & PM1_SCI_EN); i++)
		clock_delay_ns(NSEC_PER_MSEC);
}

_Noreturn void power_off(void)
{
	const struct acpi_info *a = &acpi_info;
	cli();
	if (a->have_fadt && a->pm1a_cnt) {
		uint8_t typ_a = a->have_s5 ? a->slp_typ_a : S5_FALLBACK_SLP_TYP;
		uint8_t typ_b = a->have_s5 ? a->slp_typ_b : S5_FALLBACK_SLP_TYP;
		pr_notice("power: off (S5, SLP_TYP %u%s)\n", typ_a, a->have_s5 ? "" : ", assumed");
		acpi_enable_mode();
		if (a->pm1b_cnt)
			enter_sleep(a->pm1b_cnt, typ_b);
		enter_sleep(a->pm1a_cnt, typ_a);
		clock_delay_ns(100 * NSEC_PER_MSEC);
	}
	console_printf("power: the machine did not turn off; halting\n");
	arch_halt();
}

static void reset_register(void)
{
	const struct acpi_info *a = &acpi_info;
	if (!a->have_reset_reg)
		return;
	if (a->reset_reg.space == ACPI_SPACE_IO && a->reset_reg.address <= 0xffff) {
		pr_notice("power: reset through the ACPI reset register (port 0x%lx)\n",
			  a->reset_reg.address);
		outb((uint16_t)a->reset_reg.address, a->reset_value);
	}
	/* Memory and PCI-config reset registers are not used on the machines Cadre targets yet. */
	clock_delay_ns(50 * NSEC_PER_MSEC);
}

_Noreturn void power_reboot(void)
{
	cli();
	pr_notice("power: reboot\n");
	reset_register();
	if (!acpi_info.have_fadt || (acpi_info.boot_arch & ACPI_BOOT_ARCH_8042) ||
	    acpi_info.revision < 2) {
		/* Keyboard controller pulse on the reset line, once its input buffer is empty. */
		pr_notice("power: reset through the keyboard controller\n");
		for (int i = 0; i < 100000 && (inb(0x64) & 0x02); i++)
			cpu_relax();
		outb(0x64, 0xfe);
		clock_delay_ns(50 * NSEC_PER_MSEC);
	}
	/* Last resort: no IDT, so the next exception escalates to a triple fault. */
	pr_notice("power: reset by triple fault\n");
	struct __attribute__((packed)) {
		uint16_t limit;
		uint64_t base;
	} empty = { 0, 0 };
	__asm__ volatile("lidt %0; int3" : : "m"(empty));
	arch_halt();
}
