/* x86_64 time bring-up (arch_time_init) and the LAPIC one-shot timer as the frame's event source. */
#include <arch/apic.h>
#include <arch/time.h>
#include <arch/trap.h>
#include <frame/clock.h>
#include <frame/log.h>
#include <internal/arch.h>
#include <timer/timer_internal.h>

/* Longest single programming: keeps count * hz in 64 bits; the tick re-arms long before. */
#define MAX_PROGRAM_NS NSEC_PER_SEC

void arch_timer_program(uint64_t deadline_ns)
{
	uint64_t hz = lapic_timer_hz();
	if (!hz)
		return;
	uint64_t now = arch_clock_ns();
	uint64_t delta = deadline_ns > now ? deadline_ns - now : 0;
	if (delta > MAX_PROGRAM_NS)
		delta = MAX_PROGRAM_NS;
	/* Round up so the interrupt does not come before the deadline; timer_interrupt re-checks anyway. */
	uint64_t count = (delta * hz + NSEC_PER_SEC - 1) / NSEC_PER_SEC;
	lapic_timer_oneshot(count ? count : 1);
}

static bool lapic_timer_handler(struct trap_frame *f)
{
	(void)f;
	lapic_eoi();
	timer_interrupt();
	return true;
}

void arch_time_init(void)
{
	hpet_init();
	tsc_calibrate();
	if (!tsc_hz()) {
		pr_err("time: no calibrated clock; timers disabled\n");
		return;
	}
	lapic_timer_setup();
	if (!lapic_timer_hz()) {
		pr_err("time: no local APIC timer; timers disabled\n");
		return;
	}
	trap_set_handler(VEC_LAPIC_TIMER, lapic_timer_handler);
	timer_start();
	uint64_t rt = clock_realtime_ns() / NSEC_PER_SEC;
	pr_info("time: tick %u Hz, wall clock %lu s since 1970\n", CLOCK_TICK_HZ, rt);
}
