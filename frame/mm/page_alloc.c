/* Buddy allocator over per-region page-descriptor arrays carved from RAM at boot. */
#include <frame/errno.h>
#include <frame/log.h>
#include <frame/string.h>
#include <arch/mmu.h>

#include "mm_private.h"

/* A RAM region the allocator manages, with its own descriptor array (no holes). */
struct mm_zone {
	paddr_t start, end;
	struct page *pages;
};

#define MM_MAX_ZONES 64

static struct mm_zone zones[MM_MAX_ZONES];
static size_t nzones;
static struct page_link free_lists[PAGE_MAX_ORDER + 1];
static uint64_t free_blocks[PAGE_MAX_ORDER + 1];
static uint64_t free_pages, total_pages, reserved_pages;
static struct mm_lock page_lock = MM_LOCK_INIT("page");

static inline struct page *link_to_page(struct page_link *l)
{
	return container_of(l, struct page, link);
}

paddr_t page_to_phys(const struct page *page)
{
	const struct mm_zone *z = &zones[page->zone];
	return z->start + (paddr_t)(page - z->pages) * PAGE_SIZE;
}

static struct mm_zone *zone_of(paddr_t pa)
{
	size_t lo = 0, hi = nzones;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (pa < zones[mid].start)
			hi = mid;
		else if (pa >= zones[mid].end)
			lo = mid + 1;
		else
			return &zones[mid];
	}
	return NULL;
}

struct page *page_from_phys(paddr_t pa)
{
	struct mm_zone *z = zone_of(pa);
	if (!z)
		return NULL;
	return &z->pages[(pa - z->start) >> PAGE_SHIFT];
}

static void free_list_add(struct page *p, unsigned order)
{
	p->order = (uint8_t)order;
	p->flags = PG_FREE;
	p->counts = 0;
	link_add(&free_lists[order], &p->link);
	free_blocks[order]++;
	free_pages += 1UL << order;
}

static void free_list_del(struct page *p)
{
	link_del(&p->link);
	free_blocks[p->order]--;
	free_pages -= 1UL << p->order;
	p->flags = 0;
}

/* Return a block, merging with its buddy for as long as the buddy is free whole. */
static void free_block(struct page *p, unsigned order)
{
	struct mm_zone *z = &zones[p->zone];
	paddr_t pa = page_to_phys(p);

	while (order < PAGE_MAX_ORDER) {
		paddr_t size = PAGE_SIZE << order;
		paddr_t bpa = pa ^ size;
		if (bpa < z->start || bpa + size > z->end)
			break;
		struct page *b = &z->pages[(bpa - z->start) >> PAGE_SHIFT];
		if (!(b->flags & PG_FREE) || b->order != order)
			break;
		free_list_del(b);
		b->order = 0;
		if (bpa < pa) {
			p->order = 0;
			p = b;
			pa = bpa;
		}
		order++;
	}
	free_list_add(p, order);
}

/* Carve [pa, end) of zone @z into the largest aligned blocks and free them. */
static void free_range(struct mm_zone *z, paddr_t pa, paddr_t end)
{
	while (pa < end) {
		unsigned order = PAGE_MAX_ORDER;
		while (order > 0 && (!IS_ALIGNED(pa, PAGE_SIZE << order) ||
				     pa + (PAGE_SIZE << order) > end))
			order--;
		struct page *p = &z->pages[(pa - z->start) >> PAGE_SHIFT];
		mm_hook_poison(phys_to_virt(pa), PAGE_SIZE << order);
		free_block(p, order);
		pa += PAGE_SIZE << order;
	}
}

/*
 * Descriptor arrays come from the regions themselves, first fit, and only
 * below the boot direct map: that is all mm_init() can write to.
 */
struct early_cursor {
	paddr_t next[MM_MAX_ZONES];
};

