/* COM1 receive side: the 16550's receive interrupt on ISA IRQ 4 drains the FIFO into console input. */
#include <arch/cpu.h>
#include <frame/errno.h>
#include <frame/irq.h>
#include <io/console_internal.h>
#include "console.h"

#define COM1 0x3f8
#define COM1_IRQ 4
#define UART_DATA 0
#define UART_IER 1
#define UART_IIR 2
#define UART_MCR 4
#define UART_LSR 5
#define IER_RX_DATA 0x01
#define IER_RX_LINE_STATUS 0x04	/* overrun, parity, framing, break */
#define IIR_NONE_PENDING 0x01
#define MCR_NORMAL 0x0b		/* DTR, RTS, OUT2 (OUT2 gates the IRQ on PCs) */
#define MCR_LOOP 0x10
#define LSR_DATA_READY 0x01
#define LSR_OVERRUN 0x02

/*
 * Most bytes one interrupt drains: input arriving as fast as it is read
 * (a stuck DR bit, a flood) must not keep the CPU in the handler forever.
 */
#define RX_BUDGET 4096

static bool rx_started;

static void serial_rx_irq(void *arg)
{
	(void)arg;
	uint8_t buf[64];
	size_t n = 0, total = 0;
	uint64_t overruns = 0;
	for (;;) {
		uint8_t lsr = inb(COM1 + UART_LSR);
		/* Reading LSR clears the overrun bit: count it now or never. */
		if (lsr & LSR_OVERRUN)
			overruns++;
		if (!(lsr & LSR_DATA_READY) || total == RX_BUDGET)
			break;
		buf[n++] = inb(COM1 + UART_DATA);
		total++;
		if (n == sizeof(buf)) {
			console_input_receive(buf, n);
			n = 0;
		}
	}
	console_input_receive(buf, n);
	if (overruns)
		console_input_note_overruns(overruns);
	/*
	 * The ISA line is edge-triggered: if the UART still asserts its
	 * interrupt (budget spent, or a byte arrived after the last LSR read),
	 * no new edge would come and input would stop. Dropping and restoring
	 * IER makes a fresh edge in that case and nothing otherwise.
	 */
	if (!(inb(COM1 + UART_IIR) & IIR_NONE_PENDING)) {
		outb(COM1 + UART_IER, 0);
		outb(COM1 + UART_IER, IER_RX_DATA | IER_RX_LINE_STATUS);
	}
}

int arch_console_rx_start(void)
{
	if (!serial_available())
		return -ENODEV;
	if (__atomic_exchange_n(&rx_started, true, __ATOMIC_ACQ_REL))
		return 0;
	int err = irq_line_request(COM1_IRQ, serial_rx_irq, NULL);
	if (err) {
		__atomic_store_n(&rx_started, false, __ATOMIC_RELEASE);
		return err;
	}
	outb(COM1 + UART_IER, IER_RX_DATA | IER_RX_LINE_STATUS);
	return 0;
}

void serial_set_loopback(bool on)
{
	if (serial_available())
		outb(COM1 + UART_MCR, on ? MCR_NORMAL | MCR_LOOP : MCR_NORMAL);
}
