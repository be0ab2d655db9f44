/* Console input and tty output (frame/console.h): one input handler fed by the arch's receive interrupt. */
#include <frame/console.h>
#include <frame/errno.h>
#include <frame/spinlock.h>
#include <internal/log.h>
#include <io/console_internal.h>

/*
 * Held around every handler call, so console_set_input_handler() returning
 * means the old handler is done: the caller may free its argument.
 */
static spinlock_t input_lock = SPINLOCK_INIT("console_input");
static console_input_fn input_fn;
static void *input_arg;
static struct console_input_stats stats;

int console_set_input_handler(console_input_fn fn, void *arg)
{
	unsigned long flags = spin_lock_irqsave(&input_lock);
	input_fn = fn;
	input_arg = arg;
	spin_unlock_irqrestore(&input_lock, flags);
	/* Started outside the lock: the arch requests its IRQ line, which may allocate. */
	return fn ? arch_console_rx_start() : 0;
}

void console_input_receive(const uint8_t *bytes, size_t n)
{
	if (!n)
		return;
	unsigned long flags = spin_lock_irqsave(&input_lock);
	if (input_fn) {
		stats.delivered += n;
		input_fn(bytes, n, input_arg);
	} else {
		stats.dropped += n;
	}
	spin_unlock_irqrestore(&input_lock, flags);
}

void console_input_push(const uint8_t *bytes, size_t n)
{
	console_input_receive(bytes, n);
}

void console_input_note_overruns(uint64_t count)
{
	unsigned long flags = spin_lock_irqsave(&input_lock);
	stats.overruns += count;
	spin_unlock_irqrestore(&input_lock, flags);
}

void console_input_stats(struct console_input_stats *out)
{
	unsigned long flags = spin_lock_irqsave(&input_lock);
	*out = stats;
	spin_unlock_irqrestore(&input_lock, flags);
}

void console_output(const char *buf, size_t n)
{
	unsigned long flags = console_lock_irqsave();
	arch_console_write_raw(buf, n);
	console_unlock_irqrestore(flags);
}
