/* Frame-internal memory interfaces: boot hand-off to the allocators, address translation. */
#ifndef FRAME_INTERNAL_MM_H
#define FRAME_INTERNAL_MM_H

#include <arch/layout.h>
#include <frame/types.h>

/* A usable RAM range [start, end), page aligned, after boot sanitised the map. */
struct mem_region {
	paddr_t start;
	paddr_t end;
};

static inline void *phys_to_virt(paddr_t pa) { return arch_phys_to_virt(pa); }
static inline paddr_t virt_to_phys(const void *va) { return arch_virt_to_phys(va); }

/*
 * Hand every usable region to the page allocator and start the heap. The
 * regions are sorted, disjoint, and exclude the kernel image, the initrd and
 * the boot information. Before this, only the boot page tables exist: the
 * first 4 GiB are mapped at DIRECT_MAP_BASE.
 */
void mm_init(const struct mem_region *regions, size_t count);

/*
 * Build the kernel's own page tables (kernel image with per-section
 * permissions, direct map of all RAM in @regions, MMIO window) and switch to
 * them. Called right after mm_init().
 */
void kernel_space_init(const struct mem_region *regions, size_t count);

/*
 * Map @len bytes of device memory at physical @pa uncached into the MMIO
 * window; returns the virtual address, or NULL when out of memory/window.
 */
void *mmio_map(paddr_t pa, size_t len);

/* Symbols from the linker script, bounding the kernel image's sections. */
extern char __kernel_start[], __text_start[], __text_end[];
extern char __rodata_start[], __rodata_end[], __data_start[], __bss_end[];
extern char __kernel_end[];

/*
 * Page frames and address spaces, for frame code only (frame/mm owns them).
 * Services never see physical addresses or raw pointers into pages.
 */
struct page;
struct vm_space;

/* Physical address of the first byte of @page's block. */
paddr_t page_to_phys(const struct page *page);
/* The page handle of the managed frame at @pa (any page of RAM the allocator
 * manages, allocated or not), or NULL for holes, devices and reserved memory. */
struct page *page_from_phys(paddr_t pa);
static inline void *page_to_virt(const struct page *page)
{
	return phys_to_virt(page_to_phys(page));
}
static inline struct page *page_from_virt(const void *va)
{
	return page_from_phys(virt_to_phys(va));
}

/*
 * Mapping holds (frame/mm/vm_space.c only): each leaf vm_map() installs
 * holds its block through page_map_get(); removing the leaf drops it with
 * page_map_put(), which frees the block if no service reference is left.
 * Kept apart from service references (page_get/page_put), so no service put
 * can free a mapped block. page_map_get() takes a hold only while the
 * caller has a service reference on @page (false otherwise: nothing done);
 * a page_map_put() with no mapping hold left is a frame bug: panic.
 */
bool page_map_get(struct page *page);
void page_map_put(struct page *page);

/* Is @page a descriptor of the allocator's (any state)? */
bool page_handle_ok(const struct page *page);

/* Misuse reports so far (page_misuse.c), and the last one's description. */
unsigned long page_misuse_count(void);
const char *page_misuse_last(void);

/*
 * Give the allocator the RAM above the boot direct map (4 GiB on x86_64):
 * mm_init() keeps it back because the boot page tables cannot reach it.
 * Called once the kernel space maps all RAM.
 */
void page_release_high_memory(void);

/* Create the kernel space's root with every kernel-half slot populated, so
 * user spaces can share those slots by copy. 0 or -ENOMEM. */
int vm_space_kernel_init(void);

/* vm_space_map_phys() flag beside VM_*: device memory, uncached. */
#define VM_MAP_UNCACHED 0x100u

/*
 * Map physical [@pa, @pa + @len) at @va with the largest leaves alignment
 * allows (frame-made mapping: no page references). All page aligned.
 * -EINVAL, -EEXIST (already mapped; nothing changed), -ENOMEM.
 */
int vm_space_map_phys(struct vm_space *space, vaddr_t va, paddr_t pa, size_t len,
		      unsigned prot);

/* Physical address @va translates to in @space: 0, or -ENOENT / -EINVAL. */
int vm_space_translate(struct vm_space *space, vaddr_t va, paddr_t *pa);

#endif
