/* Process address spaces: struct mm (VMAs over a frame vm_space), mmap-family internals, page faults, ELF loading, /proc/pid/maps. */
#ifndef KERNEL_MM_H
#define KERNEL_MM_H

#include <frame/types.h>

struct page;
struct exec_plan;

/*
 * A memory object a mapping is backed by: a file (the VFS provides the ops)
 * or shared anonymous memory (mm_anon_create()). Reference counted; every
 * VMA backed by it holds one reference.
 */
struct mm_object;

struct mm_object_ops {
	/*
	 * The page holding bytes [@pgoff * PAGE_SIZE, + PAGE_SIZE) of the
	 * object, with a reference for the caller (order 0). The page of a
	 * file that holds EOF must read as zero beyond it. Shared mappings map
	 * this very page, so writes through them reach the object; private
	 * mappings copy it on write. Errors: -EIO for a page at or beyond EOF
	 * (the fault becomes SIGBUS), -ENOMEM, or the file system's error.
	 */
	int (*get_page)(struct mm_object *obj, uint64_t pgoff, struct page **out);
	/*
	 * Optional: may @obj be mapped (mmap, or mprotect of an existing
	 * mapping) with PROT_* @prot and MAP_SHARED/MAP_PRIVATE @flags? 0 or
	 * the error the call returns (-EACCES: a read-only open file mapped
	 * shared and writable, a file not open for reading; -EPERM: noexec).
	 */
	int (*may_map)(struct mm_object *obj, unsigned prot, unsigned flags);
	/*
	 * Optional: the path shown in /proc/pid/maps, written to @buf
	 * (terminated, truncated to @size). Anonymous objects have none.
	 */
	void (*path)(struct mm_object *obj, char *buf, size_t size);
	/* The last reference went: free the object. */
	void (*release)(struct mm_object *obj);
	/*
	 * Optional: write object pages [@first, @last] back to storage and
	 * wait (msync MS_SYNC): 0 or -EIO. NULL: nothing to write back.
	 */
	int (*sync)(struct mm_object *obj, uint64_t first, uint64_t last);
};

struct mm_object {
	const struct mm_object_ops *ops;
	uint32_t refs;		/* atomic; mm_object_init() sets 1 */
	bool anon;		/* shared anonymous memory (no file) */
	uint32_t dev_major, dev_minor;	/* for /proc/pid/maps */
	uint64_t ino;
};

/* Initialise an object embedded in the owner's record, holding one reference. */
void mm_object_init(struct mm_object *obj, const struct mm_object_ops *ops);
void mm_object_get(struct mm_object *obj);
void mm_object_put(struct mm_object *obj);

/* A new shared anonymous object of @size bytes (pages zero-filled on first use), or NULL. */
struct mm_object *mm_anon_create(uint64_t size);

/* Resource limits in bytes; MM_RLIM_INFINITY for none. */
#define MM_RLIM_INFINITY (~0ULL)
struct mm_limits {
	uint64_t as;	/* RLIMIT_AS: all mappings */
	uint64_t data;	/* RLIMIT_DATA: private writable mappings and brk */
	uint64_t stack;	/* RLIMIT_STACK: how far a grows-down stack may grow; also sets the mmap base */
};

/* Layout constants (x86_64, 4-level paging; exec randomises within them, mm_exec_layout). */
#define MM_USER_END 0x00007ffffffff000UL	/* = EXEC_USER_END: first address user space may not map */
#define MM_MMAP_MIN_ADDR 0x10000UL		/* vm.mmap_min_addr: nothing is mapped below */
#define MM_STACK_GUARD_GAP (256 * PAGE_SIZE)	/* Linux's stack_guard_gap */
#define MM_DEFAULT_STACK_LIMIT MiB(8)
#define MM_INITIAL_STACK_SIZE KiB(128)		/* what exec maps before growth */

/*
 * A process address space, shared by its threads and reference counted.
 * Operations lock it; the fault handler runs with it too, so do not call
 * user-copy routines on its space while calling into mm_*().
 */
struct mm;

/*
 * A new, empty address space (its vm_space with mm_handle_fault installed
 * as the fault handler), with one reference. Limits default to
 * AS/DATA unlimited and an 8 MiB stack. NULL when out of memory.
 */
