/* Output side: OPOST processing with column tracking, echoes, ^S/^Q flow control, and write(2). */
#include <abi/errno.h>
#include <abi/signal.h>
#include "tty_internal.h"

/* Bytes of processed output handed to the driver at a time, outside the spin lock. */
#define WRITE_CHUNK 256

/* Output processing of one byte (Linux's do_output_char): 0, 1 or 2 bytes into @out. */
static size_t opost_char(struct tty *tty, uint8_t c, char out[2])
{
	switch (c) {
	case '\n':
		if (O_FLAG(tty, ONLRET))
			tty->column = 0;
		if (O_FLAG(tty, ONLCR)) {
			tty->column = tty->canon_column = 0;
			out[0] = '\r';
			out[1] = '\n';
			return 2;
		}
		tty->canon_column = tty->column;
		break;
	case '\r':
		if (O_FLAG(tty, ONOCR) && tty->column == 0)
			return 0;
		if (O_FLAG(tty, OCRNL)) {
			c = '\n';
			if (O_FLAG(tty, ONLRET))
				tty->column = tty->canon_column = 0;
			break;
		}
		tty->column = tty->canon_column = 0;
		break;
	case '\t':
		tty->column += 8 - (tty->column & 7);
		break;
	case '\b':
		if (tty->column > 0)
			tty->column--;
		break;
	default:
		if (!tty_iscntrl(c)) {
			if (O_FLAG(tty, OLCUC) && c >= 'a' && c <= 'z')
				c = (uint8_t)(c - 'a' + 'A');
			if (!tty_is_continuation(tty, c))
				tty->column++;
		}
		break;
	}
	out[0] = (char)c;
	return 1;
}

static void driver_write(struct tty *tty, const char *buf, size_t n)
{
	if (n && tty->driver && tty->driver->write)
		tty->driver->write(tty, buf, n);
}

void tty_emit(struct tty *tty, uint8_t c)
{
	char out[2];
	size_t n;
	if (O_FLAG(tty, OPOST)) {
		n = opost_char(tty, c, out);
	} else {
		out[0] = (char)c;
		n = 1;
	}
	if (!tty->stopped) {
		driver_write(tty, out, n);
		return;
	}
	/* Stopped: echoes wait for ^Q like other output; past the hold buffer they are lost. */
	for (size_t i = 0; i < n && tty->echo_held < TTY_ECHO_HOLD; i++)
		tty->echo_hold[tty->echo_held++] = out[i];
}

void tty_echo_char(struct tty *tty, uint8_t c)
{
	if (L_FLAG(tty, ECHOCTL) && tty_iscntrl(c) && c != '\t' && c != '\n') {
		tty_emit(tty, '^');
		tty_emit(tty, c ^ 0100);
		return;
	}
	tty_emit(tty, c);
}

void tty_stop_locked(struct tty *tty)
{
	tty->stopped = true;
}

void tty_start_locked(struct tty *tty)
{
	if (!tty->stopped || tty->tco_stopped)
		return;
	tty->stopped = false;
	driver_write(tty, tty->echo_hold, tty->echo_held);
	tty->echo_held = 0;
	wait_wake_all(&tty->write_wq);
}

void tty_flush_output_locked(struct tty *tty)
{
	tty->echo_held = 0;
}

/* Wait until output is not stopped: 0, -EAGAIN (nonblocking), -ERESTARTSYS. */
static int wait_output_running(struct tty *tty, int flags)
{
	const struct tty_session_ops *ops = tty_session();
	struct wait_entry w = { .task = NULL };
	int ret = 0;
	for (;;) {
		wait_prepare(&tty->write_wq, &w);
		unsigned long f = spin_lock_irqsave(&tty->lock);
		bool stopped = tty->stopped && !tty->hung_up;
		spin_unlock_irqrestore(&tty->lock, f);
		if (!stopped)
			break;
		if (flags & TTY_NONBLOCK) {
			ret = -EAGAIN;
			break;
		}
		if (ops->signal_pending()) {
			ret = -ERESTARTSYS;
			break;
		}
		wait_sleep(&w, 0);
	}
	wait_finish(&tty->write_wq, &w);
	return ret;
}

ssize_t tty_write(struct tty *tty, const void *buf, size_t n, int flags)
{
	const uint8_t *src = buf;
	if (L_FLAG(tty, TOSTOP)) {
		int err = tty_job_check(tty, SIGTTOU);
		if (err)
			return err;
	}
	mutex_lock(&tty->write_lock);
	size_t done = 0;
	int err = 0;
	while (done < n) {
		err = wait_output_running(tty, flags);
		/* A device with a bounded queue (pty) holds the writer back until a chunk fits. */
		if (!err && tty->driver && tty->driver->write_wait)
			err = tty->driver->write_wait(tty, WRITE_CHUNK, flags);
		if (!err && tty->hung_up)
			err = -EIO;
		if (err)
			break;
		char out[WRITE_CHUNK];
		size_t len = 0;
		unsigned long f = spin_lock_irqsave(&tty->lock);
		/* Stopped again between the wait and the lock: go back and wait. */
		if (tty->stopped) {
			spin_unlock_irqrestore(&tty->lock, f);
			continue;
		}
		bool opost = O_FLAG(tty, OPOST);
		while (done < n && len + 2 <= sizeof(out)) {
			if (opost) {
				len += opost_char(tty, src[done], out + len);
			} else {
				out[len++] = (char)src[done];
			}
			done++;
		}
		spin_unlock_irqrestore(&tty->lock, f);
		driver_write(tty, out, len);
	}
	mutex_unlock(&tty->write_lock);
	return done ? (ssize_t)done : err;
}
