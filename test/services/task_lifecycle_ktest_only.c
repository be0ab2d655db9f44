/* In-kernel tests of task creation, exit codes, join, detach and the reaping of stacks. */
#include <frame/clock.h>
#include <frame/cpu_local.h>
#include <frame/errno.h>
#include <frame/ktest.h>
#include <frame/page.h>
#include <frame/sched.h>
#include <frame/task.h>
#include <frame/wait.h>
#include <kernel/completion.h>

static int return_arg(void *arg)
{
	return (int)(intptr_t)arg;
}

static int exit_early(void *arg)
{
	(void)arg;
	task_exit(7);
}

KTEST(task_exit_code_reaches_join)
{
	struct task *a, *b;
	KASSERT(task_create("ret42", return_arg, (void *)42, TASK_PRIO_DEFAULT, &a) == 0);
	KASSERT(task_create("exit7", exit_early, NULL, TASK_PRIO_DEFAULT, &b) == 0);
	KEXPECT(task_id(a) != task_id(b));
	int code = -1;
	KEXPECT_EQ(task_join(a, &code), 0);
	KEXPECT_EQ(code, 42);
	KEXPECT_EQ(task_join(b, &code), 0);
	KEXPECT_EQ(code, 7);
}

KTEST(task_create_rejects_bad_arguments)
{
	struct task *t = NULL;
	KEXPECT_EQ(task_create("x", NULL, NULL, TASK_PRIO_DEFAULT, &t), -EINVAL);
	KEXPECT_EQ(task_create("x", return_arg, NULL, TASK_PRIO_MAX + 1, &t), -EINVAL);
	KEXPECT_EQ(task_create("x", return_arg, NULL, TASK_PRIO_MIN - 1, &t), -EINVAL);
	KEXPECT(t == NULL);
	KEXPECT_EQ(task_join(task_current(), NULL), -EDEADLK);
}

KTEST(task_current_and_cpu_local_agree)
{
	KEXPECT(task_current() != NULL);
	KEXPECT(cpu_current_task() == task_current());
	KEXPECT_EQ(cpu_id(), 0);
	KEXPECT_EQ(cpu_count(), 1);
	KEXPECT_EQ(task_id(task_current()), 0);
	KEXPECT(task_name(task_current())[0] == 'b');
}

static int sleep_arg_ms(void *arg)
{
	sched_sleep_ns((uint64_t)(uintptr_t)arg * NSEC_PER_MSEC);
	return 3;
}

KTEST(task_join_timeout_then_join)
{
	struct task *t;
	KASSERT(task_create("sleeper", sleep_arg_ms, (void *)50, TASK_PRIO_DEFAULT, &t) == 0);
	int code = -1;
	KEXPECT_EQ(task_join_timeout(t, 5 * NSEC_PER_MSEC, &code), -ETIMEDOUT);
	KEXPECT_EQ(code, -1);
	KEXPECT(!task_has_exited(t));
	KEXPECT_EQ(task_join_timeout(t, 5 * NSEC_PER_SEC, &code), 0);
	KEXPECT_EQ(code, 3);
}

static int count_and_signal(void *arg)
{
	completion_signal(arg);
	return 0;
}

#define BATCH 24

/* Create and join one batch; returns the free pages seen while all were alive. */
static size_t run_batch(struct ktest_ctx *ktest_ctx)
{
	struct task *ts[BATCH];
	size_t low = page_count_free();
	for (int i = 0; i < BATCH; i++) {
		/* Long enough that the whole batch is alive at once. */
		if (!KEXPECT_EQ(task_create("batch", sleep_arg_ms, (void *)20, TASK_PRIO_DEFAULT, &ts[i]), 0))
			return 0;
		if (page_count_free() < low)
			low = page_count_free();
	}
	for (int i = 0; i < BATCH; i++)
		KEXPECT_EQ(task_join(ts[i], NULL), 0);
	return low;
}

KTEST(task_reaping_returns_stacks)
{
	/* Warm-up: heap slabs and page tables the first batch needs stay allocated. */
	run_batch(ktest_ctx);
	size_t base_pages = page_count_free();
	size_t base_tasks = task_count();

	for (int round = 0; round < 8; round++) {
		size_t low = run_batch(ktest_ctx);
		/* The stacks really came from the page allocator while the tasks lived... */
		KEXPECT(low + BATCH * (TASK_STACK_SIZE / PAGE_SIZE) <= base_pages);
		/* ...and joining gave every page back. */
		KEXPECT_EQ(page_count_free(), base_pages);
		KEXPECT_EQ(task_count(), base_tasks);
	}

	/* Detached tasks are reaped without anyone joining them. */
	struct completion done;
	completion_init(&done);
	for (int i = 0; i < BATCH; i++)
		KASSERT(task_create("detached", count_and_signal, &done, TASK_PRIO_DEFAULT, NULL) == 0);
	for (int i = 0; i < BATCH; i++)
		KASSERT(completion_wait_timeout(&done, NSEC_PER_SEC) == 0);
	uint64_t deadline = clock_monotonic_ns() + 500 * NSEC_PER_MSEC;
	while ((page_count_free() != base_pages || task_count() != base_tasks) &&
	       clock_monotonic_ns() < deadline)
		sched_sleep_ns(NSEC_PER_MSEC);
	KEXPECT_EQ(page_count_free(), base_pages);
	KEXPECT_EQ(task_count(), base_tasks);
}

static int detach_self_check(void *arg)
{
	*(uint64_t *)arg = task_id(task_current());
	return 0;
}

KTEST(task_detach_after_exit)
{
	uint64_t seen = 0;
	struct task *t;
	KASSERT(task_create("detach", detach_self_check, &seen, TASK_PRIO_DEFAULT, &t) == 0);
	uint64_t id = task_id(t);
	while (!task_has_exited(t))
		sched_yield();
	KEXPECT_EQ(seen, id);
	task_detach(t);
}
