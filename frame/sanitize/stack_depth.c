/* Kernel stack depth in the sanitized build: stacks are painted when made, and a task's deepest use is measured when it exits; beyond three quarters is reported. */
#ifdef FRAME_SANITIZE
#include <frame/log.h>
#include <internal/panic.h>
#include <internal/sanitize.h>

#include "sanitize_private.h"

/* Unlikely as a saved register, return address or local: marks never-used stack words. */
#define STACK_PAINT 0x5a17c0de5a17c0deULL

static unsigned long reports;

unsigned long sanitize_stack_report_count(void)
{
	return __atomic_load_n(&reports, __ATOMIC_RELAXED);
}

int sanitize_stack_prepare(void *guard, size_t guard_len, void *stack, size_t stack_len)
{
	if (kasan_stack_shadow((uintptr_t)guard, guard_len + stack_len) != 0)
		return -1;
	kasan_poison(guard, guard_len, KASAN_STACK_GUARD);
	kasan_unpoison(stack, stack_len);
	uint64_t *w = stack;
	for (size_t i = 0; i < stack_len / sizeof(*w); i++)
		w[i] = STACK_PAINT;
	return 0;
}

void sanitize_stack_release(void *stack, size_t len)
{
	kasan_poison(stack, len, KASAN_STACK_GUARD);
}

size_t sanitize_stack_check(const char *task_name, const void *base, size_t size)
{
	const uint64_t *w = base;
	size_t untouched = 0;
	while (untouched < size / sizeof(*w) && w[untouched] == STACK_PAINT)
		untouched++;
	size_t used = size - untouched * sizeof(*w);
	if (used > size / 4 * 3) {
		unsigned long n = __atomic_add_fetch(&reports, 1, __ATOMIC_RELAXED);
		if (n <= SANITIZE_REPORTS_PRINTED)
			console_printf("STACK: task '%s' used %zu of its %zu-byte kernel stack "
				       "(more than three quarters)\n", task_name, used, size);
	}
	return used;
}
#else
#include <internal/sanitize.h>

int sanitize_stack_prepare(void *guard, size_t guard_len, void *stack, size_t stack_len)
{
	(void)guard;
	(void)guard_len;
	(void)stack;
	(void)stack_len;
	return 0;
}

void sanitize_stack_release(void *stack, size_t len)
{
	(void)stack;
	(void)len;
}

size_t sanitize_stack_check(const char *task_name, const void *base, size_t size)
{
	(void)task_name;
	(void)base;
	(void)size;
	return 0;
}

unsigned long sanitize_stack_report_count(void)
{
	return 0;
}
#endif
