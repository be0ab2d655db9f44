/* Timed sleep (sched_sleep_ns/until): block with a one-shot timer that wakes the sleeper. */
#include <frame/clock.h>
#include <frame/errno.h>
#include <frame/sched.h>
#include <frame/task.h>
#include <frame/timer.h>
#include <sched/sched_internal.h>
#include <task/task_internal.h>

static void sleep_timeout(void *arg)
{
	task_wake(arg);
}

int sched_sleep_until(uint64_t deadline_ns)
{
	uint64_t now = clock_monotonic_ns();
	if (now >= deadline_ns)
		return 0;
	if (!sched_is_running()) {
		/* Before the scheduler exists there is nothing else to run. */
		clock_delay_ns(deadline_ns - now);
		return 0;
	}
	/* The timer lives on this stack: it is cancelled before the frame goes away. */
	struct timer t;
	timer_init(&t, sleep_timeout, task_current());
	sched_set_current_blocked();
	timer_arm(&t, deadline_ns);
	sched_schedule();
	timer_cancel(&t);
	sched_set_current_running();
	return clock_monotonic_ns() >= deadline_ns ? 0 : -EINTR;
}

int sched_sleep_ns(uint64_t ns)
{
	uint64_t now = clock_monotonic_ns();
	uint64_t deadline = now + ns < now ? UINT64_MAX : now + ns;
	return sched_sleep_until(deadline);
}
