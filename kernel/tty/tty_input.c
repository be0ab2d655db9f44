/* Input side of N_TTY: translation, signals, flow control, canonical editing and echo, as Linux's n_tty does it. */
#include <abi/signal.h>
#include "tty_internal.h"

static size_t queued(const struct tty *tty)
{
	return tty->read_head - tty->read_tail;
}

static void put_queue(struct tty *tty, uint8_t c, bool line_end)
{
	tty->buf[tty->read_head & TTY_MASK] = c;
	tty_set_line_end(tty, tty->read_head, line_end);
	tty->read_head++;
}

/* The queue is full: drop the byte and ring the bell (n_tty's behaviour, IMAXBEL always on). */
static void refuse(struct tty *tty)
{
	tty->dropped++;
	if (L_FLAG(tty, ECHO))
		tty_emit(tty, '\a');
}

/* ECHOPRT's "\erased/" display ends with the first byte that is not an erase. */
static void finish_erasing(struct tty *tty)
{
	if (tty->erasing) {
		tty_emit(tty, '/');
		tty->erasing = false;
	}
}

/* An ordinary byte: queue it, echo it. One slot stays free for the line terminator. */
static void receive_plain(struct tty *tty, uint8_t c)
{
	if (queued(tty) >= TTY_BUF_SIZE - 1) {
		refuse(tty);
		return;
	}
	if (L_FLAG(tty, ECHO)) {
		finish_erasing(tty);
		if (c == '\n') {
			tty_emit(tty, '\n');
		} else {
			if (tty->canon_head == tty->read_head)
				tty->canon_column = tty->column;
			tty_echo_char(tty, c);
		}
	}
	put_queue(tty, c, false);
	if (!L_FLAG(tty, ICANON))
		tty->canon_head = tty->read_head;
}

/* A line terminator: @c is queued (0 for VEOF, which a read never returns) and the line completes. */
static void end_line(struct tty *tty, uint8_t c)
{
	if (queued(tty) >= TTY_BUF_SIZE) {
		refuse(tty);
		return;
	}
	put_queue(tty, c, true);
	tty->canon_head = tty->read_head;
}

/* Visible erase of one echoed byte, or a tab, as Linux's eraser() shows it. */
static void echo_erase(struct tty *tty, uint8_t c, size_t head, size_t end)
{
	if (L_FLAG(tty, ECHOPRT)) {
		/* Hardcopy terminals: show what was erased, "\\abc/". */
		if (!tty->erasing) {
			tty_emit(tty, '\\');
			tty->erasing = true;
		}
		tty_echo_char(tty, c);
		for (size_t i = head + 1; i != end; i++)
			tty_emit(tty, tty_byte(tty, i));
		return;
	}
	if (c == '\t') {
		/* Back up to where the tab began: the column the rest of the line ends at. */
		unsigned col = tty->canon_column;
		for (size_t i = tty->canon_head; i != head; i++) {
			uint8_t b = tty_byte(tty, i);
			if (b == '\t')
				col = (col | 7) + 1;
			else if (tty_iscntrl(b))
				col += L_FLAG(tty, ECHOCTL) ? 2 : 0;
			else if (!tty_is_continuation(tty, b))
				col++;
		}
		while (tty->column > col)
			tty_emit(tty, '\b');
		return;
	}
	bool ctl = tty_iscntrl(c);
	if (ctl && L_FLAG(tty, ECHOCTL)) {
		tty_emit(tty, '\b');
		tty_emit(tty, ' ');
		tty_emit(tty, '\b');
	}
	if (!ctl || L_FLAG(tty, ECHOCTL)) {
		tty_emit(tty, '\b');
		tty_emit(tty, ' ');
		tty_emit(tty, '\b');
	}
}

enum erase_kind { ERASE, WERASE, KILL };

static void eraser(struct tty *tty, uint8_t c)
{
	if (tty->read_head == tty->canon_head)
		return;
	enum erase_kind kind = tty_is_cc(tty, VERASE, c) ? ERASE
			       : tty_is_cc(tty, VWERASE, c) ? WERASE : KILL;
	if (kind == KILL) {
		if (!L_FLAG(tty, ECHO)) {
			tty->read_head = tty->canon_head;
			return;
		}
		if (!L_FLAG(tty, ECHOK) || !L_FLAG(tty, ECHOKE) || !L_FLAG(tty, ECHOE)) {
			tty->read_head = tty->canon_head;
			finish_erasing(tty);
			tty_echo_char(tty, c);
			if (L_FLAG(tty, ECHOK))
				tty_emit(tty, '\n');
			return;
		}
	}
	size_t seen_alnums = 0;
	while (tty->read_head != tty->canon_head) {
		size_t head = tty->read_head;
		uint8_t b;
		/* A UTF-8 character goes as a whole. */
		do {
			head--;
			b = tty_byte(tty, head);
		} while (tty_is_continuation(tty, b) && head != tty->canon_head);
		if (kind == WERASE) {
			/* Trailing separators first, then the word (BSD's ALTWERASE, as Linux). */
			if (tty_isalnum(b) || b == '_')
				seen_alnums++;
			else if (seen_alnums)
				break;
		}
		size_t end = tty->read_head;
		tty->read_head = head;
		if (L_FLAG(tty, ECHO)) {
			if (kind == ERASE && !L_FLAG(tty, ECHOE) && !L_FLAG(tty, ECHOPRT))
				tty_echo_char(tty, c);
			else
				echo_erase(tty, b, head, end);
		}
		if (kind == ERASE)
			break;
	}
	if (tty->read_head == tty->canon_head && L_FLAG(tty, ECHO))
		finish_erasing(tty);
}

