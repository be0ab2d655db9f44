/* Page faults: demand-zero and file pages, copy-on-write, stack growth, and the error a signal layer turns into SIGSEGV or SIGBUS. */
#include <frame/errno.h>
#include <frame/page.h>
#include <frame/vm_space.h>

#include "mm_internal.h"

/* x86_64 semantics: any user-accessible page is readable; write and exec need their bit. */
static bool access_allowed(unsigned prot, unsigned access)
{
	if (!(prot & (PROT_READ | PROT_WRITE | PROT_EXEC)))
		return false;
	if ((access & VM_WRITE) && !(prot & PROT_WRITE))
		return false;
	if ((access & VM_EXEC) && !(prot & PROT_EXEC))
		return false;
	return true;
}

/*
 * Extend the grows-down area @v down to cover @addr, as Linux's
 * expand_stack: within RLIMIT_STACK and RLIMIT_AS, and never closer than the
 * guard gap to the area below. 0 or -EFAULT (the program gets SIGSEGV).
 */
static int grow_stack(struct mm *mm, struct vma *v, vaddr_t addr)
{
	vaddr_t start = ALIGN_DOWN(addr, PAGE_SIZE);
	if (start < MM_MMAP_MIN_ADDR)
		return -EFAULT;
	if (mm->lim.stack != MM_RLIM_INFINITY && v->end - start > mm->lim.stack)
		return -EFAULT;
	struct vma *prev = vma_prev(mm, v);
	if (prev && (start < MM_STACK_GUARD_GAP || prev->end > start - MM_STACK_GUARD_GAP))
		return -EFAULT;
	if (!mm_may_expand(mm, v->start - start, vma_is_data(v->prot, v->flags)))
		return -EFAULT;
	if (v->obj)
		return -EFAULT;	/* a file-backed stack would need pgoff below 0 */
	uint64_t grow = (v->start - start) >> PAGE_SHIFT;
	if ((v->flags & VMA_ACCOUNT) && mm_enough_memory(mm, grow))
		return -EFAULT;
	v->pgoff -= grow;
	v->start = start;
	vma_commit_add(v, (int64_t)grow);
	return 0;
}

/* Map a fresh page at @va and drop the allocation's own reference: the mapping holds it. */
static int map_new(struct mm *mm, vaddr_t va, struct page *page, unsigned prot)
{
	int err = vm_map(mm->space, va, page, prot);
	page_put(page);
	return err;
}

/* A private copy of @src with bytes from @zero_off on zeroed (the bss tail), or NULL. */
static struct page *copy_page(struct page *src, size_t zero_off)
{
	struct page *dst = page_alloc(0, PAGE_USER);
	if (!dst)
		return NULL;
	page_copy(dst, src);
	if (zero_off < PAGE_SIZE)
		page_zero(dst, zero_off, PAGE_SIZE - zero_off);
	return dst;
}

/* Where in the page at @va file bytes stop (PAGE_SIZE if they fill it). */
static size_t zero_offset(const struct vma *v, vaddr_t va)
{
	if (!v->zero_from || v->zero_from >= va + PAGE_SIZE)
		return PAGE_SIZE;
	return v->zero_from <= va ? 0 : v->zero_from - va;
}

/* Nothing mapped at @va yet: bring in the page the area says belongs there. */
static int fault_missing(struct mm *mm, struct vma *v, vaddr_t va, unsigned access)
{
	unsigned prot = mm_vm_prot(v->prot);
	if (!v->obj) {
		struct page *p = page_alloc(0, PAGE_ZERO | PAGE_USER);
		return p ? map_new(mm, va, p, prot) : -ENOMEM;
	}
	struct page *p;
	int err = v->obj->ops->get_page(v->obj, vma_pgoff(v, va), &p);
	if (err)
		return err == -ENOMEM ? -ENOMEM : -EIO;
	if (v->flags & VMA_SHARED)
		return map_new(mm, va, p, prot);
	size_t zoff = zero_offset(v, va);
	if ((access & VM_WRITE) || zoff < PAGE_SIZE) {
		/* A private page of its own now: written, or the file's bytes must end at the bss. */
		struct page *copy = copy_page(p, zoff);
		page_put(p);
		return copy ? map_new(mm, va, copy, prot) : -ENOMEM;
	}
	/* Read-only until written: the object's page itself, copied on the first write. */
	return map_new(mm, va, p, prot & ~VM_WRITE);
}

/* A write to a present read-only page of a writable area: copy-on-write, or just allow it. */
static int fault_write_protected(struct mm *mm, struct vma *v, vaddr_t va,
				 const struct vm_mapping *m)
{
	unsigned prot = mm_vm_prot(v->prot);
	if ((v->flags & VMA_SHARED) || m->exclusive)
		return vm_protect(mm->space, va, PAGE_SIZE, prot);
	struct page *shared;
	int err = vm_get_page(mm->space, va, &shared);
	if (err)
		return err;
	struct page *copy = copy_page(shared, PAGE_SIZE);
	page_put(shared);
	if (!copy)
		return -ENOMEM;
	err = vm_unmap(mm->space, va, PAGE_SIZE);
	if (err) {
		page_put(copy);
		return err;
	}
	return map_new(mm, va, copy, prot);
}

int mm_fault_locked(struct mm *mm, vaddr_t addr, unsigned access)
{
	if (addr >= MM_USER_END)
		return -EFAULT;
	struct vma *v = vma_find(mm, addr);
	if (!v)
		return -EFAULT;
	if (v->start > addr) {
		if (!(v->flags & VMA_GROWSDOWN) || grow_stack(mm, v, addr) != 0)
			return -EFAULT;
	}
	if (!access_allowed(v->prot, access))
		return -EACCES;
	vaddr_t va = ALIGN_DOWN(addr, PAGE_SIZE);
	struct vm_mapping m;
	if (vm_query(mm->space, va, &m) != 0) {
		int err = fault_missing(mm, v, va, access);
		if (!err)
			v->populated = true;
		return err;
	}
	if ((access & VM_WRITE) && !(m.prot & VM_WRITE) && m.managed)
		return fault_write_protected(mm, v, va, &m);
	/* Already resolved (another thread, or a retry): let the access go again. */
	return 0;
}

int mm_get_user_page(struct mm *mm, vaddr_t addr, bool write, struct page **page, size_t *off)
{
	unsigned access = write ? VM_WRITE : VM_READ;
	vaddr_t va = ALIGN_DOWN(addr, PAGE_SIZE);
	mutex_lock(&mm->lock);
	struct vm_mapping m;
	int err = 0;
	/* Under the lock from the check to the reference: the page cannot change meanwhile. */
	if (vm_query(mm->space, va, &m) != 0 || !m.managed || (write && !(m.prot & VM_WRITE)))
		err = mm_fault_locked(mm, addr, access);
	if (!err && (vm_query(mm->space, va, &m) != 0 || !m.managed ||
		     (write && !(m.prot & VM_WRITE))))
		err = -EFAULT;
	if (!err)
		err = vm_get_page(mm->space, va, page) ? -EFAULT : 0;
	mutex_unlock(&mm->lock);
	if (!err)
		*off = addr - m.start;
	return err;
}

int mm_handle_fault(struct mm *mm, vaddr_t addr, unsigned access)
{
	mutex_lock(&mm->lock);
	int err = mm_fault_locked(mm, addr, access);
	mutex_unlock(&mm->lock);
	return err;
}
