/* UBSAN in the sanitized test kernel: undefined behaviour is reported with its source line, once per site, and the kernel goes on. */
#include <frame/ktest.h>
#include <frame/string.h>
#include <internal/sanitize.h>

static volatile int int_max = 0x7fffffff, four = 4, forty = 40;

static bool last_report_is(const char *kind, unsigned line)
{
	const char *k;
	unsigned l;
	ubsan_last_report(&k, &l);
	return k && strcmp(k, kind) == 0 && l == line;
}

KTEST(sanitize_ubsan_signed_overflow)
{
	unsigned long before = ubsan_report_count();
	volatile int r = int_max + 1; unsigned line = __LINE__;
	(void)r;
	KEXPECT_EQ(ubsan_report_count(), before + 1);
	KEXPECT(last_report_is("signed-integer-overflow", line));
}

/* The array sits inside a struct, so the bad index stays in memory KASAN allows: only UBSAN's bounds check sees it. */
KTEST(sanitize_ubsan_array_index_out_of_bounds)
{
	struct {
		int a[4];
		int after;
	} s;
	memset(&s, 0, sizeof(s));
	unsigned long before = ubsan_report_count();
	unsigned long kasan_before = kasan_report_count();
	volatile int v = s.a[four]; unsigned line = __LINE__;
	(void)v;
	KEXPECT_EQ(ubsan_report_count(), before + 1);
	KEXPECT(last_report_is("array-index-out-of-bounds", line));
	KEXPECT_EQ(kasan_report_count(), kasan_before);
}

KTEST(sanitize_ubsan_shift_out_of_bounds)
{
	unsigned long before = ubsan_report_count();
	volatile int r = 1 << forty; unsigned line = __LINE__;
	(void)r;
	KEXPECT_EQ(ubsan_report_count(), before + 1);
	KEXPECT(last_report_is("shift-out-of-bounds", line));
}
