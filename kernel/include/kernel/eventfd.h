/*
 * Event descriptors: eventfd (a 64-bit counter), signalfd (pending signals
 * read as records), timerfd (timer expirations counted). Each is a file
 * (kernel/file.h) with read, write where it applies, and poll.
 */
#ifndef KERNEL_EVENTFD_H
#define KERNEL_EVENTFD_H

#include <frame/types.h>
#include <kernel/file.h>

/* eventfd2(): a counter starting at @count; @flags EFD_SEMAPHORE, EFD_NONBLOCK (checked by the caller). */
int eventfd_create(uint64_t count, int flags, struct file **out);
bool file_is_eventfd(const struct file *f);
/* Add @n to the counter as write(2) would without blocking: 0, -EAGAIN on overflow, -EINVAL for ~0. */
int eventfd_signal(struct file *f, uint64_t n);

bool file_is_signalfd(const struct file *f);
bool file_is_timerfd(const struct file *f);

#endif
