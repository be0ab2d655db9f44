/* Private to kernel/mm: struct mm, struct vma and the helpers the mm files share. */
#ifndef KERNEL_MM_INTERNAL_H
#define KERNEL_MM_INTERNAL_H

#include <abi/mman.h>
#include <frame/mutex.h>
#include <frame/types.h>
#include <kernel/mm.h>

/* vma->flags */
#define VMA_SHARED 0x01		/* writes reach the object; fork shares */
#define VMA_GROWSDOWN 0x02	/* a stack: faults just below extend it */
#define VMA_STACK 0x04		/* the main stack exec made: "[stack]" in maps, not data */
#define VMA_DONTFORK 0x08	/* MADV_DONTFORK */
#define VMA_WIPEONFORK 0x10	/* MADV_WIPEONFORK: the child gets zeros */
#define VMA_LOCKED 0x20		/* mlock (kernel/mm/mlock.c): bookkeeping only, pages never swap */
#define VMA_ACCOUNT 0x40	/* its pages are in Committed_AS (kernel/mm/commit.c) */
#define VMA_NORESERVE 0x80	/* MAP_NORESERVE outside overcommit mode 2: never accounted */

/*
 * One area [start, end) with uniform protection and backing. Private
 * anonymous areas have no object: their pages live only in the page tables
 * (a page mapped in one space has refcount 1; more means copy-on-write
 * sharing with a forked space or an object's cache).
 */
struct vma {
	struct vma *prev, *next;	/* sorted, circular through mm->head */
	vaddr_t start, end;
	unsigned prot;			/* PROT_READ | PROT_WRITE | PROT_EXEC */
	unsigned flags;			/* VMA_* */
	struct mm_object *obj;		/* NULL: private anonymous */
	uint64_t pgoff;			/* object page at start; private anon: start's page number, so merges check one rule */
	vaddr_t zero_from;		/* file bytes from here on read as zero (ELF bss tail), 0 if none */
	bool populated;			/* some page may be mapped: scans skip areas never touched */
};

struct mm {
	uint32_t refs;			/* atomic */
	struct mutex lock;		/* VMAs, page-table policy, brk, limits */
	struct vm_space *space;
	struct vma head;		/* list sentinel: head.next is the lowest area */
	size_t nvma;
	struct mm_limits lim;
	vaddr_t mmap_base;		/* top-down placement starts below this */
	vaddr_t start_brk, brk;
	vaddr_t start_data, end_data;	/* the program's data segment, for RLIMIT_DATA with brk */
	vaddr_t stack_top;
};

/* Linux's vm.max_map_count. */
#define MM_MAX_MAP_COUNT 65530

static inline struct vma *vma_first(struct mm *mm)
{
	return mm->head.next == &mm->head ? NULL : mm->head.next;
}
static inline struct vma *vma_last(struct mm *mm)
{
	return mm->head.prev == &mm->head ? NULL : mm->head.prev;
}
static inline struct vma *vma_next(struct mm *mm, struct vma *v)
{
	return v->next == &mm->head ? NULL : v->next;
}
static inline struct vma *vma_prev(struct mm *mm, struct vma *v)
{
	return v->prev == &mm->head ? NULL : v->prev;
}

/* The lowest area ending above @addr (it contains @addr if its start <= @addr), or NULL. */
struct vma *vma_find(struct mm *mm, vaddr_t addr);
/* True if some area overlaps [@start, @end). */
bool vma_overlaps(struct mm *mm, vaddr_t start, vaddr_t end);
/* A new area (not linked), taking a reference on @obj; NULL when out of memory. */
struct vma *vma_new(vaddr_t start, vaddr_t end, unsigned prot, unsigned flags,
		    struct mm_object *obj, uint64_t pgoff);
