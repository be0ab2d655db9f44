/* x86_64 page-table entry format (4-level, NX, huge leaves) and MMU control for the frame's page-table code. */
#ifndef ARCH_MMU_H_FORMAT
#define ARCH_MMU_H_FORMAT

/*
 * The first half of this header is pure C (the entry format) and is shared
 * with the hosted frame, which walks the same format in fake physical memory.
 * Define ARCH_MMU_FORMAT_ONLY to get only that half.
 */
#include <frame/types.h>
#include <frame/vm_space.h>

typedef uint64_t pte_t;

/* Levels are numbered 1 (page table, 4 KiB leaves) up to ARCH_PT_LEVELS (root). */
#define ARCH_PT_LEVELS 4
#define ARCH_PT_ENTRIES 512
/* Root slots at and above this index map the kernel half, shared by every space. */
#define ARCH_PT_KERNEL_FIRST_SLOT 256
/* First address of the kernel half (the upper canonical half). */
#define ARCH_KERNEL_HALF_START 0xffff800000000000ULL

#define X86_PTE_P (1ULL << 0)
#define X86_PTE_RW (1ULL << 1)
#define X86_PTE_US (1ULL << 2)
#define X86_PTE_PWT (1ULL << 3)
#define X86_PTE_PCD (1ULL << 4)
#define X86_PTE_A (1ULL << 5)
#define X86_PTE_D (1ULL << 6)
#define X86_PTE_PS (1ULL << 7)
#define X86_PTE_G (1ULL << 8)
/* Bit 9 is ignored by the MMU: the frame marks leaves that hold a page reference. */
#define X86_PTE_MANAGED (1ULL << 9)
#define X86_PTE_NX (1ULL << 63)
#define X86_PTE_ADDR 0x000ffffffffff000ULL

/* Leaf attributes besides protection. */
#define ARCH_PTE_MANAGED 0x1u /* leaf holds a reference on a struct page */
#define ARCH_PTE_UNCACHED 0x2u /* device memory: PCD|PWT */
#define ARCH_PTE_GLOBAL 0x4u /* kernel half: survives CR3 switches */

/*
 * Set once by the arch MMU init: NX is only legal when EFER.NXE is on, and
 * 1 GiB leaves only when the CPU has pdpe1gb.
 */
extern uint64_t x86_pte_nx_mask;
extern bool x86_has_1g_pages;

static inline unsigned arch_pt_shift(int level)
{
	return PAGE_SHIFT + 9u * (unsigned)(level - 1);
}

static inline uint64_t arch_pt_level_size(int level)
{
	return 1ULL << arch_pt_shift(level);
}

static inline unsigned arch_pt_index(vaddr_t va, int level)
{
	return (unsigned)(va >> arch_pt_shift(level)) & (ARCH_PT_ENTRIES - 1);
}

/* 48-bit canonical: bits 63..47 all equal. */
static inline bool arch_va_canonical(vaddr_t va)
{
	uint64_t top = va >> 47;
	return top == 0 || top == 0x1ffff;
}

/* Can a leaf (huge page) live at @level? */
static inline bool arch_pt_leaf_level_ok(int level)
{
	return level == 1 || level == 2 || (level == 3 && x86_has_1g_pages);
}

static inline bool arch_pte_present(pte_t e)
{
	return e & X86_PTE_P;
}

static inline bool arch_pte_is_leaf(pte_t e, int level)
{
	return level == 1 || (e & X86_PTE_PS);
}

static inline paddr_t arch_pte_paddr(pte_t e, int level)
{
	/* In huge leaves bit 12 is PAT, so mask by the leaf's own alignment. */
	return (e & X86_PTE_ADDR) & ~(arch_pt_level_size(level) - 1);
}

/* Intermediate entries grant everything; the leaf decides. */
static inline pte_t arch_pte_table(paddr_t table)
{
	return (table & X86_PTE_ADDR) | X86_PTE_P | X86_PTE_RW | X86_PTE_US;
}

static inline pte_t arch_pte_leaf(paddr_t pa, int level, unsigned prot, unsigned attr)
{
	pte_t e = (pa & X86_PTE_ADDR) | X86_PTE_P | X86_PTE_A;
	if (prot & VM_WRITE)
		e |= X86_PTE_RW | X86_PTE_D;
	if (prot & VM_USER)
		e |= X86_PTE_US;
	if (!(prot & VM_EXEC))
		e |= x86_pte_nx_mask;
	if (level > 1)
		e |= X86_PTE_PS;
	if (attr & ARCH_PTE_MANAGED)
		e |= X86_PTE_MANAGED;
	if (attr & ARCH_PTE_UNCACHED)
		e |= X86_PTE_PCD | X86_PTE_PWT;
	if (attr & ARCH_PTE_GLOBAL)
		e |= X86_PTE_G;
	return e;
}

/* Every present x86 mapping is readable, so VM_READ is always reported. */
static inline unsigned arch_pte_prot(pte_t e)
{
	unsigned prot = VM_READ;
	if (e & X86_PTE_RW)
		prot |= VM_WRITE;
	if (e & X86_PTE_US)
		prot |= VM_USER;
	if (!(e & X86_PTE_NX))
		prot |= VM_EXEC;
	return prot;
}

static inline unsigned arch_pte_attr(pte_t e)
{
	unsigned attr = 0;
	if (e & X86_PTE_MANAGED)
		attr |= ARCH_PTE_MANAGED;
	if (e & X86_PTE_PCD)
		attr |= ARCH_PTE_UNCACHED;
	if (e & X86_PTE_G)
		attr |= ARCH_PTE_GLOBAL;
	return attr;
}

#endif /* ARCH_MMU_H_FORMAT */

#if !defined(ARCH_MMU_FORMAT_ONLY) && !defined(ARCH_MMU_H_OPS)
#define ARCH_MMU_H_OPS

#include <arch/cpu.h>

/* The boot page tables map physical 0..4 GiB at DIRECT_MAP_BASE; nothing above. */
#define ARCH_BOOT_DIRECT_MAP_END GiB(4)

/* Detect NX / 1 GiB pages and turn on EFER.NXE; before any leaf is built. */
void arch_mmu_init(void);

static inline void arch_tlb_flush_page(vaddr_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

/* Global entries survive a CR3 reload, so toggle CR4.PGE when it is on. */
static inline void arch_tlb_flush_all(void)
{
	uint64_t cr4 = read_cr4();
	if (cr4 & CR4_PGE) {
		write_cr4(cr4 & ~CR4_PGE);
		write_cr4(cr4);
	} else {
		write_cr3(read_cr3());
	}
}

static inline void arch_activate_page_table(paddr_t root)
{
	write_cr3(root);
}

static inline paddr_t arch_current_page_table(void)
{
	return read_cr3() & X86_PTE_ADDR;
}

#endif /* ARCH_MMU_H_OPS */
