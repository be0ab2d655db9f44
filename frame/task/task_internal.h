/* Frame-internal task and per-CPU records shared by frame/task, frame/sched, frame/sync and the arch code. */
#ifndef FRAME_TASK_INTERNAL_H
#define FRAME_TASK_INTERNAL_H

#include <arch/task_arch.h>
#include <frame/cpu_local.h>
#include <frame/sched.h>
#include <frame/task.h>
#include <frame/types.h>
#include <frame/wait.h>

enum task_state {
	TASK_RUNNABLE, /* running, or waiting in the policy's set */
	TASK_BLOCKED,  /* asleep until task_wake() */
	TASK_DEAD,     /* exited; stack freed once off the CPU */
};

struct task_stack {
	void *base;        /* lowest usable byte */
	size_t size;
	long slot;         /* in the stack area (frame/task/stack.c); -1 for the boot stack, never freed */
};

struct task {
	struct arch_context ctx;
	uint64_t id;
	char name[TASK_NAME_MAX];
	/* Changed under the scheduler lock only. */
	enum task_state state;
	bool on_cpu;  /* its stack is in use by a CPU right now */
	bool queued;  /* in the policy's set */
	bool is_idle;
	int prio;
	uint32_t refs; /* atomic: 1 while alive/unreaped + 1 for the owner's handle */
	struct task_stack stack;
	task_fn fn;
	void *arg;
	int exit_code;
	bool exited;   /* atomic store once the exit code is set */
	struct wait_queue exit_wq;
	struct sched_entity se;
	uint64_t cpu_ticks;
	void *data;
	struct vm_space *space;  /* activated when switched in; NULL: leave as is */
	struct task *dead_next;  /* reaper's list */
	struct task *all_next, *all_prev;
};

/* Per-CPU state, reached through the arch per-CPU base. */
struct cpu_local {
	struct cpu_local *self; /* must stay first: the arch reads it at offset 0 */
	unsigned id;
	struct task *current;
	struct task *idle;
	struct task *switched_from; /* prev of the switch in progress, for the next task to finish */
	int preempt_count;
	bool need_resched;
	uint64_t switches;
	uint64_t idle_ticks;
};

extern struct cpu_local cpu_locals[CPU_MAX];
/* Set once the boot CPU's per-CPU base is installed; before, everything is CPU 0. */
extern bool cpu_local_ready;

static inline struct cpu_local *this_cpu(void)
{
	return likely(cpu_local_ready) ? arch_cpu_local() : &cpu_locals[0];
}

/* Install CPU @id's per-CPU base (boot CPU: 0). */
void cpu_local_init(unsigned id);

/*
 * Turn the running boot context into the boot task, create the idle task and
 * start the scheduler tick. Called once by frame_boot() after time init, with
 * interrupts on; before it, tasks cannot be created and sleeping is a bug.
 */
void task_init_boot(void);

/* --- frame/task --- */
/* First C code of a new task, on its own stack (called by the arch trampoline). */
_Noreturn void task_entry(void);
/* Free the stacks of tasks that died and left the CPU; call with preemption enabled. */
void task_reap(void);
/* Drop one reference; the record is freed at zero. */
void task_put(struct task *t);
/* Stack allocation (frame/task/stack.c). 0 or -ENOMEM. */
int task_stack_alloc(struct task_stack *stack);
void task_stack_free(struct task_stack *stack);
/*
 * The stack area: is @addr in it, in a slot's unmapped guard gap, or in a
 * stack that is mapped now (safe to read, for backtraces)? And how many
 * stacks exist.
 */
bool kstack_in_area(uintptr_t addr);
bool kstack_in_guard(uintptr_t addr);
bool kstack_readable(uintptr_t addr);
size_t kstack_count(void);

/* --- frame/sched --- */
/* Start the scheduler on this CPU with @boot as current and @idle as its idle task. */
void sched_init_cpu(struct task *boot, struct task *idle);
/* Make a newly created task runnable. */
void sched_start_task(struct task *t);
/* Mark the caller as going to sleep; the next schedule switches it out unless woken first. */
void sched_set_current_blocked(void);
/* Mark the caller running again (end of a wait, woken or not). */
void sched_set_current_running(void);
/* Switch to the next task if the caller is no longer runnable or another should run. */
void sched_schedule(void);
/* Mark the caller dead and switch away for good. */
_Noreturn void sched_exit_current(void);
/* Second half of every switch, run by the task switched to (scheduler lock held, irqs off). */
void sched_finish_switch(void);
/* Move dead tasks that left the CPU onto @out (a dead_next list); returns the count. */
struct task *sched_take_dead(void);
/* The scheduler lock, for task priority changes. */
unsigned long sched_lock_irqsave(void);
void sched_unlock_irqrestore(unsigned long flags);
/* With the scheduler lock held: re-queue @t after a priority change. */
void sched_requeue_locked(struct task *t);

#endif
