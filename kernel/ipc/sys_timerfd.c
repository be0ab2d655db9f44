/* timerfd: timers whose expirations are counted and read as a 64-bit value; timerfd_create/settime/gettime. */
#include <frame/clock.h>
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/spinlock.h>
#include <frame/string.h>
#include <frame/timer.h>
#include <frame/vm_io.h>
#include <frame/wait.h>
#include <abi/fcntl.h>
#include <abi/time.h>
#include <abi/timerfd.h>
#include <kernel/anon_inode.h>
#include <kernel/eventfd.h>
#include <kernel/ktime.h>
#include <kernel/poll.h>
#include <kernel/syscalls.h>
#include "fd_user.h"

/*
 * Expirations are computed from the clock when someone looks (read, poll,
 * gettime), so the count is exact whatever the timer interrupt's latency;
 * the frame timer only wakes sleepers, from interrupt context.
 */
struct timerfd {
	spinlock_t lock;	/* irq-saving: the timer callback takes it */
	int clock;
	struct timer timer;
	uint64_t deadline;	/* monotonic ns of the next expiration; 0: disarmed */
	uint64_t interval;
	uint64_t ticks;		/* expirations not yet read */
	struct wait_queue wq;
};

extern const struct file_ops timerfd_ops;

/* Count expirations up to @now (lock held). */
static void account(struct timerfd *t, uint64_t now)
{
	if (!t->deadline || now < t->deadline)
		return;
	if (t->interval) {
		uint64_t n = (now - t->deadline) / t->interval + 1;
		t->ticks += n;
		t->deadline += n * t->interval;
	} else {
		t->ticks++;
		t->deadline = 0;
	}
}

static void on_timer(void *arg)
{
	struct timerfd *t = arg;
	unsigned long fl = spin_lock_irqsave(&t->lock);
	account(t, clock_monotonic_ns());
	if (t->deadline)
		timer_arm(&t->timer, t->deadline);
	spin_unlock_irqrestore(&t->lock, fl);
	wait_wake_all(&t->wq);
}

static bool ready(struct timerfd *t)
{
	uint64_t d = __atomic_load_n(&t->deadline, __ATOMIC_ACQUIRE);
	return __atomic_load_n(&t->ticks, __ATOMIC_ACQUIRE) || (d && clock_monotonic_ns() >= d);
}

static ssize_t tf_read(struct file *f, void *buf, size_t len, uint64_t *pos)
{
	(void)pos;
	struct timerfd *t = f->private_data;
	if (len < sizeof(uint64_t))
		return -EINVAL;
	for (;;) {
		unsigned long fl = spin_lock_irqsave(&t->lock);
		account(t, clock_monotonic_ns());
		uint64_t n = t->ticks;
		t->ticks = 0;
		spin_unlock_irqrestore(&t->lock, fl);
		if (n) {
			memcpy(buf, &n, sizeof(n));
			return sizeof(n);
		}
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		int err = poll_wait_event(&t->wq, ready(t), 0);
		if (err)
			return err;
	}
}

static unsigned tf_poll(struct file *f, struct poll_table *pt)
{
	struct timerfd *t = f->private_data;
	poll_wait(f, &t->wq, pt);
	return ready(t) ? POLLIN | POLLRDNORM : 0;
}

static void tf_release(struct file *f)
{
	struct timerfd *t = f->private_data;
	timer_cancel(&t->timer);
	kfree(t);
}

const struct file_ops timerfd_ops = {
	.read = tf_read,
	.release = tf_release,
	.positional = false,
	.poll = tf_poll,
};

bool file_is_timerfd(const struct file *f)
{
	return f->ops == &timerfd_ops;
}

/* The current setting as an itimerspec (lock held). */
static struct itimerspec current_value(struct timerfd *t, uint64_t now)
{
	struct itimerspec v;
	memset(&v, 0, sizeof(v));
	account(t, now);
	v.it_interval = ns_to_timespec(t->interval);
	if (t->deadline)
		v.it_value = ns_to_timespec(t->deadline > now ? t->deadline - now : 1);
	return v;
}

