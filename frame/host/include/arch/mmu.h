/* Hosted frame MMU: the x86_64 entry format walked in fake memory, TLB operations counted only. */
#ifndef HOST_ARCH_MMU_H
#define HOST_ARCH_MMU_H

#define ARCH_MMU_FORMAT_ONLY
#include <arch/x86_64/include/arch/mmu.h>

/* The hosted "boot map" reaches 4 GiB too, so the late release path is exercised. */
#define ARCH_BOOT_DIRECT_MAP_END GiB(4)

/* Nothing caches translations of fake memory; counters let tests see the calls. */
extern uint64_t host_tlb_flush_pages, host_tlb_flush_alls;
extern paddr_t host_active_root;

static inline void arch_tlb_flush_page(vaddr_t va)
{
	(void)va;
	host_tlb_flush_pages++;
}

static inline void arch_tlb_flush_all(void)
{
	host_tlb_flush_alls++;
}

static inline void arch_activate_page_table(paddr_t root)
{
	host_active_root = root;
}

static inline paddr_t arch_current_page_table(void)
{
	return host_active_root;
}

#endif
