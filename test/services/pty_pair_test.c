/* pty tests: the pair core — index table, locking, data both ways through the slave's line discipline, hangup both ways, poll masks, master ioctls. */
#include <abi/poll.h>
#include <frame/ktest.h>

#include "tty_fixture.h"

/* A pair with the fixture's session hooks installed; slave unlocked and opened unless @open_slave is false. */
static struct pty *pp_new(struct tt **tp, bool open_slave)
{
	*tp = tt_new();
	if (!*tp)
		return NULL;
	struct pty *pty;
	if (pty_create(1000, 5, &pty))
		return NULL;
	if (open_slave) {
		int32_t unlock = 0;
		pty_master_ioctl(pty, TIOCSPTLCK, &unlock, 0, true);
		if (pty_slave_open(pty)) {
			pty_master_close(pty);
			pty_put(pty);
			return NULL;
		}
		pty_get(pty);	/* the slave file's reference */
	}
	return pty;
}

/* Close both ends, as the files' release does. */
static void pp_free(struct tt *t, struct pty *pty, bool slave_open)
{
	if (slave_open) {
		pty_slave_close(pty);
		pty_put(pty);
	}
	pty_master_close(pty);
	pty_put(pty);
	tt_free(t);
}

static ssize_t mread(struct pty *pty, char *buf, size_t n)
{
	ssize_t r = pty_master_read(pty, buf, n - 1, TTY_NONBLOCK);
	buf[r > 0 ? r : 0] = 0;
	return r;
}

KTEST(pty_index_lock_and_lookup)
{
	struct tt *t;
	struct pty *pty = pp_new(&t, false);
	KASSERT(pty != NULL);
	uint32_t n = 99;
	KEXPECT_EQ(pty_master_ioctl(pty, TIOCGPTN, &n, 0, true), 0);
	KEXPECT_EQ(n, pty->index);
	int32_t lk = -1;
	KEXPECT_EQ(pty_master_ioctl(pty, TIOCGPTLCK, &lk, 0, true), 0);
	KEXPECT_EQ(lk, 1);				/* born locked */
	KEXPECT_EQ(pty_slave_open(pty), -EIO);
	lk = 0;
	KEXPECT_EQ(pty_master_ioctl(pty, TIOCSPTLCK, &lk, 0, true), 0);
	KEXPECT_EQ(pty_master_ioctl(pty, TIOCGPTLCK, &lk, 0, true), 0);
	KEXPECT_EQ(lk, 0);
	/* Lookup and listing see the live pair; a second pair takes the next free index. */
	struct pty *l = pty_lookup(n);
	KEXPECT(l == pty);
	pty_put(l);
	struct pty *b;
	KASSERT(pty_create(0, 0, &b) == 0);
	KEXPECT(b->index != pty->index);
	uint32_t ids[4];
	size_t cnt = pty_list(-1, ids, 4);
	bool seen_a = false, seen_b = false;
	for (size_t i = 0; i < cnt; i++) {
		seen_a |= ids[i] == pty->index;
		seen_b |= ids[i] == b->index;
		if (i)
			KEXPECT(ids[i] > ids[i - 1]);
	}
	KEXPECT(seen_a && seen_b);
	KEXPECT_EQ(pty_list(PTY_MAX - 1, ids, 4), 0);
	KEXPECT(pty_lookup(PTY_MAX) == NULL);
	/* A closed master leaves the table at once; its index is free after the last reference. */
	uint32_t bi = b->index;
	pty_master_close(b);
	KEXPECT(pty_lookup(bi) == NULL);
	pty_put(b);
	struct pty *c;
	KASSERT(pty_create(0, 0, &c) == 0);
	KEXPECT_EQ(c->index, bi);			/* lowest free, as Linux's ida */
	pty_master_close(c);
	pty_put(c);
	KEXPECT_EQ(pty_master_ioctl(pty, 0x5499, &lk, 0, true), -ENOTTY);
	KEXPECT(pty_of_tty(&pty->slave) == pty);
	KEXPECT(pty_of_tty(&t->tty) == NULL);
	pp_free(t, pty, false);
}

