/* Tests of vm_space: map/query/protect/unmap, huge leaves, splitting, errors, refcounts, sharing. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/ktest.h>
#include <frame/page.h>
#include <frame/string.h>
#include <frame/vm_space.h>
#include <arch/mmu.h>
#include <internal/mm.h>

#define RW (VM_READ | VM_WRITE)
#define URW (VM_READ | VM_WRITE | VM_USER)
#define UVA 0x400000UL

static uint64_t pgtable_pages(void)
{
	struct mem_stats st;
	mem_stats(&st);
	return st.pgtable_pages;
}

/* Free pages plus slab pages the heap keeps cached (the vm_space itself is kmalloc'd). */
static uint64_t pages_available(void)
{
	struct mem_stats st;
	mem_stats(&st);
	return st.free_pages + st.heap_slab_pages;
}

KTEST(vm_map_query_unmap)
{
	uint64_t tables = pgtable_pages();
	struct vm_space *s = vm_space_create();
	KASSERT(s != NULL);
	struct page *p = page_alloc(0, PAGE_ZERO);
	KASSERT(p != NULL);

	KEXPECT_EQ(vm_map(s, UVA, p, URW), 0);
	/* The mapping's hold is counted apart from our reference. */
	KEXPECT_EQ(page_refcount(p), 1);
	KEXPECT_EQ(page_mapcount(p), 1);
	struct vm_mapping m;
	KEXPECT_EQ(vm_query(s, UVA + 0x123, &m), 0);
	KEXPECT_EQ(m.start, UVA);
	KEXPECT_EQ(m.size, PAGE_SIZE);
	KEXPECT_EQ(m.prot, URW);
	KEXPECT(m.managed && !m.exclusive);
	struct page *got = NULL;
	KEXPECT_EQ(vm_get_page(s, UVA + 0x123, &got), 0);
	KEXPECT(got == p);
	KEXPECT_EQ(page_refcount(p), 2);
	page_put(got);
	KEXPECT_EQ(vm_get_page(s, UVA + PAGE_SIZE, &got), -ENOENT);
	paddr_t pa;
	KEXPECT_EQ(vm_space_translate(s, UVA + 0x123, &pa), 0);
	KEXPECT_EQ(pa, page_to_phys(p) + 0x123);
	KEXPECT_EQ(vm_query(s, UVA + PAGE_SIZE, &m), -ENOENT);
	KEXPECT_EQ(vm_query(s, UVA - PAGE_SIZE, &m), -ENOENT);

	KEXPECT_EQ(vm_unmap(s, UVA, PAGE_SIZE), 0);
	KEXPECT_EQ(page_refcount(p), 1);
	KEXPECT_EQ(page_mapcount(p), 0);
	KEXPECT_EQ(vm_query(s, UVA, &m), -ENOENT);
	/* Unmapping a hole is not an error. */
	KEXPECT_EQ(vm_unmap(s, UVA, PAGE_SIZE), 0);
	vm_space_destroy(s);
	page_put(p);
	KEXPECT_EQ(pgtable_pages(), tables);
}

