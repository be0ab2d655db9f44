/* In-kernel tests of the scheduler: preemption, sleep, wake, and replacing the policy (priorities: test/services/sched_rr_ktest_only.c). */
#include <frame/clock.h>
#include <frame/errno.h>
#include <frame/ktest.h>
#include <frame/log.h>
#include <frame/sched.h>
#include <frame/task.h>

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

KTEST(sched_preempts_busy_tasks)
{
	uint64_t t0 = clock_monotonic_ns();
	struct busy a = { t0 + 20 * NSEC_PER_SEC, false, 0 }, b = a;
	struct task *ta, *tb;
	KASSERT(task_create("busy-a", busy_loop, &a, TASK_PRIO_DEFAULT, &ta) == 0);
	KASSERT(task_create("busy-b", busy_loop, &b, TASK_PRIO_DEFAULT, &tb) == 0);
	/* This sleep only ends in time if the busy tasks are preempted. */
	KEXPECT_EQ(sched_sleep_ns(100 * NSEC_PER_MSEC), 0);
	uint64_t woke = clock_monotonic_ns();
	__atomic_store_n(&a.stop, true, __ATOMIC_RELAXED);
	__atomic_store_n(&b.stop, true, __ATOMIC_RELAXED);
	/* Without preemption the sleep would last until the busy tasks give up (20 s). */
	KEXPECT(woke < t0 + 10 * NSEC_PER_SEC);
	KEXPECT(a.loops > 0);
	KEXPECT(b.loops > 0);
	/* Both were on the CPU when ticks came (how many depends on how the host runs us). */
	KEXPECT(task_cpu_ticks(ta) >= 1);
	KEXPECT(task_cpu_ticks(tb) >= 1);
	KEXPECT_EQ(task_join(ta, NULL), 0);
	KEXPECT_EQ(task_join(tb, NULL), 0);
}

KTEST(sched_sleep_lasts_at_least_requested)
{
	static const uint64_t ms[] = { 1, 4, 10, 25 };
	for (size_t i = 0; i < ARRAY_SIZE(ms); i++) {
		uint64_t t0 = clock_monotonic_ns();
		KEXPECT_EQ(sched_sleep_ns(ms[i] * NSEC_PER_MSEC), 0);
		uint64_t took = clock_monotonic_ns() - t0;
		KEXPECT(took >= ms[i] * NSEC_PER_MSEC);
		/* And it did wake: generous bound for emulation. */
		KEXPECT(took < ms[i] * NSEC_PER_MSEC + 500 * NSEC_PER_MSEC);
	}
	KEXPECT_EQ(sched_sleep_ns(0), 0);
}

struct sleeper {
	int ret;
	uint64_t slept_ns;
};

static int long_sleep(void *arg)
{
	struct sleeper *s = arg;
	uint64_t t0 = clock_monotonic_ns();
	s->ret = sched_sleep_ns(10 * NSEC_PER_SEC);
	s->slept_ns = clock_monotonic_ns() - t0;
	return 0;
}

KTEST(sched_wake_ends_sleep_early)
{
	struct sleeper s = { 1, 0 };
	struct task *t;
	KASSERT(task_create("sleeper", long_sleep, &s, TASK_PRIO_DEFAULT, &t) == 0);
	sched_sleep_ns(10 * NSEC_PER_MSEC);
	KEXPECT(task_wake(t));
	KEXPECT_EQ(task_join_timeout(t, NSEC_PER_SEC, NULL), 0);
	KEXPECT_EQ(s.ret, -EINTR);
	KEXPECT(s.slept_ns < NSEC_PER_SEC);
	/* Waking a task that is not blocked does nothing. */
	KEXPECT(!task_wake(task_current()));
}

/* A test policy: plain FIFO, switching every 2 ticks, counting its calls. */
static struct sched_entity fifo_head = { &fifo_head, &fifo_head, 0, 0, NULL };
static uint64_t fifo_enqueues, fifo_picks, fifo_ticks;

