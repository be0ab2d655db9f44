/* The only code that touches user memory: copy, clear and string-copy loops whose faults the exception table turns into short counts. */
#include <arch/extable.h>
#include <arch/user.h>

	.section .text
	.code64

/* Open/close the SMAP window (stac/clac exist only where SMAP does). */
.macro user_open
	cmpb $0, user_smap_enabled(%rip)
	je .Lopen\@
	stac
.Lopen\@:
.endm
.macro user_close
	cmpb $0, user_smap_enabled(%rip)
	je .Lclose\@
	clac
.Lclose\@:
.endm

/*
 * uint64_t arch_copy_from_user(void *dst, const void *usrc, uint64_t n)
 * uint64_t arch_copy_to_user(void *udst, const void *src, uint64_t n)
 * rep movsb is restartable: when it faults, rcx counts the bytes not moved
 * and rsi/rdi point at the faulting byte, so the fixup just reports rcx.
 */
	.globl arch_copy_from_user
	.type arch_copy_from_user, @function
	.globl arch_copy_to_user
	.type arch_copy_to_user, @function
arch_copy_from_user:
arch_copy_to_user:
	movq %rdx, %rcx
	user_open
1:	rep movsb
2:	user_close
	movq %rcx, %rax
	ret
	EXTABLE(1b, 2b)
	.size arch_copy_from_user, . - arch_copy_from_user
	.size arch_copy_to_user, . - arch_copy_to_user

/* uint64_t arch_clear_user(void *udst, uint64_t n) */
	.globl arch_clear_user
	.type arch_clear_user, @function
arch_clear_user:
	movq %rsi, %rcx
	xorl %eax, %eax
	user_open
1:	rep stosb
2:	user_close
	movq %rcx, %rax
	ret
	EXTABLE(1b, 2b)
	.size arch_clear_user, . - arch_clear_user

/*
 * uint64_t arch_strncpy_from_user(char *dst, const char *usrc, uint64_t n, bool *found)
 * Byte loop: rcx counts the bytes not yet examined; a NUL is copied, sets
 * *found and stops without counting itself.
 */
	.globl arch_strncpy_from_user
	.type arch_strncpy_from_user, @function
arch_strncpy_from_user:
	movq %rcx, %r8
	movb $0, (%r8)
	movq %rdx, %rcx
	testq %rcx, %rcx
	jz 4f
	user_open
1:	movb (%rsi), %al
	movb %al, (%rdi)
	testb %al, %al
	jz 2f
	incq %rsi
	incq %rdi
	decq %rcx
	jnz 1b
	jmp 3f
2:	movb $1, (%r8)
3:	user_close
4:	movq %rcx, %rax
	ret
	EXTABLE(1b, 3b)
	.size arch_strncpy_from_user, . - arch_strncpy_from_user

	.section .note.GNU-stack, "", @progbits
