/* Hosted frame scheduling and interrupt stubs: one thread, no interrupts, no tasks to start. */
#include <frame/errno.h>
#include <frame/irq.h>
#include <frame/sched.h>
#include <frame/task.h>

unsigned long irq_save(void)
{
	return 0;
}

void irq_restore(unsigned long flags)
{
	(void)flags;
}

void sched_yield(void)
{
}

/* Services that start a worker run without it on the host: synchronous paths must suffice. */
int task_create(const char *name, task_fn fn, void *arg, int prio, struct task **out)
{
	(void)name, (void)fn, (void)arg, (void)prio;
	if (out)
		*out = NULL;
	return -EAGAIN;
}
