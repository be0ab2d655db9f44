/* arch_console_*: every message goes to the serial port and the VGA text screen. */
#include <internal/arch.h>
#include <io/console_internal.h>
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

/* Added for frame/console.h: the tty's already processed output, unchanged. */
void arch_console_write_raw(const char *buf, size_t len)
{
	serial_write_raw(buf, len);
	vga_write(buf, len);
}
