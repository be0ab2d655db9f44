/* Entering and leaving ring 3: sysret/iret into a user_context, the per-CPU syscall entry, the unwind back to user_enter's caller. */
#include <arch/cpu.h>
#include <arch/user.h>

	.section .text
	.code64

/* Every general register of the context in %rax but rax, rsp, rcx and r11. */
.macro load_user_regs
	movq UREG_RBX(%rax), %rbx
	movq UREG_RDX(%rax), %rdx
	movq UREG_RSI(%rax), %rsi
	movq UREG_RDI(%rax), %rdi
	movq UREG_RBP(%rax), %rbp
	movq UREG_R8(%rax), %r8
	movq UREG_R9(%rax), %r9
	movq UREG_R10(%rax), %r10
	movq UREG_R12(%rax), %r12
	movq UREG_R13(%rax), %r13
	movq UREG_R14(%rax), %r14
	movq UREG_R15(%rax), %r15
.endm

/*
 * uint64_t user_enter(struct user_context *ctx, struct user_cpu *cpu, int mode)
 *
 * Called with interrupts off. Saves the callee-saved registers, then makes a
 * 16-byte aligned record K = { ctx, rsp to restore } and points both TSS.RSP0
 * and cpu->kstack at it: a trap from user mode pushes its frame right below
 * K (the CPU aligns RSP0 to 16, so the frame ends exactly at K), the syscall
 * stub switches to K, and both find ctx at [K] and unwind through user_exit.
 * The value "returned" is the reason user_exit was given.
 */
	.globl user_enter
	.type user_enter, @function
user_enter:
	pushq %rbp
	movq %rsp, %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, %rax
	andq $-16, %rsp
	subq $16, %rsp
	movq %rax, 8(%rsp)
	movq %rdi, 0(%rsp)
	movq %rdi, %rbx
	movl %edx, %r12d
	movq %rsp, USER_CPU_KSTACK(%rsi)
	movq %rsp, %rdi
	call tss_set_kernel_stack
	movq %rbx, %rax
	cmpl $USER_ENTER_SYSRET, %r12d
	jne 1f

	/* sysret: rip from rcx, rflags from r11 (the caller checked rip is a user address). */
	movq UREG_RIP(%rax), %rcx
	movq UREG_RFLAGS(%rax), %r11
	load_user_regs
	movq UREG_RSP(%rax), %rsp
	movq UREG_RAX(%rax), %rax
	swapgs
	sysretq

1:	/* iret: restores everything, rcx and r11 included. */
	pushq $(GDT_USER_SS | GDT_USER_RPL)
	pushq UREG_RSP(%rax)
	pushq UREG_RFLAGS(%rax)
	pushq $(GDT_USER_CS | GDT_USER_RPL)
	pushq UREG_RIP(%rax)
	movq UREG_RCX(%rax), %rcx
	movq UREG_R11(%rax), %r11
	load_user_regs
	movq UREG_RAX(%rax), %rax
	swapgs
	iretq
	.size user_enter, . - user_enter

/*
 * _Noreturn void user_exit(uint64_t kstack, uint64_t reason)
 * Drop whatever is below the record K (a trap frame, the syscall pushes) and
 * return @reason from the user_enter() that made K. Interrupts stay off.
 */
	.globl user_exit
	.type user_exit, @function
user_exit:
	cmpb $0, user_smap_enabled(%rip)
	je 1f
	clac
1:	movq %rsi, %rax
	movq %rdi, %rsp
	movq 8(%rsp), %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret
	.size user_exit, . - user_exit

/*
 * syscall entry, one stub per CPU so each reaches its own struct user_cpu
 * RIP-relatively: syscall leaves no free register and the per-CPU GS block
 * belongs to the scheduler. The CPU has cleared IF, TF, DF and AC (FMASK);
 * rcx holds the user rip and r11 the user rflags.
 */
	.p2align 5
	.globl user_syscall_stubs
	.type user_syscall_stubs, @function
user_syscall_stubs:
.set cpu, 0
.rept USER_CPU_MAX
	swapgs
	movq %rsp, user_cpus + cpu * USER_CPU_SIZE + USER_CPU_SCRATCH(%rip)
	movq user_cpus + cpu * USER_CPU_SIZE + USER_CPU_KSTACK(%rip), %rsp
	pushq user_cpus + cpu * USER_CPU_SIZE + USER_CPU_SCRATCH(%rip)
	jmp syscall_common
	/* Fails to assemble if a stub outgrew its slot. */
	.org user_syscall_stubs + (cpu + 1) * USER_SYSCALL_STUB_SIZE, 0xcc
	.set cpu, cpu + 1
.endr
	.size user_syscall_stubs, . - user_syscall_stubs

/* On the user_enter() record K with the user rsp pushed below it: save the registers into ctx = [K]. */
	.type syscall_common, @function
syscall_common:
	pushq %rax
	movq 16(%rsp), %rax
	movq %rbx, UREG_RBX(%rax)
	movq %rdx, UREG_RDX(%rax)
	movq %rsi, UREG_RSI(%rax)
	movq %rdi, UREG_RDI(%rax)
	movq %rbp, UREG_RBP(%rax)
	movq %r8, UREG_R8(%rax)
	movq %r9, UREG_R9(%rax)
	movq %r10, UREG_R10(%rax)
	movq %r12, UREG_R12(%rax)
	movq %r13, UREG_R13(%rax)
	movq %r14, UREG_R14(%rax)
	movq %r15, UREG_R15(%rax)
	movq %rcx, UREG_RIP(%rax)
	movq %rcx, UREG_RCX(%rax)
	movq %r11, UREG_RFLAGS(%rax)
	movq %r11, UREG_R11(%rax)
	popq %rcx
	movq %rcx, UREG_RAX(%rax)
	movq %rcx, UREG_ORIG_RAX(%rax)
	popq %rcx
	movq %rcx, UREG_RSP(%rax)
	movq %rsp, %rdi
	movl $USER_EXIT_SYSCALL, %esi
	jmp user_exit
	.size syscall_common, . - syscall_common

	.section .note.GNU-stack, "", @progbits
