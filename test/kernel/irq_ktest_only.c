/* In-kernel tests of IRQ lines: argument errors, critical sections, and real PIT/RTC interrupts. */
#include <arch/acpi.h>
#include <arch/cpu.h>
#include <frame/clock.h>
#include <frame/errno.h>
#include <frame/irq.h>
#include <frame/ktest.h>

static void count_handler(void *arg)
{
	(*(volatile int *)arg)++;
}

KTEST(irq_line_request_rejects_bad_arguments)
{
	int n = 0;
	KEXPECT_EQ(irq_line_request(100000, count_handler, &n), -EINVAL);
	KEXPECT_EQ(irq_line_request(4096, count_handler, &n), -EINVAL);
	KEXPECT_EQ(irq_line_request(4, NULL, &n), -EINVAL);
	KEXPECT_EQ(irq_line_free(4, count_handler, &n), -ENOENT);
	KEXPECT_EQ(irq_line_free(100000, count_handler, &n), -ENOENT);
	KEXPECT_EQ(irq_line_mask(100000), -EINVAL);
	KEXPECT_EQ(irq_line_unmask(100000), -EINVAL);
	/* An ISA IRQ whose GSI another IRQ was overridden onto does not exist (QEMU: IRQ0 -> GSI2). */
	for (unsigned i = 0; i < acpi_info.nr_isos; i++)
		if (acpi_info.isos[i].source == 0 && acpi_info.isos[i].gsi == 2)
			KEXPECT_EQ(irq_line_request(2, count_handler, &n), -EINVAL);
}

KTEST(irq_line_sharing_limit_and_free)
{
	int n[IRQ_MAX_HANDLERS + 1] = { 0 };
	const unsigned edge = IRQ_TRIGGER_EDGE | IRQ_POLARITY_HIGH;
	/* ISA IRQ 5 is unused by QEMU's default devices; edge mode cannot storm even if it were. */
	for (int i = 0; i < IRQ_MAX_HANDLERS; i++)
		KEXPECT_EQ(irq_line_request_flags(5, edge, count_handler, &n[i]), 0);
	KEXPECT_EQ(irq_line_mask(5), 0);
	KEXPECT_EQ(irq_line_request_flags(5, edge, count_handler, &n[IRQ_MAX_HANDLERS]), -EBUSY);
	KEXPECT_EQ(irq_line_free(5, count_handler, &n[0]), 0);
	KEXPECT_EQ(irq_line_free(5, count_handler, &n[0]), -ENOENT);
	/* Room again, but a sharer asking for another trigger mode is refused. */
	KEXPECT_EQ(irq_line_request_flags(5, IRQ_TRIGGER_LEVEL | IRQ_POLARITY_HIGH, count_handler,
					  &n[0]), -EBUSY);
	for (int i = 1; i < IRQ_MAX_HANDLERS; i++)
		KEXPECT_EQ(irq_line_free(5, count_handler, &n[i]), 0);
	/* With the line empty the new mode is accepted. */
	KEXPECT_EQ(irq_line_request_flags(5, IRQ_TRIGGER_LEVEL | IRQ_POLARITY_HIGH, count_handler,
					  &n[0]), 0);
	KEXPECT_EQ(irq_line_mask(5), 0);
	KEXPECT_EQ(irq_line_free(5, count_handler, &n[0]), 0);
}

KTEST(irq_save_restore_nests)
{
	KASSERT(irq_enabled());
	unsigned long outer = irq_save();
	KEXPECT(!irq_enabled());
	unsigned long inner = irq_save();
	KEXPECT(!irq_enabled());
	irq_restore(inner);
	KEXPECT(!irq_enabled());
	irq_restore(outer);
	KEXPECT(irq_enabled());
	irq_disable();
	KEXPECT(!irq_enabled());
	irq_enable();
	KEXPECT(irq_enabled());
}

struct irq_probe {
	volatile int count;
	bool irqs_were_on;
};

static void probe_handler(void *arg)
{
	struct irq_probe *p = arg;
	if (irq_enabled())
		p->irqs_were_on = true;
	p->count++;
}

static bool wait_count(volatile int *c, int want, uint64_t ns)
{
	uint64_t end = clock_monotonic_ns() + ns;
	while (*c < want && clock_monotonic_ns() < end)
		;
	return *c >= want;
}

/* ISA IRQ 0 from the PIT at 1 kHz: exercises the firmware override (QEMU routes it to GSI 2). */
KTEST(irq_pit_line_zero_delivers)
{
	struct irq_probe p = { 0 };
	uint64_t before = irq_line_count(0);
	KASSERT(irq_line_request(0, probe_handler, &p) == 0);
	outb(0x43, 0x34); /* channel 0, lobyte/hibyte, mode 2 (rate generator) */
	outb(0x40, 1193 & 0xff);
	outb(0x40, 1193 >> 8);
	KEXPECT(wait_count(&p.count, 10, 200 * NSEC_PER_MSEC));
	KEXPECT(!p.irqs_were_on);
	KEXPECT(irq_line_count(0) - before >= 10);

	/* Masked: no more deliveries. */
	KEXPECT_EQ(irq_line_mask(0), 0);
	clock_delay_ns(NSEC_PER_MSEC); /* one in flight may still land */
	int frozen = p.count;
	clock_delay_ns(10 * NSEC_PER_MSEC);
	KEXPECT_EQ(p.count, frozen);
	KEXPECT_EQ(irq_line_unmask(0), 0);
	KEXPECT(wait_count(&p.count, frozen + 3, 200 * NSEC_PER_MSEC));

	/* Mode 0 with a tiny count: one last edge, then the PIT stays quiet. */
	outb(0x43, 0x30);
	outb(0x40, 1);
	outb(0x40, 0);
	KEXPECT_EQ(irq_line_free(0, probe_handler, &p), 0);
}

static uint8_t cmos(uint8_t reg)
{
	outb(0x70, reg);
	return inb(0x71);
}

static void rtc_handler(void *arg)
{
	cmos(0x0c); /* reading register C acknowledges the RTC interrupt */
	probe_handler(arg);
}

/* ISA IRQ 8 from the RTC's periodic interrupt: a line without an override. */
KTEST(irq_rtc_line_eight_delivers)
{
	struct irq_probe p = { 0 };
	KASSERT(irq_line_request(8, rtc_handler, &p) == 0);
	unsigned long f = irq_save();
	uint8_t a = cmos(0x0a), b = cmos(0x0b);
	outb(0x70, 0x0a);
	outb(0x71, (a & 0xf0) | 6); /* 1024 Hz */
	outb(0x70, 0x0b);
	outb(0x71, b | 0x40); /* periodic interrupt enable */
	cmos(0x0c);
	irq_restore(f);
	KEXPECT(wait_count(&p.count, 10, 200 * NSEC_PER_MSEC));
	f = irq_save();
	outb(0x70, 0x0b);
	outb(0x71, b & ~0x40);
	outb(0x70, 0x0a);
	outb(0x71, a);
	cmos(0x0c);
	irq_restore(f);
	KEXPECT_EQ(irq_line_free(8, rtc_handler, &p), 0);
	KEXPECT(!p.irqs_were_on);
}