static bool clock_ok(int id)
{
	return id == CLOCK_REALTIME || id == CLOCK_MONOTONIC || id == CLOCK_BOOTTIME ||
	       id == CLOCK_REALTIME_ALARM || id == CLOCK_BOOTTIME_ALARM;
}

int64_t sys_timerfd_create(int clock, uint32_t flags)
{
	int id = clock;
	if ((flags & ~(uint32_t)(TFD_CLOEXEC | TFD_NONBLOCK)) || !clock_ok(id))
		return -EINVAL;
	/* The alarm clocks need CAP_WAKE_ALARM. */
	if ((id == CLOCK_REALTIME_ALARM || id == CLOCK_BOOTTIME_ALARM) && fdu_cred()->euid != 0)
		return -EPERM;
	struct timerfd *t = kzalloc(sizeof(*t));
	if (!t)
		return -ENOMEM;
	spin_lock_init(&t->lock, "timerfd");
	wait_queue_init(&t->wq);
	timer_init(&t->timer, on_timer, t);
	t->clock = id;
	static const struct cred root;
	struct file *f;
	int err = anon_file_create(&root, 0600, O_RDWR | (flags & O_NONBLOCK), &timerfd_ops, t, &f);
	if (err) {
		kfree(t);
		return err;
	}
	return fdu_install_new(f, flags & TFD_CLOEXEC);
}

/* The timerfd at @fd: -EBADF, or -EINVAL when it is something else. */
static int timerfd_get(int fd, struct file **out)
{
	struct file *f = fdu_get(fd);
	if (!f)
		return -EBADF;
	if (!file_is_timerfd(f)) {
		file_put(f);
		return -EINVAL;
	}
	*out = f;
	return 0;
}

int64_t sys_timerfd_settime(int fd, int flags, const struct itimerspec __user *value, struct itimerspec __user *ovalue)
{
	struct itimerspec nv;
	if (copy_from_user(&nv, value, sizeof(nv)))
		return -EFAULT;
	if ((flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET)) ||
	    !timespec_valid(&nv.it_value) || !timespec_valid(&nv.it_interval))
		return -EINVAL;
	struct file *f;
	int err = timerfd_get(fd, &f);
	if (err)
		return err;
	struct timerfd *t = f->private_data;
	uint64_t first = timespec_to_ns(&nv.it_value), interval = timespec_to_ns(&nv.it_interval);
	timer_cancel(&t->timer);
	unsigned long fl = spin_lock_irqsave(&t->lock);
	uint64_t now = clock_monotonic_ns();
	struct itimerspec old = current_value(t, now);
	t->ticks = 0;
	t->interval = first ? interval : 0;
	if (!first) {
		t->deadline = 0;
	} else if (flags & TFD_TIMER_ABSTIME) {
		uint64_t d = ktime_abs_to_monotonic(t->clock, first);
		t->deadline = d ? d : 1;
	} else {
		t->deadline = now + first < now ? UINT64_MAX : now + first;
	}
	if (t->deadline)
		timer_arm(&t->timer, t->deadline);
	spin_unlock_irqrestore(&t->lock, fl);
	wait_wake_all(&t->wq);
	file_put(f);
	if (ovalue && copy_to_user(ovalue, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

int64_t sys_timerfd_gettime(int fd, struct itimerspec __user *value)
{
	struct file *f;
	int err = timerfd_get(fd, &f);
	if (err)
		return err;
	struct timerfd *t = f->private_data;
	unsigned long fl = spin_lock_irqsave(&t->lock);
	struct itimerspec cur = current_value(t, clock_monotonic_ns());
	spin_unlock_irqrestore(&t->lock, fl);
	file_put(f);
	if (copy_to_user(value, &cur, sizeof(cur)))
		return -EFAULT;
	return 0;
}
