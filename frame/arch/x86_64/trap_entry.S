/* Entry stubs for all 256 vectors: build a uniform struct trap_frame and call trap_dispatch. */
#include <arch/trap.h>

	.section .text
	.code64

/*
 * One 16-byte stub per vector, so the table below is stubs + 16 * vector.
 * Vectors without a CPU error code push 0 to keep the frame uniform.
 */
	.p2align 4
trap_stubs:
.set vec, 0
.rept 256
	.p2align 4
	.if !(vec == 8 || (vec >= 10 && vec <= 14) || vec == 17 || vec == 21 || vec == 29 || vec == 30)
	pushq $0
	.endif
	pushq $vec
	jmp trap_common
	.set vec, vec + 1
.endr

	.p2align 4
	.type trap_common, @function
trap_common:
	/* The stack holds vector, error code, rip, cs, ...: a user trap needs the kernel GS base. */
	testb $3, 24(%rsp)
	jz 1f
	swapgs
1:
	cld
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	/* 176-byte frame on a 16-byte-aligned interrupt stack: the call below is aligned. */
	movq %rsp, %rdi
	call trap_dispatch
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	testb $3, 24(%rsp)
	jz 2f
	swapgs
2:
	addq $16, %rsp
	iretq
	.size trap_common, . - trap_common

	.section .rodata
	.p2align 3
	.globl trap_stub_table
trap_stub_table:
.set vec, 0
.rept 256
	.quad trap_stubs + 16 * vec
	.set vec, vec + 1
.endr

	.section .note.GNU-stack, "", @progbits
