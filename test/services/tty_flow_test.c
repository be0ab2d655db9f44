/* tty tests: ^S/^Q flow control, TCXONC, flushing (TCSETSF, TCFLSH), FIONREAD, a full input queue, unknown ioctls, the console tty. */
#include <frame/console.h>
#include <abi/errno.h>
#include <frame/ktest.h>

#include "tty_fixture.h"

KTEST(tty_ixon_stops_and_restarts_output)
{
	struct tt *t = tt_new();
	KASSERT(t != NULL);
	tt_in(t, "\x13");				/* ^S: not data, not echoed */
	KEXPECT(tt_out_is(t, ""));
	KEXPECT_EQ(tty_input_available(&t->tty), 0);
	KEXPECT_EQ(tty_write(&t->tty, "out", 3, TTY_NONBLOCK), -EAGAIN);
	tt_in(t, "ab");					/* echoes wait too */
	KEXPECT(tt_out_is(t, ""));
	tt_in(t, "\x11");				/* ^Q: held echoes go out */
	KEXPECT(tt_out_is(t, "ab"));
	KEXPECT_EQ(tty_write(&t->tty, "out", 3, TTY_NONBLOCK), 3);
	KEXPECT(tt_out_is(t, "out"));
	/* A blocked writer goes on when ^Q arrives (typed while it sleeps). */
	tt_in(t, "\x13");
	t->inject = "\x11";
	KEXPECT_EQ(tty_write(&t->tty, "go", 2, 0), 2);
	KEXPECT(tt_out_is(t, "go"));
	/* ...and gives up for a signal. */
	tt_in(t, "\x13");
	t->pending = true;
	KEXPECT_EQ(tty_write(&t->tty, "no", 2, 0), -ERESTARTSYS);
	t->pending = false;
	/* IXANY: any byte restarts output (and is still data). */
	struct termios tio;
	tt_get(t, &tio);
	tio.c_iflag |= IXANY;
	tt_set(t, TCSETS, &tio);
	tt_in(t, "z");
	KEXPECT_EQ(tty_write(&t->tty, "w", 1, TTY_NONBLOCK), 1);
	KEXPECT(tt_out_is(t, "zw"));
	/* Without IXON, ^S is data, and turning IXON off restarts stopped output. */
	tt_in(t, "\x13");
	tio.c_iflag &= ~IXON;
	tt_set(t, TCSETS, &tio);
	KEXPECT_EQ(tty_write(&t->tty, "v", 1, TTY_NONBLOCK), 1);
	tt_in(t, "\x13\n");
	KEXPECT_EQ(tty_input_available(&t->tty), 5);	/* one line: "ab" "z" ^S "\n" */
	tt_free(t);
}

KTEST(tty_tcxonc)
{
	struct tt *t = tt_new();
	KASSERT(t != NULL);
	KEXPECT_EQ(tty_ioctl(&t->tty, TCXONC, NULL, 0, true), 0);	/* TCOOFF */
	KEXPECT_EQ(tty_write(&t->tty, "x", 1, TTY_NONBLOCK), -EAGAIN);
	tt_in(t, "\x11");				/* ^Q does not undo TCOOFF */
	KEXPECT_EQ(tty_write(&t->tty, "x", 1, TTY_NONBLOCK), -EAGAIN);
	KEXPECT_EQ(tty_ioctl(&t->tty, TCXONC, NULL, 1, true), 0);	/* TCOON */
	KEXPECT_EQ(tty_write(&t->tty, "x", 1, TTY_NONBLOCK), 1);
	t->out_len = 0;
	KEXPECT_EQ(tty_ioctl(&t->tty, TCXONC, NULL, 2, true), 0);	/* TCIOFF sends VSTOP */
	KEXPECT_EQ(tty_ioctl(&t->tty, TCXONC, NULL, 3, true), 0);	/* TCION sends VSTART */
	KEXPECT(tt_out_is(t, "\x13\x11"));
	KEXPECT_EQ(tty_ioctl(&t->tty, TCXONC, NULL, 4, true), -EINVAL);
	tt_free(t);
}

