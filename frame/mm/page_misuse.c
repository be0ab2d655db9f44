/* Reports of page-handle misuse by callers (a put without a reference, a get through a stale handle): refused, counted, printed with the caller. */
#include <frame/log.h>
#include <internal/panic.h>

#include "mm_private.h"

static unsigned long misuses;
static const char *last_what;

unsigned long page_misuse_count(void)
{
	return __atomic_load_n(&misuses, __ATOMIC_RELAXED);
}

const char *page_misuse_last(void)
{
	return last_what;
}

/*
 * The refused operation changed nothing, so the machine goes on; what is
 * left is a bug in the caller, shown by name so it can be fixed. The test
 * kernel's runner fails any test during which a "PAGE:" line appears.
 */
void page_misuse(const char *what, const struct page *page, void *caller, void *frame)
{
	unsigned long n = __atomic_add_fetch(&misuses, 1, __ATOMIC_RELAXED);
	last_what = what;
	if (n > PAGE_MISUSE_PRINTED)
		return;
	uint64_t off = 0;
	const char *fn = symbol_lookup((uint64_t)caller - 1, &off);
	uint64_t c = page ? page_counts(page) : 0;
	console_printf("PAGE: %s: handle %p (refs %u, mappings %u, flags %#x) by %s+%#lx\n", what,
		       (const void *)page, page_counts_refs(c), page_counts_maps(c),
		       page ? page->flags : 0, fn ? fn : "?", (unsigned long)off);
	backtrace_print((uint64_t)caller, *(const uint64_t *)frame);
	console_printf("---[ end PAGE report %lu ]---\n", n);
}
