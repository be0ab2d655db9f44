/*
 * epoll instances: interest lists of (descriptor, file) pairs polled
 * through the files' poll ops (kernel/poll.h), level- or edge-triggered,
 * with EPOLLONESHOT. An entry names its descriptor in the fd table of
 * whoever waits; it goes away when that descriptor no longer holds the
 * file (Linux drops it when the file's last reference goes, which the
 * file layer does not report to us).
 */
#ifndef KERNEL_EPOLL_H
#define KERNEL_EPOLL_H

#include <abi/eventpoll.h>
#include <frame/types.h>
#include <kernel/fdtable.h>
#include <kernel/file.h>

int epoll_create_file(uint32_t flags, struct file **out);
bool file_is_epoll(const struct file *f);

/*
 * epoll_ctl on @ep (an epoll file) for @tf, the file at @fd: 0, -EEXIST,
 * -ENOENT, -EPERM (a file without poll), -EINVAL (itself, bad
 * EPOLLEXCLUSIVE use). @ev is ignored for EPOLL_CTL_DEL.
 */
int epoll_ctl_file(struct file *ep, int op, int fd, struct file *tf, const struct epoll_event *ev);

/*
 * Wait for events on @ep with the descriptors of @fds: up to @max events
 * into @out; the count, 0 at @deadline_ns (0: none) or at once with
 * @no_wait, -EINTR on a signal.
 */
int epoll_wait_file(struct file *ep, struct fdtable *fds, struct epoll_event *out, int max,
		    uint64_t deadline_ns, bool no_wait);

#endif
