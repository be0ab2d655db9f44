/* msync: Linux's argument checks over the areas, then MS_SYNC's write-back of the shared file mappings in the range. */
#include <abi/mman.h>
#include <frame/errno.h>

#include "mm_internal.h"

/* Areas whose objects one msync writes back; the rest of a huge range is written by the next one. */
#define MSYNC_MAX_OBJECTS 16

struct msync_job {
	struct mm_object *obj;	/* referenced */
	uint64_t first, last;
};

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
	struct msync_job jobs[MSYNC_MAX_OBJECTS];
	unsigned njobs = 0;
	vaddr_t range_start = start;
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
		if ((flags & MS_SYNC) && v->obj && (v->flags & VMA_SHARED) && v->obj->ops->sync &&
		    njobs < MSYNC_MAX_OBJECTS) {
			vaddr_t s0 = MAX(v->start, range_start), e0 = MIN(v->end, end);
			mm_object_get(v->obj);
			jobs[njobs++] = (struct msync_job){ v->obj,
				v->pgoff + ((s0 - v->start) >> PAGE_SHIFT),
				v->pgoff + ((e0 - 1 - v->start) >> PAGE_SHIFT) };
		}
		start = v->end;
		if (start >= end) {
			err = unmapped;
			break;
		}
		v = vma_next(mm, v);
	}
	mutex_unlock(&mm->lock);
	/* I/O without the address space's lock: faults on it go on meanwhile. */
	for (unsigned i = 0; i < njobs; i++) {
		int e = jobs[i].obj->ops->sync(jobs[i].obj, jobs[i].first, jobs[i].last);
		if (e && !err)
			err = -EIO;
		mm_object_put(jobs[i].obj);
	}
	return err;
}
