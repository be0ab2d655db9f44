/* msync, mincore and the mlock family: thin handlers over kernel/mm with Linux's privilege and RLIMIT_MEMLOCK rules. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/vm_io.h>
#include <abi/mman.h>
#include <abi/resource.h>
#include <kernel/mm.h>
#include <kernel/proc.h>
#include <kernel/syscalls.h>

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

int64_t sys_msync(vaddr_t addr, size_t len, int flags)
{
	return mm_msync(process_current()->mm, addr, len, flags);
}

#define MINCORE_CHUNK 512	/* pages per step: the mm lock is dropped to copy out */

int64_t sys_mincore(vaddr_t addr, size_t len, uint8_t __user *vec)
{
	vaddr_t start = addr;
	if (!IS_ALIGNED(start, PAGE_SIZE))
		return -EINVAL;
	if (!user_range_ok(start, len))
		return -ENOMEM;
	uint64_t pages = (len >> PAGE_SHIFT) + ((len & (PAGE_SIZE - 1)) != 0);
	if (!user_range_ok(user_addr(vec), pages))
		return -EFAULT;
	uint8_t *buf = pages ? kmalloc(MIN(pages, (uint64_t)MINCORE_CHUNK)) : NULL;
	if (pages && !buf)
		return -ENOMEM;
	int err = 0;
	while (pages && !err) {
		size_t n = (size_t)MIN(pages, (uint64_t)MINCORE_CHUNK);
		err = mm_mincore(process_current()->mm, start, n, buf);
		if (!err && copy_to_user(vec, buf, n))
			err = -EFAULT;
		start += n * PAGE_SIZE;
		vec += n;
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

int64_t sys_mlock(vaddr_t addr, size_t len)
{
	return do_mlock(addr, len, false);
}

int64_t sys_mlock2(vaddr_t addr, size_t len, uint64_t flags)
{
	if (flags & ~(uint64_t)MLOCK_ONFAULT)
		return -EINVAL;
	return do_mlock(addr, len, flags & MLOCK_ONFAULT);
}

int64_t sys_munlock(vaddr_t addr, size_t len)
{
	return mm_munlock(process_current()->mm, addr, len);
}

int64_t sys_mlockall(uint64_t flags)
{
	if (!flags || (flags & ~(uint64_t)(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) ||
	    flags == MCL_ONFAULT)
		return -EINVAL;
	if (!can_do_mlock())
		return -EPERM;
	return mm_mlockall(process_current()->mm, (unsigned)flags, memlock_limit());
}

int64_t sys_munlockall(void)
{
	return mm_munlockall(process_current()->mm);
}
