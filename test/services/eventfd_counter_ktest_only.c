/* kernel/ipc eventfd in the test kernel: counter and semaphore reads, the overflow limit, poll masks. */
#include <frame/errno.h>
#include <frame/ktest.h>
#include <abi/eventfd.h>
#include <abi/fcntl.h>
#include <kernel/eventfd.h>
#include <kernel/poll.h>

static ssize_t rd(struct file *f, uint64_t *v)
{
	return f->ops->read(f, v, sizeof(*v), NULL);
}

static ssize_t wr(struct file *f, uint64_t v)
{
	return f->ops->write(f, &v, sizeof(v), NULL);
}

KTEST(eventfd_counts_and_drains)
{
	struct file *f;
	KASSERT(eventfd_create(3, O_NONBLOCK, &f) == 0);
	KEXPECT(file_is_eventfd(f));
	KEXPECT(file_poll(f, NULL) & POLLIN);
	KEXPECT_EQ(wr(f, 4), 8);
	uint64_t v = 0;
	KEXPECT_EQ(rd(f, &v), 8);
	KEXPECT_EQ(v, 7);
	KEXPECT_EQ(rd(f, &v), -EAGAIN);
	KEXPECT_EQ(file_poll(f, NULL) & POLLIN, 0);
	KEXPECT_EQ(f->ops->read(f, &v, 4, NULL), -EINVAL);
	KEXPECT_EQ(wr(f, UINT64_MAX), -EINVAL);
	/* The counter stops one short of ~0: a write that would reach it waits. */
	KEXPECT_EQ(wr(f, UINT64_MAX - 1), 8);
	KEXPECT_EQ(wr(f, 1), -EAGAIN);
	KEXPECT_EQ(file_poll(f, NULL) & POLLOUT, 0);
	KEXPECT_EQ(eventfd_signal(f, 1), -EAGAIN);
	KEXPECT_EQ(rd(f, &v), 8);
	KEXPECT_EQ(v, UINT64_MAX - 1);
	KEXPECT_EQ(eventfd_signal(f, 2), 0);
	KEXPECT_EQ(rd(f, &v), 8);
	KEXPECT_EQ(v, 2);
	file_put(f);
}

KTEST(eventfd_semaphore_reads_one)
{
	struct file *f;
	KASSERT(eventfd_create(2, EFD_SEMAPHORE | O_NONBLOCK, &f) == 0);
	uint64_t v = 0;
	KEXPECT_EQ(rd(f, &v), 8);
	KEXPECT_EQ(v, 1);
	KEXPECT_EQ(rd(f, &v), 8);
	KEXPECT_EQ(v, 1);
	KEXPECT_EQ(rd(f, &v), -EAGAIN);
	file_put(f);
}
