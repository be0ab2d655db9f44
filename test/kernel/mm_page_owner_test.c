/* Page ownership: mappings and service references are counted apart; a put too many, a stale get and a borrowed vm_map are refused and reported. */
#include <frame/errno.h>
#include <frame/ktest.h>
#include <frame/page.h>
#include <frame/vm_space.h>
#include <internal/mm.h>

#define URW (VM_READ | VM_WRITE | VM_USER)
#define UVA 0x400000UL

/* Free pages plus slab pages the heap keeps cached (the vm_space itself is kmalloc'd). */
static uint64_t pages_available(void)
{
	struct mem_stats st;
	mem_stats(&st);
	return st.free_pages + st.heap_slab_pages;
}

KTEST(page_mapped_outlives_service_puts)
{
	uint64_t before = pages_available();
	struct vm_space *s = vm_space_create();
	KASSERT(s != NULL);
	struct page *p = page_alloc(0, PAGE_ZERO);
	KASSERT(p != NULL);
	KEXPECT_EQ(vm_map(s, UVA, p, URW), 0);
	KEXPECT_EQ(vm_map(s, UVA + PAGE_SIZE, p, URW), 0);
	/* The service lets go: the mappings still hold the block. */
	page_put(p);
	KEXPECT_EQ(page_refcount(p), 0);
	KEXPECT_EQ(page_mapcount(p), 2);
	struct vm_mapping m;
	KEXPECT_EQ(vm_query(s, UVA, &m), 0);
	KEXPECT(m.managed && !m.exclusive); /* two leaves */
	KEXPECT_EQ(vm_unmap(s, UVA + PAGE_SIZE, PAGE_SIZE), 0);
	KEXPECT_EQ(vm_query(s, UVA, &m), 0);
	KEXPECT(m.managed && m.exclusive);
	/* A handle from the space comes with its own reference: no longer exclusive. */
	struct page *got;
	KASSERT(vm_get_page(s, UVA, &got) == 0);
	KEXPECT(got == p);
	KEXPECT_EQ(vm_query(s, UVA, &m), 0);
	KEXPECT(!m.exclusive);
	/* Unmapped while we hold it: our reference keeps it; our put frees it. */
	KEXPECT_EQ(vm_unmap(s, UVA, PAGE_SIZE), 0);
	KEXPECT_EQ(page_refcount(got), 1);
	KEXPECT_EQ(page_mapcount(got), 0);
	uint8_t b = 1;
	KEXPECT_EQ(page_read(got, 0, &b, 1), 0);
	KEXPECT_EQ(b, 0);
	page_put(got);
	vm_space_destroy(s);
	KEXPECT_EQ(pages_available(), before);
}

KTEST(page_misuse_double_put_refused)
{
	uint64_t before = pages_available();
	unsigned long reports = page_misuse_count();
	struct vm_space *s = vm_space_create();
	KASSERT(s != NULL);
	struct page *p = page_alloc(0, 0);
	KASSERT(p != NULL);
	KEXPECT_EQ(vm_map(s, UVA, p, URW), 0);
	page_put(p);
	/* A second put: refused, so the mapped block stays allocated and mapped. */
	page_put(p);
	KEXPECT_EQ(page_misuse_count(), reports + 1);
	KEXPECT_EQ(page_refcount(p), 0);
	KEXPECT_EQ(page_mapcount(p), 1);
	struct vm_mapping m;
	KEXPECT_EQ(vm_query(s, UVA, &m), 0);
	KEXPECT(m.exclusive);
	/* A page_get through the borrowed handle, and mapping it elsewhere, are refused too. */
	page_get(p);
	KEXPECT_EQ(page_refcount(p), 0);
	KEXPECT_EQ(vm_map(s, UVA + PAGE_SIZE, p, URW), -EINVAL);
	KEXPECT_EQ(page_mapcount(p), 1);
	KEXPECT_EQ(page_misuse_count(), reports + 3);
	KEXPECT_EQ(vm_query(s, UVA + PAGE_SIZE, &m), -ENOENT);
	/* The space's own unmap is what frees it, once. */
	vm_space_destroy(s);
	KEXPECT_EQ(pages_available(), before);
}

KTEST(page_misuse_put_of_free_block_refused)
{
	unsigned long reports = page_misuse_count();
	struct page *p = page_alloc(0, 0);
	KASSERT(p != NULL);
	page_put(p);
	size_t free_now = page_count_free();
	/* The block is free: a stale put changes nothing, however often. */
	page_put(p);
	page_put(p);
	KEXPECT_EQ(page_count_free(), free_now);
	KEXPECT_EQ(page_misuse_count(), reports + 2);
	page_put(NULL);
	KEXPECT_EQ(page_misuse_count(), reports + 3);
	/* And the allocator still hands out whole, sane blocks. */
	struct page *q = page_alloc(0, 0);
	KASSERT(q != NULL);
	KEXPECT_EQ(page_refcount(q), 1);
	KEXPECT_EQ(page_mapcount(q), 0);
	page_put(q);
	KEXPECT_EQ(page_count_free(), free_now);
}
