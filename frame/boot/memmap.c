/*
 * From the loader's memory map to the usable RAM the allocator gets. Loaders
 * and firmware hand out maps with overlaps, holes and odd alignment; the rule
 * is that any entry saying a byte is not RAM wins.
 */
#include <frame/log.h>
#include <internal/boot.h>

#define LOW_MEMORY_END 0x100000UL	/* BIOS data, EBDA, option ROMs */

void boot_reserve(struct boot_info *info, paddr_t start, paddr_t end)
{
	if (start >= end)
		return;
	if (info->reserved_count == BOOT_RESERVED_MAX) {
		/* Dropping a reservation could hand live data to the allocator. */
		pr_warn("boot: too many reserved ranges, widening the last one\n");
		struct mem_region *last = &info->reserved[BOOT_RESERVED_MAX - 1];
		last->start = MIN(last->start, start);
		last->end = MAX(last->end, end);
		return;
	}
	info->reserved[info->reserved_count++] = (struct mem_region){ start, end };
}

/* Remove [start, end) from the sorted disjoint list r[0..*n). */
static void subtract(struct mem_region *r, size_t *n, size_t max,
		     paddr_t start, paddr_t end)
{
	for (size_t i = 0; i < *n; i++) {
		struct mem_region cur = r[i];
		if (end <= cur.start || start >= cur.end)
			continue;
		if (start > cur.start && end < cur.end) {
			/* Split in two; a full list keeps the lower part only. */
			r[i].end = start;
			if (*n < max) {
				for (size_t j = *n; j > i + 1; j--)
					r[j] = r[j - 1];
				r[i + 1] = (struct mem_region){ end, cur.end };
				(*n)++;
				i++;
			}
			continue;
		}
		if (start <= cur.start)
			r[i].start = MIN(end, cur.end);
		if (end >= cur.end)
			r[i].end = MAX(start, cur.start);
	}
	/* Drop emptied regions. */
	size_t k = 0;
	for (size_t i = 0; i < *n; i++)
		if (r[i].start < r[i].end)
			r[k++] = r[i];
	*n = k;
}

/* Insert [start, end) into the sorted disjoint list, merging neighbours. */
static void add(struct mem_region *r, size_t *n, size_t max,
		paddr_t start, paddr_t end)
{
	size_t i = 0;
	while (i < *n && r[i].end < start)
		i++;
	if (i < *n && r[i].start <= end) {
		r[i].start = MIN(r[i].start, start);
		r[i].end = MAX(r[i].end, end);
		/* Absorb following regions now overlapped. */
		size_t j = i + 1;
		while (j < *n && r[j].start <= r[i].end) {
			r[i].end = MAX(r[i].end, r[j].end);
			j++;
		}
		size_t gone = j - i - 1;
		for (size_t k = i + 1; k + gone < *n; k++)
			r[k] = r[k + gone];
		*n -= gone;
		return;
	}
	if (*n == max) {
		pr_warn("boot: memory map too fragmented, ignoring %#lx-%#lx\n",
			(unsigned long)start, (unsigned long)end);
		return;
	}
	for (size_t k = *n; k > i; k--)
		r[k] = r[k - 1];
	r[i] = (struct mem_region){ start, end };
	(*n)++;
}

size_t boot_usable_regions(const struct boot_info *info,
			   struct mem_region *out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < info->memmap_count; i++) {
		const struct boot_mem_entry *e = &info->memmap[i];
		paddr_t end = MIN(e->end, (paddr_t)BOOT_PHYS_LIMIT);
		if (e->type == BOOT_MEM_RAM && e->start < end)
			add(out, &n, max, e->start, end);
	}
	for (size_t i = 0; i < info->memmap_count; i++) {
		const struct boot_mem_entry *e = &info->memmap[i];
		if (e->type != BOOT_MEM_RAM && e->start < e->end)
			subtract(out, &n, max, e->start, e->end);
	}
	for (size_t i = 0; i < info->reserved_count; i++)
		subtract(out, &n, max, info->reserved[i].start, info->reserved[i].end);
	subtract(out, &n, max, 0, LOW_MEMORY_END);

	/* Only whole pages are usable. */
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		paddr_t s = ALIGN_UP(out[i].start, PAGE_SIZE);
		paddr_t e = ALIGN_DOWN(out[i].end, PAGE_SIZE);
		if (s < e)
			out[k++] = (struct mem_region){ s, e };
	}
	return k;
}
