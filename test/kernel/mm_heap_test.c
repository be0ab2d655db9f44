/* Tests of kmalloc/kfree: every size class, large blocks, reuse, zeroing, realloc, overlap. */
#include <frame/heap.h>
#include <frame/ktest.h>
#include <frame/page.h>
#include <frame/string.h>

static uint64_t heap_bytes(void)
{
	struct mem_stats st;
	mem_stats(&st);
	return st.heap_bytes;
}

static bool all_bytes(const void *p, unsigned char v, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		if (b[i] != v)
			return false;
	return true;
}

static const size_t small_sizes[] = {
	0, 1, 7, 8, 9, 16, 24, 32, 33, 48, 64, 65, 96, 97, 128, 129, 192, 200,
	256, 300, 384, 500, 512, 600, 1000, 1024, 1025, 2000, 2048,
};

KTEST(heap_every_size_class)
{
	uint64_t before = heap_bytes();
	for (size_t i = 0; i < ARRAY_SIZE(small_sizes); i++) {
		size_t n = small_sizes[i];
		unsigned char *p = kmalloc(n);
		KASSERT(p != NULL);
		KEXPECT_EQ((uintptr_t)p & 7, 0);
		if (n && (n & (n - 1)) == 0)
			KEXPECT_EQ((uintptr_t)p & (n - 1), 0);
		KEXPECT(ksize(p) >= n);
		KEXPECT(ksize(p) <= MAX(2 * n, 8));
		memset(p, 0xa5, n);
		KEXPECT(all_bytes(p, 0xa5, n));
		kfree(p);
	}
	KEXPECT_EQ(heap_bytes(), before);
}

KTEST(heap_large_blocks)
{
	static const size_t sizes[] = { 2049, 4096, 4097, 12345, 65536, MiB(1) + 1 };
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		size_t n = sizes[i];
		size_t free_before = page_count_free();
		unsigned char *p = kmalloc(n);
		KASSERT(p != NULL);
		KEXPECT_EQ((uintptr_t)p & (PAGE_SIZE - 1), 0);
		KEXPECT_EQ(ksize(p), n);
		KEXPECT(page_count_free() < free_before);
		p[0] = 1;
		p[n - 1] = 2;
		KEXPECT_EQ(p[0] + p[n - 1], 3);
		kfree(p);
		KEXPECT_EQ(page_count_free(), free_before);
	}
	KEXPECT(kmalloc(KMALLOC_MAX_SIZE + 1) == NULL);
	void *max = kmalloc(KMALLOC_MAX_SIZE);
	KEXPECT(max != NULL);
	kfree(max);
}

KTEST(heap_kfree_null)
{
	uint64_t before = heap_bytes();
	size_t free_before = page_count_free();
	kfree(NULL);
	KEXPECT_EQ(heap_bytes(), before);
	KEXPECT_EQ(page_count_free(), free_before);
}

KTEST(heap_accounting)
{
	uint64_t before = heap_bytes();
	void *a = kmalloc(100);
	void *b = kmalloc(5000);
	KASSERT(a && b);
	KEXPECT_EQ(heap_bytes(), before + ksize(a) + 5000);
	kfree(a);
	KEXPECT_EQ(heap_bytes(), before + 5000);
	kfree(b);
	KEXPECT_EQ(heap_bytes(), before);
}

static uint64_t heap_objects(void)
{
	struct mem_stats st;
	mem_stats(&st);
	return st.heap_objects;
}

