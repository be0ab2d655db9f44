/* The stack in the kernel: its clock, one frame timer for the earliest stack timer, and the network task that runs timers and device input. */
#include <frame/clock.h>
#include <frame/errno.h>
#include <frame/log.h>
#include <frame/task.h>
#include <frame/timer.h>
#include <frame/wait.h>
#include <kernel/inet.h>
#include "stack.h"

static struct wait_queue work_wq;
static bool work;
static struct timer wake_timer;

/* From interrupts (the timer, device interrupts): the network task has something to do. */
void net_kick(void)
{
	__atomic_store_n(&work, true, __ATOMIC_RELEASE);
	wait_wake_all(&work_wq);
}

static void on_wake_timer(void *arg)
{
	(void)arg;
	net_kick();
}

static void timer_changed(uint64_t deadline_ns)
{
	if (deadline_ns)
		timer_arm(&wake_timer, deadline_ns);
	else
		timer_cancel(&wake_timer);
}

static uint64_t kernel_now(void)
{
	return clock_monotonic_ns();
}

static const struct net_env kernel_env = { kernel_now, timer_changed };

static int net_task(void *arg)
{
	(void)arg;
	for (;;) {
		wait_event(&work_wq, __atomic_load_n(&work, __ATOMIC_ACQUIRE));
		__atomic_store_n(&work, false, __ATOMIC_RELEASE);
		/* Unlocking runs what is due: expired timers and queued input. */
		net_lock();
		net_poll_devices();
		net_unlock();
	}
	return 0;
}

int inet_init(void)
{
	timer_init(&wake_timer, on_wake_timer, NULL);
	net_set_env(&kernel_env);
	int err = inet_stack_init();
	if (err)
		return err;
	err = task_create("net", net_task, NULL, TASK_PRIO_DEFAULT + 1, NULL);
	if (err)
		pr_err("inet: no network task (error %d)\n", err);
	return err;
}
