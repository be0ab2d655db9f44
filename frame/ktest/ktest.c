/* In-kernel test runner: runs the KTEST cases linked into the image and reports each over the console. */
#include <frame/ktest.h>
#include <frame/log.h>
#include <frame/string.h>

struct ktest_ctx {
	const struct ktest *test;
	int failures;
};

extern const struct ktest __start_ktests[], __stop_ktests[];

bool ktest_check(struct ktest_ctx *ctx, bool ok, const char *expr,
		 const char *file, int line)
{
	if (!ok) {
		ctx->failures++;
		console_printf("    %s:%d: expected %s\n", file, line, expr);
	}
	return ok;
}

bool ktest_check_eq(struct ktest_ctx *ctx, int64_t a, int64_t b,
		    const char *expr, const char *file, int line)
{
	if (a != b) {
		ctx->failures++;
		console_printf("    %s:%d: expected %s, got %ld and %ld\n",
			       file, line, expr, (long)a, (long)b);
	}
	return a == b;
}

/* A fatal test (name starting "fatal_") takes the machine down; it runs only when named. */
static bool ktest_selected(const struct ktest *t, const char *filter)
{
	if (filter && *filter)
		return strcmp(t->name, filter) == 0;
	return strncmp(t->name, "fatal_", 6) != 0;
}

int ktest_run_all(const char *filter)
{
	int passed = 0, failed = 0;

	for (const struct ktest *t = __start_ktests; t < __stop_ktests; t++) {
		if (!ktest_selected(t, filter))
			continue;
		struct ktest_ctx ctx = { .test = t };
		console_printf("KTEST RUN %s\n", t->name);
		t->fn(&ctx);
		if (ctx.failures) {
			failed++;
			console_printf("KTEST FAIL %s (%s)\n", t->name, t->file);
		} else {
			passed++;
			console_printf("KTEST PASS %s\n", t->name);
		}
	}
	console_printf("KTEST SUMMARY %d passed, %d failed\n", passed, failed);
	return failed;
}
