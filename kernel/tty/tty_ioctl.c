/* Terminal ioctls on kernel copies of their arguments: termios, window size, process groups, sessions, flushing, flow. */
#include <abi/errno.h>
#include <abi/signal.h>
#include <frame/string.h>
#include "tty_internal.h"

/* TCXONC arguments (<asm-generic/termbits.h>); not yet in abi/termios.h. */
#define TTY_TCOOFF 0
#define TTY_TCOON 1
#define TTY_TCIOFF 2
#define TTY_TCION 3

/* Output is written synchronously; draining means waiting for the writer in progress. */
static void drain_output(struct tty *tty)
{
	mutex_lock(&tty->write_lock);
	mutex_unlock(&tty->write_lock);
}

static long set_termios(struct tty *tty, unsigned cmd, const struct termios *t)
{
	int err = tty_job_check(tty, SIGTTOU);
	if (err)
		return err;
	if (cmd != TCSETS)
		drain_output(tty);
	unsigned long f = spin_lock_irqsave(&tty->lock);
	struct termios old = tty->termios;
	tty->termios = *t;
	if (cmd == TCSETSF)
		tty_flush_input_locked(tty);
	tty_termios_changed_locked(tty, &old);
	spin_unlock_irqrestore(&tty->lock, f);
	/* A new mode may satisfy a sleeping reader (e.g. leaving canonical mode). */
	wait_wake_all(&tty->read_wq);
	return 0;
}

static long set_winsize(struct tty *tty, const struct winsize *ws)
{
	unsigned long f = spin_lock_irqsave(&tty->lock);
	bool changed = memcmp(&tty->winsize, ws, sizeof(*ws)) != 0;
	tty->winsize = *ws;
	int32_t pgrp = tty->pgrp;
	spin_unlock_irqrestore(&tty->lock, f);
	if (changed && pgrp)
		tty_session()->signal_pgrp(pgrp, SIGWINCH);
	return 0;
}

static long flush(struct tty *tty, unsigned long which)
{
	if (which > TCIOFLUSH)
		return -EINVAL;
	int err = tty_job_check(tty, SIGTTOU);
	if (err)
		return err;
	unsigned long f = spin_lock_irqsave(&tty->lock);
	if (which == TCIFLUSH || which == TCIOFLUSH)
		tty_flush_input_locked(tty);
	if (which == TCOFLUSH || which == TCIOFLUSH)
		tty_flush_output_locked(tty);
	spin_unlock_irqrestore(&tty->lock, f);
	return 0;
}

static long xonc(struct tty *tty, unsigned long action)
{
	int err = tty_job_check(tty, SIGTTOU);
	if (err)
		return err;
	unsigned long f = spin_lock_irqsave(&tty->lock);
	long ret = 0;
	switch (action) {
	case TTY_TCOOFF:
		if (!tty->tco_stopped) {
			tty->tco_stopped = true;
			tty_stop_locked(tty);
		}
		break;
	case TTY_TCOON:
		if (tty->tco_stopped) {
			tty->tco_stopped = false;
			tty_start_locked(tty);
		}
		break;
	case TTY_TCIOFF:
	case TTY_TCION: {
		/* Ask the other end to stop/start sending: the character goes out even while output is stopped. */
		uint8_t c = tty->termios.c_cc[action == TTY_TCIOFF ? VSTOP : VSTART];
		if (c && tty->driver && tty->driver->write) {
			char ch = (char)c;
			tty->driver->write(tty, &ch, 1);
		}
		break;
	}
	default:
		ret = -EINVAL;
	}
	spin_unlock_irqrestore(&tty->lock, f);
	return ret;
}

static long set_pgrp(struct tty *tty, int32_t pgrp)
{
	const struct tty_session_ops *ops = tty_session();
	int err = tty_job_check(tty, SIGTTOU);
	if (err == -EIO)
		return -ENOTTY;
	if (err)
		return err;
	if (pgrp < 0)
		return -EINVAL;
	int32_t sid = ops->current_sid();
	if (ops->current_ctty() != tty || tty->session != sid)
		return -ENOTTY;
	int32_t pgrp_sid = ops->pgrp_session(pgrp);
	if (pgrp_sid < 0)
		return -ESRCH;
	if (pgrp_sid != sid)
		return -EPERM;
	unsigned long f = spin_lock_irqsave(&tty->lock);
	tty->pgrp = pgrp;
	spin_unlock_irqrestore(&tty->lock, f);
	return 0;
}

