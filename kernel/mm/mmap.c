/* mmap, munmap and mprotect with Linux's checks, errors and placement (top-down below mmap_base, hints honoured when free). */
#include <frame/errno.h>
#include <frame/vm_space.h>

#include "mm_internal.h"

/* x86_64 MAP_32BIT window: the first 2 GiB, from 1 GiB up, as Linux. */
#define MAP_32BIT_START 0x40000000UL
#define MAP_32BIT_END 0x80000000UL

/* Flags MAP_SHARED_VALIDATE accepts (Linux's LEGACY_MAP_MASK plus MAP_FIXED_NOREPLACE...). */
#define MAP_KNOWN (MAP_TYPE | MAP_FIXED | MAP_ANONYMOUS | MAP_32BIT | MAP_GROWSDOWN | \
		   MAP_DENYWRITE | MAP_EXECUTABLE | MAP_LOCKED | MAP_NORESERVE | \
		   MAP_POPULATE | MAP_NONBLOCK | MAP_STACK | MAP_HUGETLB | MAP_FIXED_NOREPLACE)

/* Is [@addr, @addr + @len) free, guard gaps of stacks included? */
static bool range_free(struct mm *mm, vaddr_t addr, uint64_t len)
{
	if (addr < MM_MMAP_MIN_ADDR || len > MM_USER_END - addr)
		return false;
	struct vma *v = vma_find(mm, addr);
	return !v || addr + len <= vma_start_gap(v);
}

/* The highest free range of @len in [@lo, @hi), scanning gaps from the top. */
static bool search_down(struct mm *mm, vaddr_t lo, vaddr_t hi, uint64_t len, vaddr_t *out)
{
	struct vma *above = NULL;
	for (struct vma *below = vma_last(mm);; below = vma_prev(mm, below)) {
		vaddr_t gap_lo = below ? below->end : 0;
		vaddr_t gap_hi = above ? vma_start_gap(above) : MM_USER_END;
		gap_lo = MAX(gap_lo, lo);
		gap_hi = MIN(gap_hi, hi);
		if (gap_hi > gap_lo && gap_hi - gap_lo >= len) {
			*out = gap_hi - len;
			return true;
		}
		if (!below || below->end <= lo)
			return false;
		above = below;
	}
}

/* The lowest free range of @len in [@lo, @hi). */
static bool search_up(struct mm *mm, vaddr_t lo, vaddr_t hi, uint64_t len, vaddr_t *out)
{
	struct vma *below = NULL;
	for (struct vma *above = vma_first(mm);; above = vma_next(mm, above)) {
		vaddr_t gap_lo = below ? below->end : 0;
		vaddr_t gap_hi = above ? vma_start_gap(above) : MM_USER_END;
		gap_lo = MAX(gap_lo, lo);
		gap_hi = MIN(gap_hi, hi);
		if (gap_hi > gap_lo && gap_hi - gap_lo >= len) {
			*out = gap_lo;
			return true;
		}
		if (!above || vma_start_gap(above) >= hi)
			return false;
		below = above;
	}
}

int mm_find_free(struct mm *mm, vaddr_t hint, uint64_t len, unsigned long flags, vaddr_t *out)
{
	if (len > MM_USER_END - MM_MMAP_MIN_ADDR)
		return -ENOMEM;
	if (flags & MAP_32BIT)
		return search_down(mm, MAP_32BIT_START, MAP_32BIT_END, len, out) ? 0 : -ENOMEM;
	if (hint) {
		hint = mm_page_align(hint);
		if (hint && range_free(mm, hint, len)) {
			*out = hint;
			return 0;
		}
	}
	/* Linux falls back to bottom-up above the base when nothing fits below it. */
	if (search_down(mm, MM_MMAP_MIN_ADDR, mm->mmap_base, len, out) ||
	    search_up(mm, MM_MMAP_MIN_ADDR, MM_USER_END, len, out))
		return 0;
	return -ENOMEM;
}

/* Page-table pre-population for MAP_POPULATE and MADV_POPULATE_*: failures are left to later faults. */
static void populate(struct mm *mm, vaddr_t start, vaddr_t end, unsigned access)
{
	for (vaddr_t a = start; a < end; a += PAGE_SIZE)
		if (mm_fault_locked(mm, a, access) != 0)
			break;
}

