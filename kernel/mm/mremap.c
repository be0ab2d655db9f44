/* mremap: shrink, grow in place, or move (MREMAP_MAYMOVE/FIXED/DONTUNMAP) with the page mappings carried over. */
#include <frame/errno.h>
#include <frame/page.h>
#include <frame/vm_space.h>

#include "mm_internal.h"

/* May the area ending at @end grow to @new_end in place? */
static bool can_extend(struct mm *mm, vaddr_t end, vaddr_t new_end)
{
	if (new_end > MM_USER_END || new_end < end)
		return false;
	struct vma *n = vma_find(mm, end);
	return !n || new_end <= vma_start_gap(n);
}

/*
 * Move [@old, @old + @old_len) (inside one area) to @to, now @new_len long:
 * a new area with the same backing and the pages remapped, then the old
 * range removed (or only emptied: DONTUNMAP; or kept: @old_len 0 duplicates
 * a shared mapping).
 */
static int move_area(struct mm *mm, vaddr_t old, uint64_t old_len, vaddr_t to,
		     uint64_t new_len, bool dontunmap)
{
	if (old_len) {
		int err = vma_split_range(mm, old, old + old_len);
		if (err)
			return err;
	}
	struct vma *v = vma_find(mm, old);
	struct vma *nv = vma_new(to, to + new_len, v->prot, v->flags, v->obj, vma_pgoff(v, old));
	if (!nv)
		return -ENOMEM;
	if (v->zero_from)
		nv->zero_from = v->zero_from - old + to;
	uint64_t moved = MIN(old_len, new_len);
	if (v->populated && moved) {
		for (uint64_t off = 0; off < moved; off += PAGE_SIZE) {
			struct vm_mapping m;
			struct page *page;
			if (vm_query(mm->space, old + off, &m) != 0 || !m.managed ||
			    vm_get_page(mm->space, old + off, &page) != 0)
				continue;
			int err = vm_map(mm->space, to + off, page, m.prot);
			page_put(page);
			if (err) {
				vm_unmap(mm->space, to, new_len);
				vma_discard(nv);
				return err;
			}
		}
		nv->populated = true;
	}
	if (!old_len) {
		/* Nothing to take away: a second view of shared memory. */
	} else if (dontunmap) {
		vm_unmap(mm->space, old, old_len);
	} else {
		int err = mm_unmap_locked(mm, old, old + old_len);
		if (err) {
			vm_unmap(mm->space, to, new_len);
			vma_discard(nv);
			return err;
		}
	}
	vma_link(mm, nv);
	vma_merge(mm, nv);
	return 0;
}

static int mremap_locked(struct mm *mm, vaddr_t addr, uint64_t old_len, uint64_t new_len,
			 unsigned long flags, vaddr_t new_addr, vaddr_t *result)
{
	if (flags & MREMAP_FIXED) {
		if (!IS_ALIGNED(new_addr, PAGE_SIZE))
			return -EINVAL;
		if (new_len > MM_USER_END || new_addr > MM_USER_END - new_len)
			return -EINVAL;
		if (new_addr < addr + old_len && addr < new_addr + new_len)
			return -EINVAL;
		if (new_addr < MM_MMAP_MIN_ADDR)
			return -EPERM;
	}
	struct vma *v = vma_find(mm, addr);
	if (!v || v->start > addr)
		return -EFAULT;
	if (!old_len && !(v->flags & VMA_SHARED))
		return -EINVAL;
	if (old_len > v->end - addr)
		return -EFAULT;
	bool data = vma_is_data(v->prot, v->flags);
	/* A grown private writable area commits the pages it adds (vm.overcommit_memory). */
	bool acct = v->flags & VMA_ACCOUNT;
	uint64_t grow = new_len > old_len ? (new_len - old_len) >> PAGE_SHIFT : 0;

	if (flags & MREMAP_FIXED) {
		int err = mm_unmap_locked(mm, new_addr, new_addr + new_len);
		if (err)
			return err;
		if (old_len > new_len) {
			err = mm_unmap_locked(mm, addr + new_len, addr + old_len);
			if (err)
				return err;
			old_len = new_len;
		}
		if (new_len > old_len && !mm_may_expand(mm, new_len - old_len, data))
			return -ENOMEM;
		if (acct && grow && mm_enough_memory(mm, grow))
			return -ENOMEM;
		err = move_area(mm, addr, old_len, new_addr, new_len, flags & MREMAP_DONTUNMAP);
		if (!err)
			*result = new_addr;
		return err;
	}

	if (old_len >= new_len && !(flags & MREMAP_DONTUNMAP)) {
		if (old_len > new_len) {
			int err = mm_unmap_locked(mm, addr + new_len, addr + old_len);
			if (err)
				return err;
		}
		*result = addr;
		return 0;
	}
	if (new_len > old_len && !mm_may_expand(mm, new_len - old_len, data))
		return -ENOMEM;
	if (acct && grow && mm_enough_memory(mm, grow))
		return -ENOMEM;
	if (old_len && addr + old_len == v->end && !(flags & MREMAP_DONTUNMAP) &&
	    can_extend(mm, v->end, addr + new_len)) {
		vma_commit_add(v, (int64_t)grow);
		v->end = addr + new_len;
		vma_merge(mm, v);
		*result = addr;
		return 0;
	}
	if (!(flags & MREMAP_MAYMOVE))
		return -ENOMEM;
	vaddr_t to;
	int err = mm_find_free(mm, 0, new_len, 0, &to);
	if (err)
		return err;
	err = move_area(mm, addr, old_len, to, new_len, flags & MREMAP_DONTUNMAP);
	if (!err)
		*result = to;
	return err;
}

int mm_mremap(struct mm *mm, vaddr_t old_addr, uint64_t old_len, uint64_t new_len,
	      unsigned long flags, vaddr_t new_addr, vaddr_t *result)
{
	if (flags & ~(unsigned long)(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP))
		return -EINVAL;
	if ((flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if ((flags & MREMAP_DONTUNMAP) && old_len != new_len)
		return -EINVAL;
	if (!IS_ALIGNED(old_addr, PAGE_SIZE))
		return -EINVAL;
	old_len = mm_page_align(old_len);
	new_len = mm_page_align(new_len);
	if (!new_len)
		return -EINVAL;
	mutex_lock(&mm->lock);
	int err = mremap_locked(mm, old_addr, old_len, new_len, flags, new_addr, result);
	mutex_unlock(&mm->lock);
	return err;
}
