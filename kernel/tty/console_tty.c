/* The console tty: the frame's console input feeds the line discipline, its output goes to console_output(). */
#include <frame/console.h>
#include "tty_internal.h"

static struct tty console_tty;
static bool console_tty_ready;

static void console_tty_write(struct tty *tty, const char *buf, size_t n)
{
	(void)tty;
	console_output(buf, n);
}

static const struct tty_driver_ops console_driver = {
	.write = console_tty_write,
};

static void console_tty_input(const uint8_t *bytes, size_t n, void *arg)
{
	tty_receive(arg, bytes, n);
}

struct tty *tty_console(void)
{
	return console_tty_ready ? &console_tty : NULL;
}

int tty_console_init(void)
{
	if (!console_tty_ready) {
		tty_init(&console_tty, "console", &console_driver, NULL);
		console_tty_ready = true;
	}
	return console_set_input_handler(console_tty_input, &console_tty);
}
