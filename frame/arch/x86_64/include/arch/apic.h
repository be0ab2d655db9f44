/* x86_64 interrupt controllers inside the frame: legacy PIC, local APIC (+ its timer), IOAPICs. */
#ifndef ARCH_APIC_H
#define ARCH_APIC_H

#include <frame/types.h>

/* Remap the 8259 pair onto VEC_PIC_BASE and mask every line. */
void pic_disable(void);

/* Map and enable this CPU's local APIC (spurious vector, LINT pins, error vector). */
void lapic_init(void);
/* True once lapic_init() succeeded. */
bool lapic_ready(void);
/* Signal end of interrupt; a no-op before lapic_init(). */
void lapic_eoi(void);
uint32_t lapic_id(void);

/*
 * Local APIC timer in one-shot mode. lapic_timer_hz() is the count rate after
 * the divider (0 until calibrated); lapic_timer_oneshot() fires VEC_LAPIC_TIMER
 * once after @count counts (clamped to 32 bits, 0 stops the timer).
 */
void lapic_timer_setup(void);
uint64_t lapic_timer_hz(void);
void lapic_timer_oneshot(uint64_t count);
/* Raw access for calibration: start a masked free count down, read what is left. */
void lapic_timer_start_raw(uint32_t initial);
uint32_t lapic_timer_current(void);

/* Program the IOAPICs found in the MADT (or the default one), every pin masked. */
void ioapic_init(void);
/* Route @gsi to @vector on the boot CPU with the given trigger/polarity; stays masked. */
int ioapic_route(uint32_t gsi, uint8_t vector, bool level, bool active_low);
int ioapic_set_masked(uint32_t gsi, bool masked);
/* Number of GSIs the IOAPICs cover (0 if none). */
uint32_t ioapic_gsi_count(void);

/* Wire the IRQ-line layer (frame/irq.h) onto the IOAPIC vectors. */
void irq_lines_init(void);

#endif
