/* The memory-map sanitiser against the maps real loaders hand out: overlaps, holes, reservations. */
#include <frame/ktest.h>
#include <internal/boot.h>

static struct boot_info info;
static struct mem_region out[16];

static void map_reset(void)
{
	info.memmap_count = 0;
	info.reserved_count = 0;
}

static void map_add(paddr_t start, paddr_t end, uint32_t type)
{
	info.memmap[info.memmap_count++] = (struct boot_mem_entry){ start, end, type };
}

KTEST(memmap_plain_ram_drops_low_mib)
{
	map_reset();
	map_add(0, 0x9fc00, BOOT_MEM_RAM);
	map_add(0x100000, 0x8000000, BOOT_MEM_RAM);
	size_t n = boot_usable_regions(&info, out, 16);
	KASSERT(n == 1);
	KEXPECT_EQ(out[0].start, 0x100000);
	KEXPECT_EQ(out[0].end, 0x8000000);
}

KTEST(memmap_reserved_overlap_wins)
{
	map_reset();
	map_add(0x100000, 0x1000000, BOOT_MEM_RAM);
	map_add(0x400000, 0x500000, BOOT_MEM_RESERVED);	/* inside RAM */
	map_add(0x800000, 0x2000000, BOOT_MEM_ACPI);	/* over the end */
	size_t n = boot_usable_regions(&info, out, 16);
	KASSERT(n == 2);
	KEXPECT_EQ(out[0].start, 0x100000);
	KEXPECT_EQ(out[0].end, 0x400000);
	KEXPECT_EQ(out[1].start, 0x500000);
	KEXPECT_EQ(out[1].end, 0x800000);
}

KTEST(memmap_unsorted_overlapping_ram_merges)
{
	map_reset();
	map_add(0x3000000, 0x4000000, BOOT_MEM_RAM);
	map_add(0x100000, 0x2000000, BOOT_MEM_RAM);
	map_add(0x1800000, 0x3800000, BOOT_MEM_RAM);
	size_t n = boot_usable_regions(&info, out, 16);
	KASSERT(n == 1);
	KEXPECT_EQ(out[0].start, 0x100000);
	KEXPECT_EQ(out[0].end, 0x4000000);
}

KTEST(memmap_unaligned_and_reserved_ranges)
{
	map_reset();
	map_add(0x100800, 0x200800, BOOT_MEM_RAM);
	boot_reserve(&info, 0x150000, 0x150001);
	size_t n = boot_usable_regions(&info, out, 16);
	KASSERT(n == 2);
	KEXPECT_EQ(out[0].start, 0x101000);
	KEXPECT_EQ(out[0].end, 0x150000);
	KEXPECT_EQ(out[1].start, 0x151000);
	KEXPECT_EQ(out[1].end, 0x200000);
}

KTEST(memmap_empty_or_bogus_entries)
{
	map_reset();
	map_add(0x200000, 0x100000, BOOT_MEM_RAM);	/* end before start */
	map_add(0x100000, 0x100fff, BOOT_MEM_RAM);	/* less than a page */
	KEXPECT_EQ(boot_usable_regions(&info, out, 16), 0);
	map_reset();
	map_add(0x100000, ~0UL, BOOT_MEM_RAM);	/* absurd size is clamped */
	size_t n = boot_usable_regions(&info, out, 16);
	KASSERT(n == 1);
	KEXPECT_EQ(out[0].end, BOOT_PHYS_LIMIT);
}

KTEST(memmap_output_bounded)
{
	map_reset();
	/* 40 separate RAM ranges into room for 16: never writes past the end. */
	for (int i = 0; i < 40; i++)
		map_add(0x1000000 + (paddr_t)i * 0x200000,
			0x1000000 + (paddr_t)i * 0x200000 + 0x100000, BOOT_MEM_RAM);
	KEXPECT_EQ(boot_usable_regions(&info, out, 16), 16);
}
