/* Frame-internal scheduler hooks: the arch interrupt exit path, the idle loop, the default policy. */
#ifndef FRAME_SCHED_INTERNAL_H
#define FRAME_SCHED_INTERNAL_H

#include <frame/sched.h>
#include <frame/types.h>

/*
 * Called by the arch at the very end of every interrupt and exception
 * (interrupts off, EOI already sent), on the interrupted task's stack.
 * @interrupted_irqs_on: the interrupted code ran with interrupts enabled.
 * Switches to another task if the running one's turn is over and it may be
 * preempted; returns (possibly much later) when this task runs again.
 */
void sched_irq_exit(bool interrupted_irqs_on);

/* True once the boot CPU runs the scheduler (task_init_boot() done). */
bool sched_is_running(void);

/* Body of every CPU's idle task. */
int sched_idle_loop(void *arg);

/* The built-in policy (policy_fifo.c), until a service installs its own. */
extern const struct sched_policy sched_fifo_policy;

#endif
