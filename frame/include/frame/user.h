/* User mode: a user_context of registers and FPU state, and user_mode_execute() to run it until the next kernel entry. */
#ifndef FRAME_USER_H
#define FRAME_USER_H

#include <frame/types.h>

/*
 * A user thread's CPU state while it is not running. The general registers
 * are laid out as Linux's x86_64 struct user_regs_struct (ptrace and core
 * dumps copy them as they are); the FPU/SSE state is the 512-byte FXSAVE
 * image Linux puts in signal frames (struct _fpstate). The frame enables
 * x87/SSE only (no XSAVE/AVX in CR4), so that image is all of a user
 * program's extended state: CPUID tells programs AVX is unusable.
 *
 * Services should prefer the accessors below to naming registers, so the
 * same service code serves other architectures later.
 *
 * Ownership: the caller owns the struct (embed it in a thread record; it
 * needs 16-byte alignment, which kmalloc of its size gives). The frame reads
 * and writes it only inside user_mode_execute(); it holds no pointer to it
 * afterwards, so it may be copied (fork) or freed at any time outside that call.
 */
struct user_regs {
	uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
	uint64_t rax, rcx, rdx, rsi, rdi;
	uint64_t orig_rax; /* rax at system-call entry: the call number (restarts) */
	uint64_t rip, cs, rflags, rsp, ss; /* cs/ss: what the CPU ran with; ignored on entry */
	uint64_t fs_base, gs_base;
	uint64_t ds, es, fs, gs; /* selectors: reported as 0, ignored on entry */
};

/* x87/SSE state in FXSAVE layout (fcw at 0, mxcsr at 24, xmm0 at 160). */
struct user_fpu_state {
	uint8_t bytes[512];
} __attribute__((aligned(16)));

/* Why user_mode_execute() came back. */
enum user_return {
	USER_RETURN_SYSCALL = 1,   /* the program made a system call */
	USER_RETURN_EXCEPTION = 2, /* it faulted or trapped: see user_context_trap() */
	USER_RETURN_INTERRUPT = 3, /* an interrupt arrived; its handlers have run */
};

/* What the last exception (or interrupt) was. */
struct user_trap_info {
	unsigned vector;     /* USER_TRAP_* for exceptions; the interrupt vector otherwise */
	uint64_t error_code; /* as the CPU gave it (0 when it gives none) */
	vaddr_t fault_addr;  /* page faults: the address accessed */
	unsigned access;     /* page faults: VM_READ, VM_WRITE or VM_EXEC (frame/vm_space.h) */
	bool present;        /* page faults: a mapping existed but forbade the access */
};

/* Exception vectors a service may see (the numbering Linux's trap_nr uses). */
#define USER_TRAP_DIVIDE 0
#define USER_TRAP_DEBUG 1
#define USER_TRAP_BREAKPOINT 3
#define USER_TRAP_OVERFLOW 4
#define USER_TRAP_INVALID_OPCODE 6
#define USER_TRAP_STACK_SEGMENT 12
#define USER_TRAP_GENERAL_PROTECTION 13
#define USER_TRAP_PAGE_FAULT 14
#define USER_TRAP_X87 16
#define USER_TRAP_ALIGNMENT 17
#define USER_TRAP_SIMD 19

/* Length of the system-call instruction: ip - this re-executes it (restarts). */
#define USER_SYSCALL_INSN_LEN 2

struct vm_space;

struct user_context {
	struct user_regs regs;
	struct user_trap_info trap; /* valid after USER_RETURN_EXCEPTION/INTERRUPT */
	/* Private to the frame. */
	uint32_t exit_kind;       /* how the last exit happened */
	uint32_t reserved;
	struct vm_space *space;   /* see user_context_set_vm_space() */
	uint64_t reserved2;
	struct user_fpu_state fpu;
};

/*
 * Bind @ctx to @space: user_mode_execute() then activates it (if it is not
 * active) with interrupts off just before entering user mode, so tasks that
 * preempt each other each run their program in its own space. NULL (the
 * default) runs in whatever space is active. The caller keeps @space alive
 * while bound. Note: the scheduler does not switch spaces, so the kernel's
 * own user-copies after a preemption see whatever space was activated last;
 * activate the thread's space again before copying (until tasks carry one).
 */
void user_context_set_vm_space(struct user_context *ctx, struct vm_space *space);

/*
 * Reset @ctx to a fresh thread that starts at @ip with stack pointer @sp:
 * general registers 0, interrupts enabled, default x87/SSE control words
 * (fcw 0x37f, mxcsr 0x1f80: all exceptions masked), TLS bases 0.
 */
void user_context_init(struct user_context *ctx, vaddr_t ip, vaddr_t sp);

/*
 * Run @ctx in user mode, in the vm_space active on this CPU, until the next
 * system call, exception or interrupt; save the state back into @ctx and say
 * which. Call from task context with interrupts enabled (they are enabled in
 * user mode whatever the caller had); may be preempted like any kernel code.
 *
 * Page faults on user addresses go first to the active vm_space's fault
 * handler (vm_space_set_fault_handler()), called from here in task context
 * (interrupts on, may sleep). If it returns 0 the access is retried in user
 * mode without returning; otherwise USER_RETURN_EXCEPTION reports the fault.
 *
 * A context user mode cannot be entered with (a non-canonical or kernel-half
 * ip, as a bad sigreturn frame may give) is not run: the call returns
 * USER_RETURN_EXCEPTION with USER_TRAP_GENERAL_PROTECTION, as the CPU would
 * for a jump there. RFLAGS bits a program may not own (IOPL, IF off, NT, VM)
 * are corrected on entry.
 */
enum user_return user_mode_execute(struct user_context *ctx);

/* System calls: number and arguments (Linux order: 0..5), result. */
uint64_t user_context_syscall_nr(const struct user_context *ctx);
/* Argument @i (0..5); 0 for others. */
uint64_t user_context_syscall_arg(const struct user_context *ctx, unsigned i);
/* The value the program sees returned (negative errno for errors, Linux style). */
void user_context_set_return(struct user_context *ctx, int64_t value);
/* Put the call back as it was at entry, so re-entering re-executes it (restart). */
void user_context_restart_syscall(struct user_context *ctx);

/* Instruction pointer, stack pointer, thread pointer (TLS: FS base on x86_64). */
vaddr_t user_context_ip(const struct user_context *ctx);
void user_context_set_ip(struct user_context *ctx, vaddr_t ip);
vaddr_t user_context_sp(const struct user_context *ctx);
void user_context_set_sp(struct user_context *ctx, vaddr_t sp);
vaddr_t user_context_tls(const struct user_context *ctx);
void user_context_set_tls(struct user_context *ctx, vaddr_t tls);
/* Function-call argument @i (0..5, SysV order): how a signal handler gets its arguments. */
void user_context_set_arg(struct user_context *ctx, unsigned i, uint64_t value);

/* The last exception or interrupt (after USER_RETURN_EXCEPTION/INTERRUPT). */
const struct user_trap_info *user_context_trap(const struct user_context *ctx);

/* Raw access for ptrace, signal frames and core dumps. */
struct user_regs *user_context_regs(struct user_context *ctx);
struct user_fpu_state *user_context_fpu(struct user_context *ctx);

#endif
