/* Virtual address spaces: map, unmap, protect and query pages in page tables. */
#ifndef FRAME_VM_SPACE_H
#define FRAME_VM_SPACE_H

#include <frame/types.h>

struct page;

/*
 * An address space: a page-table tree. A user space maps only the lower
 * (user) half; its upper half is the kernel's, shared with every space.
 */
struct vm_space;

/* Protection bits. A present mapping is always readable, so VM_READ is required. */
#define VM_READ 0x1u
#define VM_WRITE 0x2u
#define VM_EXEC 0x4u
#define VM_USER 0x8u /* reachable from user mode; lower half only */

/*
 * A new, empty user space whose kernel half is the kernel's. The caller owns
 * it and ends it with vm_space_destroy(). NULL when out of memory.
 */
struct vm_space *vm_space_create(void);

/*
 * Unmap everything in the user half (dropping each mapped page's
 * reference), free the page tables and the space. If @space is active, the
 * kernel space is activated first. NULL is ignored; the kernel space cannot
 * be destroyed.
 */
void vm_space_destroy(struct vm_space *space);

/* Switch this CPU to @space. */
void vm_space_activate(struct vm_space *space);

/* The kernel's own space (upper half only), and the one this CPU runs in. */
struct vm_space *vm_space_kernel(void);
struct vm_space *vm_space_current(void);

/*
 * Map the whole block @page (order 0: 4 KiB, or order 9: one 2 MiB leaf) at
 * @va with @prot. The caller must hold a service reference on @page (and
 * keeps it); the mapping takes a hold of its own (frame/page.h: the mapping
 * count), dropped when the leaf is unmapped. Errors: -EINVAL (va not aligned
 * to the block, non-canonical, outside the space's half, VM_USER in the
 * kernel half, bad prot, other orders, a handle without a reference -- also
 * reported as misuse), -EEXIST (something is mapped in the range), -ENOMEM
 * (no memory for page tables).
 */
int vm_map(struct vm_space *space, vaddr_t va, struct page *page, unsigned prot);

/*
 * Unmap [@va, @va + @len): each removed mapping drops its hold on its block;
 * holes are skipped; TLBs are flushed. A block mapped with vm_map() must be
 * unmapped as a whole. Errors: -EINVAL (unaligned, non-canonical, outside the
 * space's half, cuts a vm_map() block), -ENOMEM (splitting a huge frame-made
 * mapping; part of the range may already be unmapped).
 */
int vm_unmap(struct vm_space *space, vaddr_t va, size_t len);

/*
 * Change the protection of every mapping in [@va, @va + @len) to @prot;
 * holes are skipped. Same errors as vm_unmap(), plus -EINVAL for bad prot.
 */
int vm_protect(struct vm_space *space, vaddr_t va, size_t len, unsigned prot);

/* What is mapped at an address. */
struct vm_mapping {
	vaddr_t start;     /* first address of the leaf mapping containing va */
	size_t size;       /* its size: 4 KiB, 2 MiB or 1 GiB */
	unsigned prot;     /* VM_* bits in effect */
	bool managed;      /* a block mapped by vm_map() (false: frame-made mapping) */
	/*
	 * Managed, and this leaf is all that holds the block: no other mapping
	 * and no service reference (copy-on-write may just make it writable).
	 */
	bool exclusive;
};

/*
 * Look up @va. Returns 0 and fills @out, -ENOENT if nothing is mapped there,
 * -EINVAL if @va is non-canonical or outside the space's half. Hands out no
 * page handle: that takes vm_get_page().
 */
int vm_query(struct vm_space *space, vaddr_t va, struct vm_mapping *out);

/*
 * The block vm_map() mapped at @va, as a handle with a new service
 * reference (the caller gives it back with page_put()): taken under the
 * space's lock, so it cannot race the leaf's unmapping. Errors: -ENOENT
 * (nothing mapped), -EINVAL (bad address, or a frame-made mapping).
 */
int vm_get_page(struct vm_space *space, vaddr_t va, struct page **out);

/*
 * What @space uses now: pages of the blocks vm_map() mapped in it (a block
 * mapped twice counts twice, as Linux's RSS does), and its page-table pages
 * (the root included). A snapshot, read without the space's lock.
 */
struct vm_space_usage {
	uint64_t resident_pages;
	uint64_t table_pages;
};
void vm_space_usage(struct vm_space *space, struct vm_space_usage *out);

/*
 * Page-fault hook (issue 3): a service's policy for faults on user addresses
 * of a space it owns (demand paging, copy-on-write, stack growth). The frame
 * holds no policy: it reports the fault and retries the access if the hook
 * says it resolved it.
 */
struct vm_fault {
	vaddr_t addr;     /* the user address accessed (not page aligned) */
	unsigned access;  /* VM_READ, VM_WRITE or VM_EXEC: what the access needed */
	bool present;     /* a mapping was there but forbade the access */
	bool from_user;   /* by the program itself (true) or by a frame user-copy on its behalf */
};

/*
 * Return 0 once the access can succeed (e.g. after vm_map()), or a negative
 * errno to let it fail (the program gets USER_RETURN_EXCEPTION, the kernel's
 * copy -EFAULT). Called in task context with interrupts enabled, no frame
 * lock held, in the task that faulted, with @space active: it may sleep and
 * may call vm_map()/vm_unmap()/vm_protect() on @space.
 */
typedef int (*vm_fault_handler_fn)(struct vm_space *space, const struct vm_fault *fault,
				   void *arg);

/*
 * Install @fn(@arg) as @space's fault handler (NULL removes it). The caller
 * keeps ownership of @arg; it must stay valid while installed. The kernel
 * space takes none: -EINVAL. Returns 0.
 */
int vm_space_set_fault_handler(struct vm_space *space, vm_fault_handler_fn fn, void *arg);

/*
 * Offer @fault to @space's handler: its result, or -EFAULT when there is
 * none or @fault->addr is not a user address. The frame calls it; a service
 * may too (to pre-fault a range).
 */
int vm_space_handle_fault(struct vm_space *space, const struct vm_fault *fault);

#endif
