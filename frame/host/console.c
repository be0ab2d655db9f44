/* Hosted frame console (frame/console.h): no device, so input comes only from console_input_push(); output goes to stdout. */
#include <stdio.h>

#include <frame/console.h>
#include <frame/errno.h>

static console_input_fn input_fn;
static void *input_arg;
static struct console_input_stats stats;

int console_set_input_handler(console_input_fn fn, void *arg)
{
	input_fn = fn;
	input_arg = arg;
	/* Same answer as a kernel without a UART: pushing still works. */
	return fn ? -ENODEV : 0;
}

void console_input_push(const uint8_t *bytes, size_t n)
{
	if (!n)
		return;
	if (input_fn) {
		stats.delivered += n;
		input_fn(bytes, n, input_arg);
	} else {
		stats.dropped += n;
	}
}

void console_output(const char *buf, size_t n)
{
	fwrite(buf, 1, n, stdout);
	fflush(stdout);
}

void console_input_stats(struct console_input_stats *out)
{
	*out = stats;
}
