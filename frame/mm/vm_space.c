/* Address spaces: the arch-neutral page-table walker over the arch's entry format. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/vm_space.h>
#include <arch/mmu.h>

#include "mm_private.h"

struct vm_space {
	paddr_t root;
	bool kernel;
	struct mm_lock lock;
	/* Issue 3: the owning service's page-fault policy for user addresses. */
	vm_fault_handler_fn fault_fn;
	void *fault_arg;
	/* Usage, changed under the lock, read without it (atomic). */
	uint64_t resident_pages;	/* pages of managed leaves */
	uint64_t table_pages;		/* page-table pages, root included */
};

static struct vm_space kernel_space = { .kernel = true, .lock = MM_LOCK_INIT("kernel vm_space") };
static struct vm_space *current_space;
static uint64_t pgtable_pages;

#define VM_PROT_ALL (VM_READ | VM_WRITE | VM_EXEC | VM_USER)

static pte_t *table_of(paddr_t pa)
{
	return phys_to_virt(pa);
}

static void count_add(uint64_t *counter, int64_t n)
{
	__atomic_add_fetch(counter, (uint64_t)n, __ATOMIC_RELAXED);
}

static int table_alloc(struct vm_space *s, paddr_t *out)
{
	struct page *p = page_alloc(0, PAGE_ZERO);
	if (!p)
		return -ENOMEM;
	p->flags |= PG_PGTABLE;
	__atomic_add_fetch(&pgtable_pages, 1, __ATOMIC_RELAXED);
	count_add(&s->table_pages, 1);
	*out = page_to_phys(p);
	return 0;
}

static void table_free(struct vm_space *s, paddr_t pa)
{
	struct page *p = page_from_phys(pa);
	p->flags &= (uint8_t)~PG_PGTABLE;
	__atomic_sub_fetch(&pgtable_pages, 1, __ATOMIC_RELAXED);
	count_add(&s->table_pages, -1);
	page_put(p);
}

uint64_t vm_space_pgtable_pages(void)
{
	return __atomic_load_n(&pgtable_pages, __ATOMIC_RELAXED);
}

static bool is_active(const struct vm_space *s)
{
	return s->kernel || s == current_space;
}

/* A TLB entry for a leaf covers the whole leaf, so one invalidation suffices. */
static void flush_leaf(const struct vm_space *s, vaddr_t base)
{
	if (is_active(s))
		arch_tlb_flush_page(base);
}

/* Freed table pages may sit in paging-structure caches: drop them all. */
static void flush_tables(const struct vm_space *s)
{
	if (is_active(s))
		arch_tlb_flush_all();
}

/* Free a table and everything below it; managed leaves drop their mapping hold. */
static void free_tree(struct vm_space *s, paddr_t table, int level)
{
	pte_t *t = table_of(table);
	for (unsigned i = 0; i < ARCH_PT_ENTRIES; i++) {
		pte_t e = t[i];
		if (!arch_pte_present(e))
			continue;
		if (arch_pte_is_leaf(e, level)) {
			if (arch_pte_attr(e) & ARCH_PTE_MANAGED) {
				count_add(&s->resident_pages,
					  -(int64_t)(arch_pt_level_size(level) / PAGE_SIZE));
				page_map_put(page_from_phys(arch_pte_paddr(e, level)));
			}
		} else {
			free_tree(s, arch_pte_paddr(e, 1), level - 1);
		}
	}
	table_free(s, table);
}

/* True when no leaf lives anywhere under @table (empty tables may remain after unmap). */
static bool tree_empty(paddr_t table, int level)
{
	pte_t *t = table_of(table);
	for (unsigned i = 0; i < ARCH_PT_ENTRIES; i++) {
		pte_t e = t[i];
		if (!arch_pte_present(e))
			continue;
		if (arch_pte_is_leaf(e, level) || !tree_empty(arch_pte_paddr(e, 1), level - 1))
			return false;
	}
	return true;
}

/* The entry that decides @va: a leaf, or the first non-present entry on the way down. */
static pte_t *walk_lookup(struct vm_space *s, vaddr_t va, int *level_out)
{
	paddr_t table = s->root;
	for (int level = ARCH_PT_LEVELS;; level--) {
		pte_t *e = &table_of(table)[arch_pt_index(va, level)];
		if (!arch_pte_present(*e) || arch_pte_is_leaf(*e, level)) {
			*level_out = level;
			return e;
		}
		table = arch_pte_paddr(*e, 1);
	}
}