static void fifo_enqueue(struct task *t)
{
	struct sched_entity *se = task_sched_entity(t);
	se->slice = 2;
	se->next = &fifo_head;
	se->prev = fifo_head.prev;
	fifo_head.prev->next = se;
	fifo_head.prev = se;
	fifo_enqueues++;
}

static void fifo_dequeue(struct task *t)
{
	struct sched_entity *se = task_sched_entity(t);
	se->prev->next = se->next;
	se->next->prev = se->prev;
}

static struct task *fifo_pick(void)
{
	if (fifo_head.next == &fifo_head)
		return NULL;
	struct task *t = sched_entity_task(fifo_head.next);
	fifo_dequeue(t);
	fifo_picks++;
	return t;
}

static bool fifo_tick(struct task *curr)
{
	fifo_ticks++;
	return --task_sched_entity(curr)->slice <= 0;
}

static const struct sched_policy fifo_policy = {
	"test-fifo", fifo_enqueue, fifo_dequeue, fifo_pick, fifo_tick,
};

KTEST(sched_policy_can_be_replaced)
{
	struct sched_policy broken = fifo_policy;
	broken.tick = NULL;
	KEXPECT_EQ(sched_set_policy(&broken), -EINVAL);
	KEXPECT(sched_policy_current() == sched_policy_default());

	KASSERT(sched_set_policy(&fifo_policy) == 0);
	KEXPECT(sched_policy_current() == &fifo_policy);
	uint64_t t0 = clock_monotonic_ns();
	struct busy a = { t0 + 20 * NSEC_PER_SEC, false, 0 }, b = a;
	struct task *ta, *tb;
	bool made = task_create("fifo-a", busy_loop, &a, TASK_PRIO_DEFAULT, &ta) == 0 &&
		    task_create("fifo-b", busy_loop, &b, TASK_PRIO_DEFAULT, &tb) == 0;
	if (made) {
		sched_sleep_ns(60 * NSEC_PER_MSEC);
		__atomic_store_n(&a.stop, true, __ATOMIC_RELAXED);
		__atomic_store_n(&b.stop, true, __ATOMIC_RELAXED);
		task_join(ta, NULL);
		task_join(tb, NULL);
	}
	/* Back to the default before checking, so a failure leaves the system sane. */
	KEXPECT_EQ(sched_set_policy(sched_policy_default()), 0);
	KASSERT(made);
	KEXPECT(sched_policy_current() == sched_policy_default());
	KEXPECT(fifo_enqueues >= 3);
	KEXPECT(fifo_picks >= 3);
	KEXPECT(fifo_ticks >= 5);
	KEXPECT(a.loops > 0 && b.loops > 0);
	/* The default policy schedules again. */
	KEXPECT_EQ(sched_sleep_ns(NSEC_PER_MSEC), 0);
}

KTEST(sched_preemption_disable_holds_off_switches)
{
	uint64_t t0 = clock_monotonic_ns();
	struct busy a = { t0 + 2 * NSEC_PER_SEC, false, 0 };
	struct task *ta;
	KASSERT(task_create("busy", busy_loop, &a, TASK_PRIO_DEFAULT, &ta) == 0);
	sched_preempt_disable();
	KEXPECT(!sched_preemptible());
	uint64_t sw = sched_switch_count();
	/* Several ticks pass with another task runnable, yet no switch happens. */
	clock_delay_ns(40 * NSEC_PER_MSEC);
	KEXPECT_EQ(sched_switch_count(), sw);
	KEXPECT_EQ(a.loops, 0);
	sched_preempt_enable();
	KEXPECT(sched_preemptible());
	sched_sleep_ns(10 * NSEC_PER_MSEC);
	__atomic_store_n(&a.stop, true, __ATOMIC_RELAXED);
	KEXPECT(a.loops > 0);
	KEXPECT_EQ(task_join(ta, NULL), 0);
}
