/* Hosted frame memory layout: "physical" addresses are offsets into one mmap'd arena. */
#ifndef ARCH_LAYOUT_H
#define ARCH_LAYOUT_H

/* The same virtual layout as x86_64, so page-table code sees real addresses. */
#define KERNEL_PHYS_BASE 0x100000UL
#define KERNEL_VIRT_BASE 0xffffffff80000000UL
#define DIRECT_MAP_BASE 0xffff800000000000UL
#define DIRECT_MAP_SIZE 0x0000400000000000UL
#define MMIO_MAP_BASE 0xffffc00000000000UL
#define MMIO_MAP_SIZE 0x0000008000000000UL
#define USER_SPACE_END 0x0000800000000000UL

#include <frame/types.h>

/* Base of the fake physical memory (frame/host/mem.c); physical 0 is its first byte. */
extern char *host_phys_base;
/* Bytes of address space the arena spans, holes included. */
extern uint64_t host_phys_size;

static inline void *arch_phys_to_virt(paddr_t pa)
{
	return host_phys_base + pa;
}

static inline paddr_t arch_virt_to_phys(const void *va)
{
	return (paddr_t)((const char *)va - host_phys_base);
}

#endif