KTEST(vm_map_errors)
{
	struct vm_space *s = vm_space_create();
	KASSERT(s != NULL);
	struct page *p = page_alloc(0, 0);
	struct page *p1 = page_alloc(1, 0);
	KASSERT(p && p1);
	struct vm_mapping m;

	KEXPECT_EQ(vm_map(s, UVA + 8, p, URW), -EINVAL);
	KEXPECT_EQ(vm_map(s, USER_SPACE_END, p, URW), -EINVAL);           /* non-canonical */
	KEXPECT_EQ(vm_map(s, 0x0000900000000000UL, p, URW), -EINVAL);     /* non-canonical */
	KEXPECT_EQ(vm_map(s, 0xffffe00000000000UL, p, RW), -EINVAL);      /* kernel half */
	KEXPECT_EQ(vm_map(s, USER_SPACE_END - PAGE_SIZE, p, URW), 0);     /* last user page */
	KEXPECT_EQ(vm_unmap(s, USER_SPACE_END - PAGE_SIZE, PAGE_SIZE), 0);
	KEXPECT_EQ(vm_map(s, UVA, p, 0), -EINVAL);
	KEXPECT_EQ(vm_map(s, UVA, p, VM_WRITE), -EINVAL);                 /* no VM_READ */
	KEXPECT_EQ(vm_map(s, UVA, p, VM_READ | 0x80), -EINVAL);
	KEXPECT_EQ(vm_map(s, UVA, p1, URW), -EINVAL);                     /* order 1 */
	KEXPECT_EQ(vm_map(s, UVA, NULL, URW), -EINVAL);
	KEXPECT_EQ(vm_map(vm_space_kernel(), 0xffffe00000000000UL, p, URW), -EINVAL);
	KEXPECT_EQ(vm_map(vm_space_kernel(), UVA, p, RW), -EINVAL);        /* user half */
	KEXPECT_EQ(page_refcount(p), 1);
	KEXPECT_EQ(page_mapcount(p), 0);

	KEXPECT_EQ(vm_map(s, UVA, p, URW), 0);
	KEXPECT_EQ(vm_map(s, UVA, p, URW), -EEXIST);
	KEXPECT_EQ(page_refcount(p), 1);
	KEXPECT_EQ(page_mapcount(p), 1);
	KEXPECT_EQ(vm_unmap(s, UVA + 1, PAGE_SIZE), -EINVAL);
	KEXPECT_EQ(vm_unmap(s, UVA, 100), -EINVAL);
	KEXPECT_EQ(vm_unmap(s, UVA, 0), -EINVAL);
	KEXPECT_EQ(vm_unmap(s, 0xfffffffffffff000UL, PAGE_SIZE), -EINVAL);
	KEXPECT_EQ(vm_unmap(s, USER_SPACE_END - PAGE_SIZE, 2 * PAGE_SIZE), -EINVAL);
	KEXPECT_EQ(vm_protect(s, UVA, PAGE_SIZE, VM_EXEC), -EINVAL);
	KEXPECT_EQ(vm_query(s, 0x0000900000000000UL, &m), -EINVAL);
	KEXPECT_EQ(vm_query(s, UVA, &m), 0);

	/* Heap and page-table pages are the frame's: never mapped for anyone. */
	void *obj = kmalloc(32);
	KASSERT(obj != NULL);
	KEXPECT_EQ(vm_map(s, UVA + PAGE_SIZE, page_from_virt(obj), URW), -EINVAL);
	kfree(obj);

	vm_space_destroy(s);
	KEXPECT_EQ(page_refcount(p), 1);
	KEXPECT_EQ(page_mapcount(p), 0);
	page_put(p);
	page_put(p1);
}

KTEST(vm_protect_range)
{
	struct vm_space *s = vm_space_create();
	KASSERT(s != NULL);
	struct page *p[3];
	for (int i = 0; i < 3; i++) {
		p[i] = page_alloc(0, 0);
		KASSERT(p[i] != NULL);
	}
	/* Pages at UVA, UVA+1 and UVA+3 pages: a hole at +2. */
	KEXPECT_EQ(vm_map(s, UVA, p[0], URW), 0);
	KEXPECT_EQ(vm_map(s, UVA + PAGE_SIZE, p[1], URW), 0);
	KEXPECT_EQ(vm_map(s, UVA + 3 * PAGE_SIZE, p[2], URW), 0);

	struct vm_mapping m;
	KEXPECT_EQ(vm_protect(s, UVA + PAGE_SIZE, PAGE_SIZE, VM_READ | VM_USER), 0);
	KEXPECT_EQ(vm_query(s, UVA + PAGE_SIZE, &m), 0);
	KEXPECT_EQ(m.prot, VM_READ | VM_USER);
	KEXPECT_EQ(vm_query(s, UVA, &m), 0);
	KEXPECT_EQ(m.prot, URW);

#ifdef FRAME_HOSTED
	vm_space_activate(s);
	uint64_t flushes = host_tlb_flush_pages;
#endif
	KEXPECT_EQ(vm_protect(s, UVA, 4 * PAGE_SIZE, VM_READ | VM_EXEC | VM_USER), 0);
#ifdef FRAME_HOSTED
	KEXPECT_EQ(host_tlb_flush_pages - flushes, 3); /* one per changed leaf, none for the hole */
	vm_space_activate(vm_space_kernel());
#endif
	for (int i = 0; i < 4; i++) {
		int r = vm_query(s, UVA + (vaddr_t)i * PAGE_SIZE, &m);
		KEXPECT_EQ(r, i == 2 ? -ENOENT : 0);
		if (!r)
			KEXPECT_EQ(m.prot, VM_READ | VM_EXEC | VM_USER);
	}
	/* One unmap over all three and the hole drops every reference. */
	KEXPECT_EQ(vm_unmap(s, UVA, 4 * PAGE_SIZE), 0);
	for (int i = 0; i < 3; i++) {
		KEXPECT_EQ(page_refcount(p[i]), 1);
		KEXPECT_EQ(page_mapcount(p[i]), 0);
		page_put(p[i]);
	}
	vm_space_destroy(s);
}