static paddr_t early_alloc(const struct mem_region *regions, size_t count,
			   struct early_cursor *cur, size_t bytes)
{
	size_t size = ALIGN_UP(bytes, PAGE_SIZE);
	for (size_t i = 0; i < count && i < MM_MAX_ZONES; i++) {
		paddr_t end = MIN(regions[i].end, (paddr_t)ARCH_BOOT_DIRECT_MAP_END);
		if (cur->next[i] < end && end - cur->next[i] >= size) {
			paddr_t pa = cur->next[i];
			cur->next[i] += size;
			return pa;
		}
	}
	return 0;
}

void mm_init(const struct mem_region *regions, size_t count)
{
	struct early_cursor cur;

	for (unsigned o = 0; o <= PAGE_MAX_ORDER; o++)
		link_init(&free_lists[o]);
	if (count > MM_MAX_ZONES) {
		pr_warn("mm: %zu memory regions, using the first %d\n", count, MM_MAX_ZONES);
		count = MM_MAX_ZONES;
	}
	for (size_t i = 0; i < count; i++)
		cur.next[i] = regions[i].start;

	/* Descriptor arrays first: a region may hold another's. */
	for (size_t i = 0; i < count; i++) {
		const struct mem_region *r = &regions[i];
		if (r->end <= r->start || !IS_ALIGNED(r->start, PAGE_SIZE) ||
		    !IS_ALIGNED(r->end, PAGE_SIZE))
			continue;
		size_t n = (r->end - r->start) >> PAGE_SHIFT;
		paddr_t meta = early_alloc(regions, count, &cur, n * sizeof(struct page));
		if (!meta) {
			pr_warn("mm: no room for descriptors of %#lx-%#lx, dropped\n",
				(unsigned long)r->start, (unsigned long)r->end);
			continue;
		}
		struct mm_zone *z = &zones[nzones];
		z->start = r->start;
		z->end = r->end;
		z->pages = phys_to_virt(meta);
		memset(z->pages, 0, n * sizeof(struct page));
		for (size_t k = 0; k < n; k++)
			z->pages[k].zone = (uint8_t)nzones;
		nzones++;
		total_pages += n;
	}

	/* Then free what is left; the carved part stays reserved for good. */
	for (size_t zi = 0; zi < nzones; zi++) {
		struct mm_zone *z = &zones[zi];
		size_t ri = 0;
		while (regions[ri].start != z->start)
			ri++;
		paddr_t used_end = cur.next[ri];
		for (paddr_t pa = z->start; pa < used_end; pa += PAGE_SIZE) {
			struct page *p = &z->pages[(pa - z->start) >> PAGE_SHIFT];
			p->flags = PG_RESERVED;
			p->counts = PAGE_COUNT_REF;
			reserved_pages++;
		}
		paddr_t low_end = MIN(z->end, (paddr_t)ARCH_BOOT_DIRECT_MAP_END);
		if (used_end < low_end)
			free_range(z, used_end, low_end);
		for (paddr_t pa = MAX(used_end, low_end); pa < z->end; pa += PAGE_SIZE)
			z->pages[(pa - z->start) >> PAGE_SHIFT].flags = PG_HIGH;
	}
	total_pages -= reserved_pages;
	pr_info("mm: %lu KiB managed in %zu regions, %lu KiB for descriptors\n",
		(unsigned long)(total_pages * (PAGE_SIZE / 1024)), nzones,
		(unsigned long)(reserved_pages * (PAGE_SIZE / 1024)));
}

void page_release_high_memory(void)
{
	mm_lock_acquire(&page_lock);
	for (size_t zi = 0; zi < nzones; zi++) {
		struct mm_zone *z = &zones[zi];
		paddr_t start = MAX(z->start, (paddr_t)ARCH_BOOT_DIRECT_MAP_END);
		if (start >= z->end || !(page_from_phys(start)->flags & PG_HIGH))
			continue;
		for (paddr_t pa = start; pa < z->end; pa += PAGE_SIZE)
			z->pages[(pa - z->start) >> PAGE_SHIFT].flags = 0;
		free_range(z, start, z->end);
	}
	mm_lock_release(&page_lock);
}