/* The entry for @va at @target, creating tables on the way; -EEXIST through a leaf. */
static int walk_create(struct vm_space *s, vaddr_t va, int target, pte_t **out)
{
	paddr_t table = s->root;
	for (int level = ARCH_PT_LEVELS; level > target; level--) {
		pte_t *e = &table_of(table)[arch_pt_index(va, level)];
		if (!arch_pte_present(*e)) {
			paddr_t child;
			if (table_alloc(s, &child))
				return -ENOMEM;
			*e = arch_pte_table(child);
		} else if (arch_pte_is_leaf(*e, level)) {
			return -EEXIST;
		}
		table = arch_pte_paddr(*e, 1);
	}
	*out = &table_of(table)[arch_pt_index(va, target)];
	return 0;
}

static int map_leaf(struct vm_space *s, vaddr_t va, paddr_t pa, int level,
		    unsigned prot, unsigned attr)
{
	pte_t *e;
	int err = walk_create(s, va, level, &e);
	if (err)
		return err;
	if (arch_pte_present(*e)) {
		if (arch_pte_is_leaf(*e, level))
			return -EEXIST;
		paddr_t child = arch_pte_paddr(*e, 1);
		if (!tree_empty(child, level - 1))
			return -EEXIST;
		/* Only empty tables left by unmaps: make room for the big leaf. */
		*e = 0;
		flush_tables(s);
		free_tree(s, child, level - 1);
	}
	if (s->kernel)
		attr |= ARCH_PTE_GLOBAL;
	*e = arch_pte_leaf(pa, level, prot, attr);
	if (attr & ARCH_PTE_MANAGED)
		count_add(&s->resident_pages, (int64_t)(arch_pt_level_size(level) / PAGE_SIZE));
	return 0;
}

/* Split a frame-made huge leaf into a table of next-smaller leaves mapping the same. */
static int split_leaf(struct vm_space *s, pte_t *e, int level, vaddr_t base)
{
	paddr_t table;
	if (table_alloc(s, &table))
		return -ENOMEM;
	pte_t old = *e;
	paddr_t pa = arch_pte_paddr(old, level);
	uint64_t sub = arch_pt_level_size(level - 1);
	pte_t *t = table_of(table);
	for (unsigned i = 0; i < ARCH_PT_ENTRIES; i++)
		t[i] = arch_pte_leaf(pa + i * sub, level - 1, arch_pte_prot(old),
				     arch_pte_attr(old));
	*e = arch_pte_table(table);
	flush_leaf(s, base);
	return 0;
}

static int check_prot(const struct vm_space *s, unsigned prot)
{
	if ((prot & ~VM_PROT_ALL) || !(prot & VM_READ))
		return -EINVAL;
	if (s->kernel && (prot & VM_USER))
		return -EINVAL;
	return 0;
}

/* Page aligned, canonical, non-empty, and inside the half @s owns. */
static int check_range(const struct vm_space *s, vaddr_t va, uint64_t len)
{
	if (!len || !IS_ALIGNED(va, PAGE_SIZE) || !IS_ALIGNED(len, PAGE_SIZE))
		return -EINVAL;
	vaddr_t last = va + len - 1;
	if (last < va || !arch_va_canonical(va) || !arch_va_canonical(last))
		return -EINVAL;
	if (s->kernel)
		return va >= ARCH_KERNEL_HALF_START ? 0 : -EINVAL;
	return last < USER_SPACE_END ? 0 : -EINVAL;
}

/* A frame user code may run from: freeing it scrubs it (block_release in page_alloc.c says why). */
static void mark_user_code(struct page *page)
{
	__atomic_fetch_or(&page->flags, (uint8_t)PG_USER_CODE, __ATOMIC_RELAXED);
}

enum range_op { RANGE_CHECK, RANGE_UNMAP, RANGE_PROTECT };

/*
 * Apply @op to every leaf in [va, va + len). Leaves cut by the range are
 * split when frame-made; a vm_map() block must be taken whole, which the
 * RANGE_CHECK pass verifies before anything changes.
 */
static int range_apply(struct vm_space *s, vaddr_t va, uint64_t len, enum range_op op,
		       unsigned prot)
{
	vaddr_t cur = va;
	uint64_t left = len;
	while (left) {
		int level;
		pte_t *e = walk_lookup(s, cur, &level);
		uint64_t size = arch_pt_level_size(level);
		vaddr_t base = ALIGN_DOWN(cur, size);
		uint64_t step = MIN(size - (cur - base), left);
		if (arch_pte_present(*e) && (cur != base || left < size)) {
			if (arch_pte_attr(*e) & ARCH_PTE_MANAGED)
				return -EINVAL;
			if (op != RANGE_CHECK) {
				int err = split_leaf(s, e, level, base);
				if (err)
					return err;
				continue;
			}
		} else if (arch_pte_present(*e) && op != RANGE_CHECK) {
			pte_t old = *e;
			paddr_t pa = arch_pte_paddr(old, level);
			if (op == RANGE_UNMAP) {
				*e = 0;
				flush_leaf(s, base);
				if (arch_pte_attr(old) & ARCH_PTE_MANAGED) {
					count_add(&s->resident_pages, -(int64_t)(size / PAGE_SIZE));
					page_map_put(page_from_phys(pa));
				}
			} else {
				if (!s->kernel && (prot & VM_EXEC) &&
				    (arch_pte_attr(old) & ARCH_PTE_MANAGED))
					mark_user_code(page_from_phys(pa));
				*e = arch_pte_leaf(pa, level, prot, arch_pte_attr(old));
				flush_leaf(s, base);
			}
		}
		cur += step;
		left -= step;
	}
	return 0;
}

