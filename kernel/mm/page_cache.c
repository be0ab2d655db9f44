/*
 * The page cache (kernel/page_cache.h): per-cache radix trees of entries
 * (page + state), a global second-chance LRU for eviction, per-cache dirty
 * lists written back in batches by sync calls, by writers over the dirty
 * limit and by the write-back worker, and the figures /proc/meminfo shows.
 *
 * Locks: each cache's spin lock guards its tree, its entries' state and its
 * dirty list; the LRU lock guards the LRU; the order is cache lock, then
 * LRU lock. Reclaim, which may run inside page_alloc() anywhere, only ever
 * trylocks, so it can never wait on a lock its caller holds.
 */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/irq.h>
#include <frame/log.h>
#include <frame/mutex.h>
#include <frame/page.h>
#include <frame/sched.h>
#include <frame/spinlock.h>
#include <frame/string.h>
#include <frame/task.h>
#include <frame/clock.h>
#include <frame/wait.h>
#include <kernel/page_cache.h>
#include <kernel/completion.h>

#define FANOUT_SHIFT 6
#define FANOUT (1u << FANOUT_SHIFT)
/* 6 levels of 64 cover 2^36 pages: 2^48 bytes, the largest file. */
#define MAX_HEIGHT 6

#define E_UPTODATE 0x1u
#define E_LOCKED 0x2u		/* being filled */
#define E_WRITEBACK 0x4u
#define E_REFERENCED 0x8u	/* used since the LRU last looked */
#define E_MAPPED_W 0x10u	/* a shared writable mapping has it */

/* Write-back policy (Linux's defaults, shorter: VMs get killed). */
#define DIRTY_EXPIRE_NS (5ull * 1000000000ull)
#define WORKER_PERIOD_NS (1000000000ull)
#define WB_BATCH 64
/* Read-ahead grows to this many pages (Linux's default 128 KiB). */
#define RA_MAX 32

struct pc_entry {
	struct page *page;
	struct page_cache *pc;
	uint64_t idx;
	uint32_t flags;
	uint8_t dirty;			/* sectors to write back */
	bool on_lru;
	uint64_t dirtied_ns;
	struct pc_entry *lru_prev, *lru_next;
	struct pc_entry *dirty_prev, *dirty_next;
};

struct page_cache {
	const struct page_cache_ops *ops;
	uint64_t ra_next;		/* read-ahead: the page a sequential reader wants next */
	unsigned ra_window;
	enum page_cache_kind kind;
	void *owner;
	spinlock_t lock;
	void *root;
	unsigned height;
	uint64_t nr_pages;
	struct pc_entry *dirty_head, *dirty_tail;
	uint64_t nr_dirty;
	int wb_error;
	struct mutex wb_lock;		/* one write-back pass at a time */
	struct page_cache *all_prev, *all_next;
	uint32_t busy;			/* under all_lock: holders that are not the owner */
	bool dying;
};

struct pc_batch {
	uint32_t pending;		/* atomic */
	int err;			/* atomic: first error */
	struct completion done;
};

static spinlock_t lru_lock = SPINLOCK_INIT("page cache lru");
static struct pc_entry *lru_head, *lru_tail;	/* head: recently added/used */
static spinlock_t all_lock = SPINLOCK_INIT("page caches");
static struct page_cache *all_caches;
/* Entries being filled and caches being released are waited for here. */
static struct wait_queue pc_wq;
static struct wait_queue worker_wq;
static uint32_t worker_kick;

/* Pages by kind (atomic). */
static uint64_t nr_kind[3];
static uint64_t nr_dirty_total, nr_writeback_total;

static void stat_add(uint64_t *c, int64_t d)
{
	__atomic_add_fetch(c, (uint64_t)d, __ATOMIC_RELAXED);
}

/* ---- the radix tree ---- */

static uint64_t capacity(unsigned height)
{
	return height == 0 ? 0 : 1ull << (FANOUT_SHIFT * (height - 1));
}

static struct pc_entry *tree_find(const struct page_cache *pc, uint64_t idx)
{
	if (idx >= capacity(pc->height))
		return NULL;
	void *node = pc->root;
	for (unsigned level = pc->height; level > 1 && node; level--) {
		void **slots = node;
		node = slots[(idx >> (FANOUT_SHIFT * (level - 2))) & (FANOUT - 1)];
	}
	return node;
}

