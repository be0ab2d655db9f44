/* Page references taken and dropped by preempted tasks at once: none may be lost (issue 9's freed-while-mapped page). */
#include <frame/clock.h>
#include <frame/ktest.h>
#include <frame/page.h>
#include <frame/task.h>

struct churn {
	struct page *page;
	uint64_t until_ns;
	uint64_t pairs;
};

/* get/put pairs until time is up: only preemption interleaves the two tasks. */
static int churn_refs(void *arg)
{
	struct churn *c = arg;
	while (clock_monotonic_ns() < c->until_ns) {
		for (int i = 0; i < 64; i++) {
			page_get(c->page);
			page_put(c->page);
		}
		c->pairs += 64;
	}
	return 0;
}

KTEST(page_refs_survive_preemption)
{
	struct page *p = page_alloc(0, 0);
	KASSERT(p != NULL);
	/*
	 * A lost increment frees the page under the tasks (a BUG_ON in the
	 * next get); a lost decrement leaves the count high. One second is
	 * about 60 preemptions of each task, each with a fair chance of
	 * landing between a load and a store of a non-atomic update.
	 */
	uint64_t until = clock_monotonic_ns() + NSEC_PER_SEC;
	struct churn a = { p, until, 0 }, b = a;
	struct task *ta, *tb;
	KASSERT(task_create("refs-a", churn_refs, &a, TASK_PRIO_DEFAULT, &ta) == 0);
	KASSERT(task_create("refs-b", churn_refs, &b, TASK_PRIO_DEFAULT, &tb) == 0);
	KEXPECT_EQ(task_join(ta, NULL), 0);
	KEXPECT_EQ(task_join(tb, NULL), 0);
	KEXPECT(a.pairs > 0 && b.pairs > 0);
	KEXPECT_EQ(page_refcount(p), 1);
	page_put(p);
}
