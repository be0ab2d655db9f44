/* x86_64 task contexts: the first stack frame of a new task and the per-switch CPU state (TSS.RSP0). */
#include <arch/cpu.h>
#include <arch/task_arch.h>
#include <frame/string.h>

/* Registers arch_context_switch() pops: r15, r14, r13, r12, rbx, rbp, then the return address. */
#define SWITCH_FRAME_WORDS 7

void arch_task_init_context(struct arch_context *ctx, void *stack_base, size_t size)
{
	uint64_t top = ALIGN_DOWN((uint64_t)stack_base + size, 16);
	uint64_t *frame = (uint64_t *)top - SWITCH_FRAME_WORDS;
	memset(frame, 0, SWITCH_FRAME_WORDS * sizeof(uint64_t));
	frame[SWITCH_FRAME_WORDS - 1] = (uint64_t)arch_task_trampoline;
	ctx->rsp = (uint64_t)frame;
}

void arch_task_switch(struct arch_context *prev, struct arch_context *next, uint64_t next_stack_top)
{
	/* A trap from user mode must land on the kernel stack of the task that will run. */
	if (next_stack_top)
		tss_set_kernel_stack(next_stack_top);
	arch_context_switch(&prev->rsp, next->rsp);
}

/* boot.S */
extern char boot_stack_bottom[], boot_stack_top[];

void arch_boot_stack(void **base, size_t *size)
{
	*base = boot_stack_bottom;
	*size = (size_t)(boot_stack_top - boot_stack_bottom);
}