static int range_op(struct vm_space *s, vaddr_t va, size_t len, enum range_op op,
		    unsigned prot)
{
	if (!s)
		return -EINVAL;
	int err = check_range(s, va, len);
	if (!err && op == RANGE_PROTECT)
		err = check_prot(s, prot);
	if (err)
		return err;
	mm_lock_acquire(&s->lock);
	err = range_apply(s, va, len, RANGE_CHECK, 0);
	if (!err)
		err = range_apply(s, va, len, op, prot);
	mm_lock_release(&s->lock);
	return err;
}

int vm_unmap(struct vm_space *space, vaddr_t va, size_t len)
{
	return range_op(space, va, len, RANGE_UNMAP, 0);
}

int vm_protect(struct vm_space *space, vaddr_t va, size_t len, unsigned prot)
{
	return range_op(space, va, len, RANGE_PROTECT, prot);
}

__attribute__((noinline)) int vm_map(struct vm_space *space, vaddr_t va, struct page *page,
				     unsigned prot)
{
	if (!space || !page_handle_ok(page))
		return -EINVAL;
	unsigned order = page_order(page);
	int level = order == 0 ? 1 : order == 9 ? 2 : 0;
	/* Frame-owned pages (heap, page tables) are never handed to a mapping. */
	if (!level || !arch_pt_leaf_level_ok(level) ||
	    (page->flags & (PG_FREE | PG_RESERVED | PG_SLAB | PG_LARGE | PG_PGTABLE)))
		return -EINVAL;
	uint64_t size = PAGE_SIZE << order;
	int err = check_range(space, va, size);
	if (!err && !IS_ALIGNED(va, size))
		err = -EINVAL;
	if (!err)
		err = check_prot(space, prot);
	if (err)
		return err;
	/* The caller's reference is what keeps the block alive until the mapping holds it. */
	if (!page_map_get(page)) {
		page_misuse("vm_map of a handle without a reference", page,
			    __builtin_return_address(0), __builtin_frame_address(0));
		return -EINVAL;
	}
	if (!space->kernel && (prot & VM_EXEC))
		mark_user_code(page);
	mm_lock_acquire(&space->lock);
	err = map_leaf(space, va, page_to_phys(page), level, prot, ARCH_PTE_MANAGED);
	mm_lock_release(&space->lock);
	if (err)
		page_map_put(page);
	return err;
}

int vm_space_map_phys(struct vm_space *s, vaddr_t va, paddr_t pa, size_t len,
		      unsigned prot)
{
	unsigned attr = (prot & VM_MAP_UNCACHED) ? ARCH_PTE_UNCACHED : 0;
	prot &= ~VM_MAP_UNCACHED;
	int err = check_range(s, va, len);
	if (!err && !IS_ALIGNED(pa, PAGE_SIZE))
		err = -EINVAL;
	if (!err)
		err = check_prot(s, prot);
	if (err)
		return err;

	mm_lock_acquire(&s->lock);
	uint64_t done = 0;
	while (done < len && !err) {
		vaddr_t v = va + done;
		paddr_t p = pa + done;
		int level = ARCH_PT_LEVELS - 1;
		for (; level > 1; level--) {
			uint64_t sz = arch_pt_level_size(level);
			if (arch_pt_leaf_level_ok(level) && IS_ALIGNED(v, sz) &&
			    IS_ALIGNED(p, sz) && len - done >= sz)
				break;
		}
		err = map_leaf(s, v, p, level, prot, attr);
		if (!err)
			done += arch_pt_level_size(level);
	}
	/* Undo, so a failed call leaves the space as it was. */
	if (err && done)
		range_apply(s, va, done, RANGE_UNMAP, 0);
	mm_lock_release(&s->lock);
	return err;
}

int vm_query(struct vm_space *space, vaddr_t va, struct vm_mapping *out)
{
	if (!space || check_range(space, ALIGN_DOWN(va, PAGE_SIZE), PAGE_SIZE))
		return -EINVAL;
	mm_lock_acquire(&space->lock);
	int level;
	pte_t e = *walk_lookup(space, va, &level);
	bool managed = arch_pte_present(e) && (arch_pte_attr(e) & ARCH_PTE_MANAGED);
	/* Read under the lock: the leaf, and so its hold, cannot go meanwhile. */
	uint64_t counts = managed ? page_counts(page_from_phys(arch_pte_paddr(e, level))) : 0;
	mm_lock_release(&space->lock);
	if (!arch_pte_present(e))
		return -ENOENT;
	out->size = arch_pt_level_size(level);
	out->start = ALIGN_DOWN(va, out->size);
	out->prot = arch_pte_prot(e);
	out->managed = managed;
	out->exclusive = managed && counts == PAGE_COUNT_MAP;
	return 0;
}