/* Live objects, overall and per size class (what /proc/slabinfo and the fuzzer's leak check read). */
KTEST(heap_object_counts)
{
	uint64_t before = heap_objects();
	struct heap_class_stats c0;
	KASSERT(heap_class_stats(3, &c0) == 0);
	KEXPECT_EQ(c0.object_size, 64);
	void *a = kmalloc(60), *b = kmalloc(64), *big = kmalloc(9000);
	KASSERT(a && b && big);
	KEXPECT_EQ(heap_objects(), before + 3);
	struct heap_class_stats c1;
	KASSERT(heap_class_stats(3, &c1) == 0);
	KEXPECT_EQ(c1.live_objects, c0.live_objects + 2);
	KEXPECT(c1.pages >= 1 && c1.objects_per_page == PAGE_SIZE / 64);
	kfree(a);
	kfree(b);
	kfree(big);
	KEXPECT_EQ(heap_objects(), before);
	KASSERT(heap_class_stats(3, &c1) == 0);
	KEXPECT_EQ(c1.live_objects, c0.live_objects);
	KEXPECT_EQ(heap_class_stats(heap_class_count(), &c1), -22);
}

KTEST(heap_many_do_not_overlap)
{
	enum { N = 3000 };
	uint64_t before = heap_bytes();
	unsigned char **ptrs = kcalloc(N, sizeof(*ptrs));
	KASSERT(ptrs != NULL);
	for (int i = 0; i < N; i++) {
		size_t n = 1 + (size_t)(i * 37) % 3000;
		ptrs[i] = kmalloc(n);
		KASSERT(ptrs[i] != NULL);
		memset(ptrs[i], i & 0xff, n);
	}
	/* Any overlap would have clobbered an earlier object's pattern. */
	int bad = 0;
	for (int i = 0; i < N; i++)
		bad += !all_bytes(ptrs[i], i & 0xff, 1 + (size_t)(i * 37) % 3000);
	KEXPECT_EQ(bad, 0);
	/* Free odd then even: slabs go partial, then empty. */
	for (int i = 1; i < N; i += 2)
		kfree(ptrs[i]);
	for (int i = 0; i < N; i += 2)
		kfree(ptrs[i]);
	kfree(ptrs);
	KEXPECT_EQ(heap_bytes(), before);
}

KTEST(heap_zeroed_allocations)
{
	for (size_t n = 16; n <= 8192; n *= 4) {
		unsigned char *p = kmalloc(n);
		KASSERT(p != NULL);
		memset(p, 0xff, n);
		kfree(p);
		/* Likely the same memory back, now required to be zero. */
		p = kzalloc(n);
		KASSERT(p != NULL);
		KEXPECT(all_bytes(p, 0, n));
		kfree(p);
	}
	unsigned *v = kcalloc(100, sizeof(unsigned));
	KASSERT(v != NULL);
	KEXPECT(all_bytes(v, 0, 100 * sizeof(unsigned)));
	kfree(v);
	KEXPECT(kcalloc(SIZE_MAX / 2, 4) == NULL);
}

KTEST(heap_krealloc)
{
	unsigned char *p = krealloc(NULL, 10);
	KASSERT(p != NULL);
	for (int i = 0; i < 10; i++)
		p[i] = (unsigned char)i;
	p = krealloc(p, 3000);
	KASSERT(p != NULL);
	int bad = 0;
	for (int i = 0; i < 10; i++)
		bad += p[i] != i;
	KEXPECT_EQ(bad, 0);
	p[2999] = 7;
	p = krealloc(p, 5);
	KASSERT(p != NULL);
	KEXPECT_EQ(p[4], 4);
	KEXPECT(krealloc(p, KMALLOC_MAX_SIZE + 1) == NULL);
	KEXPECT_EQ(p[3], 3); /* still ours after a failed resize */
	KEXPECT(krealloc(p, 0) == NULL);
}

KTEST(heap_reuses_freed_slab_memory)
{
	/* Cycling one size must not grow the heap: freed objects come back. */
	struct mem_stats a, b;
	void *warm = kmalloc(64);
	KASSERT(warm != NULL);
	mem_stats(&a);
	for (int i = 0; i < 10000; i++) {
		void *p = kmalloc(64);
		KASSERT(p != NULL);
		kfree(p);
	}
	mem_stats(&b);
	KEXPECT_EQ(b.heap_slab_pages, a.heap_slab_pages);
	KEXPECT_EQ(b.free_pages, a.free_pages);
	kfree(warm);
}
