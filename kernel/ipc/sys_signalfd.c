/* signalfd: pending signals of a mask read as signalfd_siginfo records; signalfd/signalfd4. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/string.h>
#include <frame/vm_io.h>
#include <abi/fcntl.h>
#include <abi/signalfd.h>
#include <kernel/anon_inode.h>
#include <kernel/eventfd.h>
#include <kernel/poll.h>
#include <kernel/proc.h>
#include <kernel/signal.h>
#include <kernel/syscalls.h>
#include "fd_user.h"

struct signalfd {
	kernel_sigset_t mask;	/* changed by signalfd(fd, ...): read atomically */
};

extern const struct file_ops signalfd_ops;

static kernel_sigset_t mask_of(struct file *f)
{
	struct signalfd *s = f->private_data;
	return __atomic_load_n(&s->mask, __ATOMIC_ACQUIRE);
}

static bool have_signal(kernel_sigset_t mask)
{
	return (signal_pending_set(thread_current()) & mask) != 0;
}

static void encode(const struct ksiginfo *k, struct signalfd_siginfo *o)
{
	memset(o, 0, sizeof(*o));
	o->ssi_signo = (uint32_t)k->signo;
	o->ssi_errno = k->errno_;
	o->ssi_code = k->code;
	o->ssi_pid = (uint32_t)k->pid;
	o->ssi_uid = k->uid;
	o->ssi_fd = k->fd;
	o->ssi_tid = (uint32_t)k->tid;
	o->ssi_band = (uint32_t)k->band;
	o->ssi_overrun = (uint32_t)k->overrun;
	o->ssi_status = k->status;
	o->ssi_int = (int32_t)k->value;
	o->ssi_ptr = k->value;
	o->ssi_utime = (uint64_t)k->utime;
	o->ssi_stime = (uint64_t)k->stime;
	o->ssi_addr = k->addr;
}

static ssize_t sf_read(struct file *f, void *buf, size_t len, uint64_t *pos)
{
	(void)pos;
	size_t count = len / sizeof(struct signalfd_siginfo);
	if (!count)
		return -EINVAL;
	uint8_t *dst = buf;
	size_t done = 0;
	while (done < count) {
		struct ksiginfo info;
		int sig = signal_dequeue(thread_current(), mask_of(f), &info);
		if (!sig) {
			/* Only the first record is waited for, as Linux. */
			if (done)
				break;
			if (f->flags & O_NONBLOCK)
				return -EAGAIN;
			int err = poll_wait_event(&signal_queued_wq, have_signal(mask_of(f)), 0);
			if (err)
				return err;
			continue;
		}
		struct signalfd_siginfo rec;
		encode(&info, &rec);
		memcpy(dst + done * sizeof(rec), &rec, sizeof(rec));
		done++;
	}
	return (ssize_t)(done * sizeof(struct signalfd_siginfo));
}

static unsigned sf_poll(struct file *f, struct poll_table *pt)
{
	poll_wait(f, &signal_queued_wq, pt);
	return have_signal(mask_of(f)) ? POLLIN | POLLRDNORM : 0;
}

static void sf_release(struct file *f)
{
	kfree(f->private_data);
}

const struct file_ops signalfd_ops = {
	.read = sf_read,
	.release = sf_release,
	.positional = false,
	.poll = sf_poll,
};

bool file_is_signalfd(const struct file *f)
{
	return f->ops == &signalfd_ops;
}

static int64_t do_signalfd(int fd, const kernel_sigset_t __user *umask, uint64_t size, uint64_t flags)
{
	if (flags & ~(uint64_t)(SFD_CLOEXEC | SFD_NONBLOCK))
		return -EINVAL;
	if (size != sizeof(kernel_sigset_t))
		return -EINVAL;
	kernel_sigset_t mask;
	if (copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	/* SIGKILL and SIGSTOP are never read this way. */
	mask &= ~(SIG_BIT(SIGKILL) | SIG_BIT(SIGSTOP));
	if (fd != -1) {
		struct file *f = fdu_get(fd);
		if (!f)
			return -EBADF;
		if (!file_is_signalfd(f)) {
			file_put(f);
			return -EINVAL;
		}
		struct signalfd *s = f->private_data;
		__atomic_store_n(&s->mask, mask, __ATOMIC_RELEASE);
		file_put(f);
		wait_wake_all(&signal_queued_wq);
		return fd;
	}
	struct signalfd *s = kzalloc(sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->mask = mask;
	static const struct cred root;
	struct file *f;
	int err = anon_file_create(&root, 0600, O_RDWR | ((uint32_t)flags & O_NONBLOCK), &signalfd_ops,
				   s, &f);
	if (err) {
		kfree(s);
		return err;
	}
	return fdu_install_new(f, flags & SFD_CLOEXEC);
}

int64_t sys_signalfd(int fd, const kernel_sigset_t __user *mask, size_t sizemask)
{
	return do_signalfd(fd, mask, sizemask, 0);
}

int64_t sys_signalfd4(int fd, const kernel_sigset_t __user *mask, size_t sizemask, uint32_t flags)
{
	return do_signalfd(fd, mask, sizemask, flags);
}
