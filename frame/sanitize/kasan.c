/* KASAN runtime: shadow memory for the direct map and the kernel image, poisoning, and the compiler's check entry points. */
#ifdef FRAME_SANITIZE
#include <frame/log.h>
#include <frame/page.h>
#include <frame/spinlock.h>
#include <frame/vm_space.h>
#include <arch/layout.h>
#include <internal/mm.h>
#include <internal/sanitize.h>

#include "sanitize_private.h"

#define GRANULE 8UL

bool kasan_enabled;
/* Covered ranges, as [base, base + len) so one unsigned compare tests each. */
static uintptr_t dm_base, dm_len, img_base, img_len;
static uintptr_t stk_len; /* from KSTACK_AREA_BASE */
static size_t shadow_bytes;

bool kasan_shadowed(uintptr_t addr)
{
	return addr - dm_base < dm_len || addr - img_base < img_len ||
	       addr - KSTACK_AREA_BASE < __atomic_load_n(&stk_len, __ATOMIC_ACQUIRE);
}

/* Zero a fresh shadow block word by word: the frame's memset is instrumented and bytewise. */
static void shadow_zero(void *p, size_t len)
{
	uint64_t *w = p;
	for (size_t i = 0; i < len / sizeof(*w); i++)
		w[i] = 0;
}

/*
 * Back the shadow of [start, end) with zeroed pages in the kernel space, the
 * largest blocks first. Returns the end of the address range it managed to
 * cover (less than @end only when memory ran out).
 */
static uintptr_t map_shadow(uintptr_t start, uintptr_t end)
{
	uintptr_t va = ALIGN_DOWN((uintptr_t)kasan_shadow(start), PAGE_SIZE);
	uintptr_t stop = ALIGN_UP((uintptr_t)kasan_shadow(end - 1) + 1, PAGE_SIZE);
	while (va < stop) {
		unsigned order = PAGE_MAX_ORDER;
		while (order && (!IS_ALIGNED(va, PAGE_SIZE << order) ||
				 va + (PAGE_SIZE << order) > stop))
			order--;
		struct page *p;
		while (!(p = page_alloc(order, 0)) && order)
			order--;
		if (!p)
			break;
		size_t len = PAGE_SIZE << order;
		shadow_zero(page_to_virt(p), len);
		if (vm_space_map_phys(vm_space_kernel(), va, page_to_phys(p), len,
				      VM_READ | VM_WRITE)) {
			page_put(p);
			break;
		}
		shadow_bytes += len;
		va += len;
	}
	uintptr_t covered = (va - KASAN_SHADOW_OFFSET) << 3;
	return va >= stop ? end : MIN(covered, end);
}

/*
 * The shadow covers the kernel image and the direct map from physical 0 to
 * the end of RAM, holes included (ACPI tables and the BIOS area are read
 * through it); costs 1/8 of that span. MMIO, user memory and any other
 * kernel range stay unchecked.
 */
void kasan_init(const struct mem_region *regions, size_t count)
{
	paddr_t ram_end = 0;
	for (size_t i = 0; i < count; i++)
		ram_end = MAX(ram_end, regions[i].end);

	img_base = ALIGN_DOWN((uintptr_t)__kernel_start, PAGE_SIZE * GRANULE);
	uintptr_t img_end = map_shadow(img_base, ALIGN_UP((uintptr_t)__kernel_end, PAGE_SIZE * GRANULE));
	img_len = img_end - img_base;
	dm_base = (uintptr_t)phys_to_virt(0);
	uintptr_t dm_end = map_shadow(dm_base, (uintptr_t)phys_to_virt(ALIGN_UP(ram_end, PAGE_SIZE * GRANULE)));
	dm_len = dm_end - dm_base;
	if (img_end < (uintptr_t)__kernel_end)
		pr_warn("kasan: no memory for the kernel image's shadow; KASAN stays off\n");
	if (dm_end - dm_base < ram_end)
		pr_warn("kasan: shadow covers only the first %lu MiB of RAM\n",
			(unsigned long)((dm_end - dm_base) >> 20));
	kasan_enabled = img_end >= (uintptr_t)__kernel_end;
	pr_info("kasan: shadow at %#lx, %lu KiB for %lu MiB of direct map and the image\n",
		(unsigned long)KASAN_SHADOW_OFFSET, (unsigned long)(shadow_bytes >> 10),
		(unsigned long)(dm_len >> 20));
}

