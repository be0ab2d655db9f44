/* tty tests: ISIG signals to the foreground group, job control (SIGTTIN/SIGTTOU/EIO), process group and session ioctls, SIGWINCH. */
#include <abi/errno.h>
#include <frame/ktest.h>

#include "tty_fixture.h"

KTEST(tty_isig_signals_foreground_group_and_flushes)
{
	struct tt *t = tt_new();
	KASSERT(t != NULL);
	char buf[64];
	tt_in(t, "\x03");			/* no foreground group yet: nobody to signal */
	KEXPECT_EQ(t->nsigs, 0);
	KEXPECT_EQ(tt_make_ctty(t), 0);
	int32_t fg = 33;			/* another group of the same session */
	KEXPECT_EQ(tty_ioctl(&t->tty, TIOCSPGRP, &fg, 0, true), 0);
	t->pgid = 33;
	t->out_len = 0;
	tt_in(t, "abc\x03");
	KEXPECT_EQ(t->nsigs, 1);
	KEXPECT_EQ(t->sigs[0].pgid, 33);
	KEXPECT_EQ(t->sigs[0].sig, SIGINT);
	KEXPECT(tt_out_is(t, "abc^C"));
	KEXPECT_EQ(tty_input_available(&t->tty), 0);
	tt_in(t, "\n");
	KEXPECT_EQ(tt_read(t, buf, sizeof(buf), 0), 1);	/* "abc" was flushed */
	tt_in(t, "\x1c\x1a");
	KEXPECT_EQ(t->nsigs, 3);
	KEXPECT_EQ(t->sigs[1].sig, SIGQUIT);
	KEXPECT_EQ(t->sigs[2].sig, SIGTSTP);
	/* NOFLSH keeps the input; without ISIG ^C is data. */
	struct termios tio;
	tt_get(t, &tio);
	tio.c_lflag |= NOFLSH;
	tt_set(t, TCSETS, &tio);
	tt_in(t, "keep\x03\n");
	KEXPECT_EQ(t->nsigs, 4);
	KEXPECT_EQ(tt_read(t, buf, sizeof(buf), 0), 5);
	KEXPECT(tt_streq(buf, "keep\n"));
	tio.c_lflag &= ~ISIG;
	tt_set(t, TCSETS, &tio);
	tt_in(t, "\x03\n");
	KEXPECT_EQ(t->nsigs, 4);
	KEXPECT_EQ(tt_read(t, buf, sizeof(buf), 0), 2);
	tt_free(t);
}

KTEST(tty_job_control_background_read_and_write)
{
	struct tt *t = tt_new();
	KASSERT(t != NULL);
	char buf[16];
	KEXPECT_EQ(tt_make_ctty(t), 0);		/* foreground group 10 */
	tt_in(t, "x\n");
	t->pgid = 11;					/* now the caller is in a background group */
	KEXPECT_EQ(tty_read(&t->tty, buf, sizeof(buf), 0), -ERESTARTSYS);
	KEXPECT_EQ(t->nsigs, 1);
	KEXPECT_EQ(t->sigs[0].pgid, 11);
	KEXPECT_EQ(t->sigs[0].sig, SIGTTIN);
	t->ignores = true;
	KEXPECT_EQ(tty_read(&t->tty, buf, sizeof(buf), 0), -EIO);
	t->ignores = false;
	t->orphaned = true;
	KEXPECT_EQ(tty_read(&t->tty, buf, sizeof(buf), 0), -EIO);
	t->orphaned = false;
	KEXPECT_EQ(t->nsigs, 1);
	/* Writes are free without TOSTOP. */
	KEXPECT_EQ(tty_write(&t->tty, "ok", 2, 0), 2);
	struct termios tio;
	t->pgid = 10;
	tt_get(t, &tio);
	tio.c_lflag |= TOSTOP;
	KEXPECT_EQ(tt_set(t, TCSETS, &tio), 0);
	t->pgid = 11;
	KEXPECT_EQ(tty_write(&t->tty, "no", 2, 0), -ERESTARTSYS);
	KEXPECT_EQ(t->nsigs, 2);
	KEXPECT_EQ(t->sigs[1].sig, SIGTTOU);
	t->ignores = true;				/* ignoring SIGTTOU lets it write */
	KEXPECT_EQ(tty_write(&t->tty, "ok", 2, 0), 2);
	t->ignores = false;
	/* Changing the terminal from the background stops the group too. */
	KEXPECT_EQ(tt_set(t, TCSETS, &tio), -ERESTARTSYS);
	KEXPECT_EQ(t->sigs[2].sig, SIGTTOU);
	/* A process whose controlling tty is another one is not policed here. */
	t->ctty = NULL;
	KEXPECT_EQ(tty_read(&t->tty, buf, sizeof(buf), 0), 2);
	tt_free(t);
}