/* The slot for @idx, building the path (under the cache lock): NULL when out of memory or too far. */
static void **tree_slot(struct page_cache *pc, uint64_t idx)
{
	while (idx >= capacity(pc->height)) {
		if (pc->height == MAX_HEIGHT)
			return NULL;
		if (pc->root) {
			void **node = kzalloc(FANOUT * sizeof(void *));
			if (!node)
				return NULL;
			node[0] = pc->root;
			pc->root = node;
		}
		pc->height++;
	}
	void **slot = &pc->root;
	for (unsigned level = pc->height; level > 1; level--) {
		if (!*slot) {
			*slot = kzalloc(FANOUT * sizeof(void *));
			if (!*slot)
				return NULL;
		}
		void **slots = *slot;
		slot = &slots[(idx >> (FANOUT_SHIFT * (level - 2))) & (FANOUT - 1)];
	}
	return slot;
}

static void tree_clear(struct page_cache *pc, uint64_t idx)
{
	if (idx >= capacity(pc->height))
		return;
	void **slot = &pc->root;
	for (unsigned level = pc->height; level > 1 && *slot; level--) {
		void **slots = *slot;
		slot = &slots[(idx >> (FANOUT_SHIFT * (level - 2))) & (FANOUT - 1)];
	}
	*slot = NULL;
}

/* Call @fn on every entry with index >= @from under @node (level @level, first index @base). */
static void tree_walk(void *node, unsigned level, uint64_t base, uint64_t from,
		      void (*fn)(struct pc_entry *e, void *arg), void *arg)
{
	if (!node)
		return;
	if (level == 1) {
		if (base >= from)
			fn(node, arg);
		return;
	}
	void **slots = node;
	uint64_t span = capacity(level - 1);
	for (unsigned i = 0; i < FANOUT; i++)
		if (slots[i] && base + (i + 1) * span > from)
			tree_walk(slots[i], level - 1, base + i * span, from, fn, arg);
}

/* Free interior nodes with no entry left (after removals); true if @node itself went. */
static bool tree_prune(void *node, unsigned level)
{
	if (level == 1)
		return false;
	void **slots = node;
	bool empty = true;
	for (unsigned i = 0; i < FANOUT; i++) {
		if (!slots[i])
			continue;
		if (level > 2 && tree_prune(slots[i], level - 1))
			slots[i] = NULL;
		else
			empty = false;
	}
	if (empty)
		kfree(node);
	return empty;
}

static void tree_prune_root(struct page_cache *pc)
{
	if (pc->height > 1 && pc->root && tree_prune(pc->root, pc->height))
		pc->root = NULL;
	if (!pc->root)
		pc->height = 0;
}

/* ---- lists (cache lock held; the LRU also needs the LRU lock) ---- */

static void lru_add(struct pc_entry *e)
{
	e->lru_prev = NULL;
	e->lru_next = lru_head;
	if (lru_head)
		lru_head->lru_prev = e;
	lru_head = e;
	if (!lru_tail)
		lru_tail = e;
	e->on_lru = true;
}

static void lru_del(struct pc_entry *e)
{
	if (!e->on_lru)
		return;
	if (e->lru_prev)
		e->lru_prev->lru_next = e->lru_next;
	else
		lru_head = e->lru_next;
	if (e->lru_next)
		e->lru_next->lru_prev = e->lru_prev;
	else
		lru_tail = e->lru_prev;
	e->lru_prev = e->lru_next = NULL;
	e->on_lru = false;
}

/* Nobody but the cache holds the page: no other reference, no mapping. */
static bool only_holder(const struct pc_entry *e)
{
	return page_refcount(e->page) == 1 && page_mapcount(e->page) == 0;
}

static bool evictable_kind(const struct page_cache *pc)
{
	return pc->kind != PC_SHMEM;
}

static void dirty_add(struct page_cache *pc, struct pc_entry *e)
{
	e->dirty_prev = pc->dirty_tail;
	e->dirty_next = NULL;
	if (pc->dirty_tail)
		pc->dirty_tail->dirty_next = e;
	else
		pc->dirty_head = e;
	pc->dirty_tail = e;
	pc->nr_dirty++;
	stat_add(&nr_dirty_total, 1);
}

static void dirty_del(struct page_cache *pc, struct pc_entry *e)
{
	if (e->dirty_prev)
		e->dirty_prev->dirty_next = e->dirty_next;
	else
		pc->dirty_head = e->dirty_next;
	if (e->dirty_next)
		e->dirty_next->dirty_prev = e->dirty_prev;
	else
		pc->dirty_tail = e->dirty_prev;
	e->dirty_prev = e->dirty_next = NULL;
	pc->nr_dirty--;
	stat_add(&nr_dirty_total, -1);
}

