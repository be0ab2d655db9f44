/* kernel/ipc epoll in the test kernel: level and edge triggering (every wake a new edge), one-shot, nesting, control errors, released files leaving, timeouts. */
#include <frame/clock.h>
#include <frame/errno.h>
#include <frame/ktest.h>
#include <abi/fcntl.h>
#include <kernel/epoll.h>
#include <kernel/eventfd.h>

static void bump(struct file *ev, uint64_t n)
{
	eventfd_signal(ev, n);
}

static void drain(struct file *ev)
{
	uint64_t v;
	ev->ops->read(ev, &v, sizeof(v), NULL);
}

KTEST(epoll_level_edge_oneshot)
{
	struct file *ep, *lt, *et, *os, *gone;
	KASSERT(epoll_create_file(0, &ep) == 0);
	KASSERT(eventfd_create(0, O_NONBLOCK, &lt) == 0);
	KASSERT(eventfd_create(0, O_NONBLOCK, &et) == 0);
	KASSERT(eventfd_create(0, O_NONBLOCK, &os) == 0);
	KASSERT(eventfd_create(0, O_NONBLOCK, &gone) == 0);
	int flt = 3, fet = 4, fos = 5, fgone = 6;
	struct epoll_event ev = { EPOLLIN, 1 };
	KEXPECT_EQ(epoll_ctl_file(ep, EPOLL_CTL_ADD, flt, lt, &ev), 0);
	KEXPECT_EQ(epoll_ctl_file(ep, EPOLL_CTL_ADD, flt, lt, &ev), -EEXIST);
	ev = (struct epoll_event){ EPOLLIN | EPOLLET, 2 };
	KEXPECT_EQ(epoll_ctl_file(ep, EPOLL_CTL_ADD, fet, et, &ev), 0);
	ev = (struct epoll_event){ EPOLLIN | EPOLLONESHOT, 3 };
	KEXPECT_EQ(epoll_ctl_file(ep, EPOLL_CTL_ADD, fos, os, &ev), 0);
	KEXPECT_EQ(epoll_ctl_file(ep, EPOLL_CTL_ADD, 99, ep, &ev), -EINVAL);
	ev = (struct epoll_event){ EPOLLIN | EPOLLEXCLUSIVE, 3 };
	KEXPECT_EQ(epoll_ctl_file(ep, EPOLL_CTL_MOD, fos, os, &ev), -EINVAL);
	struct epoll_event out[4];
	KEXPECT_EQ(epoll_wait_file(ep, out, 4, 0, true), 0);
	bump(lt, 1);
	bump(et, 1);
	bump(os, 1);
	KEXPECT_EQ(epoll_wait_file(ep, out, 4, 0, true), 3);
	/* Level-triggered reports again; edge and one-shot do not. */
	KEXPECT_EQ(epoll_wait_file(ep, out, 4, 0, true), 1);
	KEXPECT_EQ(out[0].data, 1);
	KEXPECT_EQ(out[0].events, EPOLLIN);
	/* Every wake is a new edge, even while the file stays readable. */
	bump(et, 1);
	KEXPECT_EQ(epoll_wait_file(ep, out, 4, 0, true), 2);
	KEXPECT_EQ(epoll_wait_file(ep, out, 4, 0, true), 1);
	KEXPECT_EQ(out[0].data, 1);
	drain(et);
	drain(lt);
	KEXPECT_EQ(epoll_wait_file(ep, out, 4, 0, true), 0);
	bump(et, 1);
	KEXPECT_EQ(epoll_wait_file(ep, out, 4, 0, true), 1);
	KEXPECT_EQ(out[0].data, 2);
	/* MOD re-enables the one-shot entry. */
	ev = (struct epoll_event){ EPOLLIN | EPOLLONESHOT, 4 };
	KEXPECT_EQ(epoll_ctl_file(ep, EPOLL_CTL_MOD, fos, os, &ev), 0);
	KEXPECT_EQ(epoll_wait_file(ep, out, 4, 0, true), 1);
	KEXPECT_EQ(out[0].data, 4);
	/* A file's last reference removes its entry (its queues are freed with it). */
	ev = (struct epoll_event){ EPOLLIN, 6 };
	KEXPECT_EQ(epoll_ctl_file(ep, EPOLL_CTL_ADD, fgone, gone, &ev), 0);
	bump(gone, 1);
	file_put(gone);
	KEXPECT_EQ(epoll_wait_file(ep, out, 4, 0, true), 0);
	ev = (struct epoll_event){ EPOLLIN, 5 };
	KEXPECT_EQ(epoll_ctl_file(ep, EPOLL_CTL_DEL, flt, lt, NULL), 0);
	KEXPECT_EQ(epoll_ctl_file(ep, EPOLL_CTL_DEL, flt, lt, NULL), -ENOENT);
	KEXPECT_EQ(epoll_ctl_file(ep, EPOLL_CTL_MOD, flt, lt, &ev), -ENOENT);
	/* Only the edge entry is left, and it has no new edge: a short wait times out. */
	uint64_t t0 = clock_monotonic_ns();
	KEXPECT_EQ(epoll_wait_file(ep, out, 4, t0 + 20 * NSEC_PER_MSEC, false), 0);
	KEXPECT(clock_monotonic_ns() - t0 >= 20 * NSEC_PER_MSEC);
	file_put(lt);
	file_put(et);
	file_put(os);
	file_put(ep);
}

KTEST(epoll_nested)
{
	struct file *outer, *inner, *ev;
	KASSERT(epoll_create_file(0, &outer) == 0);
	KASSERT(epoll_create_file(0, &inner) == 0);
	KASSERT(eventfd_create(0, O_NONBLOCK, &ev) == 0);
	struct epoll_event e = { EPOLLIN, 1 };
	KEXPECT_EQ(epoll_ctl_file(inner, EPOLL_CTL_ADD, 3, ev, &e), 0);
	e = (struct epoll_event){ EPOLLIN | EPOLLET, 2 };
	KEXPECT_EQ(epoll_ctl_file(outer, EPOLL_CTL_ADD, 4, inner, &e), 0);
	/* No loops. */
	KEXPECT_EQ(epoll_ctl_file(inner, EPOLL_CTL_ADD, 5, outer, &e), -ELOOP);
	struct epoll_event out[2];
	KEXPECT_EQ(epoll_wait_file(outer, out, 2, 0, true), 0);
	/* The inner instance's wake reaches the outer one through its callback. */
	bump(ev, 1);
	KEXPECT_EQ(epoll_wait_file(outer, out, 2, 0, true), 1);
	KEXPECT_EQ(out[0].data, 2);
	KEXPECT_EQ(out[0].events, EPOLLIN);
	KEXPECT_EQ(epoll_wait_file(outer, out, 2, 0, true), 0);
	KEXPECT_EQ(epoll_wait_file(inner, out, 2, 0, true), 1);
	drain(ev);
	KEXPECT_EQ(epoll_wait_file(inner, out, 2, 0, true), 0);
	/* Closing the inner instance first leaves the outer one empty and sound. */
	file_put(inner);
	bump(ev, 1);
	KEXPECT_EQ(epoll_wait_file(outer, out, 2, 0, true), 0);
	file_put(ev);
	file_put(outer);
}
