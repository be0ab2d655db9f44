/* The idle task: reap dead tasks, then halt until an interrupt brings work. */
#include <frame/irq.h>
#include <frame/sched.h>
#include <sched/sched_internal.h>
#include <task/task_internal.h>

int sched_idle_loop(void *arg)
{
	(void)arg;
	for (;;) {
		task_reap();
		irq_disable();
		/* Checked with interrupts off: a wake-up cannot slip in before the halt. */
		if (!this_cpu()->need_resched)
			arch_idle_wait();
		irq_enable();
		sched_schedule();
	}
}