/* Take @e out of everything (cache lock held); the caller frees it. */
static void entry_unlink(struct page_cache *pc, struct pc_entry *e)
{
	tree_clear(pc, e->idx);
	if (e->dirty) {
		dirty_del(pc, e);
		e->dirty = 0;
	}
	if (e->on_lru) {
		spin_lock(&lru_lock);
		lru_del(e);
		spin_unlock(&lru_lock);
	}
	pc->nr_pages--;
	stat_add(&nr_kind[pc->kind], -1);
}

static void entry_free(struct pc_entry *e)
{
	page_put(e->page);
	kfree(e);
}

/* ---- caches ---- */

struct page_cache *page_cache_create(const struct page_cache_ops *ops, enum page_cache_kind kind,
				     void *owner)
{
	struct page_cache *pc = kzalloc(sizeof(*pc));
	if (!pc)
		return NULL;
	pc->ops = ops;
	pc->kind = kind;
	pc->owner = owner;
	spin_lock_init(&pc->lock, "page cache");
	mutex_init(&pc->wb_lock, "page cache write-back");
	spin_lock(&all_lock);
	pc->all_next = all_caches;
	if (all_caches)
		all_caches->all_prev = pc;
	all_caches = pc;
	spin_unlock(&all_lock);
	return pc;
}

void *page_cache_owner(const struct page_cache *pc)
{
	return pc->owner;
}

struct collect {
	struct pc_entry **list;
	struct page_cache *pc;
	uint64_t first, last;
	bool only_clean;	/* invalidate: keep dirty, mapped and busy entries */
};

static void collect_entry(struct pc_entry *e, void *arg)
{
	struct collect *c = arg;
	if (e->idx > c->last)
		return;
	if (c->only_clean && (e->dirty || (e->flags & (E_LOCKED | E_WRITEBACK | E_MAPPED_W)) ||
			      !only_holder(e)))
		return;
	if (!c->only_clean && (e->flags & E_LOCKED))
		return;
	entry_unlink(c->pc, e);
	/* Chain the removed entries through lru_next for freeing after the lock. */
	e->lru_next = *c->list;
	*c->list = e;
}

/* Remove entries of [@first, @last] (cache lock held); returns them chained. */
static struct pc_entry *remove_range(struct page_cache *pc, uint64_t first, uint64_t last,
				     bool only_clean)
{
	struct pc_entry *list = NULL;
	struct collect c = { &list, pc, first, last, only_clean };
	if (pc->height == 1) {
		if (pc->root && first == 0)
			collect_entry(pc->root, &c);
	} else {
		tree_walk(pc->root, pc->height, 0, first, collect_entry, &c);
	}
	tree_prune_root(pc);
	return list;
}

static void free_chain(struct pc_entry *list)
{
	while (list) {
		struct pc_entry *next = list->lru_next;
		entry_free(list);
		list = next;
	}
}

void page_cache_destroy(struct page_cache *pc)
{
	if (!pc)
		return;
	spin_lock(&all_lock);
	pc->dying = true;
	if (pc->all_prev)
		pc->all_prev->all_next = pc->all_next;
	else
		all_caches = pc->all_next;
	if (pc->all_next)
		pc->all_next->all_prev = pc->all_prev;
	spin_unlock(&all_lock);
	/* The worker or sync() may be writing it back: let them finish. */
	wait_event(&pc_wq, __atomic_load_n(&pc->busy, __ATOMIC_ACQUIRE) == 0);
	mutex_lock(&pc->wb_lock);
	mutex_unlock(&pc->wb_lock);
	for (;;) {
		spin_lock(&pc->lock);
		struct pc_entry *list = remove_range(pc, 0, ~0ull, false);
		bool left = pc->nr_pages != 0;	/* entries being filled */
		spin_unlock(&pc->lock);
		free_chain(list);
		if (!left)
			break;
		sched_yield();
	}
	kfree(pc);
}

/* ---- lookup and fill ---- */

static bool entry_filled(struct page_cache *pc, uint64_t idx)
{
	spin_lock(&pc->lock);
	struct pc_entry *e = tree_find(pc, idx);
	bool done = !e || !(e->flags & E_LOCKED);
	spin_unlock(&pc->lock);
	return done;
}

