/* HPET main counter (from the ACPI HPET table): the primary reference for TSC calibration. */
#include <arch/acpi.h>
#include <arch/time.h>
#include <frame/log.h>
#include <internal/mm.h>

#define HPET_CAP 0x000
#define HPET_CONFIG 0x010
#define HPET_COUNTER 0x0f0
#define HPET_CONFIG_ENABLE 1u
#define FS_PER_SEC 1000000000000000ull

static volatile uint64_t *hpet;
static uint64_t hpet_freq;

bool hpet_present(void)
{
	return hpet != NULL;
}

uint64_t hpet_hz(void)
{
	return hpet_freq;
}

uint64_t hpet_counter(void)
{
	return hpet[HPET_COUNTER / 8];
}

bool hpet_init(void)
{
	if (!acpi_info.have_hpet)
		return false;
	volatile uint64_t *regs = mmio_map(acpi_info.hpet_address, 1024);
	if (!regs)
		return false;
	uint64_t period_fs = regs[HPET_CAP / 8] >> 32;
	/* The spec caps the period at 100 ns; anything else means no usable HPET. */
	if (period_fs == 0 || period_fs > 100000000ull)
		return false;
	hpet_freq = FS_PER_SEC / period_fs;
	/* Run the main counter; no legacy replacement, no comparators are used. */
	regs[HPET_CONFIG / 8] = (regs[HPET_CONFIG / 8] & ~2ull) | HPET_CONFIG_ENABLE;
	hpet = regs;
	pr_info("hpet: at 0x%lx, %lu Hz\n", acpi_info.hpet_address, hpet_freq);
	return true;
}