int mm_map_area(struct mm *mm, vaddr_t start, vaddr_t end, unsigned prot, unsigned vflags,
		struct mm_object *obj, uint64_t pgoff, struct vma **out)
{
	if (!obj)
		pgoff = start >> PAGE_SHIFT;
	if (vma_accountable(prot, vflags))
		vflags |= VMA_ACCOUNT;
	struct vma *v = vma_new(start, end, prot, vflags, obj, pgoff);
	if (!v)
		return -ENOMEM;
	int err = mm_unmap_locked(mm, start, end);
	/* As Linux's mmap_region, the commitment is checked once what it replaces is gone. */
	if (!err && (vflags & VMA_ACCOUNT))
		err = mm_enough_memory(mm, (end - start) >> PAGE_SHIFT);
	if (err) {
		vma_discard(v);
		return err;
	}
	vma_link(mm, v);
	*out = v;
	return 0;
}

static int mmap_locked(struct mm *mm, vaddr_t addr, uint64_t len, unsigned prot,
		       unsigned long flags, struct mm_object *obj, uint64_t pgoff, vaddr_t *result)
{
	bool fixed = flags & (MAP_FIXED | MAP_FIXED_NOREPLACE);
	if (fixed) {
		if (!IS_ALIGNED(addr, PAGE_SIZE))
			return -EINVAL;
		if (len > MM_USER_END || addr > MM_USER_END - len)
			return -ENOMEM;
		if (addr < MM_MMAP_MIN_ADDR)
			return -EPERM;
		if ((flags & MAP_FIXED_NOREPLACE) && vma_overlaps(mm, addr, addr + len))
			return -EEXIST;
	} else {
		int err = mm_find_free(mm, addr < MM_MMAP_MIN_ADDR && addr ? MM_MMAP_MIN_ADDR : addr,
				       len, flags, &addr);
		if (err)
			return err;
	}
	if (mm->nvma >= MM_MAX_MAP_COUNT)
		return -ENOMEM;

	unsigned vflags = 0;
	if ((flags & MAP_TYPE) != MAP_PRIVATE)
		vflags |= VMA_SHARED;
	if (flags & MAP_GROWSDOWN)
		vflags |= VMA_GROWSDOWN;
	if ((flags & MAP_NORESERVE) && mm_overcommit_mode() != MM_OVERCOMMIT_NEVER)
		vflags |= VMA_NORESERVE;

	/* RLIMIT_AS/DATA count what the mapping adds beyond what MAP_FIXED replaces. */
	uint64_t replaced = 0, replaced_data = 0;
	for (struct vma *v = vma_find(mm, addr); v && v->start < addr + len; v = vma_next(mm, v)) {
		uint64_t n = MIN(v->end, addr + len) - MAX(v->start, addr);
		replaced += n;
		if (vma_is_data(v->prot, v->flags))
			replaced_data += n;
	}
	bool data = vma_is_data(prot, vflags);
	if (mm->lim.as != MM_RLIM_INFINITY && mm_total_locked(mm) - replaced + len > mm->lim.as)
		return -ENOMEM;
	if (data && mm->lim.data != MM_RLIM_INFINITY &&
	    mm_data_locked(mm) - replaced_data + len > mm->lim.data)
		return -ENOMEM;

	struct mm_object *anon = NULL;
	if (!obj && (vflags & VMA_SHARED)) {
		anon = mm_anon_create(len);
		if (!anon)
			return -ENOMEM;
		obj = anon;
		pgoff = 0;
	}
	struct vma *v;
	int err = mm_map_area(mm, addr, addr + len, prot, vflags, obj, pgoff, &v);
	if (anon)
		mm_object_put(anon);	/* the area holds it now */
	if (err)
		return err;
	vma_merge(mm, v);
	if ((flags & MAP_POPULATE) && !(flags & MAP_NONBLOCK))
		populate(mm, addr, addr + len, (prot & PROT_WRITE) && !(vflags & VMA_SHARED) ? VM_WRITE : VM_READ);
	*result = addr;
	return 0;
}

int mm_mmap(struct mm *mm, vaddr_t addr, uint64_t len, unsigned long prot,
	    unsigned long flags, struct mm_object *obj, uint64_t off, vaddr_t *result)
{
	if (!IS_ALIGNED(off, PAGE_SIZE))
		return -EINVAL;
	bool anon = flags & MAP_ANONYMOUS;
	if (!anon && !obj)
		return -EBADF;
	if (anon)
		obj = NULL;
	if (!len)
		return -EINVAL;
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	switch (flags & MAP_TYPE) {
	case MAP_SHARED:
		/* Plain MAP_SHARED ignores unknown flags, as Linux. */
		flags &= MAP_KNOWN;
		break;
	case MAP_SHARED_VALIDATE:
		if (flags & ~MAP_KNOWN)
			return -EOPNOTSUPP;
		break;
	case MAP_PRIVATE:
		break;
	default:
		return -EINVAL;
	}
	if ((flags & MAP_TYPE) != MAP_PRIVATE && (flags & MAP_GROWSDOWN))
		return -EINVAL;
	if (flags & MAP_HUGETLB)
		return -ENOMEM;	/* no huge page pool, like Linux with nr_hugepages=0 */
	len = mm_page_align(len);
	if (!len)
		return -ENOMEM;
	uint64_t pgoff = off >> PAGE_SHIFT;
	if (pgoff + (len >> PAGE_SHIFT) < pgoff)
		return -EOVERFLOW;
	/* Linux's file_mmap_ok(): a file mapping must end within MAX_LFS_FILESIZE. */
	if (obj && (len > (uint64_t)INT64_MAX || off > (uint64_t)INT64_MAX - len))
		return -EOVERFLOW;
	prot &= PROT_READ | PROT_WRITE | PROT_EXEC;
	if (obj && obj->ops->may_map) {
		int err = obj->ops->may_map(obj, prot, flags & MAP_TYPE);
		if (err)
			return err;
	}
	mutex_lock(&mm->lock);
	int err = mmap_locked(mm, addr, len, prot, flags, obj, pgoff, result);
	mutex_unlock(&mm->lock);
	return err;
}