KTEST(pty_master_write_is_slave_input_with_echo)
{
	struct tt *t;
	struct pty *pty = pp_new(&t, true);
	KASSERT(pty != NULL);
	char buf[64];
	/* Canonical: no line yet, then one; the echo reaches the master with ONLCR. */
	KEXPECT_EQ(pty_master_write(pty, "hel", 3, 0), 3);
	KEXPECT(!tty_read_ready(&pty->slave));
	KEXPECT_EQ(pty_master_write(pty, "lo\r", 3, 0), 3);
	KEXPECT(tty_read_ready(&pty->slave));
	KEXPECT_EQ(tty_read(&pty->slave, buf, sizeof(buf), TTY_NONBLOCK), 6);
	KEXPECT(memcmp(buf, "hello\n", 6) == 0);
	KEXPECT_EQ(mread(pty, buf, sizeof(buf)), 7);
	KEXPECT(tt_streq(buf, "hello\r\n"));
	KEXPECT_EQ(mread(pty, buf, sizeof(buf)), -EAGAIN);
	/* An end of file alone is readable (poll says so) and reads as 0. */
	KEXPECT_EQ(pty_master_write(pty, "\004", 1, 0), 1);
	KEXPECT(pty_slave_poll(pty) & POLLIN);
	KEXPECT_EQ(tty_read(&pty->slave, buf, sizeof(buf), TTY_NONBLOCK), 0);
	KEXPECT(!(pty_slave_poll(pty) & POLLIN));
	/* The master's FIONREAD counts its queue; TCFLSH(TCIFLUSH) empties it. */
	KEXPECT_EQ(tty_write(&pty->slave, "out\n", 4, 0), 4);
	int32_t q = 0;
	KEXPECT_EQ(pty_master_ioctl(pty, FIONREAD, &q, 0, true), 0);
	KEXPECT_EQ(q, 5);
	KEXPECT(pty_master_poll(pty) & POLLIN);
	KEXPECT_EQ(pty_master_ioctl(pty, TCFLSH, NULL, TCIFLUSH, true), 0);
	KEXPECT_EQ(pty_master_ioctl(pty, FIONREAD, &q, 0, true), 0);
	KEXPECT_EQ(q, 0);
	KEXPECT_EQ(pty_master_ioctl(pty, TCFLSH, NULL, 7, true), -EINVAL);
	KEXPECT_EQ(pty_master_ioctl(pty, TCXONC, NULL, 42, true), -EINVAL);
	pp_free(t, pty, true);
}

