/*
 * mincore and the mlock family. Pages are never swapped out, so locking is
 * bookkeeping (VMA_LOCKED, counted against RLIMIT_MEMLOCK) plus faulting
 * the pages in, as Linux's populate does.
 */
#include <frame/errno.h>
#include <frame/vm_space.h>

#include "mm_internal.h"

int mm_mincore(struct mm *mm, vaddr_t addr, size_t npages, uint8_t *vec)
{
	int err = 0;
	mutex_lock(&mm->lock);
	for (size_t i = 0; i < npages; i++) {
		vaddr_t va = addr + i * PAGE_SIZE;
		struct vma *v = vma_find(mm, va);
		if (!v || v->start > va) {
			err = -ENOMEM;
			break;
		}
		struct vm_mapping m;
		vec[i] = vm_query(mm->space, va, &m) == 0 && m.managed ? 1 : 0;
	}
	mutex_unlock(&mm->lock);
	return err;
}

/* Bytes of [@start, @end) not yet locked, or 0 when a hole makes the call fail anyway. */
static uint64_t newly_locked(struct mm *mm, vaddr_t start, vaddr_t end)
{
	uint64_t n = 0;
	for (struct vma *v = vma_find(mm, start); v && v->start < end; v = vma_next(mm, v))
		if (!(v->flags & VMA_LOCKED))
			n += MIN(v->end, end) - MAX(v->start, start);
	return n;
}

static uint64_t locked_locked(struct mm *mm)
{
	uint64_t n = 0;
	for (struct vma *v = vma_first(mm); v; v = vma_next(mm, v))
		if (v->flags & VMA_LOCKED)
			n += v->end - v->start;
	return n;
}

uint64_t mm_locked_bytes(struct mm *mm)
{
	mutex_lock(&mm->lock);
	uint64_t n = locked_locked(mm);
	mutex_unlock(&mm->lock);
	return n;
}

/* Fault in every page of @v within [@start, @end): writable private pages get their own copy. */
static void populate(struct mm *mm, struct vma *v, vaddr_t start, vaddr_t end)
{
	if (!(v->prot & (PROT_READ | PROT_WRITE | PROT_EXEC)))
		return;
	unsigned access = (v->prot & PROT_WRITE) && !(v->flags & VMA_SHARED) ? VM_WRITE : VM_READ;
	for (vaddr_t va = MAX(v->start, start); va < MIN(v->end, end); va += PAGE_SIZE)
		if (mm_fault_locked(mm, va, access) == -ENOMEM)
			return;	/* as Linux, the lock stays; memory comes back on use */
}

/* Set or clear VMA_LOCKED on [@start, @end): -ENOMEM at a hole (areas before it keep the change). */
static int apply_lock(struct mm *mm, vaddr_t start, vaddr_t end, bool lock, bool fill)
{
	struct vma *v = vma_find(mm, start);
	if (!v || v->start > start)
		return -ENOMEM;
	vaddr_t cur = start;
	while (v && v->start < end) {
		if (v->start > cur)
			return -ENOMEM;
		vaddr_t s = MAX(v->start, start), e = MIN(v->end, end);
		if (!!(v->flags & VMA_LOCKED) != lock) {
			int err = vma_split_range(mm, s, e);
			if (err)
				return err;
			v = vma_find(mm, s);
			if (lock)
				v->flags |= VMA_LOCKED;
			else
				v->flags &= ~VMA_LOCKED;
			v = vma_merge(mm, v);
		}
		if (lock && fill)
			populate(mm, v, s, e);
		cur = MIN(v->end, end);
		v = vma_next(mm, v);
	}
	return cur < end ? -ENOMEM : 0;
}

/* Page-align [@addr, @addr + @len) outward: false when it overflows the address space. */
static bool lock_range(vaddr_t addr, uint64_t len, vaddr_t *start, vaddr_t *end)
{
	*start = ALIGN_DOWN(addr, PAGE_SIZE);
	uint64_t span = mm_page_align(len + (addr - *start));
	if ((len && !span) || span > UINT64_MAX - *start)
		return false;
	*end = *start + span;
	return true;
}

int mm_mlock(struct mm *mm, vaddr_t addr, uint64_t len, uint64_t limit, bool fill)
{
	vaddr_t start, end;
	if (!lock_range(addr, len, &start, &end))
		return -EINVAL;
	if (start == end)
		return 0;
	mutex_lock(&mm->lock);
	int err = 0;
	if (limit != MM_RLIM_INFINITY &&
	    locked_locked(mm) + newly_locked(mm, start, end) > limit)
		err = -ENOMEM;
	if (!err)
		err = apply_lock(mm, start, end, true, fill);
	mutex_unlock(&mm->lock);
	return err;
}

int mm_munlock(struct mm *mm, vaddr_t addr, uint64_t len)
{
	vaddr_t start, end;
	if (!lock_range(addr, len, &start, &end))
		return -EINVAL;
	if (start == end)
		return 0;
	mutex_lock(&mm->lock);
	int err = apply_lock(mm, start, end, false, false);
	mutex_unlock(&mm->lock);
	return err;
}

int mm_mlockall(struct mm *mm, unsigned flags, uint64_t limit)
{
	/* MCL_FUTURE is accepted; new mappings are not marked (a limit: nothing swaps anyway). */
	if (!(flags & MCL_CURRENT))
		return 0;
	mutex_lock(&mm->lock);
	int err = 0;
	if (limit != MM_RLIM_INFINITY && mm_total_locked(mm) > limit)
		err = -ENOMEM;
	struct vma *v = vma_first(mm);
	while (!err && v) {
		vaddr_t next = v->end;
		if (!(v->flags & VMA_LOCKED)) {
			v->flags |= VMA_LOCKED;
			if (!(flags & MCL_ONFAULT))
				populate(mm, v, v->start, v->end);
			v = vma_merge(mm, v);
		}
		v = vma_find(mm, next);
	}
	mutex_unlock(&mm->lock);
	return err;
}

int mm_munlockall(struct mm *mm)
{
	mutex_lock(&mm->lock);
	struct vma *v = vma_first(mm);
	while (v) {
		vaddr_t next = v->end;
		if (v->flags & VMA_LOCKED) {
			v->flags &= ~VMA_LOCKED;
			v = vma_merge(mm, v);
		}
		v = vma_find(mm, next);
	}
	mutex_unlock(&mm->lock);
	return 0;
}
