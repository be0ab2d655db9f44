/* x86_64 user-mode entry and exit: user_context offsets for the assembly, SMAP windows, per-CPU syscall slots. */
#ifndef ARCH_USER_H
#define ARCH_USER_H

/* Offsets into struct user_regs (frame/user.h), checked below. */
#define UREG_R15 0
#define UREG_R14 8
#define UREG_R13 16
#define UREG_R12 24
#define UREG_RBP 32
#define UREG_RBX 40
#define UREG_R11 48
#define UREG_R10 56
#define UREG_R9 64
#define UREG_R8 72
#define UREG_RAX 80
#define UREG_RCX 88
#define UREG_RDX 96
#define UREG_RSI 104
#define UREG_RDI 112
#define UREG_ORIG_RAX 120
#define UREG_RIP 128
#define UREG_RFLAGS 144
#define UREG_RSP 152

/* Per-CPU block the syscall entry reaches RIP-relatively (see user_entry.S). */
#define USER_CPU_KSTACK 0  /* where the running user_enter() frame is (TSS.RSP0 too) */
#define USER_CPU_SCRATCH 8 /* the user rsp while switching stacks */
#define USER_CPU_SIZE 16
/* Bytes of code per CPU's syscall entry stub. */
#define USER_SYSCALL_STUB_SIZE 32

/* CPUs with a syscall entry stub (the frame's CPU_MAX). */
#define USER_CPU_MAX 64
/* user_exit() reason of the syscall path: USER_RETURN_SYSCALL, checked in user_mode.c. */
#define USER_EXIT_SYSCALL 1

/* user_enter() modes. */
#define USER_ENTER_SYSRET 0
#define USER_ENTER_IRET 1

#define CR4_SMAP (1ul << 21)
#define RFLAGS_AC (1ul << 18)

#ifndef __ASSEMBLER__
#include <frame/types.h>
#include <frame/user.h>

struct trap_frame;

struct user_cpu {
	uint64_t kstack;
	uint64_t scratch;
};
_Static_assert(sizeof(struct user_cpu) == USER_CPU_SIZE, "user_cpu layout");

/* Set once at boot: stac/clac exist and CR4.SMAP is on. */
extern bool user_smap_enabled;

/*
 * SMAP window: user pages are reachable from the kernel only between these.
 * The copy routines in usercopy.S open their own; nothing else should.
 */
static inline void arch_user_access_begin(void)
{
	if (user_smap_enabled)
		__asm__ volatile("stac" ::: "memory");
}
static inline void arch_user_access_end(void)
{
	if (user_smap_enabled)
		__asm__ volatile("clac" ::: "memory");
}

/* Boot CPU: SMAP, the syscall MSRs, the default FPU image. Called from arch_cpu_init(). */
void user_arch_init(void);

/*
 * trap.c calls this first for every trap: close any SMAP window the
 * interrupted code (or a user program's RFLAGS.AC) left open, and for a trap
 * from user mode save the FPU state before any handler could switch tasks.
 */
void user_trap_entry(struct trap_frame *frame);

/* The trap_set_user_hook() hook: leave to user_mode_execute()'s caller (does not return for RSP0 frames). */
void user_trap_exit(struct trap_frame *frame);

/* user_entry.S: run @ctx's registers in ring 3; returns the USER_RETURN_* reason. */
uint64_t user_enter(struct user_context *ctx, struct user_cpu *cpu, int mode);
/* user_entry.S: unwind to the user_enter() frame at @kstack and return @reason from it. */
_Noreturn void user_exit(uint64_t kstack, uint64_t reason);
/* user_entry.S: the syscall entry stub of each CPU (LSTAR). */
extern const uint8_t user_syscall_stubs[];

/*
 * usercopy.S. All return the number of bytes NOT done (0 on success); they
 * do not check ranges: callers pass ranges user_range_ok() accepted.
 */
/*
 * Their contracts are assumptions of `make prove` (docs/proofs.md): the
 * exception table ends any faulting user access with a count instead of a
 * trap, and user memory, being the user half, is no kernel object, so
 * writing it changes nothing the C code can see.
 */
/*@ requires \valid((char *)dst + (0 .. n - 1));
    assigns ((char *)dst)[0 .. n - 1];
    ensures \result <= n;
*/
uint64_t arch_copy_from_user(void *dst, const void *usrc, uint64_t n);
/*@ requires \valid_read((char *)src + (0 .. n - 1));
    assigns \nothing;
    ensures \result <= n;
*/
uint64_t arch_copy_to_user(void *udst, const void *src, uint64_t n);
/*@ assigns \nothing;
    ensures \result <= n;
*/
uint64_t arch_clear_user(void *udst, uint64_t n);
/*
 * Copy bytes from user @usrc to @dst until a NUL (copied too) or @n bytes:
 * returns the bytes NOT examined among @n. *@found is set when a NUL came
 * (the returned count then excludes it and what follows).
 */
/*@ requires \valid(dst + (0 .. n - 1)) && \valid(found);
    requires \separated(found, dst + (0 .. n - 1));
    assigns dst[0 .. n - 1], *found;
    ensures \result <= n;
    ensures *found ==> \result >= 1 && dst[n - \result] == 0;
*/
uint64_t arch_strncpy_from_user(char *dst, const char *usrc, uint64_t n, bool *found);

_Static_assert(__builtin_offsetof(struct user_regs, r15) == UREG_R15, "ureg");
_Static_assert(__builtin_offsetof(struct user_regs, rbx) == UREG_RBX, "ureg");
_Static_assert(__builtin_offsetof(struct user_regs, r11) == UREG_R11, "ureg");
_Static_assert(__builtin_offsetof(struct user_regs, r8) == UREG_R8, "ureg");
_Static_assert(__builtin_offsetof(struct user_regs, rax) == UREG_RAX, "ureg");
_Static_assert(__builtin_offsetof(struct user_regs, rdi) == UREG_RDI, "ureg");
_Static_assert(__builtin_offsetof(struct user_regs, orig_rax) == UREG_ORIG_RAX, "ureg");
_Static_assert(__builtin_offsetof(struct user_regs, rip) == UREG_RIP, "ureg");
_Static_assert(__builtin_offsetof(struct user_regs, rflags) == UREG_RFLAGS, "ureg");
_Static_assert(__builtin_offsetof(struct user_regs, rsp) == UREG_RSP, "ureg");
_Static_assert(__builtin_offsetof(struct user_context, regs) == 0, "regs first");
#endif

#endif
