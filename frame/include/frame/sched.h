/*
 * The scheduler: which runnable task each CPU runs, preemption, sleeping,
 * and the replaceable policy behind it.
 *
 * Preemption: every scheduler tick (CLOCK_TICK_HZ per second) the policy's
 * tick() decides whether the running task's turn is over; if so the task is
 * switched out on the way back from the interrupt, unless preemption is
 * disabled (a spin lock is held, sched_preempt_disable()) or it interrupted
 * code running with interrupts off; then it happens as soon as that ends.
 *
 * When nothing is runnable the CPU runs its idle task, which halts until
 * the next interrupt.
 */
#ifndef FRAME_SCHED_H
#define FRAME_SCHED_H

#include <frame/types.h>

struct task;

/* Give the CPU to another runnable task, if any; the caller stays runnable. */
void sched_yield(void);

/*
 * Block the caller for at least @ns nanoseconds. Returns 0 when the time
 * passed, or -EINTR if task_wake() ended the sleep early.
 */
int sched_sleep_ns(uint64_t ns);
/* Sleep until clock_monotonic_ns() >= @deadline_ns; same returns. */
int sched_sleep_until(uint64_t deadline_ns);

/*
 * Keep the caller on this CPU and unpreempted until the matching enable
 * (they nest). Interrupts still arrive. Do not sleep in between.
 */
void sched_preempt_disable(void);
void sched_preempt_enable(void);
/* True if the caller may be switched out: preemption enabled and interrupts on. */
bool sched_preemptible(void);

/* Context switches this CPU made since boot. */
uint64_t sched_switch_count(void);
/* Ticks this CPU spent in its idle task. */
uint64_t sched_idle_ticks(void);

/*
 * What a scheduling policy keeps per task: the links of its run queue and
 * its accounting. The fields belong to the policy in force while the task is
 * queued; a new policy must not trust values left by the old one, since
 * enqueue() is how it first sees a task.
 */
struct sched_entity {
	struct sched_entity *next, *prev; /* run-queue links */
	int64_t slice;                    /* e.g. ticks left in the turn */
	uint64_t vruntime;                /* e.g. weighted CPU time */
	void *policy_data;                /* anything else the policy needs */
};

/* The entity of @task, and back. */
struct sched_entity *task_sched_entity(struct task *task);
struct task *sched_entity_task(struct sched_entity *se);

/*
 * A scheduling policy: the set of runnable tasks waiting for a CPU and the
 * order they get it. The running task is not in the set: the frame calls
 * enqueue() when it stops running while still runnable (preempted, yielded)
 * and when a task becomes runnable (created, woken). All callbacks run with
 * interrupts off and the scheduler's lock held: they must be quick, must not
 * sleep, allocate or call scheduler functions, and run on any task's stack.
 */
struct sched_policy {
	const char *name;
	/* Add runnable @task to the set. */
	void (*enqueue)(struct task *task);
	/* Remove @task, which is in the set (its priority changes, or it leaves). */
	void (*dequeue)(struct task *task);
	/* Remove and return the task to run next, or NULL if the set is empty. */
	struct task *(*pick_next)(void);
	/*
	 * A tick passed while @curr (never the idle task) was running. Return
	 * true to switch it out (it is then enqueued again, behind the others).
	 */
	bool (*tick)(struct task *curr);
};

/*
 * Make @policy the one in force: every waiting task moves from the old
 * policy (pick_next until empty) to @policy (enqueue). @policy must stay
 * valid until replaced. Returns 0, or -EINVAL if a callback is missing.
 */
int sched_set_policy(const struct sched_policy *policy);

/*
 * The policy in force, and the frame's built-in one (one FIFO queue, turns of
 * one tick, priorities ignored), in force until a service installs its own.
 */
const struct sched_policy *sched_policy_current(void);
const struct sched_policy *sched_policy_default(void);

#endif
