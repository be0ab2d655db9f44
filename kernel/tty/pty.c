/* Unix98 pseudo-terminal pairs: index table, master queue fed by the slave tty's output, master writes as slave input, locking and hangup. */
#include <abi/errno.h>
#include <abi/poll.h>
#include <abi/signal.h>
#include <frame/heap.h>
#include <frame/string.h>
#include "tty_internal.h"

#define PTY_MASK (PTY_MASTER_BUF - 1)

/* Room kept in the master queue for echoes, which cannot wait: writers stop short of it. */
#define PTY_ECHO_SLACK 512
/* What a writer waits room for (tty_write's chunk): poll says POLLOUT when that much fits. */
#define PTY_WRITE_ROOM 256

/* TCXONC and the TIOCxPTxx requests (<asm-generic/ioctls.h>, <asm-generic/termbits.h>). */
#define PTY_TCOOFF 0
#define PTY_TCION 3

/* Live pairs by index; a slot is taken from pty_create() until the last reference goes. */
static struct pty *table[PTY_MAX];
static bool table_busy[PTY_MAX];
static spinlock_t table_lock = SPINLOCK_INIT("pty table");

static struct pty *pty_of_slave(struct tty *tty)
{
	return container_of(tty, struct pty, slave);
}

static size_t mqueued(const struct pty *pty)
{
	return pty->mhead - pty->mtail;
}

/*
 * The slave's driver: output (and echoes, under the slave's spin lock) goes
 * to the master queue. Past the queue's end bytes are lost, as Linux's
 * echoes are when the master does not read; writers wait before that.
 */
static void slave_write(struct tty *tty, const char *buf, size_t n)
{
	struct pty *pty = pty_of_slave(tty);
	unsigned long f = spin_lock_irqsave(&pty->lock);
	size_t room = PTY_MASTER_BUF - mqueued(pty);
	if (n > room)
		n = room;
	for (size_t i = 0; i < n; i++)
		pty->mbuf[(pty->mhead + i) & PTY_MASK] = (uint8_t)buf[i];
	pty->mhead += n;
	spin_unlock_irqrestore(&pty->lock, f);
	if (n)
		wait_wake_all(&pty->master_read_wq);
}

static bool slave_room(struct pty *pty, size_t n)
{
	unsigned long f = spin_lock_irqsave(&pty->lock);
	bool ok = pty->master_closed ||
		  mqueued(pty) + n + PTY_ECHO_SLACK <= PTY_MASTER_BUF;
	spin_unlock_irqrestore(&pty->lock, f);
	return ok;
}

