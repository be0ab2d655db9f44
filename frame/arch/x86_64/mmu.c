/* x86_64 kernel address space: image with per-section rights, direct map of RAM, MMIO window. */
#include <frame/errno.h>
#include <frame/log.h>
#include <frame/panic.h>
#include <frame/vm_space.h>
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <internal/mm.h>

uint64_t x86_pte_nx_mask;
bool x86_has_1g_pages;

#define CPUID_EXT_NX (1u << 20)
#define CPUID_EXT_PDPE1GB (1u << 26)

void arch_mmu_init(void)
{
	uint32_t a, b, c, d;
	cpuid(0x80000000, 0, &a, &b, &c, &d);
	if (a < 0x80000001)
		return;
	cpuid(0x80000001, 0, &a, &b, &c, &d);
	if (d & CPUID_EXT_NX) {
		/* NX in an entry is a reserved-bit fault unless EFER.NXE is on. */
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
		x86_pte_nx_mask = X86_PTE_NX;
	}
	x86_has_1g_pages = d & CPUID_EXT_PDPE1GB;
}

/* Rights of one image page: the union over the sections it touches. */
static unsigned image_page_prot(uint64_t va)
{
	uint64_t end = va + PAGE_SIZE;
	unsigned prot = VM_READ;
	if (va < (uint64_t)__text_end && end > (uint64_t)__text_start)
		prot |= VM_EXEC;
	if (va < (uint64_t)__kernel_end && end > (uint64_t)__data_start)
		prot |= VM_WRITE;
	return prot;
}

static void map_image(struct vm_space *ks)
{
	uint64_t start = ALIGN_DOWN((uint64_t)__kernel_start, PAGE_SIZE);
	uint64_t end = ALIGN_UP((uint64_t)__kernel_end, PAGE_SIZE);
	if (!IS_ALIGNED((uint64_t)__rodata_start, PAGE_SIZE) ||
	    !IS_ALIGNED((uint64_t)__data_start, PAGE_SIZE))
		pr_warn("mm: kernel sections not page aligned, pages share rights\n");
	/* Runs of equal rights become one call, so big aligned runs get 2 MiB leaves. */
	uint64_t run = start;
	unsigned run_prot = image_page_prot(start);
	for (uint64_t va = start + PAGE_SIZE;; va += PAGE_SIZE) {
		unsigned prot = va < end ? image_page_prot(va) : 0;
		if (va < end && prot == run_prot)
			continue;
		int err = vm_space_map_phys(ks, run, virt_to_phys((void *)run), va - run, run_prot);
		if (err)
			panic("mm: cannot map the kernel image (%d)", err);
		if (va >= end)
			break;
		run = va;
		run_prot = prot;
	}
}

static void map_direct(struct vm_space *ks, paddr_t start, paddr_t end)
{
	int err = vm_space_map_phys(ks, DIRECT_MAP_BASE + start, start, end - start,
				    VM_READ | VM_WRITE);
	if (err)
		panic("mm: cannot direct-map %#lx-%#lx (%d)", (unsigned long)start,
		      (unsigned long)end, err);
}

/* Switching CR3 drops the identity map: nothing may still live there. */
static void check_no_identity_use(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) gdtr;
	__asm__ volatile("sgdt %0" : "=m"(gdtr));
	if (gdtr.base < ARCH_KERNEL_HALF_START)
		panic("mm: GDT at %#lx is in the identity map; load it from the kernel half first",
		      (unsigned long)gdtr.base);
	if ((uint64_t)__builtin_frame_address(0) < ARCH_KERNEL_HALF_START)
		panic("mm: stack in the identity map");
}

void kernel_space_init(const struct mem_region *regions, size_t count)
{
	arch_mmu_init();
	if (vm_space_kernel_init())
		panic("mm: no memory for the kernel page tables");
	struct vm_space *ks = vm_space_kernel();

	map_image(ks);
	/* All of the first 4 GiB, holes too: ACPI tables and firmware data live there. */
	map_direct(ks, 0, GiB(4));
	for (size_t i = 0; i < count; i++) {
		paddr_t s = MAX(regions[i].start, (paddr_t)GiB(4));
		if (s < regions[i].end)
			map_direct(ks, s, regions[i].end);
	}

	check_no_identity_use();
	vm_space_activate(ks);
	page_release_high_memory();
	pr_info("mm: kernel space active (NX %s, 1 GiB pages %s)\n",
		x86_pte_nx_mask ? "on" : "off", x86_has_1g_pages ? "on" : "off");
}

static uint64_t mmio_next = MMIO_MAP_BASE;

void *mmio_map(paddr_t pa, size_t len)
{
	paddr_t base = ALIGN_DOWN(pa, PAGE_SIZE);
	uint64_t size = ALIGN_UP(pa + len, PAGE_SIZE) - base;
	if (!len || pa + len < pa)
		return NULL;
	/* Big windows start 2 MiB aligned so they can use large leaves. */
	uint64_t va = size >= MiB(2) ? ALIGN_UP(mmio_next, MiB(2)) : mmio_next;
	if (va + size > MMIO_MAP_BASE + MMIO_MAP_SIZE || va + size < va)
		return NULL;
	if (vm_space_map_phys(vm_space_kernel(), va, base, size,
			      VM_READ | VM_WRITE | VM_MAP_UNCACHED))
		return NULL;
	mmio_next = va + size;
	return (void *)(va + (pa - base));
}
