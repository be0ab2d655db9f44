/* Terminal device nodes: /dev/tty (5,0, the caller's controlling terminal), /dev/console (5,1) and /dev/ttyS0 (4,64), on the tty layer. */
#include <abi/fcntl.h>
#include <abi/poll.h>
#include <abi/termios.h>
#include <frame/errno.h>
#include <frame/vm_io.h>
#include <kernel/chrdev.h>
#include <kernel/poll.h>
#include <kernel/proc.h>
#include <kernel/tty.h>

#include "dev_internal.h"

static struct tty *tty_of(struct file *f)
{
	return f->private_data;
}

static int tty_flags(const struct file *f)
{
	return (f->flags & O_NONBLOCK) ? TTY_NONBLOCK : 0;
}

static ssize_t ttydev_read(struct file *f, void *buf, size_t len, uint64_t *pos)
{
	(void)pos;
	return tty_read(tty_of(f), buf, len, tty_flags(f));
}

static ssize_t ttydev_write(struct file *f, const void *buf, size_t len, uint64_t *pos)
{
	(void)pos;
	return tty_write(tty_of(f), buf, len, tty_flags(f));
}

/*
 * The tty layer takes kernel copies; this moves them across the user
 * boundary by request. Integer requests take @arg itself.
 */
static long ttydev_ioctl(struct file *f, unsigned cmd, unsigned long arg)
{
	struct tty *tty = tty_of(f);
	void __user *uarg = user_ptr(arg);
	uint32_t acc = f->flags & O_ACCMODE;
	bool readable = acc == O_RDONLY || acc == O_RDWR;
	union {
		struct termios t;
		struct winsize w;
		int32_t i;
	} k;
	size_t in = 0, out = 0;
	switch (cmd) {
	case TCGETS: out = sizeof(k.t); break;
	case TCSETS: case TCSETSW: case TCSETSF: in = sizeof(k.t); break;
	case TIOCGWINSZ: out = sizeof(k.w); break;
	case TIOCSWINSZ: in = sizeof(k.w); break;
	case TIOCGPGRP: case TIOCGSID: case FIONREAD: case TIOCOUTQ: out = sizeof(k.i); break;
	case TIOCSPGRP: in = sizeof(k.i); break;
	default: break;
	}
	if (in && copy_from_user(&k, uarg, in))
		return -EFAULT;
	long r = tty_ioctl(tty, cmd, &k, arg, readable);
	if (r >= 0 && out && copy_to_user(uarg, &k, out))
		return -EFAULT;
	return r;
}

static unsigned ttydev_poll(struct file *f, struct poll_table *pt)
{
	struct tty *tty = tty_of(f);
	poll_wait(f, &tty->read_wq, pt);
	poll_wait(f, &tty->write_wq, pt);
	unsigned ev = 0;
	if (tty_input_available(tty))
		ev |= POLLIN | POLLRDNORM;
	if (!tty->stopped)
		ev |= POLLOUT | POLLWRNORM;
	return ev;
}

/* A terminal is a stream: no offset, pread/pwrite give ESPIPE. */
static const struct file_ops tty_fops = {
	.read = ttydev_read, .write = ttydev_write, .positional = false,
	.poll = ttydev_poll, .ioctl = ttydev_ioctl,
};

static int console_open(struct file *f)
{
	struct tty *tty = tty_console();
	if (!tty)
		return -ENODEV;
	f->private_data = tty;
	return 0;
}

/*
 * /dev/ttyS0: the same terminal, but as on Linux opening it (without
 * O_NOCTTY) makes it the controlling terminal of a session leader that has
 * none and that no other session holds; /dev/console never does.
 */
static int serial_open(struct file *f)
{
	int err = console_open(f);
	if (err)
		return err;
	struct process *p = process_current();
	if (p && !(f->flags & O_NOCTTY) && p->pid == p->sid && !p->ctty)
		tty_ioctl(f->private_data, TIOCSCTTY, 0, 0, true);	/* refusal is fine */
	return 0;
}

/* /dev/tty: whatever terminal controls the caller; ENXIO without one (Linux's tty_open_current_tty). */
static int current_tty_open(struct file *f)
{
	struct process *p = process_current();
	struct tty *tty = p ? p->ctty : NULL;
	if (!tty)
		return -ENXIO;
	/* A pty slave's files hold the pair alive and see its hangup: open it as the slave. */
	if (pty_of_tty(tty))
		return pty_open_current_tty(f, tty);
	f->private_data = tty;
	return 0;
}

static const struct chrdev_ops console_dev = { .fops = &tty_fops, .open = console_open };
static const struct chrdev_ops serial_dev = { .fops = &tty_fops, .open = serial_open };
static const struct chrdev_ops current_tty_dev = { .fops = &tty_fops, .open = current_tty_open };

int tty_devices_register(void)
{
	int err = chrdev_register(TTYAUX_MAJOR, TTYAUX_TTY_MINOR, 1, &current_tty_dev);
	if (!err)
		err = chrdev_register(TTYAUX_MAJOR, TTYAUX_CONSOLE_MINOR, 1, &console_dev);
	if (!err)
		err = chrdev_register(TTY_MAJOR, TTY_S0_MINOR, 1, &serial_dev);
	return err;
}
