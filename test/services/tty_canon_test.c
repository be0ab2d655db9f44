/* tty tests: Linux's defaults, canonical line assembly and editing, EOF, input translation. */
#include <frame/ktest.h>

#include "tty_fixture.h"

KTEST(tty_defaults_are_linux_console)
{
	struct tt *t = tt_new();
	KASSERT(t != NULL);
	struct termios tio;
	KEXPECT_EQ(tt_get(t, &tio), 0);
	KEXPECT_EQ(tio.c_iflag, 0x500);		/* ICRNL | IXON */
	KEXPECT_EQ(tio.c_oflag, 0x5);		/* OPOST | ONLCR */
	KEXPECT_EQ(tio.c_cflag, 0x4bf);		/* B38400 | CS8 | CREAD | HUPCL */
	KEXPECT_EQ(tio.c_lflag, 0x8a3b);	/* ISIG ICANON ECHO ECHOE ECHOK ECHOCTL ECHOKE IEXTEN */
	static const uint8_t cc[17] = { 3, 034, 0177, 025, 4, 0, 1, 0, 021, 023, 032, 0, 022, 017, 027, 026, 0 };
	KEXPECT(memcmp(tio.c_cc, cc, sizeof(cc)) == 0);
	struct winsize ws;
	KEXPECT_EQ(tty_ioctl(&t->tty, TIOCGWINSZ, &ws, 0, true), 0);
	KEXPECT_EQ(ws.ws_row, 24);
	KEXPECT_EQ(ws.ws_col, 80);
	tt_free(t);
}

KTEST(tty_canon_line_needs_newline)
{
	struct tt *t = tt_new();
	KASSERT(t != NULL);
	char buf[64];
	tt_in(t, "hello");
	KEXPECT_EQ(tt_read(t, buf, sizeof(buf), TTY_NONBLOCK), -EAGAIN);
	tt_in(t, "\r");		/* ICRNL */
	KEXPECT_EQ(tt_read(t, buf, sizeof(buf), 0), 6);
	KEXPECT(tt_streq(buf, "hello\n"));
	KEXPECT_EQ(tt_read(t, buf, sizeof(buf), TTY_NONBLOCK), -EAGAIN);
	tt_free(t);
}

KTEST(tty_canon_one_line_per_read_and_partial_reads)
{
	struct tt *t = tt_new();
	KASSERT(t != NULL);
	char buf[64];
	tt_in(t, "a\nbcdef\n");
	KEXPECT_EQ(tt_read(t, buf, sizeof(buf), 0), 2);
	KEXPECT(tt_streq(buf, "a\n"));
	KEXPECT_EQ(tt_read(t, buf, 4, 0), 3);
	KEXPECT(tt_streq(buf, "bcd"));
	KEXPECT_EQ(tt_read(t, buf, sizeof(buf), 0), 3);
	KEXPECT(tt_streq(buf, "ef\n"));
	tt_free(t);
}

KTEST(tty_canon_erase_kill_werase)
{
	struct tt *t = tt_new();
	KASSERT(t != NULL);
	char buf[64];
	tt_in(t, "\x7f" "abx\x7f" "c\n");	/* erase on an empty line does nothing */
	KEXPECT_EQ(tt_read(t, buf, sizeof(buf), 0), 4);
	KEXPECT(tt_streq(buf, "abc\n"));
	tt_in(t, "junk\x15ok\n");
	KEXPECT_EQ(tt_read(t, buf, sizeof(buf), 0), 3);
	KEXPECT(tt_streq(buf, "ok\n"));
	tt_in(t, "foo bar  \x17" "baz\n");
	tt_read(t, buf, sizeof(buf), 0);
	KEXPECT(tt_streq(buf, "foo baz\n"));
	tt_in(t, "foo-bar\x17\n");		/* a word is alphanumerics and '_' */
	tt_read(t, buf, sizeof(buf), 0);
	KEXPECT(tt_streq(buf, "foo-\n"));
	/* ^H is not VERASE (Linux: only c_cc[VERASE] erases). */
	tt_in(t, "ab\b\n");
	KEXPECT_EQ(tt_read(t, buf, sizeof(buf), 0), 4);
	/* Erasing never reaches into a completed line. */
	tt_in(t, "x\n\x7f\x7fy\n");
	KEXPECT_EQ(tt_read(t, buf, sizeof(buf), 0), 2);
	KEXPECT(tt_streq(buf, "x\n"));
	KEXPECT_EQ(tt_read(t, buf, sizeof(buf), 0), 2);
	KEXPECT(tt_streq(buf, "y\n"));
	/* WERASE needs IEXTEN. */
	struct termios tio;
	tt_get(t, &tio);
	tio.c_lflag &= ~IEXTEN;
	KEXPECT_EQ(tt_set(t, TCSETS, &tio), 0);
	tt_in(t, "a\x17\n");
	KEXPECT_EQ(tt_read(t, buf, sizeof(buf), 0), 3);
	tt_free(t);
}

