/* fork: a copy of an address space, private pages shared copy-on-write by reference, shared mappings shared. */
#include <frame/errno.h>
#include <frame/page.h>
#include <frame/vm_space.h>

#include "mm_internal.h"

/*
 * Share @pv's mapped pages with @child at the same addresses. Private
 * writable pages lose their write right on both sides, so whichever writes
 * first takes a copy (or, once alone, just gets the right back).
 */
static int copy_pages(struct mm *parent, struct mm *child, struct vma *pv)
{
	bool cow = !(pv->flags & VMA_SHARED);
	for (vaddr_t a = pv->start; a < pv->end; a += PAGE_SIZE) {
		struct vm_mapping m;
		struct page *page;
		if (vm_query(parent->space, a, &m) != 0 || !m.managed ||
		    vm_get_page(parent->space, a, &page) != 0)
			continue;
		unsigned prot = m.prot;
		int err = 0;
		if (cow && (prot & VM_WRITE)) {
			prot &= ~VM_WRITE;
			err = vm_protect(parent->space, a, PAGE_SIZE, prot);
		}
		if (!err)
			err = vm_map(child->space, a, page, prot);
		page_put(page);
		if (err)
			return err;
	}
	return 0;
}

static int fork_locked(struct mm *parent, struct mm *child)
{
	child->lim = parent->lim;
	child->mmap_base = parent->mmap_base;
	child->start_brk = parent->start_brk;
	child->brk = parent->brk;
	child->start_data = parent->start_data;
	child->end_data = parent->end_data;
	child->stack_top = parent->stack_top;
	for (struct vma *pv = vma_first(parent); pv; pv = vma_next(parent, pv)) {
		if (pv->flags & VMA_DONTFORK)
			continue;
		/* Linux's dup_mmap: each private writable area of the child is a new commitment. */
		if ((pv->flags & VMA_ACCOUNT) &&
		    mm_enough_memory(parent, (pv->end - pv->start) >> PAGE_SHIFT))
			return -ENOMEM;
		/* Locks are not inherited (Linux clears VM_LOCKED in the child). */
		struct vma *cv = vma_new(pv->start, pv->end, pv->prot, pv->flags & ~VMA_LOCKED, pv->obj, pv->pgoff);
		if (!cv)
			return -ENOMEM;
		cv->zero_from = pv->zero_from;
		/* Appending keeps the child's list sorted without a walk. */
		cv->prev = child->head.prev;
		cv->next = &child->head;
		child->head.prev->next = cv;
		child->head.prev = cv;
		child->nvma++;
		vma_commit_linked(cv);
		if ((pv->flags & VMA_WIPEONFORK) || !pv->populated)
			continue;
		cv->populated = true;
		int err = copy_pages(parent, child, pv);
		if (err)
			return err;
	}
	return 0;
}

int mm_fork(struct mm *parent, struct mm **child)
{
	struct mm *c = mm_create();
	if (!c)
		return -ENOMEM;
	mutex_lock(&parent->lock);
	int err = fork_locked(parent, c);
	mutex_unlock(&parent->lock);
	if (err) {
		/* The parent keeps read-only private pages: its next write fault restores the right. */
		mm_put(c);
		return err;
	}
	*child = c;
	return 0;
}