/* Link @v in order (its range must be free). */
void vma_link(struct mm *mm, struct vma *v);
/* Free an area vma_new() made that was never linked. */
void vma_discard(struct vma *v);
/* Unlink and free @v (no page-table change). */
void vma_free(struct mm *mm, struct vma *v);
/* Split @v at page @addr (start < addr < end): @v keeps the lower part; 0 or -ENOMEM. */
int vma_split(struct mm *mm, struct vma *v, vaddr_t addr);
/* Merge @v with its neighbours where they continue it exactly; returns the surviving area. */
struct vma *vma_merge(struct mm *mm, struct vma *v);
/* Split so that areas begin and end at @start and @end (no-op where they already do). 0 or -ENOMEM. */
int vma_split_range(struct mm *mm, vaddr_t start, vaddr_t end);
/* Remove every area and page in [@start, @end) (page aligned). 0 or -ENOMEM (splits). */
int mm_unmap_locked(struct mm *mm, vaddr_t start, vaddr_t end);
/* The object page backing @addr in @v. */
static inline uint64_t vma_pgoff(const struct vma *v, vaddr_t addr)
{
	return v->pgoff + ((addr - v->start) >> PAGE_SHIFT);
}
/* The lowest address a new mapping below @v may end at (a stack's guard gap). */
vaddr_t vma_start_gap(const struct vma *v);

/* Frame protection for PROT_* @prot (PROT_NONE: kernel-only read, so pages stay mapped but user access faults). */
unsigned mm_vm_prot(unsigned prot);
/* Bring page tables of [@v->start, @v->end) in line with @v->prot, keeping copy-on-write pages read-only. */
void mm_apply_prot(struct mm *mm, struct vma *v);

/* Counting for limits: bytes of all areas, and of private writable non-stack ones. */
uint64_t mm_total_locked(struct mm *mm);
uint64_t mm_data_locked(struct mm *mm);
bool vma_is_data(unsigned prot, unsigned flags);
/* May the space grow by @bytes (of which data if @data)? (RLIMIT_AS, RLIMIT_DATA) */
bool mm_may_expand(struct mm *mm, uint64_t bytes, bool data);

/* Free range of @len bytes for a new mapping (hint @addr honoured when free); 0 or -ENOMEM. */
int mm_find_free(struct mm *mm, vaddr_t hint, uint64_t len, unsigned long flags, vaddr_t *out);

/*
 * Map [@start, @end) afresh (replacing what was there) as one area, not
 * merged so the caller may still adjust it. 0 or -ENOMEM.
 */
int mm_map_area(struct mm *mm, vaddr_t start, vaddr_t end, unsigned prot, unsigned vflags,
		struct mm_object *obj, uint64_t pgoff, struct vma **out);

/*
 * Overcommit (commit.c). Private writable areas without MAP_NORESERVE are
 * accounted (VMA_ACCOUNT): linking charges their pages to Committed_AS,
 * freeing gives them back; code resizing a linked area calls
 * vma_commit_add(). mm_enough_memory(): may @pages more be committed under
 * vm.overcommit_memory (mm->lock held if @mm)? 0 or -ENOMEM.
 */
bool vma_accountable(unsigned prot, unsigned flags);
void vma_commit_add(const struct vma *v, int64_t pages);
void vma_commit_linked(const struct vma *v);
void vma_commit_unlinked(const struct vma *v);
int mm_enough_memory(struct mm *mm, uint64_t pages);

/* mm_handle_fault() with mm->lock held. */
int mm_fault_locked(struct mm *mm, vaddr_t addr, unsigned access);

/* exec: place mmaps below the new stack limit, the stack's random range and @rnd more (Linux's mmap_base). */
void mm_reset_mmap_base(struct mm *mm, uint64_t stack_rnd_max, uint64_t rnd);

/* Page-size rounding that reports overflow as 0. */
static inline uint64_t mm_page_align(uint64_t len)
{
	return len > UINT64_MAX - (PAGE_SIZE - 1) ? 0 : ALIGN_UP(len, PAGE_SIZE);
}

#endif
