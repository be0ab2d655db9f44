/*
 * Kernel tasks: threads of kernel execution, each with its own stack, run by
 * the scheduler (frame/sched.h) on the frame's CPUs.
 *
 * Lifetime and ownership. task_create() returns a handle the caller owns
 * (unless it passed out == NULL: then the task is detached from the start).
 * The handle stays valid after the task exits, until the owner gives it up
 * with task_join() (waits for the exit and reads the exit code) or
 * task_detach(). The task's stack is freed by the frame soon after the task
 * stopped running, whether or not anyone joined it; only the small task
 * record waits for the handle to go.
 *
 *   static int worker(void *arg) { ...; return 0; }
 *
 *   struct task *t;
 *   int err = task_create("worker", worker, obj, TASK_PRIO_DEFAULT, &t);
 *   if (err) return err;
 *   ...
 *   int code;
 *   task_join(t, &code);
 */
#ifndef FRAME_TASK_H
#define FRAME_TASK_H

#include <frame/types.h>

struct task;
struct vm_space;

/* A task's body; its return value becomes the exit code (as task_exit()). */
typedef int (*task_fn)(void *arg);

/*
 * Priorities, higher is more important. Under the default policy a task's
 * time slice is (priority + 1) ticks, so CPU time between busy tasks is
 * shared in proportion; no runnable task ever starves.
 */
#define TASK_PRIO_MIN 0
#define TASK_PRIO_MAX 7
#define TASK_PRIO_DEFAULT 3

/* Longest name kept, terminator included (longer names are truncated). */
#define TASK_NAME_MAX 24

/* Size of every task's kernel stack. */
#define TASK_STACK_SIZE 16384

/*
 * Create a task that runs @fn(@arg) with priority @prio; it is runnable at
 * once. With @out non-NULL, *@out receives the handle the caller then owns;
 * with @out NULL the task is detached. @name is copied.
 * Returns 0, -EINVAL (NULL @fn, @prio out of range), -EAGAIN (scheduler not
 * started yet), -ENOMEM (no memory for the record or the stack).
 */
int task_create(const char *name, task_fn fn, void *arg, int prio, struct task **out);

/*
 * End the calling task with exit code @code: joiners wake up, the stack is
 * freed once another task runs. Locks the task holds are not released.
 */
_Noreturn void task_exit(int code);

/*
 * Wait until @task exited, store its exit code in *@code (if non-NULL) and
 * give up the handle (it must not be used again). Returns 0, or -EDEADLK if
 * @task is the caller (the handle stays owned).
 */
int task_join(struct task *task, int *code);

/*
 * task_join() waiting at most @timeout_ns nanoseconds: -ETIMEDOUT if the
 * task is still running, and then the caller keeps the handle.
 */
int task_join_timeout(struct task *task, uint64_t timeout_ns, int *code);

/* Give up the handle without waiting; the task runs on and is freed after it exits. */
void task_detach(struct task *task);

/*
 * The calling task; never NULL (code running before the scheduler started
 * is the boot task). In an interrupt handler: the task it interrupted.
 */
struct task *task_current(void);

/* Unique, increasing id (the boot task is 0, the idle task 1). */
uint64_t task_id(const struct task *task);

/* The task's name (valid while the caller holds the handle or is the task). */
const char *task_name(const struct task *task);

/* Current priority. */
int task_priority(const struct task *task);

/* Change @task's priority: 0, or -EINVAL out of range. Takes effect at its next slice. */
int task_set_priority(struct task *task, int prio);

/* True once @task ended (task_exit() or return from its function). */
bool task_has_exited(const struct task *task);

/* Scheduler ticks during which @task was the one running (its CPU time, in ticks). */
uint64_t task_cpu_ticks(const struct task *task);

/*
 * The address space @task runs in: the scheduler activates it whenever the
 * task is switched in, so a task's user-memory accesses always see its own
 * space, preempted or not. NULL (the default) leaves whatever space is
 * active, which is right for kernel-only tasks. The caller keeps @space alive
 * while the task may run with it.
 */
void task_set_vm_space(struct task *task, struct vm_space *space);

/*
 * One pointer of per-task data owned by the code that created the task (a
 * service's process or thread record, say). The frame never reads it.
 */
void task_set_data(struct task *task, void *data);
void *task_data(const struct task *task);

/*
 * Make a blocked task runnable: it returns from whatever wait it was in
 * (sched_sleep_ns() returns -EINTR; wait_event() re-checks its condition).
 * Returns true if @task was blocked, false if it was already runnable or
 * exited. Safe from interrupt handlers and timer callbacks.
 */
bool task_wake(struct task *task);

/* Number of tasks that exist (created and not yet freed), idle and boot included. */
size_t task_count(void);

#endif
