/* Local APIC (xAPIC MMIO): enable, spurious/error vectors, EOI, and the one-shot timer. */
#include <arch/acpi.h>
#include <arch/apic.h>
#include <arch/cpu.h>
#include <arch/time.h>
#include <arch/trap.h>
#include <frame/log.h>
#include <internal/mm.h>

#define LAPIC_ID 0x020
#define LAPIC_VERSION 0x030
#define LAPIC_TPR 0x080
#define LAPIC_EOI 0x0b0
#define LAPIC_SVR 0x0f0
#define LAPIC_ESR 0x280
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_LVT_LINT0 0x350
#define LAPIC_LVT_LINT1 0x360
#define LAPIC_LVT_ERROR 0x370
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR 0x390
#define LAPIC_TIMER_DIV 0x3e0

#define LVT_MASKED (1u << 16)
#define LVT_DELIVERY_NMI (4u << 8)
#define LVT_DELIVERY_EXTINT (7u << 8)
#define SVR_ENABLE (1u << 8)
#define APIC_BASE_ENABLE (1ull << 11)
#define TIMER_DIV_16 0x3

static volatile uint32_t *lapic;
static uint64_t timer_hz;
/* The timer's divider and LVT already hold the one-shot setup: each re-arm is one register write. */
static bool oneshot_ready;

static inline uint32_t lapic_read(unsigned reg)
{
	return lapic[reg / 4];
}
static inline void lapic_write(unsigned reg, uint32_t v)
{
	lapic[reg / 4] = v;
}

bool lapic_ready(void)
{
	return lapic != NULL;
}

void lapic_eoi(void)
{
	if (lapic)
		lapic_write(LAPIC_EOI, 0);
}

uint32_t lapic_id(void)
{
	return lapic ? lapic_read(LAPIC_ID) >> 24 : 0;
}

static bool spurious_handler(struct trap_frame *f)
{
	(void)f; /* Spurious interrupts are not in service: no EOI. */
	return true;
}

static bool error_handler(struct trap_frame *f)
{
	(void)f;
	lapic_write(LAPIC_ESR, 0); /* latch, then read */
	pr_warn("apic: error status 0x%x\n", lapic_read(LAPIC_ESR));
	lapic_eoi();
	return true;
}

void lapic_init(void)
{
	uint64_t base_msr = rdmsr(MSR_APIC_BASE);
	paddr_t base = base_msr & 0xffffff000ull;
	if (acpi_info.have_madt && acpi_info.lapic_address)
		base = acpi_info.lapic_address;
	lapic = mmio_map(base, PAGE_SIZE);
	if (!lapic) {
		pr_err("apic: cannot map the local APIC at 0x%lx\n", base);
		return;
	}
	wrmsr(MSR_APIC_BASE, base_msr | APIC_BASE_ENABLE);

	trap_set_handler(VEC_SPURIOUS, spurious_handler);
	trap_set_handler(VEC_LAPIC_ERROR, error_handler);

	lapic_write(LAPIC_SVR, SVR_ENABLE | VEC_SPURIOUS);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VEC_LAPIC_TIMER);
	/* External interrupts come through the IOAPIC, so LINT0 (8259 ExtINT) stays masked. */
	lapic_write(LAPIC_LVT_LINT0, LVT_MASKED | LVT_DELIVERY_EXTINT);
	lapic_write(LAPIC_LVT_LINT1, acpi_info.lapic_nmi_lint == 0 ? LVT_MASKED
								   : LVT_DELIVERY_NMI);
	if (acpi_info.lapic_nmi_lint == 0)
		lapic_write(LAPIC_LVT_LINT0, LVT_DELIVERY_NMI);
	lapic_write(LAPIC_LVT_ERROR, VEC_LAPIC_ERROR);
	lapic_write(LAPIC_ESR, 0);
	lapic_write(LAPIC_ESR, 0);
	lapic_write(LAPIC_EOI, 0);
	lapic_write(LAPIC_TPR, 0);
	pr_info("apic: local APIC id %u version 0x%x at 0x%lx\n", lapic_id(),
		lapic_read(LAPIC_VERSION) & 0xff, base);
}

void lapic_timer_start_raw(uint32_t initial)
{
	oneshot_ready = false;
	lapic_write(LAPIC_TIMER_DIV, TIMER_DIV_16);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VEC_LAPIC_TIMER);
	lapic_write(LAPIC_TIMER_INIT, initial);
}

uint32_t lapic_timer_current(void)
{
	return lapic_read(LAPIC_TIMER_CUR);
}

void lapic_timer_setup(void)
{
	if (!lapic || !tsc_hz())
		return;
	/* Count the timer down for ~10 ms of TSC time, three times; the median resists host hiccups. */
	uint64_t runs[3];
	for (int run = 0; run < 3; run++) {
		uint64_t wait = tsc_hz() / 100;
		lapic_timer_start_raw(0xffffffffu);
		uint64_t t0 = rdtsc();
		uint32_t c0 = lapic_timer_current();
		while (rdtsc() - t0 < wait)
			cpu_relax();
		uint32_t c1 = lapic_timer_current();
		uint64_t t1 = rdtsc();
		/* 10 ms of counts (< 2^28 below 25 GHz) times tsc_hz (< 2^35) fits 64 bits. */
		runs[run] = (uint64_t)(c0 - c1) * tsc_hz() / (t1 - t0);
	}
	uint64_t best = MAX(MIN(runs[0], runs[1]), MIN(MAX(runs[0], runs[1]), runs[2]));
	lapic_write(LAPIC_TIMER_INIT, 0);
	timer_hz = best;
	pr_info("apic: timer runs at %lu.%03lu MHz (divide by 16)\n", timer_hz / 1000000,
		timer_hz / 1000 % 1000);
}

uint64_t lapic_timer_hz(void)
{
	return timer_hz;
}

void lapic_timer_oneshot(uint64_t count)
{
	if (!lapic)
		return;
	if (count > 0xffffffffu)
		count = 0xffffffffu;
	if (!oneshot_ready) {
		lapic_write(LAPIC_TIMER_DIV, TIMER_DIV_16);
		lapic_write(LAPIC_LVT_TIMER, VEC_LAPIC_TIMER); /* one-shot, unmasked */
		oneshot_ready = true;
	}
	lapic_write(LAPIC_TIMER_INIT, (uint32_t)count);
}