static int slave_write_wait(struct tty *tty, size_t n, int flags)
{
	struct pty *pty = pty_of_slave(tty);
	const struct tty_session_ops *ops = tty_session();
	struct wait_entry w = { .task = NULL };
	int ret = 0;
	for (;;) {
		wait_prepare(&pty->slave_write_wq, &w);
		if (slave_room(pty, n))
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
	wait_finish(&pty->slave_write_wq, &w);
	if (!ret && __atomic_load_n(&pty->master_closed, __ATOMIC_ACQUIRE))
		ret = -EIO;
	return ret;
}

static void slave_input_consumed(struct tty *tty)
{
	wait_wake_all(&pty_of_slave(tty)->master_write_wq);
}

static const struct tty_driver_ops slave_driver = {
	.write = slave_write,
	.write_wait = slave_write_wait,
	.input_consumed = slave_input_consumed,
};

struct pty *pty_of_tty(struct tty *tty)
{
	return tty && tty->driver == &slave_driver ? pty_of_slave(tty) : NULL;
}

int pty_create(uint32_t uid, uint32_t gid, struct pty **out)
{
	struct pty *pty = kzalloc(sizeof(*pty));
	if (!pty)
		return -ENOMEM;
	unsigned long f = spin_lock_irqsave(&table_lock);
	uint32_t index = PTY_MAX;
	for (uint32_t i = 0; i < PTY_MAX && index == PTY_MAX; i++)
		if (!table_busy[i])
			index = i;
	if (index < PTY_MAX)
		table_busy[index] = true;
	spin_unlock_irqrestore(&table_lock, f);
	if (index == PTY_MAX) {
		kfree(pty);
		return -ENOSPC;
	}
	tty_init(&pty->slave, "pty slave", &slave_driver, NULL);
	/* Linux's pty slave: tty_std_termios without HUPCL, and no window size until someone sets one. */
	pty->slave.termios.c_cflag &= ~HUPCL;
	memset(&pty->slave.winsize, 0, sizeof(pty->slave.winsize));
	spin_lock_init(&pty->lock, "pty");
	wait_queue_init(&pty->master_read_wq);
	wait_queue_init(&pty->master_write_wq);
	wait_queue_init(&pty->slave_write_wq);
	pty->index = index;
	pty->refcount = 1;
	pty->uid = uid;
	pty->gid = gid;
	pty->locked = true;
	f = spin_lock_irqsave(&table_lock);
	table[index] = pty;
	spin_unlock_irqrestore(&table_lock, f);
	*out = pty;
	return 0;
}

void pty_get(struct pty *pty)
{
	__atomic_add_fetch(&pty->refcount, 1, __ATOMIC_RELAXED);
}

void pty_put(struct pty *pty)
{
	if (!pty || __atomic_sub_fetch(&pty->refcount, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	/*
	 * The hangup took the terminal from its session, but a TIOCSCTTY that
	 * was running on a slave file then may have given it back: no process
	 * may keep a pointer to a freed terminal.
	 */
	if (pty->slave.session)
		tty_session()->session_clear_ctty(pty->slave.session);
	unsigned long f = spin_lock_irqsave(&table_lock);
	if (table[pty->index] == pty)
		table[pty->index] = NULL;
	table_busy[pty->index] = false;
	spin_unlock_irqrestore(&table_lock, f);
	kfree(pty);
}

struct pty *pty_lookup(uint32_t index)
{
	if (index >= PTY_MAX)
		return NULL;
	unsigned long f = spin_lock_irqsave(&table_lock);
	struct pty *pty = table[index];
	if (pty)
		pty_get(pty);
	spin_unlock_irqrestore(&table_lock, f);
	return pty;
}

size_t pty_list(int64_t after, uint32_t *out, size_t max)
{
	size_t n = 0;
	unsigned long f = spin_lock_irqsave(&table_lock);
	for (int64_t i = after < 0 ? 0 : after + 1; i < PTY_MAX && n < max; i++)
		if (table[i])
			out[n++] = (uint32_t)i;
	spin_unlock_irqrestore(&table_lock, f);
	return n;
}

/* ---- master side ---- */

void pty_master_close(struct pty *pty)
{
	const struct tty_session_ops *ops = tty_session();
	/* The pts node goes at once, as Linux's devpts_pty_kill(); the index stays taken until the last slave file closes. */
	unsigned long f = spin_lock_irqsave(&table_lock);
	if (table[pty->index] == pty)
		table[pty->index] = NULL;
	spin_unlock_irqrestore(&table_lock, f);
	f = spin_lock_irqsave(&pty->lock);
	pty->master_closed = true;
	spin_unlock_irqrestore(&pty->lock, f);
	/*
	 * Linux's tty_vhangup of the slave: its session loses the terminal and
	 * the leader (the group named by the session id) gets SIGHUP and SIGCONT.
	 */
	f = spin_lock_irqsave(&pty->slave.lock);
	int32_t sid = pty->slave.session;
	pty->slave.session = 0;
	pty->slave.pgrp = 0;
	spin_unlock_irqrestore(&pty->slave.lock, f);
	tty_hangup(&pty->slave);
	if (sid) {
		ops->session_clear_ctty(sid);
		ops->signal_pgrp(sid, SIGHUP);
		ops->signal_pgrp(sid, SIGCONT);
	}
	wait_wake_all(&pty->slave_write_wq);
	wait_wake_all(&pty->master_read_wq);
	wait_wake_all(&pty->master_write_wq);
}

ssize_t pty_master_read(struct pty *pty, void *buf, size_t n, int flags)
{
	const struct tty_session_ops *ops = tty_session();
	uint8_t *dst = buf;
	if (!n)
		return 0;
	struct wait_entry w = { .task = NULL };
	ssize_t ret = 0;
	for (;;) {
		wait_prepare(&pty->master_read_wq, &w);
		unsigned long f = spin_lock_irqsave(&pty->lock);
		size_t avail = mqueued(pty);
		if (avail) {
			size_t take = MIN(avail, n);
			for (size_t i = 0; i < take; i++)
				dst[i] = pty->mbuf[(pty->mtail + i) & PTY_MASK];
			pty->mtail += take;
			ret = (ssize_t)take;
		} else if (pty->slave_closed) {
			ret = -EIO;
		}
		spin_unlock_irqrestore(&pty->lock, f);
		if (ret)
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
	wait_finish(&pty->master_read_wq, &w);
	if (ret > 0)
		wait_wake_all(&pty->slave_write_wq);
	return ret;
}

/*
 * Room in the slave's input for master writes. Canonical mode takes
 * everything (the line discipline drops what does not fit, as Linux's
 * n_tty does to avoid a deadlock on a line with no end); raw mode holds the
 * writer back while the queue is full.
 */
static size_t slave_input_room(struct pty *pty)
{
	struct tty *s = &pty->slave;
	unsigned long f = spin_lock_irqsave(&s->lock);
	size_t used = s->read_head - s->read_tail;
	size_t room = L_FLAG(s, ICANON) ? SIZE_MAX
		      : (used < TTY_BUF_SIZE - 1 ? TTY_BUF_SIZE - 1 - used : 0);
	spin_unlock_irqrestore(&s->lock, f);
	return room;
}

ssize_t pty_master_write(struct pty *pty, const void *buf, size_t n, int flags)
{
	const struct tty_session_ops *ops = tty_session();
	const uint8_t *src = buf;
	size_t done = 0;
	int err = 0;
	while (done < n) {
		struct wait_entry w = { .task = NULL };
		size_t room;
		for (;;) {
			wait_prepare(&pty->master_write_wq, &w);
			room = slave_input_room(pty);
			if (room)
				break;
			if (flags & TTY_NONBLOCK) {
				err = -EAGAIN;
				break;
			}
			if (ops->signal_pending()) {
				err = -ERESTARTSYS;
				break;
			}
			wait_sleep(&w, 0);
		}
		wait_finish(&pty->master_write_wq, &w);
		if (err)
			break;
		/* Bounded pieces: tty_receive() works under the slave's spin lock. */
		size_t len = MIN(MIN(n - done, room), (size_t)256);
		tty_receive(&pty->slave, src + done, len);
		done += len;
	}
	return done ? (ssize_t)done : err;
}

unsigned pty_master_poll(struct pty *pty)
{
	unsigned ev = 0;
	unsigned long f = spin_lock_irqsave(&pty->lock);
	if (mqueued(pty))
		ev |= POLLIN | POLLRDNORM;
	if (pty->slave_closed)
		ev |= POLLHUP;
	spin_unlock_irqrestore(&pty->lock, f);
	if (slave_input_room(pty))
		ev |= POLLOUT | POLLWRNORM;
	return ev;
}

static long master_flush(struct pty *pty, unsigned long which)
{
	if (which > TCIOFLUSH)
		return -EINVAL;
	if (which == TCIFLUSH || which == TCIOFLUSH) {
		unsigned long f = spin_lock_irqsave(&pty->lock);
		pty->mtail = pty->mhead;
		spin_unlock_irqrestore(&pty->lock, f);
		wait_wake_all(&pty->slave_write_wq);
	}
	if (which == TCOFLUSH || which == TCIOFLUSH) {
		/* The master's output is the slave's unread input. */
		unsigned long f = spin_lock_irqsave(&pty->slave.lock);
		tty_flush_input_locked(&pty->slave);
		spin_unlock_irqrestore(&pty->slave.lock, f);
		wait_wake_all(&pty->master_write_wq);
	}
	return 0;
}

long pty_master_ioctl(struct pty *pty, unsigned cmd, void *arg, unsigned long val,
		      bool readable)
{
	struct tty *s = &pty->slave;
	unsigned long f;
	switch (cmd) {
	case TIOCGPTN:
		*(uint32_t *)arg = pty->index;
		return 0;
	case TIOCSPTLCK:
		f = spin_lock_irqsave(&pty->lock);
		pty->locked = *(const int32_t *)arg != 0;
		spin_unlock_irqrestore(&pty->lock, f);
		return 0;
	case TIOCGPTLCK:
		f = spin_lock_irqsave(&pty->lock);
		*(int32_t *)arg = pty->locked;
		spin_unlock_irqrestore(&pty->lock, f);
		return 0;
	case TIOCGPGRP:
		/* From the master no controlling-terminal check: it is not the caller's terminal. */
		f = spin_lock_irqsave(&s->lock);
		*(int32_t *)arg = s->pgrp;
		spin_unlock_irqrestore(&s->lock, f);
		return 0;
	case TIOCGSID:
		f = spin_lock_irqsave(&s->lock);
		*(int32_t *)arg = s->session;
		spin_unlock_irqrestore(&s->lock, f);
		return *(int32_t *)arg ? 0 : -ENOTTY;
	case TCGETS:
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
	case TIOCGWINSZ:
	case TIOCSWINSZ:
	case TIOCSPGRP:
	case TIOCSCTTY:
		/* Linux's tty_pair_get_tty(): these act on the slave. */
		return tty_ioctl(s, cmd, arg, val, readable);
	case FIONREAD:
		f = spin_lock_irqsave(&pty->lock);
		*(int32_t *)arg = (int32_t)mqueued(pty);
		spin_unlock_irqrestore(&pty->lock, f);
		return 0;
	case TIOCOUTQ:
		/* Linux's pty_chars_in_buffer: written bytes are the slave's input at once. */
		*(int32_t *)arg = 0;
		return 0;
	case TCFLSH:
		return master_flush(pty, val);
	case TCXONC:
		return val <= PTY_TCION ? 0 : -EINVAL;
	case TCSBRK:
		/* Nothing waits to be sent and a pty has no break. */
		return 0;
	default:
		(void)PTY_TCOOFF;
		return -ENOTTY;
	}
}

/* ---- slave side ---- */

int pty_slave_open(struct pty *pty)
{
	unsigned long f = spin_lock_irqsave(&pty->lock);
	int err = 0;
	if (pty->locked || pty->master_closed)
		err = -EIO;
	else {
		pty->slave_opens++;
		pty->slave_closed = false;
	}
	spin_unlock_irqrestore(&pty->lock, f);
	return err;
}

void pty_slave_close(struct pty *pty)
{
	unsigned long f = spin_lock_irqsave(&pty->lock);
	if (pty->slave_opens && --pty->slave_opens == 0)
		pty->slave_closed = true;
	spin_unlock_irqrestore(&pty->lock, f);
	wait_wake_all(&pty->master_read_wq);
	wait_wake_all(&pty->master_write_wq);
}

unsigned pty_slave_poll(struct pty *pty)
{
	struct tty *s = &pty->slave;
	unsigned long f = spin_lock_irqsave(&pty->lock);
	bool gone = pty->master_closed;
	spin_unlock_irqrestore(&pty->lock, f);
	bool room = slave_room(pty, PTY_WRITE_ROOM);
	/* Linux's hung_up_tty_poll. */
	if (gone)
		return POLLIN | POLLOUT | POLLERR | POLLHUP | POLLRDNORM | POLLWRNORM;
	unsigned ev = 0;
	if (tty_read_ready(s))
		ev |= POLLIN | POLLRDNORM;
	f = spin_lock_irqsave(&s->lock);
	bool stopped = s->stopped;
	spin_unlock_irqrestore(&s->lock, f);
	if (!stopped && room)
		ev |= POLLOUT | POLLWRNORM;
	return ev;
}
