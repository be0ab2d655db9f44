/* Hosted frame memory: a sparse mmap'd arena as physical RAM, with holes, handed to mm. */
#include <sys/mman.h>
#include <stdio.h>
#include <stdlib.h>

#include <frame/log.h>
#include <frame/panic.h>
#include <frame/vm_space.h>
#include <arch/mmu.h>
#include <internal/mm.h>

#include "host.h"

char *host_phys_base;
uint64_t host_phys_size;
uint64_t x86_pte_nx_mask = X86_PTE_NX;
bool x86_has_1g_pages = true;
uint64_t host_tlb_flush_pages, host_tlb_flush_alls;
paddr_t host_active_root;

/*
 * Like a PC: low memory, a hole, an oddly bounded region below 4 GiB and RAM
 * above 4 GiB that only becomes usable after kernel_space_init().
 */
static const struct mem_region host_regions[] = {
	{ 0x100000, 0x100000 + MiB(24) },
	{ MiB(32) + 0x3000, MiB(48) - 0x2000 },
	{ GiB(4), GiB(4) + MiB(40) },
};

const struct mem_region *host_mem_regions(size_t *count)
{
	*count = ARRAY_SIZE(host_regions);
	return host_regions;
}

void kernel_space_init(const struct mem_region *regions, size_t count)
{
	if (vm_space_kernel_init())
		panic("host: no memory for the kernel page tables");
	struct vm_space *ks = vm_space_kernel();
	/* Same direct map as the real kernel, so its queries behave alike. */
	if (vm_space_map_phys(ks, DIRECT_MAP_BASE, 0, GiB(4), VM_READ | VM_WRITE))
		panic("host: direct map");
	for (size_t i = 0; i < count; i++) {
		paddr_t s = MAX(regions[i].start, (paddr_t)GiB(4));
		if (s < regions[i].end &&
		    vm_space_map_phys(ks, DIRECT_MAP_BASE + s, s, regions[i].end - s,
				      VM_READ | VM_WRITE))
			panic("host: direct map");
	}
	vm_space_activate(ks);
	page_release_high_memory();
}

void host_mem_init(void)
{
	size_t count;
	const struct mem_region *r = host_mem_regions(&count);
	host_phys_size = r[count - 1].end;
	/* Untouched holes cost nothing: the mapping reserves no memory. */
	void *p = mmap(NULL, host_phys_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		perror("host: mmap of fake physical memory");
		exit(2);
	}
	host_phys_base = p;
	mm_init(r, count);
	kernel_space_init(r, count);
}
