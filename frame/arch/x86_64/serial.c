/* 16550 UART on COM1: the serial console, polled so it works from the first instruction. */
#include <arch/cpu.h>
#include "console.h"

#define COM1 0x3f8
#define UART_DATA 0
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_SCRATCH 7
#define LSR_THR_EMPTY 0x20

static bool serial_present;

void serial_init(void)
{
	/* A UART keeps what is written to its scratch register; nothing else does. */
	outb(COM1 + UART_SCRATCH, 0x5a);
	if (inb(COM1 + UART_SCRATCH) != 0x5a)
		return;
	outb(COM1 + UART_IER, 0x00);
	outb(COM1 + UART_LCR, 0x80);	/* divisor latch */
	outb(COM1 + UART_DATA, 0x01);	/* 115200 baud */
	outb(COM1 + UART_IER, 0x00);
	outb(COM1 + UART_LCR, 0x03);	/* 8n1 */
	outb(COM1 + UART_FCR, 0xc7);	/* FIFO on, cleared */
	outb(COM1 + UART_MCR, 0x0b);
	serial_present = true;
}

static void serial_putc(char c)
{
	/* Bounded wait: a wedged UART must not hang the kernel. */
	for (int i = 0; i < 100000; i++)
		if (inb(COM1 + UART_LSR) & LSR_THR_EMPTY)
			break;
	outb(COM1 + UART_DATA, (uint8_t)c);
}

void serial_write(const char *buf, size_t len)
{
	if (!serial_present)
		return;
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '\n')
			serial_putc('\r');
		serial_putc(buf[i]);
	}
}

/*
 * Added for the console tty (serial_input.c, frame/console.h): raw output,
 * because the tty does its own "\n" -> "\r\n" (ONLCR) and may turn it off.
 */
void serial_write_raw(const char *buf, size_t len)
{
	if (!serial_present)
		return;
	for (size_t i = 0; i < len; i++)
		serial_putc(buf[i]);
}

/* Added for serial_input.c: only a UART found at init may have its interrupt enabled. */
bool serial_available(void)
{
	return serial_present;
}