KTEST(tty_canon_lnext_makes_next_byte_literal)
{
	struct tt *t = tt_new();
	KASSERT(t != NULL);
	KEXPECT_EQ(tt_make_ctty(t), 0);
	char buf[64];
	tt_in(t, "a\x16\x7f\x16\x03\x16\x15" "b\x16\n\n");
	KEXPECT_EQ(t->nsigs, 0);		/* the literal ^C sent nothing */
	KEXPECT_EQ(tt_read(t, buf, sizeof(buf), 0), 7);
	KEXPECT(tt_streq(buf, "a\x7f\x03\x15" "b\n\n"));
	tt_free(t);
}

KTEST(tty_canon_eof)
{
	struct tt *t = tt_new();
	KASSERT(t != NULL);
	char buf[64];
	tt_in(t, "\x04");
	KEXPECT_EQ(tty_input_available(&t->tty), 0);
	KEXPECT_EQ(tt_read(t, buf, sizeof(buf), 0), 0);
	KEXPECT_EQ(tt_read(t, buf, sizeof(buf), TTY_NONBLOCK), -EAGAIN);
	tt_in(t, "abc\x04\x04");
	KEXPECT_EQ(tt_read(t, buf, sizeof(buf), 0), 3);
	KEXPECT(tt_streq(buf, "abc"));
	KEXPECT_EQ(tt_read(t, buf, sizeof(buf), 0), 0);
	KEXPECT_EQ(tt_read(t, buf, sizeof(buf), TTY_NONBLOCK), -EAGAIN);
	/* A read that takes exactly the bytes before the EOF also takes the EOF. */
	tt_in(t, "xy\x04");
	KEXPECT_EQ(tt_read(t, buf, 3, 0), 2);
	KEXPECT_EQ(tt_read(t, buf, sizeof(buf), TTY_NONBLOCK), -EAGAIN);
	tt_free(t);
}

KTEST(tty_canon_eol_chars)
{
	struct tt *t = tt_new();
	KASSERT(t != NULL);
	char buf[64];
	struct termios tio;
	tt_get(t, &tio);
	tio.c_cc[VEOL] = '@';
	tio.c_cc[VEOL2] = '#';
	KEXPECT_EQ(tt_set(t, TCSETS, &tio), 0);
	tt_in(t, "x@y#z\n");
	KEXPECT_EQ(tt_read(t, buf, sizeof(buf), 0), 2);
	KEXPECT(tt_streq(buf, "x@"));
	KEXPECT_EQ(tt_read(t, buf, sizeof(buf), 0), 2);
	KEXPECT(tt_streq(buf, "y#"));
	KEXPECT_EQ(tt_read(t, buf, sizeof(buf), 0), 2);
	/* A NUL byte is never special, even with VEOL unset (0 is _POSIX_VDISABLE). */
	tio.c_cc[VEOL] = 0;
	KEXPECT_EQ(tt_set(t, TCSETS, &tio), 0);
	tty_receive(&t->tty, (const uint8_t *)"a\0b\n", 4);
	KEXPECT_EQ(tt_read(t, buf, sizeof(buf), 0), 4);
	KEXPECT_EQ(buf[1], 0);
	tt_free(t);
}

KTEST(tty_input_translation)
{
	struct tt *t = tt_new();
	KASSERT(t != NULL);
	char buf[64];
	struct termios tio;
	tt_get(t, &tio);
	tio.c_iflag = INLCR;		/* no ICRNL: '\r' is data, '\n' becomes '\r' */
	tio.c_lflag &= ~ICANON;
	KEXPECT_EQ(tt_set(t, TCSETS, &tio), 0);
	tt_in(t, "a\rb\n");
	KEXPECT_EQ(tt_read(t, buf, sizeof(buf), 0), 4);
	KEXPECT(tt_streq(buf, "a\rb\r"));
	tio.c_iflag = IGNCR | ISTRIP;
	KEXPECT_EQ(tt_set(t, TCSETS, &tio), 0);
	tt_in(t, "c\r\xe1");
	KEXPECT_EQ(tt_read(t, buf, sizeof(buf), 0), 2);
	KEXPECT(tt_streq(buf, "ca"));
	tt_free(t);
}