KTEST(vm_huge_page_mapping)
{
	const vaddr_t va = GiB(1);
	struct vm_space *s = vm_space_create();
	KASSERT(s != NULL);
	struct page *huge = page_alloc(9, 0);
	struct page *small = page_alloc(0, 0);
	KASSERT(huge && small);
	struct vm_mapping m;

	KEXPECT_EQ(vm_map(s, va + PAGE_SIZE, huge, URW), -EINVAL); /* not 2 MiB aligned */
	/* A small page in the way: -EEXIST; once gone, its empty table makes way. */
	KEXPECT_EQ(vm_map(s, va + MiB(1), small, URW), 0);
	KEXPECT_EQ(vm_map(s, va, huge, URW), -EEXIST);
	KEXPECT_EQ(vm_unmap(s, va + MiB(1), PAGE_SIZE), 0);
	KEXPECT_EQ(vm_map(s, va, huge, URW), 0);
	KEXPECT_EQ(page_mapcount(huge), 1);

	KEXPECT_EQ(vm_query(s, va + 0x12345, &m), 0);
	KEXPECT_EQ(m.start, va);
	KEXPECT_EQ(m.size, MiB(2));
	KEXPECT(m.managed);
	struct page *got = NULL;
	KEXPECT_EQ(vm_get_page(s, va + MiB(2) - 1, &got), 0);
	KEXPECT(got == huge);
	if (got)
		page_put(got);
	KEXPECT_EQ(vm_map(s, va + MiB(1), small, URW), -EEXIST);

	/* A vm_map() block goes whole or not at all. */
	KEXPECT_EQ(vm_unmap(s, va, PAGE_SIZE), -EINVAL);
	KEXPECT_EQ(vm_protect(s, va + MiB(1), MiB(1), VM_READ), -EINVAL);
	KEXPECT_EQ(vm_query(s, va, &m), 0);
	KEXPECT_EQ(m.prot, URW);
	KEXPECT_EQ(vm_protect(s, va, MiB(2), VM_READ | VM_USER), 0);
	KEXPECT_EQ(vm_query(s, va + MiB(2) - 1, &m), 0);
	KEXPECT_EQ(m.prot, VM_READ | VM_USER);
	KEXPECT_EQ(vm_unmap(s, va, MiB(2)), 0);
	KEXPECT_EQ(page_refcount(huge), 1);
	KEXPECT_EQ(page_mapcount(huge), 0);
	KEXPECT_EQ(vm_query(s, va, &m), -ENOENT);

	vm_space_destroy(s);
	page_put(huge);
	page_put(small);
}