struct page *page_cache_find(struct page_cache *pc, uint64_t idx)
{
	spin_lock(&pc->lock);
	struct pc_entry *e = tree_find(pc, idx);
	struct page *pg = NULL;
	if (e && !(e->flags & E_LOCKED)) {
		pg = e->page;
		page_get(pg);
		e->flags |= E_REFERENCED;
	}
	spin_unlock(&pc->lock);
	return pg;
}

bool page_cache_present(struct page_cache *pc, uint64_t idx)
{
	spin_lock(&pc->lock);
	bool present = tree_find(pc, idx) != NULL;
	spin_unlock(&pc->lock);
	return present;
}

static struct page *alloc_page_reclaiming(void)
{
	struct page *pg = page_alloc(0, PAGE_ZERO | PAGE_USER);
	if (!pg && page_cache_reclaim(64))
		pg = page_alloc(0, PAGE_ZERO | PAGE_USER);
	return pg;
}

int page_cache_get(struct page_cache *pc, uint64_t idx, bool fill, struct page **out)
{
	*out = NULL;
	if (idx >= capacity(MAX_HEIGHT))
		return -EFBIG;
	for (;;) {
		spin_lock(&pc->lock);
		struct pc_entry *e = tree_find(pc, idx);
		if (e && !(e->flags & E_LOCKED)) {
			page_get(e->page);
			e->flags |= E_REFERENCED;
			spin_unlock(&pc->lock);
			*out = e->page;
			return 0;
		}
		spin_unlock(&pc->lock);
		if (e) {
			wait_event(&pc_wq, entry_filled(pc, idx));
			continue;
		}
		struct page *pg = alloc_page_reclaiming();
		struct pc_entry *n = pg ? kzalloc(sizeof(*n)) : NULL;
		if (!n) {
			if (pg)
				page_put(pg);
			return -ENOMEM;
		}
		bool read = fill && pc->ops && pc->ops->read_page;
		n->page = pg;
		n->pc = pc;
		n->idx = idx;
		n->flags = read ? E_LOCKED : E_UPTODATE;
		spin_lock(&pc->lock);
		if (tree_find(pc, idx)) {
			spin_unlock(&pc->lock);
			entry_free(n);
			continue;
		}
		void **slot = tree_slot(pc, idx);
		if (!slot) {
			spin_unlock(&pc->lock);
			entry_free(n);
			return -ENOMEM;
		}
		*slot = n;
		pc->nr_pages++;
		stat_add(&nr_kind[pc->kind], 1);
		if (evictable_kind(pc)) {
			spin_lock(&lru_lock);
			lru_add(n);
			spin_unlock(&lru_lock);
		}
		spin_unlock(&pc->lock);
		if (read) {
			int err = pc->ops->read_page(pc, idx, pg);
			spin_lock(&pc->lock);
			n->flags &= ~E_LOCKED;
			if (err) {
				entry_unlink(pc, n);
				spin_unlock(&pc->lock);
				wait_wake_all(&pc_wq);
				entry_free(n);
				return err;
			}
			n->flags |= E_UPTODATE;
			spin_unlock(&pc->lock);
			wait_wake_all(&pc_wq);
		}
		page_get(pg);
		*out = pg;
		return 0;
	}
}

/* ---- dirtiness ---- */

static uint8_t sector_mask(uint32_t off, uint32_t len)
{
	if (len == 0 || off >= PAGE_SIZE)
		return 0;
	if (len > PAGE_SIZE - off)
		len = PAGE_SIZE - off;
	unsigned first = off / 512, last = (off + len - 1) / 512;
	return (uint8_t)(((1u << (last + 1)) - 1) & ~((1u << first) - 1));
}

static void mark_dirty_locked(struct page_cache *pc, struct pc_entry *e, uint8_t mask)
{
	if (!e->dirty) {
		dirty_add(pc, e);
		e->dirtied_ns = clock_monotonic_ns();
	}
	e->dirty |= mask;
}

void page_cache_mark_dirty(struct page_cache *pc, uint64_t idx, uint32_t off, uint32_t len)
{
	uint8_t mask = sector_mask(off, len);
	if (pc->kind == PC_SHMEM || !mask || !pc->ops || !pc->ops->write_page)
		return;
	spin_lock(&pc->lock);
	struct pc_entry *e = tree_find(pc, idx);
	if (e)
		mark_dirty_locked(pc, e, mask);
	spin_unlock(&pc->lock);
}

void page_cache_clean_range(struct page_cache *pc, uint64_t idx, uint32_t off, uint32_t len)
{
	uint8_t mask = sector_mask(off, len);
	spin_lock(&pc->lock);
	struct pc_entry *e = tree_find(pc, idx);
	if (e && (e->dirty & mask)) {
		e->dirty &= (uint8_t)~mask;
		if (!e->dirty)
			dirty_del(pc, e);
	}
	spin_unlock(&pc->lock);
}

