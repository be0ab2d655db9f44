/*
 * In-kernel unit tests. The same test file builds into the test kernel (run in
 * QEMU, verdict in QEMU's exit status) and into the hosted frame (run as a
 * Linux process under ASan/UBSan), so frame logic is tested both ways.
 *
 *   KTEST(heap_small_alloc) {
 *           void *p = kmalloc(8);
 *           KEXPECT(p != NULL);
 *           KEXPECT_EQ(some_call(), 0);
 *   }
 */
#ifndef FRAME_KTEST_H
#define FRAME_KTEST_H

#include <frame/types.h>

struct ktest_ctx;

struct ktest {
	const char *name;
	const char *file;
	void (*fn)(struct ktest_ctx *ctx);
};

/* Record a check; a failed one marks the test failed and prints file:line. */
bool ktest_check(struct ktest_ctx *ctx, bool ok, const char *expr,
		 const char *file, int line);
bool ktest_check_eq(struct ktest_ctx *ctx, int64_t a, int64_t b,
		    const char *expr, const char *file, int line);

/*
 * Run the registered tests (section "ktests") whose name equals @filter, or
 * all but the fatal ones (names starting "fatal_", which deliberately crash
 * the kernel) when @filter is NULL or "". Returns the number that failed.
 */
int ktest_run_all(const char *filter);

#define KTEST(tname) \
	static void ktest_fn_##tname(struct ktest_ctx *ktest_ctx); \
	static const struct ktest ktest_desc_##tname \
		__attribute__((used, section("ktests"), aligned(8))) = { \
			#tname, __FILE__, ktest_fn_##tname }; \
	static void ktest_fn_##tname(struct ktest_ctx *ktest_ctx)

#define KEXPECT(cond) ktest_check(ktest_ctx, !!(cond), #cond, __FILE__, __LINE__)
#define KEXPECT_EQ(a, b) \
	ktest_check_eq(ktest_ctx, (int64_t)(a), (int64_t)(b), #a " == " #b, \
		       __FILE__, __LINE__)
/* Stop the test at the first failed check of this kind. */
#define KASSERT(cond) do { if (!KEXPECT(cond)) return; } while (0)

#endif