KTEST(vm_phys_mapping_splits)
{
	/* Frame-made mappings of physical ranges: large leaves, split on demand. */
	const vaddr_t va = GiB(2);
	uint64_t tables = pgtable_pages();
	struct vm_space *s = vm_space_create();
	KASSERT(s != NULL);
	struct vm_mapping m;
	paddr_t pa;

	KEXPECT_EQ(vm_space_map_phys(s, va, MiB(2), MiB(4), RW), 0);
	KEXPECT_EQ(vm_query(s, va + MiB(3), &m), 0);
	KEXPECT_EQ(m.size, MiB(2));
	KEXPECT(!m.managed && !m.exclusive);
	struct page *got;
	KEXPECT_EQ(vm_get_page(s, va + MiB(3), &got), -EINVAL); /* no page handle behind it */
	KEXPECT_EQ(vm_space_map_phys(s, va + MiB(2), 0, PAGE_SIZE, RW), -EEXIST);

	/* Punch one page out of the first leaf: the rest stays, now in 4 KiB leaves. */
	KEXPECT_EQ(vm_unmap(s, va + MiB(1), PAGE_SIZE), 0);
	KEXPECT_EQ(vm_query(s, va + MiB(1), &m), -ENOENT);
	KEXPECT_EQ(vm_query(s, va + MiB(1) + PAGE_SIZE, &m), 0);
	KEXPECT_EQ(m.size, PAGE_SIZE);
	KEXPECT_EQ(vm_space_translate(s, va + MiB(1) + PAGE_SIZE + 5, &pa), 0);
	KEXPECT_EQ(pa, MiB(3) + PAGE_SIZE + 5);
	/* Protect one page of the second leaf. */
	KEXPECT_EQ(vm_protect(s, va + MiB(2), PAGE_SIZE, VM_READ), 0);
	KEXPECT_EQ(vm_query(s, va + MiB(2), &m), 0);
	KEXPECT_EQ(m.prot, VM_READ);
	KEXPECT_EQ(vm_query(s, va + MiB(2) + PAGE_SIZE, &m), 0);
	KEXPECT_EQ(m.prot, RW);
	KEXPECT_EQ(vm_space_translate(s, va + MiB(4) - 1, &pa), 0);
	KEXPECT_EQ(pa, MiB(6) - 1);

	/* A 1 GiB-aligned gigabyte takes one leaf where the CPU has them. */
	KEXPECT_EQ(vm_space_map_phys(s, GiB(8), 0, GiB(1), RW), 0);
	KEXPECT_EQ(vm_query(s, GiB(8) + MiB(700), &m), 0);
	KEXPECT_EQ(m.size, arch_pt_leaf_level_ok(3) ? GiB(1) : MiB(2));
	vm_space_destroy(s);
	KEXPECT_EQ(pgtable_pages(), tables);
}

KTEST(vm_destroy_drops_references)
{
	uint64_t tables = pgtable_pages();
	uint64_t avail_before = pages_available();
	struct vm_space *s = vm_space_create();
	KASSERT(s != NULL);
	struct page *p = page_alloc(0, 0), *h = page_alloc(9, 0);
	KASSERT(p && h);
	/* Far apart, so several table chains exist. */
	KEXPECT_EQ(vm_map(s, UVA, p, URW), 0);
	KEXPECT_EQ(vm_map(s, 0x7f0000000000UL, p, VM_READ | VM_USER), 0);
	KEXPECT_EQ(vm_map(s, GiB(4), h, URW), 0);
	KEXPECT_EQ(page_refcount(p), 1);
	KEXPECT_EQ(page_mapcount(p), 2);
	KEXPECT(pgtable_pages() > tables + 4);
	vm_space_activate(s);
	KEXPECT(vm_space_current() == s);
	vm_space_destroy(s); /* while active: falls back to the kernel space */
	KEXPECT(vm_space_current() == vm_space_kernel());
	KEXPECT(page_refcount(p) == 1 && page_mapcount(p) == 0);
	KEXPECT(page_refcount(h) == 1 && page_mapcount(h) == 0);
	KEXPECT_EQ(pgtable_pages(), tables);
	page_put(p);
	page_put(h);
	KEXPECT_EQ(pages_available(), avail_before);
	vm_space_destroy(NULL);
	vm_space_destroy(vm_space_kernel()); /* refused */
	KEXPECT(vm_space_current() == vm_space_kernel());
}

