/*
 * tmpfs file data: sparse, in frame pages (struct page handles) indexed by a
 * radix tree. The very pages are what shared mappings map (tmpfs_mmap.c), so
 * writes through a mapping and write() meet in one place. Holes read as
 * zeros and cost nothing.
 */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/page.h>
#include <frame/string.h>

#include "tmpfs_internal.h"

#define FANOUT_SHIFT 9
#define FANOUT (1u << FANOUT_SHIFT)
#define MAX_HEIGHT 5

static uint64_t capacity(unsigned height)
{
	return height == 0 ? 0 : 1ull << (FANOUT_SHIFT * (height - 1));
}

static struct page *find_page(const struct tmpfs_data *d, uint64_t idx)
{
	if (idx >= capacity(d->height))
		return NULL;
	void *node = d->root;
	for (unsigned level = d->height; level > 1 && node; level--) {
		void **slots = node;
		node = slots[(idx >> (FANOUT_SHIFT * (level - 2))) & (FANOUT - 1)];
	}
	return node;
}

/* The page at @idx, allocated (zeroed) if absent: 0, -ENOSPC (size cap) or -ENOMEM. */
static int lookup_or_alloc(struct tmpfs_data *d, struct tmpfs_sb *fs, uint64_t idx,
			   struct page **out)
{
	while (idx >= capacity(d->height)) {
		if (d->height == MAX_HEIGHT)
			return -EFBIG;
		if (d->root) {
			void **node = kzalloc(PAGE_SIZE);
			if (!node)
				return -ENOMEM;
			node[0] = d->root;
			d->root = node;
		}
		d->height++;
	}
	void **slot = &d->root;
	for (unsigned level = d->height; level > 1; level--) {
		if (!*slot) {
			*slot = kzalloc(PAGE_SIZE);
			if (!*slot)
				return -ENOMEM;
		}
		void **slots = *slot;
		slot = &slots[(idx >> (FANOUT_SHIFT * (level - 2))) & (FANOUT - 1)];
	}
	if (!*slot) {
		if (!tmpfs_charge_page(fs))
			return -ENOSPC;
		struct page *pg = page_alloc(0, PAGE_ZERO | PAGE_USER);
		if (!pg) {
			tmpfs_uncharge_pages(fs, 1);
			return -ENOMEM;
		}
		*slot = pg;
		d->pages++;
	}
	*out = *slot;
	return 0;
}

int tmpfs_data_get_page(struct tmpfs_data *d, struct tmpfs_sb *fs, uint64_t idx,
			struct page **out)
{
	struct page *pg;
	int err = lookup_or_alloc(d, fs, idx, &pg);
	if (err)
		return err == -EFBIG ? -ENOSPC : err;
	page_get(pg);
	*out = pg;
	return 0;
}

bool tmpfs_data_present(const struct tmpfs_data *d, uint64_t idx)
{
	return find_page(d, idx) != NULL;
}

void tmpfs_data_read(const struct tmpfs_data *d, uint64_t off, void *buf, size_t len)
{
	uint8_t *out = buf;
	while (len) {
		size_t in_page = off & (PAGE_SIZE - 1);
		size_t n = MIN(len, PAGE_SIZE - in_page);
		const struct page *page = find_page(d, off >> PAGE_SHIFT);
		if (page)
			page_read(page, in_page, out, n);
		else
			memset(out, 0, n);
		out += n;
		off += n;
		len -= n;
	}
}

ssize_t tmpfs_data_write(struct tmpfs_data *d, struct tmpfs_sb *fs, uint64_t off,
			 const void *buf, size_t len)
{
	const uint8_t *in = buf;
	size_t done = 0;
	while (done < len) {
		size_t in_page = off & (PAGE_SIZE - 1);
		size_t n = MIN(len - done, PAGE_SIZE - in_page);
		struct page *page;
		int err = lookup_or_alloc(d, fs, off >> PAGE_SHIFT, &page);
		if (err)
			return done ? (ssize_t)done : err == -EFBIG || err == -ENOMEM ? -ENOSPC : err;
		page_write(page, in_page, in + done, n);
		done += n;
		off += n;
	}
	return (ssize_t)done;
}

int tmpfs_data_alloc_range(struct tmpfs_data *d, struct tmpfs_sb *fs, uint64_t first,
			   uint64_t last)
{
	for (uint64_t idx = first; idx <= last; idx++) {
		struct page *pg;
		int err = lookup_or_alloc(d, fs, idx, &pg);
		if (err)
			return err == -EFBIG || err == -ENOMEM ? -ENOSPC : err;
	}
	return 0;
}

/*
 * Free pages with index >= @from under @node (a subtree of @level whose
 * first page index is @base); returns true if the whole node became empty
 * and was freed. Counts freed data pages in *@freed. A page a mapping still
 * holds lives on with the mapping's reference (a limit: Linux would unmap it).
 */
static bool free_from(void *node, unsigned level, uint64_t base, uint64_t from, uint64_t *freed)
{
	if (level == 1) {
		if (base >= from) {
			page_put(node);
			(*freed)++;
			return true;
		}
		return false;
	}
	void **slots = node;
	uint64_t span = capacity(level - 1);
	bool empty = true;
	for (unsigned i = 0; i < FANOUT; i++) {
		if (!slots[i])
			continue;
		uint64_t child_base = base + i * span;
		if (child_base + span > from && free_from(slots[i], level - 1, child_base, from, freed))
			slots[i] = NULL;
		if (slots[i])
			empty = false;
	}
	if (empty) {
		kfree(node);
		return true;
	}
	return false;
}

void tmpfs_data_truncate(struct tmpfs_data *d, struct tmpfs_sb *fs, uint64_t size)
{
	uint64_t from = (size + PAGE_SIZE - 1) >> PAGE_SHIFT;
	if (size & (PAGE_SIZE - 1)) {
		/* Bytes past the new end must read as zeros if the file grows again. */
		struct page *page = find_page(d, size >> PAGE_SHIFT);
		if (page)
			page_zero(page, size & (PAGE_SIZE - 1), PAGE_SIZE - (size & (PAGE_SIZE - 1)));
	}
	uint64_t freed = 0;
	if (d->root && free_from(d->root, d->height, 0, from, &freed)) {
		d->root = NULL;
		d->height = 0;
	}
	d->pages -= freed;
	tmpfs_uncharge_pages(fs, freed);
}

uint64_t tmpfs_data_pages(const struct tmpfs_data *d)
{
	return d->pages;
}
