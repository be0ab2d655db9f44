/* Memory objects behind mappings: reference counting, and shared anonymous memory as an object whose pages are made on first use. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/mutex.h>
#include <frame/page.h>

#include "mm_internal.h"

void mm_object_init(struct mm_object *obj, const struct mm_object_ops *ops)
{
	obj->ops = ops;
	obj->refs = 1;
	obj->anon = false;
	obj->dev_major = obj->dev_minor = 0;
	obj->ino = 0;
}

void mm_object_get(struct mm_object *obj)
{
	__atomic_fetch_add(&obj->refs, 1, __ATOMIC_RELAXED);
}

void mm_object_put(struct mm_object *obj)
{
	if (obj && __atomic_sub_fetch(&obj->refs, 1, __ATOMIC_ACQ_REL) == 0)
		obj->ops->release(obj);
}

/*
 * Shared anonymous memory (MAP_SHARED|MAP_ANONYMOUS, later SysV shm and
 * memfd): a fixed number of pages, each allocated zeroed on first use and
 * kept until the object goes. A flat array suffices: the size is fixed at
 * creation and mremap of shared memory only needs pages that exist.
 */
struct anon_object {
	struct mm_object obj;
	struct mutex lock;
	uint64_t npages;
	struct page **pages;
};

static struct anon_object *to_anon(struct mm_object *obj)
{
	return container_of(obj, struct anon_object, obj);
}

static int anon_get_page(struct mm_object *obj, uint64_t pgoff, struct page **out)
{
	struct anon_object *a = to_anon(obj);
	if (pgoff >= a->npages)
		return -EIO;
	mutex_lock(&a->lock);
	struct page *p = a->pages[pgoff];
	if (!p) {
		p = page_alloc(0, PAGE_ZERO | PAGE_USER);
		a->pages[pgoff] = p;
	}
	if (p)
		page_get(p);
	mutex_unlock(&a->lock);
	if (!p)
		return -ENOMEM;
	*out = p;
	return 0;
}

static void anon_release(struct mm_object *obj)
{
	struct anon_object *a = to_anon(obj);
	for (uint64_t i = 0; i < a->npages; i++)
		if (a->pages[i])
			page_put(a->pages[i]);
	kfree(a->pages);
	kfree(a);
}

static const struct mm_object_ops anon_ops = {
	.get_page = anon_get_page,
	.release = anon_release,
};

struct mm_object *mm_anon_create(uint64_t size)
{
	uint64_t npages = mm_page_align(size) >> PAGE_SHIFT;
	if (!npages)
		return NULL;
	struct anon_object *a = kzalloc(sizeof(*a));
	if (!a)
		return NULL;
	a->pages = kcalloc(npages, sizeof(*a->pages));
	if (!a->pages) {
		kfree(a);
		return NULL;
	}
	mm_object_init(&a->obj, &anon_ops);
	a->obj.anon = true;
	mutex_init(&a->lock, "anon object");
	a->npages = npages;
	return &a->obj;
}