int kasan_stack_shadow(uintptr_t start, size_t len)
{
	static spinlock_t lock = SPINLOCK_INIT("kasan stack shadow");
	if (!kasan_enabled)
		return 0;
	uintptr_t end = start + len;
	unsigned long f = spin_lock_irqsave(&lock);
	uintptr_t have = KSTACK_AREA_BASE + stk_len;
	int err = 0;
	if (end > have) {
		/* Page-sized shadow steps: the area's bytes come in 8-page granules of shadow pages. */
		uintptr_t to = ALIGN_UP(end, PAGE_SIZE * GRANULE);
		uintptr_t got = map_shadow(have, to);
		__atomic_store_n(&stk_len, got - KSTACK_AREA_BASE, __ATOMIC_RELEASE);
		err = got >= end ? 0 : -1;
	}
	spin_unlock_irqrestore(&lock, f);
	return err;
}

void kasan_unpoison(const void *p, size_t n)
{
	uintptr_t a = (uintptr_t)p;
	if (!kasan_enabled || !n || !kasan_shadowed(a) || !kasan_shadowed(a + n - 1))
		return;
	uintptr_t end = a + n;
	for (uintptr_t g = ALIGN_DOWN(a, GRANULE); g < ALIGN_DOWN(end, GRANULE); g += GRANULE)
		*kasan_shadow(g) = 0;
	if (end & (GRANULE - 1))
		*kasan_shadow(end) = (uint8_t)(end & (GRANULE - 1));
}

void kasan_poison(const void *p, size_t n, uint8_t value)
{
	uintptr_t a = (uintptr_t)p;
	if (!kasan_enabled || !n || !kasan_shadowed(a) || !kasan_shadowed(a + n - 1))
		return;
	uintptr_t end = a + n, g = ALIGN_UP(a, GRANULE);
	/* An unaligned start keeps the granule's head: the object before ends there. */
	if (a & (GRANULE - 1)) {
		uint8_t *s = kasan_shadow(a);
		if (*s == 0 || (*s < GRANULE && *s > (a & (GRANULE - 1))))
			*s = (uint8_t)(a & (GRANULE - 1));
	}
	for (; g + GRANULE <= end; g += GRANULE)
		*kasan_shadow(g) = value;
}

uint8_t kasan_shadow_value(const void *p)
{
	uintptr_t a = (uintptr_t)p;
	if (!kasan_enabled || !kasan_shadowed(a))
		return 0;
	return *kasan_shadow(a);
}

/* First bad byte of [a, a + n), or 0 when all of it is accessible. */
static uintptr_t first_bad_byte(uintptr_t a, size_t n)
{
	uintptr_t last = a + n - 1;
	for (uintptr_t g = ALIGN_DOWN(a, GRANULE); g <= last; g += GRANULE) {
		int8_t s = (int8_t)*kasan_shadow(g);
		if (s == 0)
			continue;
		uintptr_t hi = MIN(last, g + GRANULE - 1) & (GRANULE - 1);
		if (s < 0 || (intptr_t)hi >= s)
			return s < 0 ? MAX(a, g) : MAX(a, g + (uintptr_t)s);
	}
	return 0;
}

/*
 * The common case inline: one granule, shadow zero. Addresses without shadow
 * (user memory, MMIO, before init) pass unchecked.
 */
static inline __attribute__((always_inline)) bool access_ok(uintptr_t a, size_t n)
{
	if (unlikely(!kasan_enabled) || sanitize_reporting)
		return true;
	if (!kasan_shadowed(a) || !kasan_shadowed(a + n - 1))
		return true;
	if ((a & (GRANULE - 1)) + n <= GRANULE) {
		int8_t s = (int8_t)*kasan_shadow(a);
		return s == 0 || (s > 0 && (int8_t)((a & (GRANULE - 1)) + n - 1) < s);
	}
	return first_bad_byte(a, n) == 0;
}

