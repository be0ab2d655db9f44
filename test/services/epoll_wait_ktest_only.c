/* kernel/ipc epoll in the test kernel: level and edge triggering, one-shot, control errors, closed descriptors leaving, timeouts. */
#include <frame/clock.h>
#include <frame/errno.h>
#include <frame/ktest.h>
#include <abi/fcntl.h>
#include <kernel/epoll.h>
#include <kernel/eventfd.h>
#include <kernel/fdtable.h>

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
	struct fdtable *t = fdtable_create();
	struct file *ep, *lt, *et, *os;
	KASSERT(t && epoll_create_file(0, &ep) == 0);
	KASSERT(eventfd_create(0, O_NONBLOCK, &lt) == 0);
	KASSERT(eventfd_create(0, O_NONBLOCK, &et) == 0);
	KASSERT(eventfd_create(0, O_NONBLOCK, &os) == 0);
	int flt = fd_install(t, lt, 0, 64, false), fet = fd_install(t, et, 0, 64, false);
	int fos = fd_install(t, os, 0, 64, false);
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
	KEXPECT_EQ(epoll_wait_file(ep, t, out, 4, 0, true), 0);
	bump(lt, 1);
	bump(et, 1);
	bump(os, 1);
	KEXPECT_EQ(epoll_wait_file(ep, t, out, 4, 0, true), 3);
	/* Level-triggered reports again; edge and one-shot do not. */
	KEXPECT_EQ(epoll_wait_file(ep, t, out, 4, 0, true), 1);
	KEXPECT_EQ(out[0].data, 1);
	KEXPECT_EQ(out[0].events, EPOLLIN);
	/* An edge re-arms once a wait has seen readiness fall. */
	drain(et);
	drain(lt);
	KEXPECT_EQ(epoll_wait_file(ep, t, out, 4, 0, true), 0);
	bump(et, 1);
	KEXPECT_EQ(epoll_wait_file(ep, t, out, 4, 0, true), 1);
	KEXPECT_EQ(out[0].data, 2);
	/* MOD re-enables the one-shot entry. */
	ev = (struct epoll_event){ EPOLLIN | EPOLLONESHOT, 4 };
	KEXPECT_EQ(epoll_ctl_file(ep, EPOLL_CTL_MOD, fos, os, &ev), 0);
	KEXPECT_EQ(epoll_wait_file(ep, t, out, 4, 0, true), 1);
	KEXPECT_EQ(out[0].data, 4);
	/* Closing a descriptor removes its entry. */
	KEXPECT_EQ(fd_close(t, fos), 0);
	ev = (struct epoll_event){ EPOLLIN, 5 };
	KEXPECT_EQ(epoll_ctl_file(ep, EPOLL_CTL_DEL, flt, lt, NULL), 0);
	KEXPECT_EQ(epoll_ctl_file(ep, EPOLL_CTL_DEL, flt, lt, NULL), -ENOENT);
	KEXPECT_EQ(epoll_ctl_file(ep, EPOLL_CTL_MOD, flt, lt, &ev), -ENOENT);
	/* Only the edge entry is left, and it has no new edge: a short wait times out. */
	uint64_t t0 = clock_monotonic_ns();
	KEXPECT_EQ(epoll_wait_file(ep, t, out, 4, t0 + 20 * NSEC_PER_MSEC, false), 0);
	KEXPECT(clock_monotonic_ns() - t0 >= 20 * NSEC_PER_MSEC);
	file_put(lt);
	file_put(et);
	file_put(os);
	file_put(ep);
	fdtable_put(t);
}