int vm_get_page(struct vm_space *space, vaddr_t va, struct page **out)
{
	if (!space || !out || check_range(space, ALIGN_DOWN(va, PAGE_SIZE), PAGE_SIZE))
		return -EINVAL;
	mm_lock_acquire(&space->lock);
	int level;
	pte_t e = *walk_lookup(space, va, &level);
	int err = 0;
	if (!arch_pte_present(e)) {
		err = -ENOENT;
	} else if (!(arch_pte_attr(e) & ARCH_PTE_MANAGED)) {
		err = -EINVAL;
	} else {
		/* The leaf's hold keeps the block alive while the reference is added under the lock. */
		struct page *p = page_from_phys(arch_pte_paddr(e, level));
		__atomic_add_fetch(&p->counts, PAGE_COUNT_REF, __ATOMIC_ACQ_REL);
		*out = p;
	}
	mm_lock_release(&space->lock);
	return err;
}

int vm_space_translate(struct vm_space *space, vaddr_t va, paddr_t *pa)
{
	if (!arch_va_canonical(va))
		return -EINVAL;
	mm_lock_acquire(&space->lock);
	int level;
	pte_t e = *walk_lookup(space, va, &level);
	mm_lock_release(&space->lock);
	if (!arch_pte_present(e))
		return -ENOENT;
	*pa = arch_pte_paddr(e, level) + (va & (arch_pt_level_size(level) - 1));
	return 0;
}

int vm_space_kernel_init(void)
{
	paddr_t root;
	if (table_alloc(&kernel_space, &root))
		return -ENOMEM;
	/* Every kernel-half slot exists from the start, so copies stay in sync. */
	for (unsigned i = ARCH_PT_KERNEL_FIRST_SLOT; i < ARCH_PT_ENTRIES; i++) {
		paddr_t t;
		if (table_alloc(&kernel_space, &t))
			return -ENOMEM;
		table_of(root)[i] = arch_pte_table(t);
	}
	kernel_space.root = root;
	return 0;
}

struct vm_space *vm_space_kernel(void)
{
	return &kernel_space;
}

struct vm_space *vm_space_current(void)
{
	return current_space ? current_space : &kernel_space;
}

struct vm_space *vm_space_create(void)
{
	struct vm_space *s = kzalloc(sizeof(*s));
	if (!s)
		return NULL;
	if (table_alloc(s, &s->root)) {
		kfree(s);
		return NULL;
	}
	spin_lock_init(&s->lock.lock, "user vm_space");
	pte_t *dst = table_of(s->root), *src = table_of(kernel_space.root);
	for (unsigned i = ARCH_PT_KERNEL_FIRST_SLOT; i < ARCH_PT_ENTRIES; i++)
		dst[i] = src[i];
	return s;
}

void vm_space_destroy(struct vm_space *space)
{
	if (!space || space->kernel)
		return;
	if (current_space == space)
		vm_space_activate(&kernel_space);
	pte_t *root = table_of(space->root);
	for (unsigned i = 0; i < ARCH_PT_KERNEL_FIRST_SLOT; i++)
		if (arch_pte_present(root[i]))
			free_tree(space, arch_pte_paddr(root[i], 1), ARCH_PT_LEVELS - 1);
	table_free(space, space->root);
	kfree(space);
}

void vm_space_activate(struct vm_space *space)
{
	current_space = space;
	arch_activate_page_table(space->root);
}

void vm_space_usage(struct vm_space *space, struct vm_space_usage *out)
{
	out->resident_pages = __atomic_load_n(&space->resident_pages, __ATOMIC_RELAXED);
	out->table_pages = __atomic_load_n(&space->table_pages, __ATOMIC_RELAXED);
}

int vm_space_set_fault_handler(struct vm_space *space, vm_fault_handler_fn fn, void *arg)
{
	if (!space || space->kernel)
		return -EINVAL;
	space->fault_fn = fn;
	space->fault_arg = arg;
	return 0;
}

int vm_space_handle_fault(struct vm_space *space, const struct vm_fault *fault)
{
	/* Read once: the handler runs unlocked and may replace itself. */
	vm_fault_handler_fn fn = space ? space->fault_fn : NULL;
	if (!fn || !fault || fault->addr >= USER_SPACE_END)
		return -EFAULT;
	return fn(space, fault, space->fault_arg);
}
