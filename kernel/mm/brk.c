/* brk: the program break between the end of the program's data and the next mapping, under RLIMIT_DATA. */
#include <frame/errno.h>

#include "mm_internal.h"

/* Linux's check_data_rlimit(): the heap plus the data segment. */
static bool data_ok(struct mm *mm, vaddr_t brk)
{
	if (mm->lim.data == MM_RLIM_INFINITY)
		return true;
	return (brk - mm->start_brk) + (mm->end_data - mm->start_data) <= mm->lim.data;
}

static vaddr_t brk_locked(struct mm *mm, vaddr_t brk)
{
	if (!mm->start_brk || brk < mm->start_brk || brk > MM_USER_END)
		return mm->brk;
	if (!data_ok(mm, brk))
		return mm->brk;
	vaddr_t newe = ALIGN_UP(brk, PAGE_SIZE), olde = ALIGN_UP(mm->brk, PAGE_SIZE);
	if (newe == olde) {
		mm->brk = brk;
		return brk;
	}
	if (newe < olde) {
		if (mm_unmap_locked(mm, newe, olde) != 0)
			return mm->brk;
		mm->brk = brk;
		return brk;
	}
	/* Growing: the new pages must not reach within a page of the next mapping (or a stack's guard gap). */
	struct vma *next = vma_find(mm, olde);
	if (next && newe + PAGE_SIZE > vma_start_gap(next))
		return mm->brk;
	if (!mm_may_expand(mm, newe - olde, true) || mm->nvma >= MM_MAX_MAP_COUNT)
		return mm->brk;
	if (mm_enough_memory(mm, (newe - olde) >> PAGE_SHIFT))
		return mm->brk;
	struct vma *v = vma_new(olde, newe, PROT_READ | PROT_WRITE, VMA_ACCOUNT, NULL, olde >> PAGE_SHIFT);
	if (!v)
		return mm->brk;
	vma_link(mm, v);
	vma_merge(mm, v);
	mm->brk = brk;
	return brk;
}

vaddr_t mm_brk(struct mm *mm, vaddr_t brk)
{
	mutex_lock(&mm->lock);
	vaddr_t r = brk_locked(mm, brk);
	mutex_unlock(&mm->lock);
	return r;
}
