/* Hosted test runner: main() runs every KTEST in the "ktests" section and reports leaks. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <frame/ktest.h>
#include <frame/page.h>
#include <internal/mm.h>

#include "host.h"

struct ktest_ctx {
	const struct ktest *test;
	int checks;
	int failed;
};

extern const struct ktest __start_ktests[], __stop_ktests[];

static int n_passed, n_failed, n_skipped;

bool ktest_check(struct ktest_ctx *ctx, bool ok, const char *expr, const char *file,
		 int line)
{
	ctx->checks++;
	if (!ok) {
		ctx->failed++;
		printf("    %s:%d: check failed: %s\n", file, line, expr);
	}
	return ok;
}

bool ktest_check_eq(struct ktest_ctx *ctx, int64_t a, int64_t b, const char *expr,
		    const char *file, int line)
{
	ctx->checks++;
	if (a != b) {
		ctx->failed++;
		printf("    %s:%d: check failed: %s (%" PRId64 " != %" PRId64 ", %#" PRIx64
		       " != %#" PRIx64 ")\n", file, line, expr, a, b, (uint64_t)a, (uint64_t)b);
	}
	return a == b;
}

/*
 * Pages free, cached in slabs or holding page tables (the kernel space keeps
 * its tables): constant across a test that frees what it takes.
 */
static void footprint(uint64_t *pages, uint64_t *bytes)
{
	struct mem_stats st;
	mem_stats(&st);
	*pages = st.free_pages + st.heap_slab_pages + st.pgtable_pages;
	*bytes = st.heap_bytes;
}

int ktest_run_all(const char *filter)
{
	for (const struct ktest *t = __start_ktests; t < __stop_ktests; t++) {
		if (filter && !strstr(t->name, filter))
			continue;
		struct ktest_ctx ctx = { t, 0, 0 };
		uint64_t pages0, bytes0, pages1, bytes1;
		footprint(&pages0, &bytes0);
		unsigned long misuses = page_misuse_count();
		t->fn(&ctx);
		footprint(&pages1, &bytes1);
		/* As the test kernel's runner: page-handle misuse fails all but the tests provoking it. */
		if (page_misuse_count() != misuses && strncmp(t->name, "page_misuse_", 12) != 0) {
			printf("    %s: %lu page-handle misuse reports\n", t->file,
			       page_misuse_count() - misuses);
			ctx.failed++;
		}
		if (pages1 != pages0 || bytes1 != bytes0) {
			printf("    %s: leaked %" PRId64 " pages, %" PRId64 " heap bytes\n",
			       t->file, (int64_t)(pages0 - pages1), (int64_t)(bytes1 - bytes0));
			ctx.failed++;
		}
		/* A test that checked nothing proved nothing: it could not have failed. */
		const char *verdict = ctx.failed ? "FAIL" : ctx.checks ? "PASS" : "SKIP";
		if (ctx.failed)
			n_failed++;
		else if (ctx.checks)
			n_passed++;
		else
			n_skipped++;
		printf("%s %s (%d checks)\n", verdict, t->name, ctx.checks);
		fflush(stdout);
	}
	return n_failed;
}

static void usage(void)
{
	fprintf(stderr, "usage: ktest-host [-o results-file] [name-filter]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *results = NULL, *filter = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-o") && i + 1 < argc)
			results = argv[++i];
		else if (argv[i][0] == '-')
			usage();
		else
			filter = argv[i];
	}
	host_mem_init();
	ktest_run_all(filter);
	printf("%d passed, %d failed, %d skipped\n", n_passed, n_failed, n_skipped);
	if (results) {
		FILE *f = fopen(results, "w");
		if (!f || fprintf(f, "%d %d %d\n", n_passed, n_failed, n_skipped) < 0 || fclose(f)) {
			perror(results);
			return 2;
		}
	}
	return n_failed ? 1 : 0;
}
