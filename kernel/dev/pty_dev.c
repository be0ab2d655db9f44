/* Pseudo-terminal device files: /dev/ptmx (5,2) opens a new master, /dev/pts/N (136,N) the slave; ioctl arguments across the user boundary. */
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

static struct pty *pty_of_file(struct file *f)
{
	return f->private_data;
}

static int io_flags(const struct file *f)
{
	return (f->flags & O_NONBLOCK) ? TTY_NONBLOCK : 0;
}

static bool file_readable(const struct file *f)
{
	uint32_t acc = f->flags & O_ACCMODE;
	return acc == O_RDONLY || acc == O_RDWR;
}

/*
 * Copy an ioctl's argument in, run @fn on the kernel copy, copy the result
 * out: the sizes by request, as Linux's tty ioctls use them. Integer
 * requests (TCFLSH, TCXONC, TCSBRK, TIOCSCTTY) pass @arg itself.
 */
static long marshal_ioctl(struct file *f, unsigned cmd, unsigned long arg,
			  long (*fn)(struct file *f, unsigned cmd, void *karg, unsigned long val))
{
	void __user *uarg = user_ptr(arg);
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
	case TIOCGPGRP: case TIOCGSID: case FIONREAD: case TIOCOUTQ:
	case TIOCGPTN: case TIOCGPTLCK:
		out = sizeof(k.i);
		break;
	case TIOCSPGRP: case TIOCSPTLCK: in = sizeof(k.i); break;
	default: break;
	}
	if (in && copy_from_user(&k, uarg, in))
		return -EFAULT;
	long r = fn(f, cmd, &k, arg);
	if (r >= 0 && out && copy_to_user(uarg, &k, out))
		return -EFAULT;
	return r;
}

/* ---- master: /dev/ptmx ---- */

static ssize_t master_read(struct file *f, void *buf, size_t len, uint64_t *pos)
{
	(void)pos;
	return pty_master_read(pty_of_file(f), buf, len, io_flags(f));
}

static ssize_t master_write(struct file *f, const void *buf, size_t len, uint64_t *pos)
{
	(void)pos;
	return pty_master_write(pty_of_file(f), buf, len, io_flags(f));
}

static long master_ioctl_k(struct file *f, unsigned cmd, void *karg, unsigned long val)
{
	return pty_master_ioctl(pty_of_file(f), cmd, karg, val, file_readable(f));
}

static long master_ioctl(struct file *f, unsigned cmd, unsigned long arg)
{
	return marshal_ioctl(f, cmd, arg, master_ioctl_k);
}

static unsigned master_poll(struct file *f, struct poll_table *pt)
{
	struct pty *pty = pty_of_file(f);
	poll_wait(f, &pty->master_read_wq, pt);
	poll_wait(f, &pty->master_write_wq, pt);
	return pty_master_poll(pty);
}

static void master_release(struct file *f)
{
	struct pty *pty = pty_of_file(f);
	pty_master_close(pty);
	pty_put(pty);
}

static const struct file_ops master_fops = {
	.read = master_read, .write = master_write, .positional = false,
	.poll = master_poll, .ioctl = master_ioctl, .release = master_release,
};

static int ptmx_open(struct file *f)
{
	struct process *p = process_current();
	uint32_t uid = p ? p->cred.fsuid : 0, gid = p ? p->cred.fsgid : 0;
	struct pty *pty;
	int err = pty_create(uid, gid, &pty);
	if (err)
		return err;
	f->private_data = pty;
	return 0;
}

/* ---- slave: /dev/pts/N ---- */

/* Set once by the master's close; read without the tty's lock (a late reader then sees the tty layer's own check). */
static bool hung_up(struct pty *pty)
{
	return __atomic_load_n(&pty->slave.hung_up, __ATOMIC_ACQUIRE);
}

static ssize_t slave_read(struct file *f, void *buf, size_t len, uint64_t *pos)
{
	(void)pos;
	struct pty *pty = pty_of_file(f);
	/* Linux's hung_up_tty_read: end of file once the master is gone. */
	if (hung_up(pty))
		return 0;
	return tty_read(&pty->slave, buf, len, io_flags(f));
}

static ssize_t slave_write(struct file *f, const void *buf, size_t len, uint64_t *pos)
{
	(void)pos;
	struct pty *pty = pty_of_file(f);
	if (hung_up(pty))
		return -EIO;
	return tty_write(&pty->slave, buf, len, io_flags(f));
}

static long slave_ioctl_k(struct file *f, unsigned cmd, void *karg, unsigned long val)
{
	struct pty *pty = pty_of_file(f);
	/* Linux's hung_up_tty_ioctl. */
	if (hung_up(pty))
		return cmd == TIOCSPGRP ? -ENOTTY : -EIO;
	return tty_ioctl(&pty->slave, cmd, karg, val, file_readable(f));
}

static long slave_ioctl(struct file *f, unsigned cmd, unsigned long arg)
{
	return marshal_ioctl(f, cmd, arg, slave_ioctl_k);
}

static unsigned slave_poll(struct file *f, struct poll_table *pt)
{
	struct pty *pty = pty_of_file(f);
	poll_wait(f, &pty->slave.read_wq, pt);
	poll_wait(f, &pty->slave.write_wq, pt);
	poll_wait(f, &pty->slave_write_wq, pt);
	return pty_slave_poll(pty);
}

static void slave_release(struct file *f)
{
	struct pty *pty = pty_of_file(f);
	pty_slave_close(pty);
	pty_put(pty);
}

static const struct file_ops slave_fops = {
	.read = slave_read, .write = slave_write, .positional = false,
	.poll = slave_poll, .ioctl = slave_ioctl, .release = slave_release,
};

/*
 * Attach @f to the slave of @pty (a reference taken by the caller moves to
 * the file on success). As Linux's tty_open: a session leader without a
 * terminal opening it without O_NOCTTY makes it its controlling terminal.
 */
static int slave_attach(struct file *f, struct pty *pty, bool may_acquire)
{
	int err = pty_slave_open(pty);
	if (err)
		return err;
	f->ops = &slave_fops;
	f->private_data = pty;
	struct process *p = process_current();
	if (may_acquire && p && !(f->flags & O_NOCTTY) && p->pid == p->sid && !p->ctty)
		tty_ioctl(&pty->slave, TIOCSCTTY, NULL, 0, true);	/* refusal is fine */
	return 0;
}

static int pts_open(struct file *f)
{
	struct pty *pty = pty_lookup(dev_minor(f->path.inode->rdev));
	if (!pty)
		return -EIO;	/* Linux: the pair's master is gone */
	int err = slave_attach(f, pty, true);
	if (err)
		pty_put(pty);
	return err;
}

int pty_open_current_tty(struct file *f, struct tty *tty)
{
	struct pty *pty = pty_of_tty(tty);
	if (!pty)
		return -ENXIO;
	pty_get(pty);
	int err = slave_attach(f, pty, false);
	if (err)
		pty_put(pty);
	return err;
}

static const struct chrdev_ops ptmx_dev = { .fops = &master_fops, .open = ptmx_open };
static const struct chrdev_ops pts_dev = { .fops = &slave_fops, .open = pts_open };

int pty_devices_register(void)
{
	int err = chrdev_register(TTYAUX_MAJOR, TTYAUX_PTMX_MINOR, 1, &ptmx_dev);
	if (!err)
		err = chrdev_register(UNIX98_PTY_SLAVE_MAJOR, 0, PTY_MAX, &pts_dev);
	if (!err)
		err = devpts_register();
	return err;
}
