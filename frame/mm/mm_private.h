/* Private to frame/mm: the page descriptor, free-list links, locking and sanitizer hooks. */
#ifndef FRAME_MM_PRIVATE_H
#define FRAME_MM_PRIVATE_H

#include <frame/page.h>
#include <frame/panic.h>
#include <frame/spinlock.h>
#include <frame/types.h>
#include <internal/mm.h>

struct page_link {
	struct page_link *next, *prev;
};

/* Page descriptor flags. */
#define PG_FREE 0x01     /* head of a free buddy block */
#define PG_RESERVED 0x02 /* boot-time metadata, never freed */
#define PG_SLAB 0x04     /* kmalloc size-class slab */
#define PG_LARGE 0x08    /* kmalloc allocation above KMALLOC_MAX_SLAB */
#define PG_PGTABLE 0x10  /* page-table page */
#define PG_HIGH 0x20     /* above the boot direct map, not yet released */
#define PG_USER_CODE 0x40 /* mapped executable in a user space: scrubbed when freed (page_alloc.c) */

/*
 * One per 4 KiB frame, in per-region arrays. Only the first page of a block
 * (its head) carries meaningful order, counts and owner fields.
 *
 * @counts holds two counters in one word, so that "both reached zero" is
 * decided by one atomic operation: service references (page_get/page_put,
 * low 32 bits) and mappings (vm_map/vm_unmap, high 32 bits). The block is
 * free again only when the word is 0; a service put can never take away a
 * mapping's hold, nor a mapping's removal a service's.
 */
struct page {
	struct page_link link; /* free list, or slab partial list */
	union {
		void *slab_free;   /* PG_SLAB: first free object */
		size_t large_size; /* PG_LARGE: bytes requested */
	};
	uint64_t counts;       /* atomic: PAGE_COUNT_REF units | PAGE_COUNT_MAP units */
	uint8_t order;
	uint8_t flags;
	uint8_t zone;          /* index of the region array holding it */
	uint8_t slab_class;
	uint16_t slab_inuse;
};

#define PAGE_COUNT_REF 1ULL
#define PAGE_COUNT_MAP (1ULL << 32)
static inline uint32_t page_counts_refs(uint64_t c) { return (uint32_t)c; }
static inline uint32_t page_counts_maps(uint64_t c) { return (uint32_t)(c >> 32); }
static inline uint64_t page_counts(const struct page *p)
{
	return __atomic_load_n(&p->counts, __ATOMIC_ACQUIRE);
}

static inline void link_init(struct page_link *head)
{
	head->next = head->prev = head;
}
static inline bool link_empty(const struct page_link *head)
{
	return head->next == head;
}
static inline void link_add(struct page_link *head, struct page_link *l)
{
	l->next = head->next;
	l->prev = head;
	head->next->prev = l;
	head->next = l;
}
static inline void link_del(struct page_link *l)
{
	l->prev->next = l->next;
	l->next->prev = l->prev;
	l->next = l->prev = l;
}

/*
 * The allocators' locks: irq-saving spin locks, so interrupt handlers may
 * allocate and free too. The saved interrupt state lives in the lock while
 * it is held (there is one holder at a time).
 */
struct mm_lock {
	spinlock_t lock;
	unsigned long flags;
};
#define MM_LOCK_INIT(lock_name) { SPINLOCK_INIT(lock_name), 0 }

static inline void mm_lock_acquire(struct mm_lock *l)
{
	unsigned long flags = spin_lock_irqsave(&l->lock);
	l->flags = flags;
}
static inline void mm_lock_release(struct mm_lock *l)
{
	spin_unlock_irqrestore(&l->lock, l->flags);
}

/*
 * Sanitizer hooks: every path that hands memory out or takes it back goes
 * through these, so KASAN (kernel) or ASan (hosted frame) can mark it.
 */
#if defined(FRAME_HOSTED) && defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
static inline void mm_hook_unpoison(const void *p, size_t n)
{
	ASAN_UNPOISON_MEMORY_REGION(p, n);
}
static inline void mm_hook_poison(const void *p, size_t n)
{
	ASAN_POISON_MEMORY_REGION(p, n);
}
#elif defined(__SANITIZE_ADDRESS__)
/* Sanitized test kernel: KASAN's shadow (frame/sanitize); free and unused heap memory is a redzone. */
#include <internal/sanitize.h>
static inline void mm_hook_unpoison(const void *p, size_t n)
{
	kasan_unpoison(p, n);
}
static inline void mm_hook_poison(const void *p, size_t n)
{
	kasan_poison(p, n, KASAN_HEAP_REDZONE);
}
#else
static inline void mm_hook_unpoison(const void *p, size_t n)
{
	(void)p;
	(void)n;
}
static inline void mm_hook_poison(const void *p, size_t n)
{
	(void)p;
	(void)n;
}
#endif

/*
 * A caller misused a page handle (page_misuse.c): report @what with the
 * caller's address and @frame (its frame pointer) for the backtrace. The
 * operation was refused; nothing changed.
 */
#define PAGE_MISUSE_PRINTED 32
void page_misuse(const char *what, const struct page *page, void *caller, void *frame);

/* Fault injection (fault_inject.c): should this allocation fail? Counts it. */
bool fault_inject_fail(void);

/* Heap figures for mem_stats(). */
void heap_stats(struct mem_stats *out);
/* Page-table pages in use, for mem_stats(). */
uint64_t vm_space_pgtable_pages(void);

#endif
