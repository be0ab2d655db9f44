/* Private to kernel/signal: default actions, dequeuing, the user-stack frame, and helpers of the system calls. */
#ifndef KERNEL_SIGNAL_INTERNAL_H
#define KERNEL_SIGNAL_INTERNAL_H

#include <abi/ucontext.h>
#include <kernel/proc.h>
#include <kernel/signal.h>

#define SIGNAL_UNBLOCKABLE (SIG_BIT(SIGKILL) | SIG_BIT(SIGSTOP))
/* Signals a fault raises, taken before others pending so the handler sees this fault. */
#define SIGNAL_SYNCHRONOUS (SIG_BIT(SIGSEGV) | SIG_BIT(SIGBUS) | SIG_BIT(SIGILL) | \
			    SIG_BIT(SIGTRAP) | SIG_BIT(SIGFPE) | SIG_BIT(SIGSYS))

/* What SIG_DFL does for @sig. */
bool signal_default_ignores(int sig);
bool signal_default_stops(int sig);
bool signal_default_dumps(int sig);

/*
 * SIGCONT resumes and discards pending stops; a stop signal discards
 * pending SIGCONT (signal lock held; the parent is told by the resumed
 * thread, in task context).
 */
void signal_prepare_stop_cont(struct process *p, int sig);

/* Drop pending signals and their information (exit, exec, tests). */
void signal_discard_thread(struct thread *t);
void signal_discard_process(struct process *p);

/* Send @info to @t as the kernel does for faults: blocked or ignored, it gets SIG_DFL and unblocked. */
void signal_force(struct thread *t, const struct ksiginfo *info);

/* The same as the public calls, for callers holding the signal lock. */
int signal_dequeue_locked(struct thread *t, kernel_sigset_t mask, struct ksiginfo *info);
bool signal_ignored_locked(struct process *p, int sig);
/* Drop every pending instance of @sig in @p and its threads (it became ignored). */
void signal_flush_locked(struct process *p, int sig);

/* On the alternate stack: @sp lies in it (and it is not SS_AUTODISARM). */
bool signal_on_altstack(const struct thread_sig *s, vaddr_t sp);
/* sigaltstack's ss_flags for a thread at @sp: SS_DISABLE, SS_ONSTACK or 0, plus SS_AUTODISARM if set. */
int signal_altstack_flags(const struct thread_sig *s, vaddr_t sp);
/* Set the alternate stack as sigaltstack(2) does at @sp: 0, -EPERM, -EINVAL or -ENOMEM. */
int signal_set_altstack(struct thread_sig *s, const struct sigaltstack *ss, vaddr_t sp);

/* Where a handler frame goes: computed from the interrupted stack pointer. */
struct signal_frame_place {
	vaddr_t frame;		/* struct rt_sigframe; the handler's rsp */
	vaddr_t fpstate;	/* the 512-byte FXSAVE image, 64-byte aligned */
	bool on_altstack;	/* switched to the alternate stack */
};

/* The x86_64 rt_sigframe as Linux lays it out at the handler's rsp. */
struct rt_sigframe {
	uint64_t pretcode;	/* sa_restorer: where the handler returns */
	struct ucontext uc;
	struct siginfo info;
};

/* Size of the FPU area below the frame (FXSAVE only: the CPU runs without XSAVE). */
#define SIGNAL_FPSTATE_SIZE 512

/*
 * Place a frame for a handler with flags @sa_flags, interrupted at @sp:
 * below the red zone, or at the top of the alternate stack. -EFAULT if the
 * frame would overflow the alternate stack.
 */
int signal_frame_place(const struct thread_sig *s, vaddr_t sp, uint64_t sa_flags,
		       struct signal_frame_place *out);

/*
 * Push a handler frame (siginfo, ucontext with the saved registers and FPU
 * state, return to sa_restorer) on the user stack and point the context at
 * the handler. The mask saved in the frame (restored by rt_sigreturn) is
 * sig.saved_mask when sig.restore_mask is set (rt_sigsuspend, ppoll), which
 * it then clears, else sig.blocked. 0, or -EFAULT if the stack is unusable
 * (the caller then kills the process with SIGSEGV).
 */
int signal_setup_frame(struct thread *t, int sig, const struct ksiginfo *info,
		       const struct kernel_sigaction *sa);

/*
 * rt_sigreturn's work: restore registers, FPU image, mask and alternate
 * stack from the frame at the current stack pointer. 0, or -EFAULT for a
 * frame that can't be read or restored (the caller raises SIGSEGV).
 */
int signal_restore_frame(struct thread *t);

#endif