int mm_munmap(struct mm *mm, vaddr_t addr, uint64_t len)
{
	if (!IS_ALIGNED(addr, PAGE_SIZE))
		return -EINVAL;
	len = mm_page_align(len);
	if (!len || addr >= MM_USER_END || len > MM_USER_END - addr)
		return -EINVAL;
	mutex_lock(&mm->lock);
	int err = mm_unmap_locked(mm, addr, addr + len);
	mutex_unlock(&mm->lock);
	return err;
}

#define PROT_ALL_BITS (PROT_READ | PROT_WRITE | PROT_EXEC | 0x8 /* PROT_SEM */ | \
		       PROT_GROWSDOWN | PROT_GROWSUP)

static int mprotect_locked(struct mm *mm, vaddr_t start, vaddr_t end, unsigned prot, bool growsdown)
{
	struct vma *v = vma_find(mm, start);
	if (!v)
		return -ENOMEM;
	if (growsdown) {
		if (v->start >= end || !(v->flags & VMA_GROWSDOWN))
			return -EINVAL;
		start = v->start;
	}
	if (v->start > start)
		return -ENOMEM;
	/* As Linux, the areas before a hole keep their new protection and the call fails with -ENOMEM. */
	vaddr_t cur = start;
	while (v && v->start < end) {
		if (v->start > cur)
			return -ENOMEM;
		if (v->obj && !v->obj->anon && v->obj->ops->may_map) {
			int err = v->obj->ops->may_map(v->obj, prot,
						       v->flags & VMA_SHARED ? MAP_SHARED : MAP_PRIVATE);
			if (err)
				return err;
		}
		vaddr_t s = MAX(v->start, start), e = MIN(v->end, end);
		bool to_data = vma_is_data(prot, v->flags) && !vma_is_data(v->prot, v->flags);
		if (to_data && mm->lim.data != MM_RLIM_INFINITY &&
		    mm_data_locked(mm) + (e - s) > mm->lim.data)
			return -ENOMEM;
		/* Linux's mprotect_fixup: a private area made writable is committed from then on. */
		bool charge = !(v->flags & VMA_ACCOUNT) && vma_accountable(prot, v->flags);
		if (charge && mm_enough_memory(mm, (e - s) >> PAGE_SHIFT))
			return -ENOMEM;
		if (v->prot != prot) {
			int err = vma_split_range(mm, s, e);
			if (err)
				return err;
			v = vma_find(mm, s);
			v->prot = prot;
			if (charge) {
				v->flags |= VMA_ACCOUNT;
				vma_commit_linked(v);
			}
			mm_apply_prot(mm, v);
			v = vma_merge(mm, v);
		}
		cur = MIN(v->end, end);
		v = vma_next(mm, v);
	}
	return cur < end ? -ENOMEM : 0;
}

int mm_mprotect(struct mm *mm, vaddr_t addr, uint64_t len, unsigned long prot)
{
	if (!IS_ALIGNED(addr, PAGE_SIZE) || (prot & ~(unsigned long)PROT_ALL_BITS))
		return -EINVAL;
	if ((prot & PROT_GROWSDOWN) && (prot & PROT_GROWSUP))
		return -EINVAL;
	if (prot & PROT_GROWSUP)
		return -EINVAL;	/* x86_64 has no grows-up areas */
	if (!len)
		return 0;
	len = mm_page_align(len);
	if (!len || addr + len < addr)
		return -ENOMEM;
	mutex_lock(&mm->lock);
	int err = mprotect_locked(mm, addr, addr + len, prot & (PROT_READ | PROT_WRITE | PROT_EXEC),
				  prot & PROT_GROWSDOWN);
	mutex_unlock(&mm->lock);
	return err;
}