static long set_ctty(struct tty *tty, unsigned long steal, bool readable)
{
	const struct tty_session_ops *ops = tty_session();
	int32_t sid = ops->current_sid();
	bool leader = ops->current_pid() == sid;
	if (leader && tty->session == sid)
		return 0;
	if (!leader || ops->current_ctty())
		return -EPERM;
	if (tty->session) {
		if (steal != 1 || !ops->current_capable_admin())
			return -EPERM;
		ops->session_clear_ctty(tty->session);
	}
	if (!readable && !ops->current_capable_admin())
		return -EPERM;
	unsigned long f = spin_lock_irqsave(&tty->lock);
	tty->session = sid;
	tty->pgrp = ops->current_pgid();
	spin_unlock_irqrestore(&tty->lock, f);
	ops->set_current_ctty(tty);
	return 0;
}

static long drop_ctty(struct tty *tty)
{
	const struct tty_session_ops *ops = tty_session();
	if (ops->current_ctty() != tty)
		return -ENOTTY;
	int32_t sid = ops->current_sid();
	if (ops->current_pid() == sid) {
		/* The session leader gives it up for the whole session; the foreground hears of it. */
		unsigned long f = spin_lock_irqsave(&tty->lock);
		int32_t pgrp = tty->pgrp;
		tty->pgrp = 0;
		tty->session = 0;
		spin_unlock_irqrestore(&tty->lock, f);
		if (pgrp) {
			ops->signal_pgrp(pgrp, SIGHUP);
			ops->signal_pgrp(pgrp, SIGCONT);
		}
		ops->session_clear_ctty(sid);
	}
	ops->set_current_ctty(NULL);
	return 0;
}

long tty_ioctl(struct tty *tty, unsigned cmd, void *arg, unsigned long val, bool readable)
{
	const struct tty_session_ops *ops = tty_session();
	unsigned long f;
	switch (cmd) {
	case TCGETS:
		f = spin_lock_irqsave(&tty->lock);
		memcpy(arg, &tty->termios, sizeof(tty->termios));
		spin_unlock_irqrestore(&tty->lock, f);
		return 0;
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		return set_termios(tty, cmd, arg);
	case TIOCGWINSZ:
		f = spin_lock_irqsave(&tty->lock);
		memcpy(arg, &tty->winsize, sizeof(tty->winsize));
		spin_unlock_irqrestore(&tty->lock, f);
		return 0;
	case TIOCSWINSZ:
		return set_winsize(tty, arg);
	case TIOCGPGRP:
		if (ops->current_ctty() != tty)
			return -ENOTTY;
		*(int32_t *)arg = tty->pgrp;
		return 0;
	case TIOCSPGRP:
		return set_pgrp(tty, *(const int32_t *)arg);
	case TIOCGSID:
		if (ops->current_ctty() != tty || !tty->session)
			return -ENOTTY;
		*(int32_t *)arg = tty->session;
		return 0;
	case TIOCSCTTY:
		return set_ctty(tty, val, readable);
	case TIOCNOTTY:
		return drop_ctty(tty);
	case FIONREAD:
		*(int32_t *)arg = (int32_t)tty_input_available(tty);
		return 0;
	case TIOCOUTQ:
		/* Output goes to the device as it is written: nothing waits in a queue. */
		*(int32_t *)arg = 0;
		return 0;
	case TCFLSH:
		return flush(tty, val);
	case TCXONC:
		return xonc(tty, val);
	case TCSBRK: {
		int err = tty_job_check(tty, SIGTTOU);
		if (err)
			return err;
		/* tcdrain(), or tcsendbreak(): the console cannot send a break, only drain. */
		drain_output(tty);
		return 0;
	}
	default:
		return -ENOTTY;
	}
}