KTEST(tty_flush_and_fionread)
{
	struct tt *t = tt_new();
	KASSERT(t != NULL);
	char buf[64];
	int32_t n = -1;
	tt_in(t, "ab");
	KEXPECT_EQ(tty_ioctl(&t->tty, FIONREAD, &n, 0, true), 0);
	KEXPECT_EQ(n, 0);				/* no complete line yet */
	tt_in(t, "\ncd\x04");
	KEXPECT_EQ(tty_ioctl(&t->tty, FIONREAD, &n, 0, true), 0);
	KEXPECT_EQ(n, 5);				/* "ab\n" + "cd", the EOF marker not counted */
	struct termios tio;
	tt_get(t, &tio);
	KEXPECT_EQ(tt_set(t, TCSETS, &tio), 0);		/* TCSETS keeps input */
	KEXPECT_EQ(tty_input_available(&t->tty), 5);
	KEXPECT_EQ(tt_set(t, TCSETSW, &tio), 0);
	KEXPECT_EQ(tty_input_available(&t->tty), 5);
	KEXPECT_EQ(tt_set(t, TCSETSF, &tio), 0);	/* TCSETSF discards it */
	KEXPECT_EQ(tty_input_available(&t->tty), 0);
	KEXPECT_EQ(tt_read(t, buf, sizeof(buf), TTY_NONBLOCK), -EAGAIN);
	tt_in(t, "x\ny");
	KEXPECT_EQ(tty_ioctl(&t->tty, TCFLSH, NULL, TCOFLUSH, true), 0);
	KEXPECT_EQ(tty_input_available(&t->tty), 2);
	KEXPECT_EQ(tty_ioctl(&t->tty, TCFLSH, NULL, TCIFLUSH, true), 0);
	KEXPECT_EQ(tty_input_available(&t->tty), 0);
	tt_in(t, "\n");					/* the partial "y" went too */
	KEXPECT_EQ(tt_read(t, buf, sizeof(buf), 0), 1);
	KEXPECT_EQ(tty_ioctl(&t->tty, TCFLSH, NULL, 3, true), -EINVAL);
	/* Raw mode counts every byte. */
	tio.c_lflag &= ~ICANON;
	tt_set(t, TCSETS, &tio);
	tt_in(t, "123");
	KEXPECT_EQ(tty_ioctl(&t->tty, FIONREAD, &n, 0, true), 0);
	KEXPECT_EQ(n, 3);
	KEXPECT_EQ(tty_ioctl(&t->tty, TCSBRK, NULL, 1, true), 0);
	KEXPECT_EQ(tty_ioctl(&t->tty, 0x5499, &n, 0, true), -ENOTTY);
	KEXPECT_EQ(tty_ioctl(&t->tty, FIONBIO, &n, 0, true), -ENOTTY);	/* the VFS handles it */
	tt_free(t);
}

KTEST(tty_full_queue_drops_with_bell)
{
	struct tt *t = tt_new();
	KASSERT(t != NULL);
	static char big[TTY_BUF_SIZE + 100];
	memset(big, 'a', sizeof(big));
	tty_receive(&t->tty, (const uint8_t *)big, sizeof(big));
	/* One slot stays free so the line can still end. */
	KEXPECT_EQ(t->tty.read_head - t->tty.read_tail, TTY_BUF_SIZE - 1);
	KEXPECT_EQ(t->tty.dropped, 101);
	KEXPECT_EQ(t->out_len, TTY_BUF_SIZE - 1 + 101);
	KEXPECT_EQ(t->out[t->out_len - 1], '\a');
	tt_in(t, "\n");
	KEXPECT_EQ(tty_input_available(&t->tty), TTY_BUF_SIZE);
	static char got[TTY_BUF_SIZE + 1];
	KEXPECT_EQ(tty_read(&t->tty, got, sizeof(got), 0), TTY_BUF_SIZE);
	KEXPECT_EQ(got[TTY_BUF_SIZE - 1], '\n');
	/* Raw mode: the same bound, no wrap-around damage to what was queued. */
	struct termios tio;
	tt_get(t, &tio);
	tio.c_lflag &= ~(ICANON | ECHO);
	tt_set(t, TCSETS, &tio);
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)('0' + i % 10);
	tty_receive(&t->tty, (const uint8_t *)big, sizeof(big));
	KEXPECT_EQ(tty_input_available(&t->tty), TTY_BUF_SIZE - 1);
	KEXPECT_EQ(tty_read(&t->tty, got, sizeof(got), 0), TTY_BUF_SIZE - 1);
	KEXPECT(memcmp(got, big, TTY_BUF_SIZE - 1) == 0);
	tt_free(t);
}

KTEST(tty_console_input_reaches_console_tty)
{
	int err = tty_console_init();
	KEXPECT(err == 0 || err == -ENODEV);
	struct tty *con = tty_console();
	KASSERT(con != NULL);
	struct termios tio;
	KEXPECT_EQ(tty_ioctl(con, TCGETS, &tio, 0, true), 0);
	struct termios quiet = tio;
	quiet.c_lflag &= ~ECHO;		/* keep the test's log clean */
	KEXPECT_EQ(tty_ioctl(con, TCSETSF, &quiet, 0, true), 0);
	console_input_push((const uint8_t *)"hi\r", 3);
	char buf[8];
	KEXPECT_EQ(tty_read(con, buf, sizeof(buf), TTY_NONBLOCK), 3);
	KEXPECT(memcmp(buf, "hi\n", 3) == 0);
	KEXPECT_EQ(tty_ioctl(con, TCSETS, &tio, 0, true), 0);
}
