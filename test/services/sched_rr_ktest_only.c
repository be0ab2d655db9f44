/* In-kernel test of Cadre's weighted round-robin policy (kernel/sched/policy_rr.c): priorities buy CPU time. */
#include <frame/clock.h>
#include <frame/ktest.h>
#include <frame/log.h>
#include <frame/sched.h>
#include <frame/task.h>
#include <kernel/sched.h>

struct busy {
	uint64_t until_ns;   /* give up by then even without preemption, so a failure ends */
	bool stop;
	uint64_t loops;
};

/* Spins without ever yielding or sleeping: only preemption can take the CPU away. */
static int busy_loop(void *arg)
{
	struct busy *b = arg;
	while (!__atomic_load_n(&b->stop, __ATOMIC_RELAXED) && clock_monotonic_ns() < b->until_ns)
		__atomic_store_n(&b->loops, b->loops + 1, __ATOMIC_RELAXED);
	return 0;
}

KTEST(sched_rr_higher_priority_gets_more_cpu)
{
	/* In-kernel tests run before kernel_main() installs the policy: install it here. */
	const struct sched_policy *before = sched_policy_current();
	KASSERT(sched_set_policy(&sched_weighted_rr_policy) == 0);
	uint64_t t0 = clock_monotonic_ns();
	struct busy hi = { t0 + 3 * NSEC_PER_SEC, false, 0 }, lo = hi;
	struct task *th, *tl;
	bool made = task_create("busy-hi", busy_loop, &hi, TASK_PRIO_MAX, &th) == 0;
	made = made && task_create("busy-lo", busy_loop, &lo, TASK_PRIO_MIN + 1, &tl) == 0;
	uint64_t h = 0, l = 0;
	if (made) {
		sched_sleep_ns(400 * NSEC_PER_MSEC);
		__atomic_store_n(&hi.stop, true, __ATOMIC_RELAXED);
		__atomic_store_n(&lo.stop, true, __ATOMIC_RELAXED);
		h = task_cpu_ticks(th);
		l = task_cpu_ticks(tl);
		KEXPECT_EQ(task_join(th, NULL), 0);
		KEXPECT_EQ(task_join(tl, NULL), 0);
	}
	KEXPECT_EQ(sched_set_policy(before), 0);
	KASSERT(made);
	console_printf("    ticks: priority %d %lu, priority %d %lu\n", TASK_PRIO_MAX,
		       (unsigned long)h, TASK_PRIO_MIN + 1, (unsigned long)l);
	/* Turns of 8 and 2 ticks: about 4:1; never starved. */
	KEXPECT(l > 0);
	KEXPECT(h >= 2 * l);
}