KTEST(vm_kernel_half_shared)
{
	struct vm_space *k = vm_space_kernel();
	struct page *p = page_alloc(0, 0);
	KASSERT(p != NULL);
	struct vm_mapping m;
	paddr_t pa;

	/* The direct map covers every managed page, writable, not executable. */
	vaddr_t dva = DIRECT_MAP_BASE + page_to_phys(p);
	KEXPECT_EQ(vm_query(k, dva, &m), 0);
	KEXPECT_EQ(m.prot, RW);
	KEXPECT(!m.managed);
	KEXPECT_EQ(vm_space_translate(k, dva, &pa), 0);
	KEXPECT_EQ(pa, page_to_phys(p));

	/* A kernel mapping made after a user space exists is visible from it. */
	struct vm_space *s = vm_space_create();
	KASSERT(s != NULL);
	const vaddr_t kva = 0xffffe00000000000UL;
	KEXPECT_EQ(vm_map(k, kva, p, RW), 0);
	KEXPECT_EQ(vm_space_translate(s, kva, &pa), 0);
	KEXPECT_EQ(pa, page_to_phys(p));
	KEXPECT_EQ(vm_query(s, kva, &m), -EINVAL); /* not the user space's to look at */
	KEXPECT_EQ(vm_unmap(k, kva, PAGE_SIZE), 0);
	KEXPECT_EQ(vm_space_translate(s, kva, &pa), -ENOENT);
	vm_space_destroy(s);
	KEXPECT(page_refcount(p) == 1 && page_mapcount(p) == 0);
	page_put(p);
}

/*
 * A frame once mapped executable in a user space is overwritten when freed
 * (so QEMU's TCG drops the blocks it translated from it once, not on every
 * later kernel store). Its buddy stays allocated, so the freed frame is the
 * first one the allocator hands out again.
 */
static void freed_code_page_cleared(struct ktest_ctx *ktest_ctx, bool protect)
{
	/* Two buddies among a few dozen single pages: a freed one cannot merge away. */
	struct page *got[64];
	unsigned n = 0;
	struct page *a = NULL, *b = NULL;
	while (n < 64 && !a) {
		struct page *q = page_alloc(0, 0);
		if (!KEXPECT(q != NULL))
			break;
		for (unsigned i = 0; i < n && !a; i++)
			if ((page_to_phys(got[i]) ^ page_to_phys(q)) == PAGE_SIZE)
				a = got[i], b = q, got[i] = got[--n];
		if (!a)
			got[n++] = q;
	}
	while (n)
		page_put(got[--n]);
	if (!KEXPECT(a != NULL))
		return;

	memset(page_to_virt(a), 0xcc, PAGE_SIZE);
	struct vm_space *s = vm_space_create();
	if (!KEXPECT(s != NULL))
		return;
	if (protect) {
		KEXPECT_EQ(vm_map(s, UVA, a, URW), 0);
		KEXPECT_EQ(vm_protect(s, UVA, PAGE_SIZE, VM_READ | VM_EXEC | VM_USER), 0);
	} else {
		KEXPECT_EQ(vm_map(s, UVA, a, VM_READ | VM_EXEC | VM_USER), 0);
	}
	page_put(a);
	vm_space_destroy(s); /* the last hold: a is free, at the head of the single pages */

	bool found = false;
	while (n < 16 && !found) {
		struct page *q = page_alloc(0, 0);
		if (!KEXPECT(q != NULL))
			break;
		got[n++] = q;
		if (q == a) {
			found = true;
			const unsigned char *c = page_to_virt(q);
			unsigned left = 0;
			for (size_t i = 0; i < PAGE_SIZE; i++)
				left += c[i] == 0xcc;
			KEXPECT_EQ(left, 0);
		}
	}
	KEXPECT(found);
	while (n)
		page_put(got[--n]);
	page_put(b);
}

KTEST(vm_freed_user_code_page_is_scrubbed)
{
	freed_code_page_cleared(ktest_ctx, false);
	freed_code_page_cleared(ktest_ctx, true);
}