static __attribute__((noinline)) void access_bad(uintptr_t a, size_t n, bool write,
						 uintptr_t ip, uintptr_t fp)
{
	uintptr_t bad = first_bad_byte(a, n);
	kasan_report(bad ? bad : a, n, write, NULL, ip, fp);
}

#define CHECK(addr, size, write) \
	do { \
		if (!access_ok((addr), (size))) \
			access_bad((addr), (size), (write), \
				   (uintptr_t)__builtin_return_address(0), \
				   (uintptr_t)__builtin_frame_address(0)); \
	} while (0)

/* Outline checks (asan-instrumentation-with-call-threshold=0): the gate above needs a call. */
#define DEFINE_ASAN_ACCESS(size) \
	void __asan_load##size(uintptr_t a); \
	void __asan_load##size(uintptr_t a) { CHECK(a, size, false); } \
	void __asan_load##size##_noabort(uintptr_t a); \
	void __asan_load##size##_noabort(uintptr_t a) { CHECK(a, size, false); } \
	void __asan_store##size(uintptr_t a); \
	void __asan_store##size(uintptr_t a) { CHECK(a, size, true); } \
	void __asan_store##size##_noabort(uintptr_t a); \
	void __asan_store##size##_noabort(uintptr_t a) { CHECK(a, size, true); }

DEFINE_ASAN_ACCESS(1)
DEFINE_ASAN_ACCESS(2)
DEFINE_ASAN_ACCESS(4)
DEFINE_ASAN_ACCESS(8)
DEFINE_ASAN_ACCESS(16)

void __asan_loadN(uintptr_t a, size_t n);
void __asan_loadN(uintptr_t a, size_t n) { if (n) CHECK(a, n, false); }
void __asan_loadN_noabort(uintptr_t a, size_t n);
void __asan_loadN_noabort(uintptr_t a, size_t n) { if (n) CHECK(a, n, false); }
void __asan_storeN(uintptr_t a, size_t n);
void __asan_storeN(uintptr_t a, size_t n) { if (n) CHECK(a, n, true); }
void __asan_storeN_noabort(uintptr_t a, size_t n);
void __asan_storeN_noabort(uintptr_t a, size_t n) { if (n) CHECK(a, n, true); }

/* Called before noreturn calls; the kernel never unwinds, so nothing to clean. */
void __asan_handle_no_return(void);
void __asan_handle_no_return(void) {}

/* Scoped locals (use-after-scope) when gcc does not poison them inline. */
void __asan_poison_stack_memory(const void *p, size_t n);
void __asan_poison_stack_memory(const void *p, size_t n) { kasan_poison(p, ALIGN_UP(n, GRANULE), 0xf8); }
void __asan_unpoison_stack_memory(const void *p, size_t n);
void __asan_unpoison_stack_memory(const void *p, size_t n) { kasan_unpoison(p, n); }

/* gcc's descriptor of an instrumented global (its ABI since gcc 7). */
struct asan_global {
	uintptr_t beg;
	size_t size;
	size_t size_with_redzone;
	const char *name;
	const char *module_name;
	size_t has_dynamic_init;
	void *location;
	size_t odr_indicator;
};

/* Run by each instrumented file's constructor: poison the redzone after every global. */
void __asan_register_globals(struct asan_global *globals, size_t n);
void __asan_register_globals(struct asan_global *globals, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct asan_global *g = &globals[i];
		kasan_poison((const void *)(g->beg + g->size),
			     g->size_with_redzone - g->size, KASAN_GLOBAL_REDZONE);
	}
}

void __asan_unregister_globals(struct asan_global *globals, size_t n);
void __asan_unregister_globals(struct asan_global *globals, size_t n)
{
	(void)globals;
	(void)n;
}

#endif