KTEST(pty_termios_and_winsize_from_master_act_on_slave)
{
	struct tt *t;
	struct pty *pty = pp_new(&t, true);
	KASSERT(pty != NULL);
	struct termios tio;
	KEXPECT_EQ(pty_master_ioctl(pty, TCGETS, &tio, 0, true), 0);
	KEXPECT(tio.c_lflag & ICANON);
	KEXPECT(!(tio.c_cflag & HUPCL));		/* Linux's pty slave has no HUPCL */
	tio.c_lflag &= ~(ICANON | ECHO);
	tio.c_oflag &= ~OPOST;
	KEXPECT_EQ(pty_master_ioctl(pty, TCSETS, &tio, 0, true), 0);
	KEXPECT_EQ(tty_ioctl(&pty->slave, TCGETS, &tio, 0, true), 0);
	KEXPECT(!(tio.c_lflag & ICANON));
	/* Raw now: bytes pass at once, no echo, no output processing. */
	char buf[16];
	KEXPECT_EQ(pty_master_write(pty, "q", 1, 0), 1);
	KEXPECT_EQ(tty_read(&pty->slave, buf, sizeof(buf), TTY_NONBLOCK), 1);
	KEXPECT_EQ(mread(pty, buf, sizeof(buf)), -EAGAIN);
	KEXPECT_EQ(tty_write(&pty->slave, "\n", 1, 0), 1);
	KEXPECT_EQ(mread(pty, buf, sizeof(buf)), 1);
	/* Window size: starts 0x0; set from the master, the slave's foreground hears SIGWINCH. */
	struct winsize ws;
	KEXPECT_EQ(tty_ioctl(&pty->slave, TIOCGWINSZ, &ws, 0, true), 0);
	KEXPECT_EQ(ws.ws_row, 0);
	KEXPECT_EQ(tty_ioctl(&pty->slave, TIOCSCTTY, NULL, 0, true), 0);
	int32_t pg = 0;
	KEXPECT_EQ(pty_master_ioctl(pty, TIOCGPGRP, &pg, 0, true), 0);
	KEXPECT_EQ(pg, 10);
	KEXPECT_EQ(pty_master_ioctl(pty, TIOCGSID, &pg, 0, true), 0);
	KEXPECT_EQ(pg, 10);
	ws = (struct winsize){ .ws_row = 33, .ws_col = 101 };
	size_t before = t->nsigs;
	KEXPECT_EQ(pty_master_ioctl(pty, TIOCSWINSZ, &ws, 0, true), 0);
	KEXPECT_EQ(t->nsigs, before + 1);
	KEXPECT_EQ(t->sigs[before].sig, SIGWINCH);
	KEXPECT_EQ(t->sigs[before].pgid, 10);
	struct winsize got;
	KEXPECT_EQ(tty_ioctl(&pty->slave, TIOCGWINSZ, &got, 0, true), 0);
	KEXPECT_EQ(got.ws_col, 101);
	t->ctty = NULL;
	pp_free(t, pty, true);
}

KTEST(pty_slave_close_gives_master_eio_after_data)
{
	struct tt *t;
	struct pty *pty = pp_new(&t, true);
	KASSERT(pty != NULL);
	char buf[16];
	/* Before any slave close a master read waits (here: would block). */
	KEXPECT_EQ(mread(pty, buf, sizeof(buf)), -EAGAIN);
	KEXPECT(!(pty_master_poll(pty) & POLLHUP));
	KEXPECT_EQ(tty_write(&pty->slave, "bye", 3, 0), 3);
	pty_slave_close(pty);
	pty_put(pty);
	KEXPECT(pty_master_poll(pty) & POLLHUP);
	KEXPECT_EQ(mread(pty, buf, sizeof(buf)), 3);	/* data first */
	KEXPECT_EQ(pty_master_read(pty, buf, sizeof(buf), 0), -EIO);	/* then EIO, without blocking */
	/* Master writes still go in; reopening the slave clears the condition. */
	KEXPECT_EQ(pty_master_write(pty, "x", 1, 0), 1);
	KEXPECT_EQ(pty_slave_open(pty), 0);
	pty_get(pty);
	KEXPECT_EQ(mread(pty, buf, sizeof(buf)), 1);	/* the echo of "x" */
	KEXPECT_EQ(mread(pty, buf, sizeof(buf)), -EAGAIN);
	pp_free(t, pty, true);
}

