/* read(2) on a tty: one line in canonical mode, VMIN/VTIME in non-canonical mode, job control and interruptible waits. */
#include <abi/errno.h>
#include <abi/signal.h>
#include <frame/clock.h>
#include "tty_internal.h"

static void consume(struct tty *tty, size_t n)
{
	for (size_t i = 0; i < n; i++)
		tty_set_line_end(tty, tty->read_tail + i, false);
	tty->read_tail += n;
}

/* Copy up to @n bytes of raw input; returns the count. */
static size_t copy_raw(struct tty *tty, uint8_t *dst, size_t n)
{
	size_t avail = tty->read_head - tty->read_tail;
	if (n > avail)
		n = avail;
	for (size_t i = 0; i < n; i++)
		dst[i] = tty_byte(tty, tty->read_tail + i);
	consume(tty, n);
	return n;
}

/*
 * Copy the first complete line, or its first @n bytes. A VEOF marker ending
 * the line is consumed but not returned, so "abc^D" reads as "abc" and a
 * bare ^D reads as 0.
 */
static size_t copy_line(struct tty *tty, uint8_t *dst, size_t n)
{
	size_t len = 0;
	while (tty->read_tail + len != tty->canon_head && !tty_line_end(tty, tty->read_tail + len))
		len++;
	bool terminated = tty->read_tail + len != tty->canon_head;
	bool eof = terminated && tty_byte(tty, tty->read_tail + len) == 0;
	size_t take = len + (terminated && !eof);
	if (take > n)
		take = n;
	for (size_t i = 0; i < take; i++)
		dst[i] = tty_byte(tty, tty->read_tail + i);
	/* The whole line went out: its EOF marker goes with it. */
	consume(tty, eof && take == len ? len + 1 : take);
	return take;
}

/* Something for a read now: a complete line (maybe just an EOF) in canonical mode, any byte otherwise. */
static bool ready_locked(const struct tty *tty)
{
	/* Hung up (pty master gone): a sleeping reader wakes to read end of file. */
	if (tty->hung_up)
		return true;
	return L_FLAG(tty, ICANON) ? tty->canon_head != tty->read_tail
				   : tty->read_head != tty->read_tail;
}

static bool ready(struct tty *tty)
{
	unsigned long f = spin_lock_irqsave(&tty->lock);
	bool r = ready_locked(tty);
	spin_unlock_irqrestore(&tty->lock, f);
	return r;
}

/* For poll: a read would not block (a line, an end of file, raw bytes, or a hangup). */
bool tty_read_ready(struct tty *tty)
{
	return ready(tty);
}

/* Sleep until input may have arrived: 0, -ETIMEDOUT at @deadline (0: none), -ERESTARTSYS. */
static int wait_input(struct tty *tty, uint64_t deadline)
{
	const struct tty_session_ops *ops = tty_session();
	struct wait_entry w = { .task = NULL };
	int ret = 0;
	for (;;) {
		wait_prepare(&tty->read_wq, &w);
		if (ready(tty))
			break;
		if (ops->signal_pending()) {
			ret = -ERESTARTSYS;
			break;
		}
		if (wait_sleep(&w, deadline) == -ETIMEDOUT) {
			ret = -ETIMEDOUT;
			break;
		}
	}
	wait_finish(&tty->read_wq, &w);
	return ret;
}

ssize_t tty_read(struct tty *tty, void *buf, size_t n, int flags)
{
	uint8_t *dst = buf;
	int err = tty_job_check(tty, SIGTTIN);
	if (err)
		return err;
	if (!n)
		return 0;

	unsigned long f = spin_lock_irqsave(&tty->lock);
	/*
	 * Linux's n_tty_read: with VMIN > 0 wait for VMIN bytes, VTIME then
	 * being an inter-byte timer started by the first byte; with VMIN = 0,
	 * VTIME is a timeout for the first byte (0: do not wait at all).
	 */
	bool canon = L_FLAG(tty, ICANON);
	size_t minimum = 0;
	uint64_t inter_byte_ns = 0, deadline = 0;
	bool no_wait = false;
	if (!canon) {
		minimum = tty->termios.c_cc[VMIN];
		uint64_t time_ns = tty->termios.c_cc[VTIME] * 100 * NSEC_PER_MSEC;
		if (minimum) {
			inter_byte_ns = time_ns;
		} else {
			minimum = 1;
			if (time_ns)
				deadline = clock_monotonic_ns() + time_ns;
			else
				no_wait = true;
		}
	}
	size_t done = 0;
	for (;;) {
		if (tty->hung_up)
			break;
		canon = L_FLAG(tty, ICANON);
		if (ready_locked(tty)) {
			if (canon) {
				done += copy_line(tty, dst + done, n - done);
				break;
			}
			done += copy_raw(tty, dst + done, n - done);
			if (done >= minimum || done == n)
				break;
			if (inter_byte_ns)
				deadline = clock_monotonic_ns() + inter_byte_ns;
			continue;
		}
		if (no_wait)
			break;
		if (flags & TTY_NONBLOCK) {
			err = -EAGAIN;
			break;
		}
		spin_unlock_irqrestore(&tty->lock, f);
		err = wait_input(tty, deadline);
		f = spin_lock_irqsave(&tty->lock);
		if (err == -ETIMEDOUT) {
			/* Whatever came by the deadline is the answer. */
			err = 0;
			if (!canon && tty->read_head != tty->read_tail)
				done += copy_raw(tty, dst + done, n - done);
			break;
		}
		if (err)
			break;
	}
	spin_unlock_irqrestore(&tty->lock, f);
	/* A pty master writer may be waiting for the room this read made. */
	if (done && tty->driver && tty->driver->input_consumed)
		tty->driver->input_consumed(tty);
	return done ? (ssize_t)done : err;
}
