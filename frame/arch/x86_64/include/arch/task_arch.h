/* x86_64 pieces the frame's task, scheduler and lock code need: saved context, switch, per-CPU base, idle halt. */
#ifndef ARCH_TASK_ARCH_H
#define ARCH_TASK_ARCH_H

#include <frame/types.h>

struct cpu_local;
struct task;

/*
 * What a switched-out task keeps: only its stack pointer. The callee-saved
 * registers and the return address sit on its stack (switch.S), and its
 * interrupt state in the caller's saved flags.
 */
struct arch_context {
	uint64_t rsp;
};

/* switch.S: save callee-saved registers on this stack, store rsp in *@save_rsp, load @load_rsp, pop, ret. */
void arch_context_switch(uint64_t *save_rsp, uint64_t load_rsp);

/* switch.S: where a new task's first switch returns to; calls task_entry(). */
void arch_task_trampoline(void);

/*
 * Lay out a fresh stack [@stack_base, @stack_base + @size) so that switching
 * to @ctx enters task_entry() with a clean frame chain.
 */
void arch_task_init_context(struct arch_context *ctx, void *stack_base, size_t size);

/* Switch this CPU from @prev to @next; @next_stack_top is where traps from user mode land. */
void arch_task_switch(struct arch_context *prev, struct arch_context *next, uint64_t next_stack_top);

/* The stack the boot CPU runs on when the frame starts (it becomes the boot task's). */
void arch_boot_stack(void **base, size_t *size);

/* Point this CPU's per-CPU base (GS) at @c; c->self must already be @c. */
void arch_cpu_local_install(struct cpu_local *c);

/* This CPU's struct cpu_local, read through GS: its first field points to itself. */
static inline struct cpu_local *arch_cpu_local(void)
{
	struct cpu_local *c;
	/* volatile: a task may change CPU between two reads once SMP exists. */
	__asm__ volatile("movq %%gs:0, %0" : "=r"(c));
	return c;
}

/* Enable interrupts and halt until one arrives (sti's shadow: none is missed in between). */
static inline void arch_idle_wait(void)
{
	__asm__ volatile("sti; hlt" ::: "memory");
}

/* Spin-wait hint. */
static inline void arch_spin_pause(void)
{
	__asm__ volatile("pause" ::: "memory");
}

#endif