KTEST(tty_pgrp_and_session_ioctls)
{
	struct tt *t = tt_new();
	KASSERT(t != NULL);
	int32_t v = 0;
	KEXPECT_EQ(tty_ioctl(&t->tty, TIOCGPGRP, &v, 0, true), -ENOTTY);
	KEXPECT_EQ(tty_ioctl(&t->tty, TIOCGSID, &v, 0, true), -ENOTTY);
	v = 10;
	KEXPECT_EQ(tty_ioctl(&t->tty, TIOCSPGRP, &v, 0, true), -ENOTTY);
	KEXPECT_EQ(tty_ioctl(&t->tty, TIOCNOTTY, NULL, 0, true), -ENOTTY);
	/* TIOCSCTTY: only a session leader without a terminal, on a readable file. */
	t->pid = 12;
	KEXPECT_EQ(tt_make_ctty(t), -EPERM);
	t->pid = 10;
	KEXPECT_EQ(tty_ioctl(&t->tty, TIOCSCTTY, NULL, 0, false), -EPERM);
	KEXPECT_EQ(tt_make_ctty(t), 0);
	KEXPECT(t->ctty == &t->tty);
	KEXPECT_EQ(tt_make_ctty(t), 0);		/* already ours: nothing to do */
	KEXPECT_EQ(tty_ioctl(&t->tty, TIOCGPGRP, &v, 0, true), 0);
	KEXPECT_EQ(v, 10);
	KEXPECT_EQ(tty_ioctl(&t->tty, TIOCGSID, &v, 0, true), 0);
	KEXPECT_EQ(v, 10);
	/* TIOCSPGRP: a group of the caller's session only. */
	v = -1;
	KEXPECT_EQ(tty_ioctl(&t->tty, TIOCSPGRP, &v, 0, true), -EINVAL);
	v = 99;
	KEXPECT_EQ(tty_ioctl(&t->tty, TIOCSPGRP, &v, 0, true), -ESRCH);
	v = 20;
	KEXPECT_EQ(tty_ioctl(&t->tty, TIOCSPGRP, &v, 0, true), -EPERM);
	/* Another session's leader cannot take it, unless it steals it with CAP_SYS_ADMIN. */
	t->ctty = NULL;
	t->pid = t->sid = t->pgid = 20;
	KEXPECT_EQ(tt_make_ctty(t), -EPERM);
	KEXPECT_EQ(tty_ioctl(&t->tty, TIOCSCTTY, NULL, 1, true), -EPERM);
	t->admin = true;
	KEXPECT_EQ(tty_ioctl(&t->tty, TIOCSCTTY, NULL, 1, true), 0);
	KEXPECT_EQ(tty_ioctl(&t->tty, TIOCGSID, &v, 0, true), 0);
	KEXPECT_EQ(v, 20);
	/* The leader gives it up: its foreground group gets SIGHUP and SIGCONT. */
	KEXPECT_EQ(tty_ioctl(&t->tty, TIOCNOTTY, NULL, 0, true), 0);
	KEXPECT(t->ctty == NULL);
	KEXPECT_EQ(t->nsigs, 2);
	KEXPECT_EQ(t->sigs[0].sig, SIGHUP);
	KEXPECT_EQ(t->sigs[1].sig, SIGCONT);
	KEXPECT_EQ(t->sigs[1].pgid, 20);
	/* Now free: the first session can take it back without stealing. */
	t->admin = false;
	t->pid = t->sid = t->pgid = 10;
	KEXPECT_EQ(tt_make_ctty(t), 0);
	tt_free(t);
}

KTEST(tty_winsize_change_signals_foreground)
{
	struct tt *t = tt_new();
	KASSERT(t != NULL);
	KEXPECT_EQ(tt_make_ctty(t), 0);
	struct winsize ws = { 50, 132, 0, 0 };
	KEXPECT_EQ(tty_ioctl(&t->tty, TIOCSWINSZ, &ws, 0, true), 0);
	KEXPECT_EQ(t->nsigs, 1);
	KEXPECT_EQ(t->sigs[0].sig, SIGWINCH);
	KEXPECT_EQ(t->sigs[0].pgid, 10);
	KEXPECT_EQ(tty_ioctl(&t->tty, TIOCSWINSZ, &ws, 0, true), 0);
	KEXPECT_EQ(t->nsigs, 1);			/* unchanged: no signal */
	struct winsize got;
	KEXPECT_EQ(tty_ioctl(&t->tty, TIOCGWINSZ, &got, 0, true), 0);
	KEXPECT_EQ(got.ws_row, 50);
	KEXPECT_EQ(got.ws_col, 132);
	tt_free(t);
}

KTEST(tty_default_session_ops_make_everyone_foreground)
{
	struct tt *t = tt_new();
	KASSERT(t != NULL);
	tty_set_session_ops(NULL);
	char buf[16];
	KEXPECT_EQ(tty_ioctl(&t->tty, TIOCSCTTY, NULL, 0, true), 0);
	int32_t v = 0;
	KEXPECT_EQ(tty_ioctl(&t->tty, TIOCGPGRP, &v, 0, true), 0);
	KEXPECT_EQ(v, 1);
	tt_in(t, "ok\n\x03");				/* a signal to group 1 is dropped quietly */
	KEXPECT_EQ(tty_read(&t->tty, buf, sizeof(buf), TTY_NONBLOCK), -EAGAIN);
	KEXPECT_EQ(tty_ioctl(&t->tty, TIOCNOTTY, NULL, 0, true), 0);
	tt_free(t);
}