static page_reclaim_fn reclaim_hook;
static uint32_t reclaiming;	/* atomic: the hook is running (no re-entry) */

void page_set_reclaim_hook(page_reclaim_fn fn)
{
	__atomic_store_n(&reclaim_hook, fn, __ATOMIC_RELEASE);
}

/* Take a free block of @order off the lists, or NULL. */
static struct page *take_block(unsigned order)
{
	mm_lock_acquire(&page_lock);
	unsigned o = order;
	while (o <= PAGE_MAX_ORDER && link_empty(&free_lists[o]))
		o++;
	if (o > PAGE_MAX_ORDER) {
		mm_lock_release(&page_lock);
		return NULL;
	}
	struct page *p = link_to_page(free_lists[o].next);
	free_list_del(p);
	/* Split: the upper halves go back, the lower half is kept. */
	while (o > order) {
		o--;
		free_list_add(p + (1UL << o), o);
	}
	p->order = (uint8_t)order;
	p->counts = PAGE_COUNT_REF;
	p->flags = 0;
	mm_lock_release(&page_lock);
	return p;
}

size_t page_reserve(void)
{
	size_t r = total_pages / 256;
	return r < 32 ? 32 : r > 1024 ? 1024 : r;
}

/* Would a PAGE_USER block of @order leave the reserve free? (A racy read is fine: it is a threshold.) */
static bool user_may_take(unsigned order)
{
	size_t free_now = __atomic_load_n(&free_pages, __ATOMIC_RELAXED);
	return free_now >= page_reserve() + ((size_t)1 << order);
}

struct page *page_alloc(unsigned order, unsigned flags)
{
	if (order > PAGE_MAX_ORDER || fault_inject_fail())
		return NULL;
	struct page *p = (flags & PAGE_USER) && !user_may_take(order) ? NULL : take_block(order);
	if (!p) {
		page_reclaim_fn fn = __atomic_load_n(&reclaim_hook, __ATOMIC_ACQUIRE);
		if (!fn || __atomic_exchange_n(&reclaiming, 1, __ATOMIC_ACQ_REL))
			return NULL;
		size_t freed = fn((size_t)1 << order);
		__atomic_store_n(&reclaiming, 0, __ATOMIC_RELEASE);
		if (!freed || ((flags & PAGE_USER) && !user_may_take(order)) || !(p = take_block(order)))
			return NULL;
	}

	void *va = page_to_virt(p);
	mm_hook_unpoison(va, PAGE_SIZE << order);
	if (flags & PAGE_ZERO)
		memset(va, 0, PAGE_SIZE << order);
	return p;
}

/*
 * Counts change with atomic read-modify-writes: services on different tasks
 * share pages (fork, shared mappings, file pages) and the kernel is
 * preemptible, so a plain ++/-- can lose an update between its load and its
 * store -- which once let a page be freed while still mapped (issue 9).
 * Service references and mappings share one word (mm_private.h), so the
 * one operation that brings it to zero is the one that frees the block.
 */
static void block_release(struct page *page)
{
	unsigned order = page->order;
	/*
	 * QEMU's TCG keeps the blocks it translated from a frame until every byte
	 * they came from is written; until then each store to the frame takes
	 * its slow self-modifying-code path (notdirty write, TB lookup). A frame
	 * that held user code and comes back as a kernel stack or slab, written
	 * only in part, stays on that path for good: a system call cost 25-40 us
	 * instead of 3. One overwrite here drops the blocks once; on hardware it
	 * costs one page clear per freed code page.
	 */
	if (page->flags & PG_USER_CODE)
		memset(page_to_virt(page), 0, PAGE_SIZE << order);
	mm_hook_poison(page_to_virt(page), PAGE_SIZE << order);
	mm_lock_acquire(&page_lock);
	page->flags = 0;
	free_block(page, order);
	mm_lock_release(&page_lock);
}

