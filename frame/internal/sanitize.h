/* Frame-internal interface of the runtime checks (KASAN, UBSAN, stack protector) of the sanitized test build. */
#ifndef FRAME_INTERNAL_SANITIZE_H
#define FRAME_INTERNAL_SANITIZE_H

#include <frame/types.h>
#include <internal/mm.h>

/*
 * Called by boot right after kernel_space_init(): maps KASAN's shadow,
 * registers instrumented globals (runs the image's constructors), seeds the
 * stack-protector guard and turns reporting on. A no-op in a plain build.
 */
void sanitize_init(const struct mem_region *regions, size_t count);

/* Is this image built with the runtime checks (mk/sanitize.mk)? */
bool sanitize_built(void);

/*
 * Reports never stop the test kernel: each is printed (the first
 * SANITIZE_REPORTS_PRINTED of each kind, with a backtrace), counted, and the
 * code goes on. Tests read the counters before and after a deliberate bug;
 * test/kernel/run fails any test that prints a report it did not expect.
 */
#define SANITIZE_REPORTS_PRINTED 32
unsigned long kasan_report_count(void);
unsigned long ubsan_report_count(void);

/* What the last KASAN report was about, for tests to check more than a count. */
struct kasan_report_info {
	uintptr_t addr;
	size_t size;
	bool write;
	const char *kind; /* "out-of-bounds", "use-after-free", ... */
};
void kasan_last_report(struct kasan_report_info *out);

/* The last UBSAN report's kind ("signed-integer-overflow", ...) and line. */
void ubsan_last_report(const char **kind, unsigned *line);

/* Shadow byte values (negative: the whole 8-byte granule is off limits). */
#define KASAN_HEAP_REDZONE 0xfc  /* heap redzone, unallocated heap, free pages */
#define KASAN_HEAP_FREED 0xfb    /* object in the kfree quarantine */
#define KASAN_GLOBAL_REDZONE 0xf9
#define KASAN_STACK_GUARD 0xf4   /* a task stack's guard gap, or a stack no task has */

/*
 * Mark [p, p + n) accessible / off limits. Before sanitize_init() and outside
 * the shadowed ranges these do nothing. @p and, for poisoning, @n need not be
 * granule aligned: a partial last granule stays accessible up to p + n when
 * unpoisoning (the heap's exact-size objects), and is left alone when poisoning.
 */
void kasan_unpoison(const void *p, size_t n);
void kasan_poison(const void *p, size_t n, uint8_t value);

/* Shadow value of the granule holding @p (0 when unshadowed), for tests. */
uint8_t kasan_shadow_value(const void *p);

/*
 * kfree quarantine: kfree() hands a validated small object of @size bytes
 * here; it is poisoned as freed and kept back so a stale pointer keeps
 * faulting for a while. Returns 0 when queued, with *@evict set to the
 * oldest object the heap must really free now (or NULL); -1 for a second
 * kfree of a quarantined object, which is reported as a double free and
 * changes nothing. With KASAN off it queues nothing: *@evict = @ptr.
 */
int kasan_quarantine_put(const void *ptr, size_t size, const void **evict);
/* Take a quarantined object of exactly @size bytes out (NULL if none): the heap recycles before it grows. */
const void *kasan_quarantine_take(size_t size);

/*
 * Task stacks in the stack area (frame/task/stack.c). prepare: back the
 * shadow of a new stack's slot (guard gap below, stack above) and mark the
 * stack accessible, the gap a redzone; paint the stack so its depth can be
 * measured. 0 or -ENOMEM. release: the stack goes; its shadow stays for the
 * slot's next stack. check: how deep the stack at [@base, @base + @size)
 * has ever been used, reported ("STACK: ...", counted) when beyond three
 * quarters. All no-ops in a plain build (check returns 0).
 */
int sanitize_stack_prepare(void *guard, size_t guard_len, void *stack, size_t stack_len);
void sanitize_stack_release(void *stack, size_t len);
size_t sanitize_stack_check(const char *task_name, const void *base, size_t size);
unsigned long sanitize_stack_report_count(void);

#endif
