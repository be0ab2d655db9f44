/* tty tests: echo (ECHO, ECHOE, ECHOK, ECHOKE, ECHONL, ECHOCTL, ECHOPRT), reprint, and output processing (OPOST and friends). */
#include <frame/ktest.h>

#include "tty_fixture.h"

static void set_flags(struct tt *t, uint32_t lflag_on, uint32_t lflag_off, uint32_t oflag)
{
	struct termios tio;
	tt_get(t, &tio);
	tio.c_lflag = (tio.c_lflag | lflag_on) & ~lflag_off;
	tio.c_oflag = oflag;
	tty_ioctl(&t->tty, TCSETS, &tio, 0, true);
}

KTEST(tty_echo_defaults)
{
	struct tt *t = tt_new();
	KASSERT(t != NULL);
	tt_in(t, "ab\x7f");
	KEXPECT(tt_out_is(t, "ab\b \b"));
	tt_in(t, "\x01\x7f");		/* a control char shows as ^A and takes two columns to erase */
	KEXPECT(tt_out_is(t, "^A\b \b\b \b"));
	tt_in(t, "\r");			/* ICRNL, echo '\n', ONLCR */
	KEXPECT(tt_out_is(t, "\r\n"));
	tt_in(t, "xy\x15");		/* ECHOKE: the line is erased on screen */
	KEXPECT(tt_out_is(t, "xy\b \b\b \b"));
	tt_in(t, "ab\t\x7f");		/* erasing a tab backs up to where it started */
	KEXPECT(tt_out_is(t, "ab\t\b\b\b\b\b\b"));
	tt_in(t, "\x12");		/* reprint: ^R, newline, the line so far */
	KEXPECT(tt_out_is(t, "^R\r\nab"));
	tt_in(t, "\x16");		/* lnext placeholder, then the literal ^D */
	KEXPECT(tt_out_is(t, "^\b"));
	tt_in(t, "\x04");
	KEXPECT(tt_out_is(t, "^D"));
	tt_in(t, "\x04");		/* VEOF is not echoed */
	KEXPECT(tt_out_is(t, ""));
	tt_free(t);
}

KTEST(tty_echo_kill_without_echoke_and_werase)
{
	struct tt *t = tt_new();
	KASSERT(t != NULL);
	set_flags(t, 0, ECHOKE, OPOST | ONLCR);
	tt_in(t, "xy\x15");
	KEXPECT(tt_out_is(t, "xy^U\r\n"));
	set_flags(t, 0, ECHOK, OPOST | ONLCR);
	tt_in(t, "xy\x15");
	KEXPECT(tt_out_is(t, "xy^U"));
	set_flags(t, ECHOK | ECHOKE, 0, OPOST | ONLCR);
	tt_in(t, "ab cd\x17");
	KEXPECT(tt_out_is(t, "ab cd\b \b\b \b"));
	set_flags(t, 0, ECHOE, OPOST | ONLCR);	/* without ECHOE the erase char itself is echoed */
	tt_in(t, "q\x7f");
	KEXPECT(tt_out_is(t, "q^?"));
	tt_free(t);
}

KTEST(tty_echo_off_echonl_echoctl_echoprt)
{
	struct tt *t = tt_new();
	KASSERT(t != NULL);
	set_flags(t, 0, ECHO, OPOST | ONLCR);
	tt_in(t, "secret\x7f\n");
	KEXPECT(tt_out_is(t, ""));
	set_flags(t, ECHONL, ECHO, OPOST | ONLCR);
	tt_in(t, "secret\n");
	KEXPECT(tt_out_is(t, "\r\n"));
	set_flags(t, ECHO, ECHONL | ECHOCTL, OPOST | ONLCR);
	tt_in(t, "\x01");
	KEXPECT(tt_out_is(t, "\x01"));
	set_flags(t, ECHO | ECHOPRT | ECHOCTL, 0, OPOST | ONLCR);
	tt_in(t, "abc\x7f\x7f" "d");
	KEXPECT(tt_out_is(t, "abc\\cb/d"));
	tt_free(t);
}

KTEST(tty_echo_in_raw_mode)
{
	struct tt *t = tt_new();
	KASSERT(t != NULL);
	set_flags(t, 0, ICANON, OPOST | ONLCR);
	tt_in(t, "a\x7f\x1b\r");		/* no editing; ^? and ^[ rendered; CR -> NL echoed as CRLF */
	KEXPECT(tt_out_is(t, "a^?^[\r\n"));
	tt_free(t);
}

KTEST(tty_output_processing)
{
	struct tt *t = tt_new();
	KASSERT(t != NULL);
	KEXPECT_EQ(tty_write(&t->tty, "a\nb", 3, 0), 3);
	KEXPECT(tt_out_is(t, "a\r\nb"));
	set_flags(t, 0, 0, 0);				/* no OPOST: bytes as written */
	KEXPECT_EQ(tty_write(&t->tty, "a\nb\r", 4, 0), 4);
	KEXPECT(tt_out_is(t, "a\nb\r"));
	set_flags(t, 0, 0, OPOST | OCRNL);
	tty_write(&t->tty, "x\ry", 3, 0);
	KEXPECT(tt_out_is(t, "x\ny"));
	set_flags(t, 0, 0, OPOST);
	tty_write(&t->tty, "\r", 1, 0);			/* column 0 */
	t->out_len = 0;
	set_flags(t, 0, 0, OPOST | ONOCR);		/* CR at column 0 is dropped */
	tty_write(&t->tty, "\r\rz\r\r", 5, 0);
	KEXPECT(tt_out_is(t, "z\r"));
	set_flags(t, 0, 0, OPOST | ONOCR | ONLRET);	/* NL returns the carriage: a CR after it is dropped */
	tty_write(&t->tty, "ab\n\r", 4, 0);
	KEXPECT(tt_out_is(t, "ab\n"));
	set_flags(t, 0, 0, OPOST | OLCUC);
	tty_write(&t->tty, "Hi!", 3, 0);
	KEXPECT(tt_out_is(t, "HI!"));
	/* Long writes go out in chunks, all of them. */
	set_flags(t, 0, 0, OPOST | ONLCR);
	static char big[3000];
	memset(big, '\n', sizeof(big));
	KEXPECT_EQ(tty_write(&t->tty, big, sizeof(big), 0), (ssize_t)sizeof(big));
	KEXPECT_EQ(t->out_len, 2 * sizeof(big));
	tt_free(t);
}