/*
 * Subtract @unit from @page's counts unless the counter it belongs to is
 * already 0: true if it was taken, with *@left the new word.
 */
static bool counts_take(struct page *page, uint64_t unit, uint64_t *left)
{
	uint64_t old = page_counts(page);
	do {
		uint32_t n = unit == PAGE_COUNT_REF ? page_counts_refs(old) : page_counts_maps(old);
		if (n == 0)
			return false;
	} while (!__atomic_compare_exchange_n(&page->counts, &old, old - unit, false,
					      __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE));
	*left = old - unit;
	return true;
}

/* Add @unit unless the block holds no reference of the caller's kind (@need) at all. */
static bool counts_add(struct page *page, uint64_t unit, uint64_t need_mask)
{
	uint64_t old = page_counts(page);
	do {
		if (!(old & need_mask))
			return false;
	} while (!__atomic_compare_exchange_n(&page->counts, &old, old + unit, false,
					      __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE));
	return true;
}

bool page_handle_ok(const struct page *page)
{
	for (size_t i = 0; i < nzones; i++) {
		const struct mm_zone *z = &zones[i];
		size_t n = (size_t)((z->end - z->start) >> PAGE_SHIFT);
		if (page >= z->pages && page < z->pages + n)
			return true;
	}
	return false;
}

/* Not a block a caller can hold: no descriptor, free, or boot metadata. */
static bool page_is_frame_only(const struct page *page)
{
	return !page_handle_ok(page) || (page->flags & (PG_FREE | PG_RESERVED));
}

__attribute__((noinline)) void page_get(struct page *page)
{
	/* Only a holder of a reference may make another: refs 0 means a stale or borrowed handle. */
	if (page_is_frame_only(page) || !counts_add(page, PAGE_COUNT_REF, 0xffffffffULL))
		page_misuse("page_get without a reference", page, __builtin_return_address(0),
			    __builtin_frame_address(0));
}

__attribute__((noinline)) void page_put(struct page *page)
{
	uint64_t left;
	if (page_is_frame_only(page) || !counts_take(page, PAGE_COUNT_REF, &left)) {
		/* A second put, or a put of a handle never owned: refused, so nothing is freed twice. */
		page_misuse("page_put without a reference (underflow)", page,
			    __builtin_return_address(0), __builtin_frame_address(0));
		return;
	}
	if (left == 0)
		block_release(page);
}

bool page_map_get(struct page *page)
{
	/* Only under the mapper's own reference: the block cannot go meanwhile. */
	return !page_is_frame_only(page) && counts_add(page, PAGE_COUNT_MAP, 0xffffffffULL);
}

void page_map_put(struct page *page)
{
	uint64_t left;
	BUG_ON(page_is_frame_only(page) || !counts_take(page, PAGE_COUNT_MAP, &left));
	if (left == 0)
		block_release(page);
}

unsigned page_order(const struct page *page)
{
	return page->order;
}

unsigned page_refcount(const struct page *page)
{
	return page_counts_refs(page_counts(page));
}

unsigned page_mapcount(const struct page *page)
{
	return page_counts_maps(page_counts(page));
}

size_t page_count_free(void)
{
	return free_pages;
}

size_t page_count_total(void)
{
	return total_pages;
}

void mem_stats(struct mem_stats *out)
{
	memset(out, 0, sizeof(*out));
	mm_lock_acquire(&page_lock);
	out->total_pages = total_pages;
	out->free_pages = free_pages;
	out->reserved_pages = reserved_pages;
	for (unsigned o = 0; o <= PAGE_MAX_ORDER; o++)
		out->free_blocks[o] = free_blocks[o];
	mm_lock_release(&page_lock);
	heap_stats(out);
	out->pgtable_pages = vm_space_pgtable_pages();
}
