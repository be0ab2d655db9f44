/*
 * epoll instances, built as Linux's: each entry (file, descriptor) puts a
 * wake callback on every wait queue its file's poll op registers; a wake
 * queues the entry on the instance's ready list, and epoll_wait polls the
 * entries on that list only. Level-triggered entries stay on the list while
 * they report, edge-triggered ones report once per wake, one-shot ones once
 * until EPOLL_CTL_MOD. An entry lives until EPOLL_CTL_DEL or until its file's
 * last reference goes (not when one descriptor of it is closed), as on Linux.
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
 * EPOLLEXCLUSIVE use), -ELOOP (nested epoll files in a loop or deeper than
 * four). @ev is ignored for EPOLL_CTL_DEL.
 */
int epoll_ctl_file(struct file *ep, int op, int fd, struct file *tf, const struct epoll_event *ev);

/*
 * Wait for events on @ep: up to @max events into @out; the count, 0 at
 * @deadline_ns (0: none) or at once with @no_wait, -EINTR on a signal.
 */
int epoll_wait_file(struct file *ep, struct epoll_event *out, int max, uint64_t deadline_ns,
		    bool no_wait);

/* The file layer, when @f's last reference goes (before its release op): drop its entries. */
void epoll_file_release(struct file *f);

#endif
