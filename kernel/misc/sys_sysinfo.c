/* sysinfo: uptime, memory from the page allocator, and the number of threads. */
#include <abi/errno.h>
#include <abi/sysinfo.h>
#include <frame/clock.h>
#include <frame/page.h>
#include <frame/string.h>
#include <frame/vm_io.h>
#include <kernel/proc.h>
#include <kernel/syscalls.h>

#define PAGE_BYTES 4096

int64_t sys_sysinfo(struct sysinfo __user *info)
{
	struct sysinfo si;
	memset(&si, 0, sizeof(si));
	/* Linux rounds uptime up to the next second. */
	uint64_t ns = clock_monotonic_ns();
	si.uptime = (int64_t)((ns + NSEC_PER_SEC - 1) / NSEC_PER_SEC);
	struct mem_stats ms;
	mem_stats(&ms);
	si.totalram = ms.total_pages * PAGE_BYTES;
	si.freeram = ms.free_pages * PAGE_BYTES;
	si.mem_unit = 1;
	unsigned threads = 0;
	proc_tree_lock();
	for (struct process *p = process_first(); p; p = process_next(p))
		threads += p->nthreads;
	proc_tree_unlock();
	si.procs = (uint16_t)(threads > 0xffff ? 0xffff : threads);
	if (copy_to_user(info, &si, sizeof(si)))
		return -EFAULT;
	return 0;
}
