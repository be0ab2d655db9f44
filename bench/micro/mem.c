/* Memory-management costs: first touch of fresh anonymous pages, mmap+munmap of 1 MiB. */
#include "bench.h"

#include <sys/mman.h>
#include <unistd.h>

#define MIB (1024 * 1024)
#define PAGE 4096

/*
 * One iteration is one page faulted in; pages come from 1 MiB regions mapped
 * and unmapped around them, so the figure carries 1/256 of an mmap+munmap.
 */
static int fault_loop(void *state, long iters)
{
	(void)state;
	long done = 0;
	while (done < iters) {
		char *p = mmap(NULL, MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return bench_fail("page_fault", "mmap");
		for (long off = 0; off < MIB && done < iters; off += PAGE, done++)
			p[off] = 1;
		if (munmap(p, MIB))
			return bench_fail("page_fault", "munmap");
	}
	return 0;
}
BENCH_CASE(fault_case, .name = "page_fault",
	   .what = "first write to a fresh anonymous page (per page)", .kind = BENCH_LATENCY,
	   .loop = fault_loop)

static int mmap_loop(void *state, long iters)
{
	(void)state;
	for (long i = 0; i < iters; i++) {
		void *p = mmap(NULL, MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return bench_fail("mmap_munmap", "mmap");
		if (munmap(p, MIB))
			return bench_fail("mmap_munmap", "munmap");
	}
	return 0;
}
BENCH_CASE(mmap_case, .name = "mmap_munmap", .what = "mmap()+munmap() of 1 MiB anonymous, untouched",
	   .kind = BENCH_LATENCY, .loop = mmap_loop)
