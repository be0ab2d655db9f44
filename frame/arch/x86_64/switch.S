/* Kernel context switch: save callee-saved registers and rsp of one task, resume another. */

	.section .text
	.code64

/*
 * void arch_context_switch(uint64_t *save_rsp, uint64_t load_rsp)
 * The SysV ABI lets a call clobber everything but rbx, rbp, r12-r15 and rsp,
 * so only those need saving; the return address is the resume point.
 * Interrupts are off on both sides (the scheduler's caller restores them).
 */
	.globl arch_context_switch
	.type arch_context_switch, @function
arch_context_switch:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, (%rdi)
	movq %rsi, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret
	.size arch_context_switch, . - arch_context_switch

/*
 * A new task's first switch "returns" here with rsp at the 16-byte aligned
 * stack top, so the call below sees an ABI-aligned stack; rbp 0 ends
 * backtraces at this frame.
 */
	.globl arch_task_trampoline
	.type arch_task_trampoline, @function
arch_task_trampoline:
	xorl %ebp, %ebp
	call task_entry
	ud2
	.size arch_task_trampoline, . - arch_task_trampoline

	.section .note.GNU-stack, "", @progbits
