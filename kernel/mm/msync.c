/* msync: Linux's argument checks over the areas; shared file pages are the file's own, so no write-back is needed. */
#include <frame/errno.h>

#include "mm_internal.h"

int mm_msync(struct mm *mm, vaddr_t addr, uint64_t len, int flags)
{
	if (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC))
		return -EINVAL;
	if (!IS_ALIGNED(addr, PAGE_SIZE))
		return -EINVAL;
	if ((flags & MS_ASYNC) && (flags & MS_SYNC))
		return -EINVAL;
	uint64_t alen = mm_page_align(len);
	if (len && !alen)
		return -ENOMEM;
	vaddr_t start = addr, end = addr + alen;
	if (end < start)
		return -ENOMEM;
	if (end == start)
		return 0;
	int err = 0, unmapped = 0;
	mutex_lock(&mm->lock);
	struct vma *v = vma_find(mm, start);
	for (;;) {
		if (!v) {
			err = -ENOMEM;
			break;
		}
		if (start < v->start) {
			/* As Linux: MS_SYNC alone stops at a hole, the others go on and report it. */
			if (flags == MS_SYNC) {
				err = -ENOMEM;
				break;
			}
			start = v->start;
			if (start >= end) {
				err = -ENOMEM;
				break;
			}
			unmapped = -ENOMEM;
		}
		if ((flags & MS_INVALIDATE) && (v->flags & VMA_LOCKED)) {
			err = -EBUSY;
			break;
		}
		start = v->end;
		if (start >= end) {
			err = unmapped;
			break;
		}
		v = vma_next(mm, v);
	}
	mutex_unlock(&mm->lock);
	return err;
}
