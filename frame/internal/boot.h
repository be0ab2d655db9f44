/* What the arch boot code extracts from the loader's information, in loader-neutral form. */
#ifndef FRAME_INTERNAL_BOOT_H
#define FRAME_INTERNAL_BOOT_H

#include <frame/types.h>
#include <internal/mm.h>

#define BOOT_CMDLINE_MAX 4096
#define BOOT_MEMMAP_MAX 128
#define BOOT_RESERVED_MAX 16
/* RAM above this is ignored: the direct map covers 64 TiB. */
#define BOOT_PHYS_LIMIT (1ULL << 46)

enum boot_mem_type {
	BOOT_MEM_RAM = 1,	/* E820 numbering */
	BOOT_MEM_RESERVED = 2,
	BOOT_MEM_ACPI = 3,
	BOOT_MEM_NVS = 4,
	BOOT_MEM_BAD = 5,
};

struct boot_mem_entry {
	paddr_t start;
	paddr_t end;	/* exclusive; entries may be unsorted, overlap or leave holes */
	uint32_t type;
};

struct boot_info {
	const char *loader;		/* "PVH", "multiboot2", ... */
	char cmdline[BOOT_CMDLINE_MAX];
	bool cmdline_truncated;
	paddr_t initrd_start;
	paddr_t initrd_end;		/* 0 when there is none */
	paddr_t rsdp;			/* 0: scan for it */
	struct boot_mem_entry memmap[BOOT_MEMMAP_MAX];
	size_t memmap_count;
	bool memmap_truncated;
	/* Ranges that must not become free memory: kernel, initrd, loader data. */
	struct mem_region reserved[BOOT_RESERVED_MAX];
	size_t reserved_count;
};

/* Fill @info from the loader's data at physical @info_phys; false if unusable. */
bool arch_boot_parse(unsigned protocol, paddr_t info_phys, struct boot_info *info);

/* Record a range that must stay out of the page allocator. */
void boot_reserve(struct boot_info *info, paddr_t start, paddr_t end);

/*
 * Turn the loader's memory map into sorted, disjoint, page-aligned usable
 * regions: RAM minus anything any entry calls not-RAM, minus @info's reserved
 * ranges, minus the first MiB. Returns the number of regions written (at most
 * @max) and logs what it had to drop.
 */
size_t boot_usable_regions(const struct boot_info *info,
			   struct mem_region *out, size_t max);

/* Make @line (kept by the caller for the kernel's lifetime) the command line. */
void boot_set_cmdline(const char *line);

/* Call @fn on each word of the command line until it returns true; returns whether it did. */
bool boot_for_each_word(bool (*fn)(const char *word, size_t len, void *arg), void *arg);

#endif
