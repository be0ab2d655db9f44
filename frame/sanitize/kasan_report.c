/* KASAN reports: what kind of memory a bad access hit, the shadow around it, a backtrace; counted, never fatal. */
#ifdef FRAME_SANITIZE
#include <frame/log.h>
#include <internal/panic.h>
#include <internal/sanitize.h>

#include "sanitize_private.h"

bool sanitize_reporting;
static unsigned long reports;
static struct kasan_report_info last;

unsigned long kasan_report_count(void)
{
	return reports;
}

void kasan_last_report(struct kasan_report_info *out)
{
	*out = last;
}

/* A partially accessible granule says nothing: the next one tells what lies beyond. */
static const char *classify(uintptr_t addr)
{
	uint8_t s = *kasan_shadow(addr);
	if (s > 0 && s < 8 && kasan_shadowed(addr + 8))
		s = *kasan_shadow(addr + 8);
	switch (s) {
	case KASAN_HEAP_REDZONE: return "heap-out-of-bounds";
	case KASAN_HEAP_FREED: return "use-after-free";
	case KASAN_GLOBAL_REDZONE: return "global-out-of-bounds";
	case 0xf1: case 0xf2: case 0xf3: return "stack-out-of-bounds";
	case 0xf5: return "stack-use-after-return";
	case 0xf8: return "stack-use-after-scope";
	case 0xca: case 0xcb: return "alloca-out-of-bounds";
	default: return "wild-access";
	}
}

/* Four rows of 16 shadow bytes (128 bytes of memory each), the bad granule in brackets. */
static void print_shadow(uintptr_t addr)
{
	uintptr_t row0 = (addr & ~127UL) - 128;
	console_printf("Shadow bytes around %#lx (one per 8 bytes; 00 ok, 01-07 that many, fc heap redzone, fb freed, f1-f8 stack, f9 global):\n",
		       (unsigned long)addr);
	for (uintptr_t row = row0; row < row0 + 4 * 128; row += 128) {
		char line[16 * 4 + 2];
		size_t n = 0;
		for (uintptr_t g = row; g < row + 128; g += 8) {
			static const char hex[] = "0123456789abcdef";
			uint8_t s = kasan_shadowed(g) ? *kasan_shadow(g) : 0;
			bool here = (addr & ~7UL) == g;
			line[n++] = here ? '[' : ' ';
			line[n++] = hex[s >> 4];
			line[n++] = hex[s & 15];
			line[n++] = here ? ']' : ' ';
		}
		line[n] = '\0';
		console_printf("  %#lx:%s\n", (unsigned long)row, line);
	}
}

void kasan_report(uintptr_t addr, size_t size, bool write, const char *kind,
		  uintptr_t ip, uintptr_t fp)
{
	if (sanitize_reporting)
		return;
	if (!kind)
		kind = classify(addr);
	reports++;
	last = (struct kasan_report_info){ addr, size, write, kind };
	if (reports > SANITIZE_REPORTS_PRINTED)
		return;
	sanitize_reporting = true;
	uint64_t off = 0;
	const char *fn = symbol_lookup(ip - 1, &off);
	console_printf("KASAN: %s %s of size %zu at %#lx in %s+%#lx\n", kind,
		       write ? "write" : "read", size, (unsigned long)addr,
		       fn ? fn : "?", (unsigned long)off);
	print_shadow(addr);
	/* Start at the instrumented function: @fp is the check's frame, whose saved rbp is its caller's. */
	backtrace_print(ip - 1, *(const uint64_t *)fp);
	console_printf("---[ end KASAN report %lu ]---\n", reports);
	sanitize_reporting = false;
}
#endif
