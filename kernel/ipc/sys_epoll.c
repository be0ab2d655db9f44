/* epoll system calls: epoll_create/create1, epoll_ctl, epoll_wait/pwait/pwait2 with Linux's argument checks and temporary signal masks. */
#include <frame/clock.h>
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/wait.h>
#include <frame/vm_io.h>
#include <abi/time.h>
#include <kernel/epoll.h>
#include <kernel/ktime.h>
#include <kernel/proc.h>
#include <kernel/signal.h>
#include <kernel/syscalls.h>
#include "fd_user.h"

/* Linux's EP_MAX_EVENTS: INT_MAX / sizeof(struct epoll_event). */
#define EP_MAX_EVENTS (0x7fffffff / (int)sizeof(struct epoll_event))
/* Events gathered per wait at most (more stay for the next call, as level-triggered entries do). */
#define EP_BATCH 1024

static int64_t do_create(uint32_t flags)
{
	if (flags & ~(uint32_t)EPOLL_CLOEXEC)
		return -EINVAL;
	struct file *f;
	int err = epoll_create_file(0, &f);
	if (err)
		return err;
	return fdu_install_new(f, flags & EPOLL_CLOEXEC);
}

int64_t sys_epoll_create(int size)
{
	if (size <= 0)
		return -EINVAL;
	return do_create(0);
}

int64_t sys_epoll_create1(uint32_t flags)
{
	return do_create(flags);
}

int64_t sys_epoll_ctl(int epfd, int op, int fd, const struct epoll_event __user *event)
{
	struct epoll_event ev = { 0, 0 };
	if (op != EPOLL_CTL_DEL && copy_from_user(&ev, event, sizeof(ev)))
		return -EFAULT;
	struct file *ep = fdu_get(epfd);
	if (!ep)
		return -EBADF;
	struct file *tf = fdu_get(fd);
	int err;
	if (!tf)
		err = -EBADF;
	else if (!tf->ops || !tf->ops->poll)
		err = -EPERM;
	else if (!file_is_epoll(ep) || ep == tf)
		err = -EINVAL;
	else
		err = epoll_ctl_file(ep, op, fd, tf, &ev);
	if (tf)
		file_put(tf);
	file_put(ep);
	return err;
}

/* The temporary mask of epoll_pwait/pwait2, as ppoll's (restored after delivery when interrupted). */
static int mask_begin(const kernel_sigset_t __user *umask, uint64_t size)
{
	if (!umask)
		return 0;
	if (size != sizeof(kernel_sigset_t))
		return -EINVAL;
	uint64_t m;
	if (get_user_u64(&m, umask))
		return -EFAULT;
	struct thread *t = thread_current();
	t->sig.saved_mask = t->sig.blocked;
	t->sig.restore_mask = true;
	signal_set_blocked(t, m);
	return 0;
}

static void mask_end(const kernel_sigset_t __user *umask, int64_t ret)
{
	if (!umask || ret == -EINTR)
		return;
	struct thread *t = thread_current();
	if (t->sig.restore_mask) {
		t->sig.restore_mask = false;
		signal_set_blocked(t, t->sig.saved_mask);
	}
}

static int64_t do_wait(int epfd, struct epoll_event __user *uevents, int max, uint64_t deadline,
		       bool no_wait, const kernel_sigset_t __user *umask, uint64_t masksize)
{
	if (max <= 0 || max > EP_MAX_EVENTS)
		return -EINVAL;
	if (!user_range_ok(user_addr(uevents), (size_t)max * sizeof(struct epoll_event)))
		return -EFAULT;
	struct file *ep = fdu_get(epfd);
	if (!ep)
		return -EBADF;
	if (!file_is_epoll(ep)) {
		file_put(ep);
		return -EINVAL;
	}
	int n = max < EP_BATCH ? max : EP_BATCH;
	struct epoll_event *out = kmalloc(sizeof(*out) * (size_t)n);
	int64_t ret = out ? mask_begin(umask, masksize) : -ENOMEM;
	if (!ret) {
		ret = epoll_wait_file(ep, out, n, deadline, no_wait);
		if (ret > 0 && copy_to_user(uevents, out, sizeof(*out) * (size_t)ret))
			ret = -EFAULT;
		mask_end(umask, ret);
	}
	kfree(out);
	file_put(ep);
	return ret;
}

/* A timeout in milliseconds: negative waits for ever. */
static void ms_deadline(int ms, uint64_t *deadline, bool *no_wait)
{
	*no_wait = ms == 0;
	*deadline = ms > 0 ? wait_deadline_after((uint64_t)ms * NSEC_PER_MSEC) : 0;
}

int64_t sys_epoll_wait(int epfd, struct epoll_event __user *events, int maxevents, int timeout_ms)
{
	uint64_t d;
	bool nw;
	ms_deadline(timeout_ms, &d, &nw);
	return do_wait(epfd, events, maxevents, d, nw, NULL, 0);
}

int64_t sys_epoll_pwait(int epfd, struct epoll_event __user *events, int maxevents, int timeout_ms, const kernel_sigset_t __user *sigmask, size_t sigsetsize)
{
	uint64_t d;
	bool nw;
	ms_deadline(timeout_ms, &d, &nw);
	return do_wait(epfd, events, maxevents, d, nw, sigmask, sigsetsize);
}

int64_t sys_epoll_pwait2(int epfd, struct epoll_event __user *events, int maxevents, const struct timespec __user *timeout, const kernel_sigset_t __user *sigmask, size_t sigsetsize)
{
	uint64_t d = 0;
	bool nw = false;
	if (timeout) {
		struct timespec ts;
		int err = timespec_from_user(timeout, &ts);
		if (err)
			return err;
		uint64_t ns = timespec_to_ns(&ts);
		nw = ns == 0;
		d = ns ? wait_deadline_after(ns) : 0;
	}
	return do_wait(epfd, events, maxevents, d, nw, sigmask, sigsetsize);
}
