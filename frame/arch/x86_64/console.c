/* arch_console_*: every message goes to the serial port and the VGA text screen. */
#include <internal/arch.h>
#include "console.h"

void arch_console_init(void)
{
	serial_init();
	vga_init();
}

void arch_console_write(const char *buf, size_t len)
{
	serial_write(buf, len);
	vga_write(buf, len);
}
