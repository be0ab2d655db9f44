/* x86_64 virtual memory layout: where the frame puts the kernel and the direct map. */
#ifndef ARCH_LAYOUT_H
#define ARCH_LAYOUT_H

/* Physical address the kernel image is loaded at (by QEMU's PVH loader or GRUB). */
#define KERNEL_PHYS_BASE 0x100000UL
/* The kernel image is linked at -2 GiB so -mcmodel=kernel addressing works. */
#define KERNEL_VIRT_BASE 0xffffffff80000000UL
/* All of physical memory is mapped here (PML4 slot 256 onwards, up to 64 TiB). */
#define DIRECT_MAP_BASE 0xffff800000000000UL
#define DIRECT_MAP_SIZE 0x0000400000000000UL
/* Device memory (MMIO) windows are mapped, uncached, from here. */
#define MMIO_MAP_BASE 0xffffc00000000000UL
#define MMIO_MAP_SIZE 0x0000008000000000UL
/* Kernel task stacks, each above an unmapped guard gap (frame/task/stack.c). */
#define KSTACK_AREA_BASE 0xffffc10000000000UL
#define KSTACK_AREA_SIZE 0x0000000040000000UL
/* User space: the canonical lower half. */
#define USER_SPACE_END 0x0000800000000000UL

#ifndef __ASSEMBLER__
#include <frame/types.h>

static inline void *arch_phys_to_virt(paddr_t pa)
{
	return (void *)(DIRECT_MAP_BASE + pa);
}

/* Valid for direct-map and kernel-image addresses only. */
static inline paddr_t arch_virt_to_phys(const void *va)
{
	uint64_t v = (uint64_t)va;
	if (v >= KERNEL_VIRT_BASE)
		return v - KERNEL_VIRT_BASE;
	return v - DIRECT_MAP_BASE;
}
#endif

#endif