struct mm *mm_create(void);
void mm_get(struct mm *mm);
/* Drop a reference; the last one unmaps everything and frees the space. */
void mm_put(struct mm *mm);

/* The frame space to activate / bind to user contexts. */
struct vm_space *mm_vm_space(struct mm *mm);
/*
 * vm.overcommit_memory (kernel/mm/commit.c): 0 refuses a single commitment
 * larger than all RAM, 1 allows all, 2 keeps Committed_AS under CommitLimit
 * (overcommit_ratio percent of RAM; there is no swap). Setters: -EINVAL out
 * of range.
 */
#define MM_OVERCOMMIT_GUESS 0
#define MM_OVERCOMMIT_ALWAYS 1
#define MM_OVERCOMMIT_NEVER 2
int mm_overcommit_mode(void);
int mm_set_overcommit_mode(int64_t mode);
int mm_overcommit_ratio(void);
int mm_set_overcommit_ratio(int64_t ratio);
uint64_t mm_commit_limit_pages(void);
/* How mode 2 tells root (no admin reserve withheld) from others: set by the process layer. */
void mm_set_admin_check(bool (*fn)(void));
uint64_t mm_committed_pages(void);

/* Pages mapped in @mm now (its RSS) and its page-table pages; no lock taken. */
void mm_usage(struct mm *mm, uint64_t *resident_pages, uint64_t *table_pages);

/* Set the limits the next calls check (setrlimit, exec). The mmap base moves only at mm_load_elf(). */
void mm_set_limits(struct mm *mm, const struct mm_limits *limits);

/*
 * fork(): a copy of @parent. Private mappings become copy-on-write (both
 * sides read-only, pages shared by reference until the first write);
 * shared ones stay shared; MADV_DONTFORK areas are left out and
 * MADV_WIPEONFORK ones start empty. 0 and *@child (one reference) or -ENOMEM.
 */
int mm_fork(struct mm *parent, struct mm **child);

/*
 * The system calls' internals with Linux's semantics and errors. Numbers are
 * taken as the calls deliver them; @obj is the file's object (NULL with
 * MAP_ANONYMOUS; a file mapping without one is -EBADF).
 */
int mm_mmap(struct mm *mm, vaddr_t addr, uint64_t len, unsigned long prot,
	    unsigned long flags, struct mm_object *obj, uint64_t off, vaddr_t *result);
int mm_munmap(struct mm *mm, vaddr_t addr, uint64_t len);
int mm_mprotect(struct mm *mm, vaddr_t addr, uint64_t len, unsigned long prot);
int mm_mremap(struct mm *mm, vaddr_t old_addr, uint64_t old_len, uint64_t new_len,
	      unsigned long flags, vaddr_t new_addr, vaddr_t *result);
int mm_madvise(struct mm *mm, vaddr_t addr, uint64_t len, int advice);
/*
 * msync (kernel/mm/msync.c): validation and Linux's errors (-EINVAL flags or
 * alignment, -ENOMEM unmapped, -EBUSY MS_INVALIDATE of locked pages); with
 * MS_SYNC the shared file mappings of the range are written back (their
 * object's sync), -EIO if that fails.
 */
int mm_msync(struct mm *mm, vaddr_t addr, uint64_t len, int flags);
/*
 * mincore (kernel/mm/mlock.c): one byte per page of [@addr, @addr + @npages
 * pages) into @vec, bit 0 set when the page is mapped. -ENOMEM at the first
 * unmapped page (as Linux, after filling what came before).
 */
int mm_mincore(struct mm *mm, vaddr_t addr, size_t npages, uint8_t *vec);
/*
 * mlock/munlock/mlockall/munlockall (kernel/mm/mlock.c): mark areas locked
 * (bookkeeping: pages are never swapped) and populate them. @limit is
 * RLIMIT_MEMLOCK in bytes (MM_RLIM_INFINITY for a privileged caller):
 * -ENOMEM when the locked total would pass it or part of the range is
 * unmapped. mm_mlockall: MCL_* flags already checked.
 */
int mm_mlock(struct mm *mm, vaddr_t addr, uint64_t len, uint64_t limit, bool populate);
int mm_munlock(struct mm *mm, vaddr_t addr, uint64_t len);
int mm_mlockall(struct mm *mm, unsigned flags, uint64_t limit);
int mm_munlockall(struct mm *mm);
/* Bytes in locked areas (VmLck). */
uint64_t mm_locked_bytes(struct mm *mm);
/* brk(): the new break, or the current one when @brk is refused (0 asks). */
vaddr_t mm_brk(struct mm *mm, vaddr_t brk);

