/* kmalloc/kfree: size-class slabs of single pages, whole page blocks above 2 KiB. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/string.h>

#include "mm_private.h"

/* Sanitized test kernel (not the hosted frame's ASan): kfree goes through KASAN's quarantine. */
#if defined(__SANITIZE_ADDRESS__) && !defined(FRAME_HOSTED)
#define HEAP_QUARANTINE
static void quarantine_recycle(unsigned c);
#endif

/* Finer than powers of two between 64 and 512, where most objects fall. */
static const uint16_t class_size[] = { 8, 16, 32, 64, 96, 128, 192, 256, 384, 512, 1024, 2048 };
#define NCLASSES ARRAY_SIZE(class_size)

struct slab_cache {
	struct page_link partial; /* slabs with at least one free object */
	uint64_t pages;
	uint64_t live;            /* objects handed out and not yet kfree'd */
};

static struct slab_cache caches[NCLASSES];
static bool caches_ready;
static uint64_t large_pages, large_live, live_bytes;
static struct mm_lock heap_lock = MM_LOCK_INIT("heap");

static unsigned size_to_class(size_t size)
{
	unsigned c = 0;
	while (class_size[c] < size)
		c++;
	return c;
}

/*
 * The free list threads through the free objects themselves; those are
 * poisoned, so reading or writing the link opens just that word.
 */
static void *obj_next(void *obj)
{
	void *next;
	mm_hook_unpoison(obj, sizeof(void *));
	memcpy(&next, obj, sizeof(next));
	mm_hook_poison(obj, sizeof(void *));
	return next;
}

static void obj_set_next(void *obj, void *next)
{
	mm_hook_unpoison(obj, sizeof(void *));
	memcpy(obj, &next, sizeof(next));
	mm_hook_poison(obj, sizeof(void *));
}

static void caches_init(void)
{
	for (unsigned c = 0; c < NCLASSES; c++)
		link_init(&caches[c].partial);
	caches_ready = true;
}

static struct page *slab_new(unsigned c)
{
	struct page *p = page_alloc(0, 0);
	if (!p)
		return NULL;
	char *base = page_to_virt(p);
	unsigned n = PAGE_SIZE / class_size[c];
	mm_hook_poison(base, PAGE_SIZE);
	/* Link objects in address order so fresh slabs hand them out ascending. */
	for (unsigned i = 0; i < n; i++)
		obj_set_next(base + i * class_size[c],
			     i + 1 < n ? base + (i + 1) * class_size[c] : NULL);
	p->flags |= PG_SLAB;
	p->slab_class = (uint8_t)c;
	p->slab_inuse = 0;
	p->slab_free = base;
	link_add(&caches[c].partial, &p->link);
	caches[c].pages++;
	return p;
}

static void *slab_alloc(size_t size)
{
	unsigned c = size_to_class(size);
	struct slab_cache *sc = &caches[c];
#ifdef HEAP_QUARANTINE
	/* KASAN: reuse quarantined objects of this class before growing the heap. */
	if (caches_ready && link_empty(&sc->partial))
		quarantine_recycle(c);
#endif

	mm_lock_acquire(&heap_lock);
	if (!caches_ready)
		caches_init();
	struct page *p;
	if (link_empty(&sc->partial)) {
		/* page_alloc takes its own lock; the heap lock only guards the caches. */
		p = slab_new(c);
		if (!p) {
			mm_lock_release(&heap_lock);
			return NULL;
		}
	} else {
		p = container_of(sc->partial.next, struct page, link);
	}
	void *obj = p->slab_free;
	p->slab_free = obj_next(obj);
	p->slab_inuse++;
	if (!p->slab_free)
		link_del(&p->link);
	live_bytes += class_size[c];
	sc->live++;
	mm_lock_release(&heap_lock);
	mm_hook_unpoison(obj, size);
	return obj;
}

static void slab_free(struct page *p, const void *ptr, size_t size)
{
	unsigned c = p->slab_class;
	struct slab_cache *sc = &caches[c];
	char *base = page_to_virt(p);
	size_t off = (size_t)((const char *)ptr - base);

	if (off % class_size[c])
		panic("kfree(%p): not the start of a %u-byte object", ptr, class_size[c]);
	mm_hook_poison(ptr, class_size[c]);

	mm_lock_acquire(&heap_lock);
	BUG_ON(p->slab_inuse == 0);
	bool was_full = p->slab_free == NULL;
	obj_set_next((void *)(base + off), p->slab_free);
	p->slab_free = base + off;
	p->slab_inuse--;
	live_bytes -= size;
	if (size)
		sc->live--;
	if (was_full)
		link_add(&sc->partial, &p->link);
	/* Keep one empty slab per class so alloc/free pairs do not thrash pages. */
	bool release = p->slab_inuse == 0 && sc->partial.next != sc->partial.prev;
	if (release) {
		link_del(&p->link);
		sc->pages--;
		p->flags &= (uint8_t)~PG_SLAB;
	}
	mm_lock_release(&heap_lock);
	if (release)
		page_put(p);
}

