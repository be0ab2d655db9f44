/* The x86_64 console devices behind arch_console_write(). */
#ifndef ARCH_X86_64_CONSOLE_H
#define ARCH_X86_64_CONSOLE_H

#include <frame/types.h>

void serial_init(void);
void serial_write(const char *buf, size_t len);
void vga_init(void);
void vga_write(const char *buf, size_t len);

/* Console input and raw output (frame/console.h); serial_input.c. */
void serial_write_raw(const char *buf, size_t len);
bool serial_available(void);
/* UART loopback (MCR bit 4): output comes back as input, for tests; nothing reaches the line meanwhile. */
void serial_set_loopback(bool on);

#endif