/*
 * Resolve a fault at @addr needing @access (VM_READ, VM_WRITE or VM_EXEC):
 * 0 resolved (retry the access); -EFAULT nothing mapped there (SIGSEGV
 * SEGV_MAPERR); -EACCES the mapping forbids it (SIGSEGV SEGV_ACCERR); -EIO a
 * file mapping's page beyond EOF (SIGBUS BUS_ADRERR); -ENOMEM out of memory
 * (Linux: OOM kill / SIGBUS).
 */
int mm_handle_fault(struct mm *mm, vaddr_t addr, unsigned access);

/*
 * The page backing user address @addr as the program would reach it (faulted
 * in with write access if @write: a private copy then), with a reference for
 * the caller to page_put(), and @addr's offset in it. For access from outside
 * the program (/proc/PID/mem, exec's stack, ptrace). 0 or mm_handle_fault()'s
 * errors.
 */
struct page;
int mm_get_user_page(struct mm *mm, vaddr_t addr, bool write, struct page **page, size_t *off);

/*
 * exec: map @plan's segments from @obj as private file mappings (bss
 * zeroed: the tail of the last file page reads as zero, the rest is
 * anonymous). 0 or -ENOMEM/-EINVAL (overlap); on error some may be mapped:
 * exec then discards the mm. Usable alone for the program interpreter.
 */
int mm_map_elf_segments(struct mm *mm, const struct exec_plan *plan, struct mm_object *obj);
/*
 * mm_map_elf_segments() for the program, then the break at plan->end (page
 * aligned) and a grows-down stack of MM_INITIAL_STACK_SIZE ending at
 * mm_stack_top(); the mmap base goes below the stack limit plus a gap.
 */
int mm_load_elf(struct mm *mm, const struct exec_plan *plan, struct mm_object *obj);

/* Where exec puts what Linux randomises (all page multiples; zeros but the stack top for none). */
struct mm_exec_layout {
	vaddr_t stack_top;	/* the initial stack ends here: MM_USER_END less a random offset */
	uint64_t stack_rnd_max;	/* the largest such offset: the mmap base stays below it */
	uint64_t mmap_rnd;	/* the mmap base moves this much further down */
	uint64_t brk_rnd;	/* the break starts this far above the program */
	vaddr_t brk_start;	/* where the break starts before brk_rnd: 0 just above the program */
};
/* mm_load_elf() with @layout; -EINVAL for a misaligned one or a stack top outside the upper half. */
int mm_load_elf_at(struct mm *mm, const struct exec_plan *plan, struct mm_object *obj,
		   const struct mm_exec_layout *layout);
/*
 * exec: where mmap(NULL) would put @len bytes (page multiple) aligned to
 * @align (a power of two, at least a page): the program interpreter goes
 * there. Nothing is mapped. 0, -ENOMEM (no room) or -EINVAL.
 */
int mm_find_exec_range(struct mm *mm, uint64_t len, uint64_t align, vaddr_t *out);
/* exec: set the mmap base @layout gives now, to place a program before mm_load_elf_at(). */
void mm_exec_set_mmap_base(struct mm *mm, const struct mm_exec_layout *layout);
/*
 * exec: grow the initial stack area down by @bytes (rounded up to pages),
 * as Linux's stack covers the argument pages plus 128 KiB. 0, -ENOMEM or
 * -EINVAL (no stack, no room).
 */
int mm_extend_exec_stack(struct mm *mm, uint64_t bytes);
/* The top of the initial stack (exec builds argv/envp/auxv below it). */
vaddr_t mm_stack_top(struct mm *mm);

/*
 * /proc/pid/maps of @mm into @buf (terminated when @size > 0). Returns the
 * length of the whole text, as snprintf: more than @size - 1 means truncated.
 */
size_t mm_format_maps(struct mm *mm, char *buf, size_t size);

/* Mapped bytes in total (VmSize) and of private writable areas (VmData). */
uint64_t mm_total_bytes(struct mm *mm);
uint64_t mm_data_bytes(struct mm *mm);

#endif
