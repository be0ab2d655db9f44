/*
 * Overcommit: Linux's Committed_AS (pages of private writable areas, which
 * may all need memory of their own) and vm.overcommit_memory deciding
 * whether a new commitment is allowed: 0 refuses one larger than all RAM,
 * 1 allows everything, 2 keeps the total under CommitLimit.
 */
#include <frame/errno.h>
#include <frame/page.h>

#include "mm_internal.h"

static uint64_t committed_pages;	/* atomic */
static int overcommit_mode;		/* MM_OVERCOMMIT_* */
static int overcommit_ratio = 50;	/* percent of RAM CommitLimit allows in mode 2 */
static bool (*admin_check)(void);	/* the process layer's "caller is root"; none: every caller is */

void mm_set_admin_check(bool (*fn)(void))
{
	admin_check = fn;
}

bool vma_accountable(unsigned prot, unsigned flags)
{
	return (prot & PROT_WRITE) && !(flags & (VMA_SHARED | VMA_NORESERVE));
}

static uint64_t vma_pages(const struct vma *v)
{
	return (v->end - v->start) >> PAGE_SHIFT;
}

void vma_commit_add(const struct vma *v, int64_t pages)
{
	if (v->flags & VMA_ACCOUNT)
		__atomic_add_fetch(&committed_pages, (uint64_t)pages, __ATOMIC_RELAXED);
}

void vma_commit_linked(const struct vma *v)
{
	vma_commit_add(v, (int64_t)vma_pages(v));
}

void vma_commit_unlinked(const struct vma *v)
{
	vma_commit_add(v, -(int64_t)vma_pages(v));
}

uint64_t mm_commit_limit_pages(void)
{
	return page_count_total() * (uint64_t)__atomic_load_n(&overcommit_ratio, __ATOMIC_RELAXED) / 100;
}

uint64_t mm_committed_pages(void)
{
	return __atomic_load_n(&committed_pages, __ATOMIC_RELAXED);
}

int mm_enough_memory(struct mm *mm, uint64_t pages)
{
	bool admin = !admin_check || admin_check();
	int mode = __atomic_load_n(&overcommit_mode, __ATOMIC_RELAXED);
	uint64_t total = page_count_total();
	if (mode == MM_OVERCOMMIT_ALWAYS)
		return 0;
	if (mode == MM_OVERCOMMIT_GUESS)
		return pages > total ? -ENOMEM : 0;
	/*
	 * Linux's __vm_enough_memory: CommitLimit, less the reserves for the
	 * administrator (8 MiB, at most 3% of memory) unless the caller is
	 * root, and for the process to recover (1/32 of its size, at most
	 * 128 MiB or 3% of memory).
	 */
	uint64_t allowed = mm_commit_limit_pages();
	uint64_t three_pct = total * 3 / 100;
	uint64_t admin_reserve = MIN(three_pct, (uint64_t)MiB(8) >> PAGE_SHIFT);
	uint64_t user_reserve = MIN(three_pct, (uint64_t)MiB(128) >> PAGE_SHIFT);
	if (!admin)
		allowed = allowed > admin_reserve ? allowed - admin_reserve : 0;
	if (mm) {
		uint64_t r = MIN((mm_total_locked(mm) >> PAGE_SHIFT) / 32, user_reserve);
		allowed = allowed > r ? allowed - r : 0;
	}
	return mm_committed_pages() + pages < allowed ? 0 : -ENOMEM;
}

int mm_overcommit_mode(void)
{
	return __atomic_load_n(&overcommit_mode, __ATOMIC_RELAXED);
}

int mm_set_overcommit_mode(int64_t mode)
{
	if (mode < MM_OVERCOMMIT_GUESS || mode > MM_OVERCOMMIT_NEVER)
		return -EINVAL;
	__atomic_store_n(&overcommit_mode, (int)mode, __ATOMIC_RELAXED);
	return 0;
}

int mm_overcommit_ratio(void)
{
	return __atomic_load_n(&overcommit_ratio, __ATOMIC_RELAXED);
}

int mm_set_overcommit_ratio(int64_t ratio)
{
	/* Linux takes any non-negative int (proc_dointvec: negatives too; a percentage above 100 is allowed). */
	if (ratio < 0 || ratio > INT32_MAX)
		return -EINVAL;
	__atomic_store_n(&overcommit_ratio, (int)ratio, __ATOMIC_RELAXED);
	return 0;
}