void page_cache_mark_mapped_writable(struct page_cache *pc, uint64_t idx)
{
	if (pc->kind == PC_SHMEM || !pc->ops || !pc->ops->write_page)
		return;
	spin_lock(&pc->lock);
	struct pc_entry *e = tree_find(pc, idx);
	if (e) {
		e->flags |= E_MAPPED_W;
		mark_dirty_locked(pc, e, 0xff);
	}
	spin_unlock(&pc->lock);
}

/* ---- copies ---- */

/*
 * Sequential reading: fill pages @idx .. (at most @last) that are not
 * cached yet with one read_pages call, the window doubling while the reader
 * keeps going forward. Best effort: on any failure the pages are simply
 * read one by one later.
 */
static void read_ahead(struct page_cache *pc, uint64_t idx, uint64_t last)
{
	if (!pc->ops || !pc->ops->read_pages)
		return;
	unsigned w = idx == pc->ra_next && pc->ra_window ? MIN(pc->ra_window * 2, RA_MAX) : 4;
	if (idx == 0)
		w = 4;
	pc->ra_window = w;
	struct pc_entry *ents[RA_MAX];
	struct page *pages[RA_MAX];
	unsigned n = 0;
	for (; n < w && idx + n <= last; n++) {
		struct page *pg = page_alloc(0, PAGE_ZERO | PAGE_USER);
		struct pc_entry *e = pg ? kzalloc(sizeof(*e)) : NULL;
		if (!e) {
			if (pg)
				page_put(pg);
			break;
		}
		e->page = pg;
		e->pc = pc;
		e->idx = idx + n;
		e->flags = E_LOCKED;
		spin_lock(&pc->lock);
		void **slot = tree_find(pc, idx + n) ? NULL : tree_slot(pc, idx + n);
		if (slot) {
			*slot = e;
			pc->nr_pages++;
			stat_add(&nr_kind[pc->kind], 1);
			spin_lock(&lru_lock);
			lru_add(e);
			spin_unlock(&lru_lock);
		}
		spin_unlock(&pc->lock);
		if (!slot) {
			entry_free(e);
			break;
		}
		ents[n] = e;
		pages[n] = pg;
	}
	pc->ra_next = idx + n;
	if (n == 0)
		return;
	int err = pc->ops->read_pages(pc, idx, pages, n);
	struct pc_entry *dead = NULL;
	spin_lock(&pc->lock);
	for (unsigned i = 0; i < n; i++) {
		ents[i]->flags &= ~E_LOCKED;
		if (err) {
			entry_unlink(pc, ents[i]);
			ents[i]->lru_next = dead;
			dead = ents[i];
		} else {
			ents[i]->flags |= E_UPTODATE;
		}
	}
	spin_unlock(&pc->lock);
	wait_wake_all(&pc_wq);
	free_chain(dead);
}

ssize_t page_cache_read(struct page_cache *pc, uint64_t off, void *buf, size_t len, uint64_t size)
{
	if (off >= size)
		return 0;
	if (len > size - off)
		len = (size_t)(size - off);
	uint8_t *out = buf;
	size_t done = 0;
	while (done < len) {
		size_t in_page = (off + done) & (PAGE_SIZE - 1);
		size_t n = MIN(len - done, PAGE_SIZE - in_page);
		uint64_t idx = (off + done) >> PAGE_SHIFT;
		struct page *pg = page_cache_find(pc, idx);
		if (!pg) {
			read_ahead(pc, idx, (size - 1) >> PAGE_SHIFT);
			int err = page_cache_get(pc, idx, true, &pg);
			if (err)
				return done ? (ssize_t)done : err;
		}
		page_read(pg, in_page, out + done, n);
		page_put(pg);
		done += n;
	}
	return (ssize_t)done;
}

static bool over_dirty_limit(void)
{
	/* Linux's vm.dirty_ratio is 20% of available memory; a fifth of all pages here. */
	return __atomic_load_n(&nr_dirty_total, __ATOMIC_RELAXED) > page_count_total() / 5;
}

