/* eventfd: a 64-bit counter read and written as 8-byte values (semaphore mode, overflow rules); its calls are in sys_eventfd.c. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/spinlock.h>
#include <frame/string.h>
#include <frame/wait.h>
#include <abi/eventfd.h>
#include <abi/fcntl.h>
#include <kernel/anon_inode.h>
#include <kernel/eventfd.h>
#include <kernel/poll.h>

struct eventfd {
	spinlock_t lock;	/* irq-saving: eventfd_signal may come from anywhere */
	uint64_t count;
	bool semaphore;
	struct wait_queue wq;
};

extern const struct file_ops eventfd_ops;

static uint64_t count_of(struct eventfd *e)
{
	return __atomic_load_n(&e->count, __ATOMIC_ACQUIRE);
}

static ssize_t ef_read(struct file *f, void *buf, size_t len, uint64_t *pos)
{
	(void)pos;
	struct eventfd *e = f->private_data;
	if (len < sizeof(uint64_t))
		return -EINVAL;
	for (;;) {
		unsigned long fl = spin_lock_irqsave(&e->lock);
		uint64_t v = e->count;
		if (v) {
			if (e->semaphore)
				v = 1;
			__atomic_store_n(&e->count, e->count - v, __ATOMIC_RELEASE);
			spin_unlock_irqrestore(&e->lock, fl);
			wait_wake_all(&e->wq);
			memcpy(buf, &v, sizeof(v));
			return sizeof(v);
		}
		spin_unlock_irqrestore(&e->lock, fl);
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		int err = poll_wait_event(&e->wq, count_of(e) != 0, 0);
		if (err)
			return err;
	}
}

/* Room for @n more: the counter never reaches ~0 (Linux's ULLONG_MAX - count > n). */
static bool room_for(struct eventfd *e, uint64_t n)
{
	return UINT64_MAX - count_of(e) > n;
}

static int add(struct eventfd *e, uint64_t n)
{
	unsigned long fl = spin_lock_irqsave(&e->lock);
	if (UINT64_MAX - e->count <= n) {
		spin_unlock_irqrestore(&e->lock, fl);
		return -EAGAIN;
	}
	__atomic_store_n(&e->count, e->count + n, __ATOMIC_RELEASE);
	spin_unlock_irqrestore(&e->lock, fl);
	wait_wake_all(&e->wq);
	return 0;
}

static ssize_t ef_write(struct file *f, const void *buf, size_t len, uint64_t *pos)
{
	(void)pos;
	struct eventfd *e = f->private_data;
	if (len < sizeof(uint64_t))
		return -EINVAL;
	uint64_t n;
	memcpy(&n, buf, sizeof(n));
	if (n == UINT64_MAX)
		return -EINVAL;
	for (;;) {
		if (add(e, n) == 0)
			return sizeof(n);
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		int err = poll_wait_event(&e->wq, room_for(e, n), 0);
		if (err)
			return err;
	}
}

static unsigned ef_poll(struct file *f, struct poll_table *pt)
{
	struct eventfd *e = f->private_data;
	poll_wait(f, &e->wq, pt);
	uint64_t c = count_of(e);
	unsigned mask = 0;
	if (c)
		mask |= POLLIN | POLLRDNORM;
	if (c == UINT64_MAX)
		mask |= POLLERR;
	if (c < UINT64_MAX - 1)
		mask |= POLLOUT | POLLWRNORM;
	return mask;
}

static void ef_release(struct file *f)
{
	kfree(f->private_data);
}

const struct file_ops eventfd_ops = {
	.read = ef_read,
	.write = ef_write,
	.release = ef_release,
	.positional = false,
	.poll = ef_poll,
};

int eventfd_create(uint64_t count, int flags, struct file **out)
{
	struct eventfd *e = kzalloc(sizeof(*e));
	if (!e)
		return -ENOMEM;
	spin_lock_init(&e->lock, "eventfd");
	wait_queue_init(&e->wq);
	e->count = count;
	e->semaphore = flags & EFD_SEMAPHORE;
	static const struct cred root;
	int err = anon_file_create(&root, 0600, O_RDWR | ((uint32_t)flags & O_NONBLOCK), &eventfd_ops,
				   e, out);
	if (err)
		kfree(e);
	return err;
}

bool file_is_eventfd(const struct file *f)
{
	return f->ops == &eventfd_ops;
}

int eventfd_signal(struct file *f, uint64_t n)
{
	if (!file_is_eventfd(f))
		return -EINVAL;
	if (n == UINT64_MAX)
		return -EINVAL;
	return add(f->private_data, n);
}
