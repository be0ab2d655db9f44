/* The sorted set of areas of an mm: lookup, insertion, split, merge and range removal. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/vm_space.h>

#include "mm_internal.h"

struct vma *vma_find(struct mm *mm, vaddr_t addr)
{
	for (struct vma *v = vma_first(mm); v; v = vma_next(mm, v))
		if (v->end > addr)
			return v;
	return NULL;
}

bool vma_overlaps(struct mm *mm, vaddr_t start, vaddr_t end)
{
	struct vma *v = vma_find(mm, start);
	return v && v->start < end;
}

struct vma *vma_new(vaddr_t start, vaddr_t end, unsigned prot, unsigned flags,
		    struct mm_object *obj, uint64_t pgoff)
{
	struct vma *v = kzalloc(sizeof(*v));
	if (!v)
		return NULL;
	v->start = start;
	v->end = end;
	v->prot = prot;
	v->flags = flags;
	v->obj = obj;
	v->pgoff = pgoff;
	if (obj)
		mm_object_get(obj);
	return v;
}

void vma_link(struct mm *mm, struct vma *v)
{
	struct vma *after = &mm->head;
	for (struct vma *w = vma_first(mm); w && w->start < v->start; w = vma_next(mm, w))
		after = w;
	v->prev = after;
	v->next = after->next;
	after->next->prev = v;
	after->next = v;
	mm->nvma++;
	vma_commit_linked(v);
}

void vma_discard(struct vma *v)
{
	if (v->obj)
		mm_object_put(v->obj);
	kfree(v);
}

void vma_free(struct mm *mm, struct vma *v)
{
	v->prev->next = v->next;
	v->next->prev = v->prev;
	mm->nvma--;
	vma_commit_unlinked(v);
	vma_discard(v);
}

int vma_split(struct mm *mm, struct vma *v, vaddr_t addr)
{
	struct vma *upper = vma_new(addr, v->end, v->prot, v->flags, v->obj, vma_pgoff(v, addr));
	if (!upper)
		return -ENOMEM;
	upper->zero_from = v->zero_from;
	upper->populated = v->populated;
	v->end = addr;
	/* Linked right after @v: no walk needed, the order is unchanged. */
	upper->prev = v;
	upper->next = v->next;
	v->next->prev = upper;
	v->next = upper;
	mm->nvma++;
	return 0;
}

/* Does @hi continue @lo exactly (adjacent, same everything, contiguous object pages)? */
static bool continues(const struct vma *lo, const struct vma *hi)
{
	return lo->end == hi->start && lo->prot == hi->prot && lo->flags == hi->flags &&
	       lo->obj == hi->obj && vma_pgoff(lo, lo->end) == hi->pgoff &&
	       lo->zero_from == hi->zero_from;
}

struct vma *vma_merge(struct mm *mm, struct vma *v)
{
	struct vma *n = vma_next(mm, v);
	if (n && continues(v, n)) {
		/* @v takes over @n's pages, and its charge (vma_free gives back @n's). */
		vma_commit_add(v, (int64_t)((n->end - n->start) >> PAGE_SHIFT));
		v->end = n->end;
		v->populated |= n->populated;
		vma_free(mm, n);
	}
	struct vma *p = vma_prev(mm, v);
	if (p && continues(p, v)) {
		vma_commit_add(p, (int64_t)((v->end - v->start) >> PAGE_SHIFT));
		p->end = v->end;
		p->populated |= v->populated;
		vma_free(mm, v);
		v = p;
	}
	return v;
}

int vma_split_range(struct mm *mm, vaddr_t start, vaddr_t end)
{
	struct vma *v = vma_find(mm, start);
	if (v && v->start < start && start < v->end) {
		int err = vma_split(mm, v, start);
		if (err)
			return err;
	}
	v = vma_find(mm, end);
	if (v && v->start < end && end < v->end)
		return vma_split(mm, v, end);
	return 0;
}

int mm_unmap_locked(struct mm *mm, vaddr_t start, vaddr_t end)
{
	int err = vma_split_range(mm, start, end);
	if (err)
		return err;
	struct vma *v = vma_find(mm, start);
	while (v && v->start < end) {
		struct vma *n = vma_next(mm, v);
		vma_free(mm, v);
		v = n;
	}
	/* Only order-0 pages are ever mapped here, so this cannot cut a block. */
	return vm_unmap(mm->space, start, end - start);
}

vaddr_t vma_start_gap(const struct vma *v)
{
	if (!(v->flags & VMA_GROWSDOWN))
		return v->start;
	return v->start > MM_STACK_GUARD_GAP ? v->start - MM_STACK_GUARD_GAP : 0;
}

bool vma_is_data(unsigned prot, unsigned flags)
{
	return (prot & PROT_WRITE) && !(flags & (VMA_SHARED | VMA_STACK));
}

uint64_t mm_total_locked(struct mm *mm)
{
	uint64_t n = 0;
	for (struct vma *v = vma_first(mm); v; v = vma_next(mm, v))
		n += v->end - v->start;
	return n;
}

uint64_t mm_data_locked(struct mm *mm)
{
	uint64_t n = 0;
	for (struct vma *v = vma_first(mm); v; v = vma_next(mm, v))
		if (vma_is_data(v->prot, v->flags))
			n += v->end - v->start;
	return n;
}

bool mm_may_expand(struct mm *mm, uint64_t bytes, bool data)
{
	if (mm->lim.as != MM_RLIM_INFINITY && mm_total_locked(mm) + bytes > mm->lim.as)
		return false;
	if (data && mm->lim.data != MM_RLIM_INFINITY && mm_data_locked(mm) + bytes > mm->lim.data)
		return false;
	return true;
}