ssize_t page_cache_write(struct page_cache *pc, uint64_t off, const void *buf, size_t len,
			 uint64_t size)
{
	const uint8_t *in = buf;
	size_t done = 0;
	while (done < len) {
		uint64_t pos = off + done;
		size_t in_page = pos & (PAGE_SIZE - 1);
		size_t n = MIN(len - done, PAGE_SIZE - in_page);
		uint64_t idx = pos >> PAGE_SHIFT;
		/* Read first only if the page keeps bytes this write does not cover. */
		bool whole = in_page == 0 && n == PAGE_SIZE;
		bool fill = !whole && idx * PAGE_SIZE < size;
		struct page *pg;
		int err = page_cache_get(pc, idx, fill, &pg);
		if (err)
			return done ? (ssize_t)done : err;
		page_write(pg, in_page, in + done, n);
		page_put(pg);
		page_cache_mark_dirty(pc, idx, (uint32_t)in_page, (uint32_t)n);
		done += n;
	}
	/* A writer over the dirty limit writes its own pages back (Linux's balance_dirty_pages). */
	if (pc->kind != PC_SHMEM && over_dirty_limit()) {
		(void)page_cache_sync_range(pc, 0, ~0ull);
		__atomic_store_n(&worker_kick, 1, __ATOMIC_RELEASE);
		wait_wake_one(&worker_wq);
	}
	return (ssize_t)done;
}

void page_cache_truncate(struct page_cache *pc, uint64_t size)
{
	uint64_t from = (size + PAGE_SIZE - 1) >> PAGE_SHIFT;
	/* Pages under write-back are left to finish first. */
	mutex_lock(&pc->wb_lock);
	spin_lock(&pc->lock);
	struct pc_entry *list = remove_range(pc, from, ~0ull, false);
	struct pc_entry *tail = NULL;
	if (size & (PAGE_SIZE - 1))
		tail = tree_find(pc, size >> PAGE_SHIFT);
	if (tail) {
		uint32_t keep = (uint32_t)(size & (PAGE_SIZE - 1));
		page_zero(tail->page, keep, PAGE_SIZE - keep);
		/* The block on disk must read as zeros past the end too, should the file grow again. */
		if (pc->kind != PC_SHMEM && pc->ops && pc->ops->write_page)
			mark_dirty_locked(pc, tail, sector_mask(keep, PAGE_SIZE - keep));
	}
	spin_unlock(&pc->lock);
	mutex_unlock(&pc->wb_lock);
	free_chain(list);
}

void page_cache_invalidate(struct page_cache *pc, uint64_t first, uint64_t last)
{
	spin_lock(&pc->lock);
	struct pc_entry *list = remove_range(pc, first, last, true);
	spin_unlock(&pc->lock);
	free_chain(list);
}

uint64_t page_cache_dirty_pages(const struct page_cache *pc)
{
	return __atomic_load_n(&pc->nr_dirty, __ATOMIC_RELAXED);
}

uint64_t page_cache_pages(const struct page_cache *pc)
{
	return __atomic_load_n(&pc->nr_pages, __ATOMIC_RELAXED);
}

struct next_present {
	uint64_t best;
	bool found;
};

static void note_present(struct pc_entry *e, void *arg)
{
	struct next_present *np = arg;
	if (!np->found || e->idx < np->best) {
		np->best = e->idx;
		np->found = true;
	}
}

bool page_cache_next_present(struct page_cache *pc, uint64_t idx, uint64_t *found)
{
	struct next_present np = { 0, false };
	spin_lock(&pc->lock);
	if (pc->height == 1) {
		if (pc->root && idx == 0)
			note_present(pc->root, &np);
	} else {
		tree_walk(pc->root, pc->height, 0, idx, note_present, &np);
	}
	spin_unlock(&pc->lock);
	*found = np.best;
	return np.found;
}

/* ---- write-back ---- */

void pc_batch_add(struct pc_batch *b)
{
	__atomic_add_fetch(&b->pending, 1, __ATOMIC_RELAXED);
}

void pc_batch_done(struct pc_batch *b, int err)
{
	if (err) {
		int none = 0;
		__atomic_compare_exchange_n(&b->err, &none, err, false, __ATOMIC_RELAXED,
					    __ATOMIC_RELAXED);
	}
	if (__atomic_sub_fetch(&b->pending, 1, __ATOMIC_ACQ_REL) == 0)
		completion_signal(&b->done);
}

/*
 * One write-back pass over @pc's dirty pages of [@first, @last] (all, or
 * only those dirty longer than @older_than_ns when it is not 0). Caller
 * holds wb_lock. Returns the pass's first error.
 */