static void *large_alloc(size_t size)
{
	unsigned order = 0;
	while ((PAGE_SIZE << order) < size)
		order++;
	struct page *p = page_alloc(order, 0);
	if (!p)
		return NULL;
	p->flags |= PG_LARGE;
	p->large_size = size;
	void *va = page_to_virt(p);
	mm_lock_acquire(&heap_lock);
	large_pages += 1UL << order;
	large_live++;
	live_bytes += size;
	mm_lock_release(&heap_lock);
	/* Past the request is off limits, as for slab objects. */
	mm_hook_poison((char *)va + size, (PAGE_SIZE << order) - size);
	return va;
}

void *kmalloc(size_t size)
{
	if (size > KMALLOC_MAX_SIZE || fault_inject_fail())
		return NULL;
	if (size <= KMALLOC_MAX_SLAB)
		return slab_alloc(size);
	return large_alloc(size);
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);
	if (p)
		memset(p, 0, size);
	return p;
}

void *kcalloc(size_t n, size_t size)
{
	size_t total;
	if (__builtin_mul_overflow(n, size, &total))
		return NULL;
	return kzalloc(total);
}

/* The descriptor of a live allocation; a pointer kmalloc never returned is a bug. */
static struct page *heap_page(const void *ptr)
{
	struct page *p = page_from_virt(ptr);
	if (!p || page_counts(p) == 0 || !(p->flags & (PG_SLAB | PG_LARGE)))
		panic("kfree/ksize(%p): not a kmalloc pointer", ptr);
	return p;
}

/* A slab object's request is not stored: live_bytes counts its class size. */
size_t ksize(const void *ptr)
{
	struct page *p = heap_page(ptr);
	if (p->flags & PG_LARGE)
		return p->large_size;
	return class_size[p->slab_class];
}

#ifdef HEAP_QUARANTINE
/* The quarantine (frame/sanitize) delays slab frees; kfree already counted them. */
static void quarantine_release(const void *ptr)
{
	struct page *p = heap_page(ptr);
	slab_free(p, ptr, 0);
}

static void quarantine_recycle(unsigned c)
{
	const void *ptr;
	while ((ptr = kasan_quarantine_take(class_size[c])))
		quarantine_release(ptr);
}
#endif

void kfree(const void *ptr)
{
	if (!ptr)
		return;
	struct page *p = heap_page(ptr);
#ifdef HEAP_QUARANTINE
	/* KASAN: a small object waits poisoned in the quarantine; the oldest one it lets go is freed. */
	if (p->flags & PG_SLAB) {
		const void *evict;
		if (kasan_quarantine_put(ptr, class_size[p->slab_class], &evict))
			return;
		mm_lock_acquire(&heap_lock);
		live_bytes -= class_size[p->slab_class];
		caches[p->slab_class].live--;
		mm_lock_release(&heap_lock);
		if (evict)
			quarantine_release(evict);
		return;
	}
#endif
	if (p->flags & PG_SLAB) {
		slab_free(p, ptr, class_size[p->slab_class]);
		return;
	}
	if (ptr != page_to_virt(p))
		panic("kfree(%p): inside a large allocation", ptr);
	mm_lock_acquire(&heap_lock);
	large_pages -= 1UL << p->order;
	large_live--;
	live_bytes -= p->large_size;
	mm_lock_release(&heap_lock);
	p->flags &= (uint8_t)~PG_LARGE;
	page_put(p);
}

void *krealloc(void *ptr, size_t size)
{
	if (!ptr)
		return kmalloc(size);
	if (size == 0) {
		kfree(ptr);
		return NULL;
	}
	size_t old = ksize(ptr);
	void *n = kmalloc(size);
	if (!n)
		return NULL;
	/* The tail of the old size class may be poisoned; it is copied as is. */
	mm_hook_unpoison(ptr, old);
	memcpy(n, ptr, MIN(old, size));
	kfree(ptr);
	return n;
}

void heap_stats(struct mem_stats *out)
{
	mm_lock_acquire(&heap_lock);
	for (unsigned c = 0; c < NCLASSES; c++) {
		out->heap_slab_pages += caches[c].pages;
		out->heap_objects += caches[c].live;
	}
	out->heap_large_pages = large_pages;
	out->heap_objects += large_live;
	out->heap_bytes = live_bytes;
	mm_lock_release(&heap_lock);
}

unsigned heap_class_count(void)
{
	return NCLASSES;
}

int heap_class_stats(unsigned index, struct heap_class_stats *out)
{
	if (index >= NCLASSES)
		return -EINVAL;
	mm_lock_acquire(&heap_lock);
	out->object_size = class_size[index];
	out->live_objects = caches[index].live;
	out->pages = caches[index].pages;
	out->objects_per_page = PAGE_SIZE / class_size[index];
	mm_lock_release(&heap_lock);
	return 0;
}
