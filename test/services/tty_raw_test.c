/* tty tests: non-canonical reads (VMIN/VTIME with real timeouts), blocking reads woken by input or a signal, nonblocking reads. */
#include <abi/errno.h>
#include <frame/ktest.h>

#include "tty_fixture.h"

static void set_raw(struct tt *t, uint8_t vmin, uint8_t vtime)
{
	struct termios tio;
	tt_get(t, &tio);
	tio.c_lflag &= ~(ICANON | ECHO);
	tio.c_cc[VMIN] = vmin;
	tio.c_cc[VTIME] = vtime;
	tty_ioctl(&t->tty, TCSETS, &tio, 0, true);
}

KTEST(tty_raw_vmin0_vtime0_polls)
{
	struct tt *t = tt_new();
	KASSERT(t != NULL);
	set_raw(t, 0, 0);
	char buf[64];
	/* Nothing there: 0 at once, even nonblocking (Linux returns 0, not EAGAIN). */
	KEXPECT_EQ(tt_read(t, buf, sizeof(buf), 0), 0);
	KEXPECT_EQ(tt_read(t, buf, sizeof(buf), TTY_NONBLOCK), 0);
	tt_in(t, "xyz");
	KEXPECT_EQ(tt_read(t, buf, 3, 0), 2);
	KEXPECT(tt_streq(buf, "xy"));
	KEXPECT_EQ(tt_read(t, buf, sizeof(buf), 0), 1);
	KEXPECT_EQ(t->pending_calls, 0);		/* it never waited */
	tt_free(t);
}

KTEST(tty_raw_vmin_waits_for_enough_bytes)
{
	struct tt *t = tt_new();
	KASSERT(t != NULL);
	set_raw(t, 3, 0);
	char buf[64];
	KEXPECT_EQ(tt_read(t, buf, sizeof(buf), TTY_NONBLOCK), -EAGAIN);
	tt_in(t, "ab");
	/* Nonblocking: what is there, short of VMIN. */
	KEXPECT_EQ(tt_read(t, buf, sizeof(buf), TTY_NONBLOCK), 2);
	/* Blocking: the second byte "arrives" while the reader sleeps; it returns once VMIN bytes came. */
	tt_in(t, "cd");
	t->inject = "ef";
	KEXPECT_EQ(tt_read(t, buf, sizeof(buf), 0), 4);
	KEXPECT(tt_streq(buf, "cdef"));
	KEXPECT(t->pending_calls >= 1);
	/* A read smaller than VMIN returns when it is full. */
	tt_in(t, "gh");
	KEXPECT_EQ(tt_read(t, buf, 2, 0), 1);
	KEXPECT_EQ(tt_read(t, buf, sizeof(buf), TTY_NONBLOCK), 1);
	tt_free(t);
}

KTEST(tty_raw_vtime_is_a_timeout_without_vmin)
{
	struct tt *t = tt_new();
	KASSERT(t != NULL);
	set_raw(t, 0, 2);
	char buf[64];
	uint64_t start = clock_monotonic_ns();
	KEXPECT_EQ(tt_read(t, buf, sizeof(buf), 0), 0);
	uint64_t took = clock_monotonic_ns() - start;
	KEXPECT(took >= 200 * NSEC_PER_MSEC);
	KEXPECT(took < 2 * NSEC_PER_SEC);
	/* Input arriving during the wait ends it at once. */
	t->inject = "q";
	start = clock_monotonic_ns();
	KEXPECT_EQ(tt_read(t, buf, sizeof(buf), 0), 1);
	KEXPECT(clock_monotonic_ns() - start < 150 * NSEC_PER_MSEC);
	tt_free(t);
}

KTEST(tty_raw_vtime_is_an_inter_byte_timer_with_vmin)
{
	struct tt *t = tt_new();
	KASSERT(t != NULL);
	set_raw(t, 5, 1);
	char buf[64];
	tt_in(t, "ab");
	uint64_t start = clock_monotonic_ns();
	KEXPECT_EQ(tt_read(t, buf, sizeof(buf), 0), 2);	/* VMIN not reached: the 0.1 s timer ends it */
	uint64_t took = clock_monotonic_ns() - start;
	KEXPECT(took >= 100 * NSEC_PER_MSEC);
	KEXPECT(took < 2 * NSEC_PER_SEC);
	/* Before the first byte there is no timer: the read waits for input (here injected). */
	t->inject = "vwxyz";
	KEXPECT_EQ(tt_read(t, buf, sizeof(buf), 0), 5);
	KEXPECT(tt_streq(buf, "vwxyz"));
	tt_free(t);
}

KTEST(tty_read_blocks_until_line_and_stops_for_signals)
{
	struct tt *t = tt_new();
	KASSERT(t != NULL);
	char buf[64];
	tt_in(t, "par");
	t->inject = "tial\n";
	KEXPECT_EQ(tt_read(t, buf, sizeof(buf), 0), 8);
	KEXPECT(tt_streq(buf, "partial\n"));
	/* A pending signal ends the wait with -ERESTARTSYS. */
	t->pending = true;
	KEXPECT_EQ(tt_read(t, buf, sizeof(buf), 0), -ERESTARTSYS);
	set_raw(t, 1, 0);
	KEXPECT_EQ(tt_read(t, buf, sizeof(buf), 0), -ERESTARTSYS);
	/* ...but data already there is returned without looking at signals. */
	tt_in(t, "k");
	KEXPECT_EQ(tt_read(t, buf, sizeof(buf), 0), 1);
	tt_free(t);
}

KTEST(tty_mode_switch_keeps_pending_input)
{
	struct tt *t = tt_new();
	KASSERT(t != NULL);
	char buf[64];
	tt_in(t, "half");
	set_raw(t, 1, 0);		/* the partial line becomes readable bytes */
	KEXPECT_EQ(tty_input_available(&t->tty), 4);
	KEXPECT_EQ(tt_read(t, buf, 4, 0), 3);
	struct termios tio;
	tt_get(t, &tio);
	tio.c_lflag |= ICANON;		/* what is left becomes a line */
	tty_ioctl(&t->tty, TCSETS, &tio, 0, true);
	KEXPECT_EQ(tt_read(t, buf, sizeof(buf), TTY_NONBLOCK), 1);
	KEXPECT(tt_streq(buf, "f"));
	KEXPECT_EQ(tt_read(t, buf, sizeof(buf), TTY_NONBLOCK), -EAGAIN);
	tt_free(t);
}
