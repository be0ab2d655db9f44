/*
 * The console device as a terminal line: bytes typed on it reach one input
 * handler (the console tty), and the tty's processed output goes back out.
 *
 * The console is the frame's own device (the serial port on x86_64, with the
 * VGA text screen as a second output), so services reach it only here:
 *
 *   static void on_input(const uint8_t *bytes, size_t n, void *arg) { ... }
 *   int err = console_set_input_handler(on_input, my_tty);
 *   console_output("login: ", 7);
 *
 * Output is written as given: no "\n" -> "\r\n" (the tty's ONLCR does that),
 * unlike console_write() in frame/log.h, which is for kernel messages.
 */
#ifndef FRAME_CONSOLE_H
#define FRAME_CONSOLE_H

#include <frame/types.h>

/*
 * Called with bytes as the console receives them, in order, from interrupt
 * context (interrupts off, must not sleep, should be quick). @bytes is only
 * valid during the call. The handler must not call
 * console_set_input_handler() (the frame holds a spin lock around the call).
 */
typedef void (*console_input_fn)(const uint8_t *bytes, size_t n, void *arg);

/*
 * Make @fn(@bytes, @n, @arg) the one receiver of console input, replacing any
 * previous one, and start receiving (the receive interrupt is enabled on the
 * first call). @fn NULL stops delivery; bytes arriving meanwhile are dropped.
 * Once this returns, the previous handler is not running and will not be
 * called again, so its @arg may be freed. Task context only.
 * Returns 0, or -ENODEV if there is no console input device (input can still
 * arrive through console_input_push()).
 */
int console_set_input_handler(console_input_fn fn, void *arg);

/*
 * Deliver @n bytes to the input handler as if the console had received them:
 * for a second input device feeding the console (a keyboard driver) and for
 * tests. Callable from any context, including interrupt handlers. Bytes are
 * dropped when no handler is set.
 */
void console_input_push(const uint8_t *bytes, size_t n);

/*
 * Write @n bytes to every console output (serial and screen), unchanged.
 * Callable from any context; it polls the device, so long writes take time
 * (about 87 us per byte at 115200 baud): callers write in chunks.
 */
void console_output(const char *buf, size_t n);

/*
 * Counters since boot: bytes delivered to a handler, bytes dropped (no
 * handler), and receive overruns the device reported (bytes it lost because
 * input came faster than it was drained).
 */
struct console_input_stats {
	uint64_t delivered;
	uint64_t dropped;
	uint64_t overruns;
};
void console_input_stats(struct console_input_stats *out);

#endif