static void reprint(struct tty *tty, uint8_t c)
{
	finish_erasing(tty);
	tty_echo_char(tty, c);
	tty_emit(tty, '\n');
	for (size_t i = tty->canon_head; i != tty->read_head; i++)
		tty_echo_char(tty, tty_byte(tty, i));
}

/* ISIG: flush unless NOFLSH, restart output, echo; returns the signal for the caller to send unlocked. */
static int signal_char(struct tty *tty, int sig, uint8_t c)
{
	if (!L_FLAG(tty, NOFLSH)) {
		tty_flush_input_locked(tty);
		tty_flush_output_locked(tty);
	}
	if (I_FLAG(tty, IXON))
		tty_start_locked(tty);
	if (L_FLAG(tty, ECHO))
		tty_echo_char(tty, c);
	return sig;
}

/* Process one byte; returns a signal to send to the foreground group, or 0. */
static int receive_char(struct tty *tty, uint8_t c)
{
	if (tty->lnext) {
		tty->lnext = false;
		if (I_FLAG(tty, ISTRIP))
			c &= 0x7f;
		receive_plain(tty, c);
		return 0;
	}
	if (I_FLAG(tty, ISTRIP))
		c &= 0x7f;
	if (I_FLAG(tty, IXON)) {
		if (tty_is_cc(tty, VSTOP, c)) {
			tty_stop_locked(tty);
			return 0;
		}
		if (tty_is_cc(tty, VSTART, c)) {
			tty_start_locked(tty);
			return 0;
		}
	}
	if (L_FLAG(tty, ISIG)) {
		if (tty_is_cc(tty, VINTR, c))
			return signal_char(tty, SIGINT, c);
		if (tty_is_cc(tty, VQUIT, c))
			return signal_char(tty, SIGQUIT, c);
		if (tty_is_cc(tty, VSUSP, c))
			return signal_char(tty, SIGTSTP, c);
	}
	if (tty->stopped && I_FLAG(tty, IXON) && I_FLAG(tty, IXANY))
		tty_start_locked(tty);
	if (c == '\r') {
		if (I_FLAG(tty, IGNCR))
			return 0;
		if (I_FLAG(tty, ICRNL))
			c = '\n';
	} else if (c == '\n' && I_FLAG(tty, INLCR)) {
		c = '\r';
	}
	if (L_FLAG(tty, ICANON)) {
		bool iexten = L_FLAG(tty, IEXTEN);
		if (tty_is_cc(tty, VERASE, c) || tty_is_cc(tty, VKILL, c) ||
		    (iexten && tty_is_cc(tty, VWERASE, c))) {
			eraser(tty, c);
			return 0;
		}
		if (iexten && tty_is_cc(tty, VLNEXT, c)) {
			tty->lnext = true;
			if (L_FLAG(tty, ECHO)) {
				finish_erasing(tty);
				/* A placeholder the literal byte's echo overwrites. */
				if (L_FLAG(tty, ECHOCTL)) {
					tty_emit(tty, '^');
					tty_emit(tty, '\b');
				}
			}
			return 0;
		}
		if (iexten && L_FLAG(tty, ECHO) && tty_is_cc(tty, VREPRINT, c)) {
			reprint(tty, c);
			return 0;
		}
		if (c == '\n') {
			if (queued(tty) < TTY_BUF_SIZE && (L_FLAG(tty, ECHO) || L_FLAG(tty, ECHONL))) {
				finish_erasing(tty);
				tty_emit(tty, '\n');
			}
			end_line(tty, c);
			return 0;
		}
		if (tty_is_cc(tty, VEOF, c)) {
			finish_erasing(tty);
			end_line(tty, 0);
			return 0;
		}
		if (tty_is_cc(tty, VEOL, c) || (iexten && tty_is_cc(tty, VEOL2, c))) {
			if (queued(tty) < TTY_BUF_SIZE && L_FLAG(tty, ECHO)) {
				finish_erasing(tty);
				if (tty->canon_head == tty->read_head)
					tty->canon_column = tty->column;
				tty_echo_char(tty, c);
			}
			end_line(tty, c);
			return 0;
		}
	}
	receive_plain(tty, c);
	return 0;
}

void tty_receive(struct tty *tty, const uint8_t *bytes, size_t n)
{
	const struct tty_session_ops *ops = tty_session();
	size_t i = 0;
	while (i < n) {
		int sig = 0;
		unsigned long flags = spin_lock_irqsave(&tty->lock);
		if (!(tty->termios.c_cflag & CREAD)) {
			spin_unlock_irqrestore(&tty->lock, flags);
			return;
		}
		size_t before = tty->canon_head;
		while (i < n && !sig)
			sig = receive_char(tty, bytes[i++]);
		bool wake = tty->canon_head != before;
		int32_t pgrp = tty->pgrp;
		spin_unlock_irqrestore(&tty->lock, flags);
		if (wake)
			wait_wake_all(&tty->read_wq);
		/* Signals go out unlocked: the process layer may take its own locks. */
		if (sig && pgrp)
			ops->signal_pgrp(pgrp, sig);
	}
}