static int writeback_pass(struct page_cache *pc, uint64_t first, uint64_t last,
			  uint64_t older_than_ns)
{
	int result = 0;
	uint64_t now = clock_monotonic_ns();
	/* Pages a mapping keeps writable stay dirty, but only after this pass. */
	struct pc_entry *again[WB_BATCH];
	for (;;) {
		struct pc_entry *batch_e[WB_BATCH];
		uint8_t masks[WB_BATCH];
		unsigned n = 0;
		spin_lock(&pc->lock);
		struct pc_entry *e = pc->dirty_head;
		while (e && n < WB_BATCH) {
			struct pc_entry *next = e->dirty_next;
			if (e->idx >= first && e->idx <= last && !(e->flags & E_WRITEBACK) &&
			    (!older_than_ns || now - e->dirtied_ns >= older_than_ns)) {
				masks[n] = e->dirty;
				e->dirty = 0;
				dirty_del(pc, e);
				e->flags |= E_WRITEBACK;
				page_get(e->page);
				batch_e[n++] = e;
			}
			e = next;
		}
		spin_unlock(&pc->lock);
		if (n == 0)
			break;
		stat_add(&nr_writeback_total, n);
		struct pc_batch b = { 1, 0, { { SPINLOCK_INIT("pc batch"), NULL, NULL }, 0 } };
		int err = 0;
		if (pc->ops->begin_writeback)
			pc->ops->begin_writeback(pc);
		for (unsigned i = 0; i < n; i++) {
			err = pc->ops->write_page(pc, batch_e[i]->idx, batch_e[i]->page, masks[i], &b);
			if (err == -ENOMEM || err == -EAGAIN) {
				/* Nothing went out: try again later. */
				spin_lock(&pc->lock);
				mark_dirty_locked(pc, batch_e[i], masks[i]);
				spin_unlock(&pc->lock);
			} else if (err && !result) {
				result = err;
			}
		}
		if (pc->ops->end_writeback)
			pc->ops->end_writeback(pc);
		pc_batch_done(&b, 0);
		completion_wait(&b.done);
		if (b.err && !result)
			result = b.err;
		unsigned nagain = 0;
		spin_lock(&pc->lock);
		for (unsigned i = 0; i < n; i++) {
			struct pc_entry *x = batch_e[i];
			x->flags &= ~E_WRITEBACK;
			if (x->flags & E_MAPPED_W) {
				/* Still mapped somewhere? */
				if (page_mapcount(x->page) > 0)
					again[nagain++] = x;
				else
					x->flags &= ~E_MAPPED_W;
			}
		}
		spin_unlock(&pc->lock);
		stat_add(&nr_writeback_total, -(int64_t)n);
		for (unsigned i = 0; i < n; i++) {
			bool keep = false;
			for (unsigned k = 0; k < nagain; k++)
				keep |= again[k] == batch_e[i];
			if (!keep)
				page_put(batch_e[i]->page);
		}
		if (nagain) {
			/* Re-dirty them for the next pass, and stop this one (it would loop). */
			spin_lock(&pc->lock);
			for (unsigned k = 0; k < nagain; k++)
				if (!again[k]->dirty)
					mark_dirty_locked(pc, again[k], 0xff);
			spin_unlock(&pc->lock);
			for (unsigned k = 0; k < nagain; k++)
				page_put(again[k]->page);
			if (n < WB_BATCH)
				break;
		}
	}
	if (result) {
		spin_lock(&pc->lock);
		if (!pc->wb_error)
			pc->wb_error = result;
		spin_unlock(&pc->lock);
	}
	return result;
}

int page_cache_sync_range(struct page_cache *pc, uint64_t first, uint64_t last)
{
	if (!pc->ops || !pc->ops->write_page)
		return 0;
	mutex_lock(&pc->wb_lock);
	(void)writeback_pass(pc, first, last, 0);
	spin_lock(&pc->lock);
	int err = pc->wb_error;
	pc->wb_error = 0;
	spin_unlock(&pc->lock);
	mutex_unlock(&pc->wb_lock);
	return err;
}

int page_cache_sync(struct page_cache *pc)
{
	return page_cache_sync_range(pc, 0, ~0ull);
}

/* The next live cache after @prev (NULL: the first) with dirty pages, held busy; NULL at the end. */
static struct page_cache *next_dirty_cache(struct page_cache *prev)
{
	spin_lock(&all_lock);
	struct page_cache *pc = prev ? prev->all_next : all_caches;
	if (prev && prev->dying)
		pc = all_caches;	/* prev was unlinked: start over (passes are idempotent) */
	while (pc && (pc->dying || !__atomic_load_n(&pc->nr_dirty, __ATOMIC_RELAXED)))
		pc = pc->all_next;
	if (pc)
		pc->busy++;
	if (prev) {
		prev->busy--;
		if (prev->dying)
			wait_wake_all(&pc_wq);
	}
	spin_unlock(&all_lock);
	return pc;
}

