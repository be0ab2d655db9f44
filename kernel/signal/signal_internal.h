/* Private to kernel/signal: default actions, dequeuing, and the user-stack frame. */
#ifndef KERNEL_SIGNAL_INTERNAL_H
#define KERNEL_SIGNAL_INTERNAL_H

#include <kernel/proc.h>
#include <kernel/signal.h>

/* What SIG_DFL does for @sig. */
bool signal_default_ignores(int sig);
bool signal_default_stops(int sig);
bool signal_default_dumps(int sig);

/* SIGCONT resumes and discards pending stops; a stop signal discards pending SIGCONT. */
void signal_prepare_stop_cont(struct process *p, int sig);

void signal_discard_thread(struct thread *t);

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

#endif