KTEST(pty_master_close_hangs_up_slave_and_session)
{
	struct tt *t;
	struct pty *pty = pp_new(&t, true);
	KASSERT(pty != NULL);
	KEXPECT_EQ(tty_ioctl(&pty->slave, TIOCSCTTY, NULL, 0, true), 0);
	KEXPECT(t->ctty == &pty->slave);
	KEXPECT_EQ(pty_master_write(pty, "pending\n", 8, 0), 8);
	size_t before = t->nsigs;
	pty_master_close(pty);
	/* The session lost its terminal; its leader's group got SIGHUP then SIGCONT. */
	KEXPECT(t->ctty == NULL);
	KEXPECT_EQ(t->nsigs, before + 2);
	KEXPECT_EQ(t->sigs[before].sig, SIGHUP);
	KEXPECT_EQ(t->sigs[before].pgid, 10);
	KEXPECT_EQ(t->sigs[before + 1].sig, SIGCONT);
	KEXPECT_EQ(pty->slave.session, 0);
	/* Reads see end of file (input discarded), writes EIO, poll everything; no new slave opens. */
	char buf[16];
	KEXPECT_EQ(tty_read(&pty->slave, buf, sizeof(buf), 0), 0);
	KEXPECT_EQ(tty_write(&pty->slave, "x", 1, 0), -EIO);
	unsigned ev = pty_slave_poll(pty);
	KEXPECT((ev & (POLLIN | POLLOUT | POLLHUP | POLLERR)) == (POLLIN | POLLOUT | POLLHUP | POLLERR));
	KEXPECT_EQ(pty_slave_open(pty), -EIO);
	KEXPECT(pty_lookup(pty->index) == NULL);
	/* The slave file's reference keeps the pair until it closes. */
	pty_put(pty);	/* the master's */
	KEXPECT(pty->slave.hung_up);
	/* A TIOCSCTTY that raced the hangup: the last reference takes the terminal back. */
	KEXPECT_EQ(tty_ioctl(&pty->slave, TIOCSCTTY, NULL, 0, true), 0);
	KEXPECT(t->ctty == &pty->slave);
	pty_slave_close(pty);
	pty_put(pty);
	KEXPECT(t->ctty == NULL);
	tt_free(t);
}

KTEST(pty_slave_writer_held_back_by_full_master_queue)
{
	struct tt *t;
	struct pty *pty = pp_new(&t, true);
	KASSERT(pty != NULL);
	static char chunk[1024];
	memset(chunk, 'a', sizeof(chunk));
	struct termios tio;
	KEXPECT_EQ(tty_ioctl(&pty->slave, TCGETS, &tio, 0, true), 0);
	tio.c_oflag &= ~OPOST;
	KEXPECT_EQ(tty_ioctl(&pty->slave, TCSETS, &tio, 0, true), 0);
	size_t total = 0;
	ssize_t r;
	while ((r = tty_write(&pty->slave, chunk, sizeof(chunk), TTY_NONBLOCK)) > 0)
		total += (size_t)r;
	KEXPECT_EQ(r, -EAGAIN);
	KEXPECT(total > PTY_MASTER_BUF / 2 && total <= PTY_MASTER_BUF);
	KEXPECT(!(pty_slave_poll(pty) & POLLOUT));
	/* Nothing was lost: the master reads every byte written. */
	static char got[PTY_MASTER_BUF];
	size_t read_back = 0;
	while ((r = pty_master_read(pty, got, sizeof(got), TTY_NONBLOCK)) > 0)
		read_back += (size_t)r;
	KEXPECT_EQ(read_back, total);
	KEXPECT(pty_slave_poll(pty) & POLLOUT);
	/* Raw slave input: a master writer is held back once the slave's queue is full. */
	tio.c_lflag &= ~(ICANON | ECHO);
	KEXPECT_EQ(tty_ioctl(&pty->slave, TCSETS, &tio, 0, true), 0);
	total = 0;
	while ((r = pty_master_write(pty, chunk, sizeof(chunk), TTY_NONBLOCK)) > 0)
		total += (size_t)r;
	KEXPECT_EQ(r, -EAGAIN);
	KEXPECT_EQ(total, TTY_BUF_SIZE - 1);
	KEXPECT(!(pty_master_poll(pty) & POLLOUT));
	KEXPECT_EQ(pty->slave.dropped, 0);
	KEXPECT_EQ(tty_read(&pty->slave, got, 100, TTY_NONBLOCK), 100);
	KEXPECT(pty_master_poll(pty) & POLLOUT);
	pp_free(t, pty, true);
}