static int writeback_all(uint64_t older_than_ns, enum page_cache_kind only, bool any_kind)
{
	int result = 0;
	for (struct page_cache *pc = next_dirty_cache(NULL); pc; pc = next_dirty_cache(pc)) {
		if (!any_kind && pc->kind != only)
			continue;
		if (!pc->ops || !pc->ops->write_page)
			continue;
		mutex_lock(&pc->wb_lock);
		int err = writeback_pass(pc, 0, ~0ull, older_than_ns);
		mutex_unlock(&pc->wb_lock);
		if (err && !result)
			result = err;
	}
	return result;
}

int page_cache_sync_all(void)
{
	/* File data first: writing it may dirty metadata in the block devices' caches. */
	int err = writeback_all(0, PC_FILE, false);
	int err2 = writeback_all(0, PC_BUFFERS, false);
	return err ? err : err2;
}

/* ---- reclaim ---- */

size_t page_cache_reclaim(size_t want)
{
	unsigned long flags = irq_save();
	if (!spin_trylock(&lru_lock)) {
		irq_restore(flags);
		return 0;
	}
	struct pc_entry *freed = NULL;
	size_t n = 0, scanned = 0, limit = 4 * want + 256;
	while (n < want && scanned < limit && lru_tail) {
		struct pc_entry *e = lru_tail;
		struct page_cache *pc = e->pc;
		scanned++;
		bool take = false;
		if (spin_trylock(&pc->lock)) {
			if (e->flags & E_REFERENCED) {
				e->flags &= ~E_REFERENCED;
			} else if (!e->dirty && !(e->flags & (E_LOCKED | E_WRITEBACK | E_MAPPED_W)) &&
				   only_holder(e)) {
				take = true;
				tree_clear(pc, e->idx);
				pc->nr_pages--;
				stat_add(&nr_kind[pc->kind], -1);
				lru_del(e);
			}
			spin_unlock(&pc->lock);
		}
		if (take) {
			e->lru_next = freed;
			freed = e;
			n++;
		} else {
			/* Second chance: to the head. */
			lru_del(e);
			lru_add(e);
		}
	}
	spin_unlock(&lru_lock);
	irq_restore(flags);
	free_chain(freed);
	if (n < want) {
		/* Dirty pages are in the way: have the worker write them. */
		__atomic_store_n(&worker_kick, 1, __ATOMIC_RELEASE);
		wait_wake_one(&worker_wq);
	}
	return n;
}

/* ---- figures ---- */

void page_cache_stats(struct page_cache_stats *out)
{
	out->shmem = __atomic_load_n(&nr_kind[PC_SHMEM], __ATOMIC_RELAXED);
	out->cached = __atomic_load_n(&nr_kind[PC_FILE], __ATOMIC_RELAXED) + out->shmem;
	out->buffers = __atomic_load_n(&nr_kind[PC_BUFFERS], __ATOMIC_RELAXED);
	out->dirty = __atomic_load_n(&nr_dirty_total, __ATOMIC_RELAXED);
	out->writeback = __atomic_load_n(&nr_writeback_total, __ATOMIC_RELAXED);
}

/* ---- the worker ---- */

static int worker_main(void *arg)
{
	(void)arg;
	for (;;) {
		(void)wait_event_timeout(&worker_wq, __atomic_load_n(&worker_kick, __ATOMIC_ACQUIRE),
					 WORKER_PERIOD_NS);
		bool kicked = __atomic_exchange_n(&worker_kick, 0, __ATOMIC_ACQ_REL);
		/* Expired pages always; all of them when memory or the dirty limit presses. */
		uint64_t age = kicked || over_dirty_limit() ? 0 : DIRTY_EXPIRE_NS;
		(void)writeback_all(age, PC_FILE, false);
		(void)writeback_all(age, PC_BUFFERS, false);
	}
	return 0;
}

void page_cache_init(void)
{
	static bool done;
	if (done)
		return;
	done = true;
	page_set_reclaim_hook(page_cache_reclaim);
	int err = task_create("pc-writeback", worker_main, NULL, TASK_PRIO_DEFAULT, NULL);
	if (err)
		pr_warn("page cache: no write-back worker (error %d); only sync writes back\n", err);
}
