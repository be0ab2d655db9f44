/* madvise: MADV_DONTNEED/FREE drop pages (private anonymous memory reads as zero again), fork flags, populate; hints accepted. */
#include <frame/errno.h>
#include <frame/vm_space.h>

#include "mm_internal.h"

/* Advice values beyond abi/mman.h (Linux uapi asm-generic/mman-common.h). */
#define MADV_MERGEABLE 12
#define MADV_UNMERGEABLE 13
#define MADV_HUGEPAGE 14
#define MADV_NOHUGEPAGE 15
#define MADV_DONTDUMP 16
#define MADV_DODUMP 17
#define MADV_WIPEONFORK 18
#define MADV_KEEPONFORK 19
#define MADV_COLD 20
#define MADV_PAGEOUT 21
#define MADV_POPULATE_READ 22
#define MADV_POPULATE_WRITE 23

/* What Linux (x86_64 defconfig: no KSM, THP on) accepts; the rest is -EINVAL. */
static bool known(int advice)
{
	switch (advice) {
	case MADV_NORMAL: case MADV_RANDOM: case MADV_SEQUENTIAL: case MADV_WILLNEED:
	case MADV_DONTNEED: case MADV_FREE: case MADV_REMOVE: case MADV_DONTFORK:
	case MADV_DOFORK: case MADV_HUGEPAGE: case MADV_NOHUGEPAGE: case MADV_DONTDUMP:
	case MADV_DODUMP: case MADV_WIPEONFORK: case MADV_KEEPONFORK: case MADV_COLD:
	case MADV_PAGEOUT: case MADV_POPULATE_READ: case MADV_POPULATE_WRITE:
		return true;
	default:
		return false;
	}
}

/* Areas whose flags change get split to the range; merged back afterwards. */
static int set_flag(struct mm *mm, vaddr_t s, vaddr_t e, unsigned set, unsigned clear)
{
	int err = vma_split_range(mm, s, e);
	if (err)
		return err;
	struct vma *v = vma_find(mm, s);
	v->flags = (v->flags | set) & ~clear;
	vma_merge(mm, v);
	return 0;
}

/* Apply @advice to [@s, @e), which lies inside @v. */
static int advise_area(struct mm *mm, struct vma *v, vaddr_t s, vaddr_t e, int advice)
{
	switch (advice) {
	case MADV_DONTNEED:
		/* Private pages go (anonymous: zero on next touch; file: re-read); shared ones stay in their object. */
		return vm_unmap(mm->space, s, e - s);
	case MADV_FREE:
		if (v->obj)
			return -EINVAL;
		return vm_unmap(mm->space, s, e - s);
	case MADV_REMOVE:
		if (!(v->flags & VMA_SHARED) || !(v->prot & PROT_WRITE))
			return -EINVAL;
		return vm_unmap(mm->space, s, e - s);	/* the object keeps the data: no hole punching yet */
	case MADV_WIPEONFORK:
	case MADV_KEEPONFORK:
		if (v->obj || (v->flags & VMA_SHARED))
			return -EINVAL;
		return advice == MADV_WIPEONFORK ? set_flag(mm, s, e, VMA_WIPEONFORK, 0)
						 : set_flag(mm, s, e, 0, VMA_WIPEONFORK);
	case MADV_DONTFORK:
		return set_flag(mm, s, e, VMA_DONTFORK, 0);
	case MADV_DOFORK:
		return set_flag(mm, s, e, 0, VMA_DONTFORK);
	case MADV_POPULATE_READ:
	case MADV_POPULATE_WRITE: {
		unsigned access = advice == MADV_POPULATE_WRITE ? VM_WRITE : VM_READ;
		for (vaddr_t a = s; a < e; a += PAGE_SIZE) {
			int err = mm_fault_locked(mm, a, access);
			if (err)
				return err == -ENOMEM ? -ENOMEM : err == -EIO ? -EFAULT : -EINVAL;
		}
		return 0;
	}
	default:
		return 0;	/* hints: nothing to do */
	}
}

static int madvise_locked(struct mm *mm, vaddr_t start, vaddr_t end, int advice)
{
	bool hole = false;
	vaddr_t cur = start;
	while (cur < end) {
		struct vma *v = vma_find(mm, cur);
		if (!v || v->start >= end) {
			hole = true;
			break;
		}
		if (v->start > cur)
			hole = true;
		vaddr_t s = MAX(v->start, cur), e = MIN(v->end, end);
		int err = advise_area(mm, v, s, e, advice);
		if (err)
			return err;
		cur = e;
	}
	return hole ? -ENOMEM : 0;
}

int mm_madvise(struct mm *mm, vaddr_t addr, uint64_t len, int advice)
{
	if (!IS_ALIGNED(addr, PAGE_SIZE) || !known(advice))
		return -EINVAL;
	uint64_t alen = mm_page_align(len);
	if (len && !alen)
		return -EINVAL;
	if (addr + alen < addr)
		return -EINVAL;
	if (!alen)
		return 0;
	mutex_lock(&mm->lock);
	int err = madvise_locked(mm, addr, addr + alen, advice);
	mutex_unlock(&mm->lock);
	return err;
}
