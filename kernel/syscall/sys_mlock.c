/* msync, mincore and the mlock family: thin handlers over kernel/mm with Linux's privilege and RLIMIT_MEMLOCK rules. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/vm_io.h>
#include <abi/mman.h>
#include <abi/resource.h>
#include <kernel/mm.h>
#include <kernel/proc.h>
#include "syscall.h"

/* CAP_IPC_LOCK: root. */
static bool capable_ipc_lock(void)
{
	return process_current()->cred.euid == 0;
}

/* RLIMIT_MEMLOCK in bytes, or MM_RLIM_INFINITY for a caller the limit does not bind. */
static uint64_t memlock_limit(void)
{
	uint64_t cur = process_current()->rlim[RLIMIT_MEMLOCK].rlim_cur;
	return capable_ipc_lock() || cur == RLIM_INFINITY ? MM_RLIM_INFINITY : cur;
}

/* Linux's can_do_mlock(): a non-zero limit or the capability. */
static bool can_do_mlock(void)
{
	return process_current()->rlim[RLIMIT_MEMLOCK].rlim_cur != 0 || capable_ipc_lock();
}

int64_t sys_msync(const struct syscall_args *a)
{
	return mm_msync(process_current()->mm, a->a[0], a->a[1], (int)a->a[2]);
}

#define MINCORE_CHUNK 512	/* pages per step: the mm lock is dropped to copy out */

int64_t sys_mincore(const struct syscall_args *a)
{
	vaddr_t start = a->a[0];
	uint64_t len = a->a[1];
	vaddr_t uvec = a->a[2];
	if (!IS_ALIGNED(start, PAGE_SIZE))
		return -EINVAL;
	if (!user_range_ok(start, len))
		return -ENOMEM;
	uint64_t pages = (len >> PAGE_SHIFT) + ((len & (PAGE_SIZE - 1)) != 0);
	if (!user_range_ok(uvec, pages))
		return -EFAULT;
	uint8_t *buf = pages ? kmalloc(MIN(pages, (uint64_t)MINCORE_CHUNK)) : NULL;
	if (pages && !buf)
		return -ENOMEM;
	int err = 0;
	while (pages && !err) {
		size_t n = (size_t)MIN(pages, (uint64_t)MINCORE_CHUNK);
		err = mm_mincore(process_current()->mm, start, n, buf);
		if (!err && copy_to_user(user_ptr(uvec), buf, n))
			err = -EFAULT;
		start += n * PAGE_SIZE;
		uvec += n;
		pages -= n;
	}
	kfree(buf);
	return err;
}

static int64_t do_mlock(vaddr_t addr, uint64_t len, bool onfault)
{
	if (!can_do_mlock())
		return -EPERM;
	return mm_mlock(process_current()->mm, addr, len, memlock_limit(), !onfault);
}

int64_t sys_mlock(const struct syscall_args *a)
{
	return do_mlock(a->a[0], a->a[1], false);
}

int64_t sys_mlock2(const struct syscall_args *a)
{
	if (a->a[2] & ~(uint64_t)MLOCK_ONFAULT)
		return -EINVAL;
	return do_mlock(a->a[0], a->a[1], a->a[2] & MLOCK_ONFAULT);
}

int64_t sys_munlock(const struct syscall_args *a)
{
	return mm_munlock(process_current()->mm, a->a[0], a->a[1]);
}

int64_t sys_mlockall(const struct syscall_args *a)
{
	uint64_t flags = a->a[0];
	if (!flags || (flags & ~(uint64_t)(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) ||
	    flags == MCL_ONFAULT)
		return -EINVAL;
	if (!can_do_mlock())
		return -EPERM;
	return mm_mlockall(process_current()->mm, (unsigned)flags, memlock_limit());
}

int64_t sys_munlockall(const struct syscall_args *a)
{
	(void)a;
	return mm_munlockall(process_current()->mm);
}
