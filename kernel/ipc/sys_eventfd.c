/* eventfd and eventfd2: a new eventfd counter (eventfd.c) on a descriptor. */
#include <frame/errno.h>
#include <abi/eventfd.h>
#include <kernel/eventfd.h>
#include <kernel/syscalls.h>
#include "fd_user.h"

static int64_t do_eventfd(uint64_t count, uint64_t flags)
{
	if (flags & ~(uint64_t)(EFD_SEMAPHORE | EFD_CLOEXEC | EFD_NONBLOCK))
		return -EINVAL;
	struct file *f;
	int err = eventfd_create((uint32_t)count, (int)flags, &f);
	if (err)
		return err;
	return fdu_install_new(f, flags & EFD_CLOEXEC);
}

int64_t sys_eventfd(uint64_t count)
{
	return do_eventfd(count, 0);
}

int64_t sys_eventfd2(uint64_t count, uint32_t flags)
{
	return do_eventfd(count, flags);
}
