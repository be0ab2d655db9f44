/* struct mm lifetime: creation with the fault hook installed, references, limits, protection helpers and size accounting. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/page.h>
#include <frame/vm_space.h>

#include "mm_internal.h"

/* The frame's hook: every fault on a user address of this space comes here. */
static int mm_fault_hook(struct vm_space *space, const struct vm_fault *fault, void *arg)
{
	(void)space;
	return mm_handle_fault(arg, fault->addr, fault->access);
}

/*
 * Linux's mmap_base: below the stack's limit plus @pad (the guard gap and
 * how far the stack top may be randomised), clamped to [128 MiB, 5/6 of
 * user space], and @rnd lower still.
 */
static vaddr_t mmap_base_for(uint64_t stack_limit, uint64_t pad, uint64_t rnd)
{
	uint64_t gap = stack_limit;
	if (gap + pad > gap)
		gap += pad;
	if (gap < MiB(128))
		gap = MiB(128);
	if (gap > MM_USER_END / 6 * 5)
		gap = MM_USER_END / 6 * 5;
	if (rnd > MM_USER_END - gap - MM_MMAP_MIN_ADDR)
		rnd = 0;
	return ALIGN_DOWN(MM_USER_END - gap - rnd, PAGE_SIZE);
}

struct mm *mm_create(void)
{
	struct mm *mm = kzalloc(sizeof(*mm));
	if (!mm)
		return NULL;
	mm->space = vm_space_create();
	if (!mm->space) {
		kfree(mm);
		return NULL;
	}
	mm->refs = 1;
	mutex_init(&mm->lock, "mm");
	mm->head.next = mm->head.prev = &mm->head;
	mm->lim.as = MM_RLIM_INFINITY;
	mm->lim.data = MM_RLIM_INFINITY;
	mm->lim.stack = MM_DEFAULT_STACK_LIMIT;
	mm->mmap_base = mmap_base_for(mm->lim.stack, MM_STACK_GUARD_GAP, 0);
	mm->stack_top = MM_USER_END;
	vm_space_set_fault_handler(mm->space, mm_fault_hook, mm);
	return mm;
}

void mm_get(struct mm *mm)
{
	__atomic_fetch_add(&mm->refs, 1, __ATOMIC_RELAXED);
}

void mm_put(struct mm *mm)
{
	if (!mm || __atomic_sub_fetch(&mm->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	vm_space_set_fault_handler(mm->space, NULL, NULL);
	/* The space drops every mapped page's reference; the areas drop their objects'. */
	vm_space_destroy(mm->space);
	while (vma_first(mm))
		vma_free(mm, vma_first(mm));
	kfree(mm);
}

struct vm_space *mm_vm_space(struct mm *mm)
{
	return mm->space;
}

void mm_usage(struct mm *mm, uint64_t *resident_pages, uint64_t *table_pages)
{
	struct vm_space_usage u;
	vm_space_usage(mm->space, &u);
	*resident_pages = u.resident_pages;
	*table_pages = u.table_pages;
}

vaddr_t mm_stack_top(struct mm *mm)
{
	return mm->stack_top;
}

void mm_set_limits(struct mm *mm, const struct mm_limits *limits)
{
	mutex_lock(&mm->lock);
	mm->lim = *limits;
	mutex_unlock(&mm->lock);
}

/* Called at exec, once the limits are the new program's. */
void mm_reset_mmap_base(struct mm *mm, uint64_t stack_rnd_max, uint64_t rnd)
{
	mm->mmap_base = mmap_base_for(mm->lim.stack, MM_STACK_GUARD_GAP + stack_rnd_max, rnd);
}

unsigned mm_vm_prot(unsigned prot)
{
	if (!(prot & (PROT_READ | PROT_WRITE | PROT_EXEC)))
		return VM_READ;
	unsigned p = VM_READ | VM_USER;
	if (prot & PROT_WRITE)
		p |= VM_WRITE;
	if (prot & PROT_EXEC)
		p |= VM_EXEC;
	return p;
}

void mm_apply_prot(struct mm *mm, struct vma *v)
{
	unsigned p = mm_vm_prot(v->prot);
	if ((v->flags & VMA_SHARED) || !(p & VM_WRITE)) {
		vm_protect(mm->space, v->start, v->end - v->start, p);
		return;
	}
	if (!v->populated)
		return;
	/* A private page still shared (fork, an object's cache) stays read-only until its write fault copies it. */
	for (vaddr_t a = v->start; a < v->end; a += PAGE_SIZE) {
		struct vm_mapping m;
		if (vm_query(mm->space, a, &m) != 0 || !m.managed)
			continue;
		unsigned pp = m.exclusive ? p : (p & ~VM_WRITE);
		vm_protect(mm->space, a, PAGE_SIZE, pp);
	}
}

uint64_t mm_total_bytes(struct mm *mm)
{
	mutex_lock(&mm->lock);
	uint64_t n = mm_total_locked(mm);
	mutex_unlock(&mm->lock);
	return n;
}

uint64_t mm_data_bytes(struct mm *mm)
{
	mutex_lock(&mm->lock);
	uint64_t n = mm_data_locked(mm);
	mutex_unlock(&mm->lock);
	return n;
}
