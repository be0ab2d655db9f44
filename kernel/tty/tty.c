/* struct tty: set-up with Linux's defaults, queue state shared by input, read and ioctl. */
#include <frame/string.h>
#include "tty_internal.h"

void tty_default_termios(struct termios *t)
{
	/* Linux's tty_std_termios, which the serial console starts with. */
	static const uint8_t cc[NCCS] = {
		[VINTR] = 003, [VQUIT] = 034, [VERASE] = 0177, [VKILL] = 025,
		[VEOF] = 004, [VTIME] = 0, [VMIN] = 1, [VSWTC] = 0,
		[VSTART] = 021, [VSTOP] = 023, [VSUSP] = 032, [VEOL] = 0,
		[VREPRINT] = 022, [VDISCARD] = 017, [VWERASE] = 027, [VLNEXT] = 026,
		[VEOL2] = 0,
	};
	memset(t, 0, sizeof(*t));
	t->c_iflag = ICRNL | IXON;
	t->c_oflag = OPOST | ONLCR;
	t->c_cflag = B38400 | CS8 | CREAD | HUPCL;
	t->c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN;
	memcpy(t->c_cc, cc, sizeof(cc));
}

void tty_init(struct tty *tty, const char *name, const struct tty_driver_ops *driver,
	      void *driver_data)
{
	memset(tty, 0, sizeof(*tty));
	spin_lock_init(&tty->lock, name);
	mutex_init(&tty->write_lock, name);
	wait_queue_init(&tty->read_wq);
	wait_queue_init(&tty->write_wq);
	tty->name = name;
	tty->driver = driver;
	tty->driver_data = driver_data;
	tty_default_termios(&tty->termios);
	tty->winsize.ws_row = 24;
	tty->winsize.ws_col = 80;
}

size_t tty_available_locked(const struct tty *tty)
{
	if (!L_FLAG(tty, ICANON))
		return tty->read_head - tty->read_tail;
	/* Complete lines, without the EOF markers a read never returns. */
	size_t n = 0;
	for (size_t i = tty->read_tail; i != tty->canon_head; i++)
		if (!(tty_line_end(tty, i) && tty_byte(tty, i) == 0))
			n++;
	return n;
}

size_t tty_input_available(struct tty *tty)
{
	unsigned long flags = spin_lock_irqsave(&tty->lock);
	size_t n = tty_available_locked(tty);
	spin_unlock_irqrestore(&tty->lock, flags);
	return n;
}

void tty_flush_input_locked(struct tty *tty)
{
	memset(tty->line_end, 0, sizeof(tty->line_end));
	tty->read_tail = tty->canon_head = tty->read_head;
	tty->lnext = false;
	tty->erasing = false;
}

void tty_termios_changed_locked(struct tty *tty, const struct termios *old)
{
	bool was_canon = (old->c_lflag & ICANON) != 0;
	if (was_canon != L_FLAG(tty, ICANON)) {
		/*
		 * As Linux: entering canonical mode makes pending raw input one
		 * line (readable as is); leaving it makes the partial line
		 * readable bytes.
		 */
		if (L_FLAG(tty, ICANON) && tty->read_head != tty->read_tail &&
		    !tty_line_end(tty, tty->read_head - 1))
			tty_set_line_end(tty, tty->read_head - 1, true);
		tty->canon_head = tty->read_head;
		tty->lnext = false;
		tty->erasing = false;
	}
	/* Without IXON nothing could ever type ^Q: do not leave output stuck. */
	if ((old->c_iflag & IXON) && !I_FLAG(tty, IXON) && !tty->tco_stopped)
		tty_start_locked(tty);
}

void tty_kick(struct tty *tty)
{
	wait_wake_all(&tty->read_wq);
	wait_wake_all(&tty->write_wq);
}

/* Only ptys hang up for now (their master closing); the flag is read under the lock by readers and writers. */
void tty_hangup(struct tty *tty)
{
	unsigned long f = spin_lock_irqsave(&tty->lock);
	tty->hung_up = true;
	tty_flush_input_locked(tty);
	spin_unlock_irqrestore(&tty->lock, f);
	tty_kick(tty);
}
