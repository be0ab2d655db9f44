/* 8254 PIT channel 2 as a polled reference delay (TSC calibration fallback, waits before calibration). */
#include <arch/cpu.h>
#include <arch/time.h>
#include <timer/timer_internal.h>

#define PIT_HZ 1193182u
#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PORT_B 0x61 /* bit 0: channel 2 gate, bit 1: speaker, bit 5: channel 2 output */

void pit_wait_us(uint32_t us)
{
	if (us == 0)
		return;
	if (us > 50000)
		us = 50000;
	uint32_t count = (uint32_t)((uint64_t)PIT_HZ * us / 1000000u);
	if (count == 0)
		count = 1;
	/* Gate on, speaker off; mode 0 raises OUT when the count reaches zero. */
	outb(PORT_B, (inb(PORT_B) & ~0x02) | 0x01);
	outb(PIT_CMD, 0xb0); /* channel 2, lobyte/hibyte, mode 0, binary */
	outb(PIT_CH2, count & 0xff);
	outb(PIT_CH2, count >> 8);
	while (!(inb(PORT_B) & 0x20))
		cpu_relax();
}

void arch_early_delay_us(uint32_t us)
{
	pit_wait_us(us);
}
