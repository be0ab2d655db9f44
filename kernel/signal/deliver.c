/*
 * Taking a pending signal on the way back to user mode: restart or
 * interrupt the system call it cut short, then run its handler or its
 * default action (ignore, stop, terminate, terminate with core), and tell
 * the parent about stops and continues.
 */
#include <abi/errno.h>
#include <frame/heap.h>
#include <frame/task.h>
#include <frame/user.h>
#include <kernel/proc.h>
#include <kernel/signal.h>
#include <kernel/syscalls.h>
#include "signal_internal.h"

#define INIT_PID 1
#define STOP_SIGNALS (SIG_BIT(SIGSTOP) | SIG_BIT(SIGTSTP) | SIG_BIT(SIGTTIN) | SIG_BIT(SIGTTOU))

bool signal_default_ignores(int sig)
{
	return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT;
}

bool signal_default_stops(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

bool signal_default_dumps(int sig)
{
	switch (sig) {
	case SIGQUIT: case SIGILL: case SIGTRAP: case SIGABRT: case SIGBUS:
	case SIGFPE: case SIGSEGV: case SIGXCPU: case SIGXFSZ: case SIGSYS:
		return true;
	default:
		return false;
	}
}

static void discard_pending(struct process *p, kernel_sigset_t set)
{
	for (int sig = 1; sig < SIGRTMIN; sig++)
		if (set & SIG_BIT(sig))
			signal_flush_locked(p, sig);
}

void signal_prepare_stop_cont(struct process *p, int sig)
{
	if (sig == SIGCONT || sig == SIGKILL) {
		discard_pending(p, STOP_SIGNALS);
		if (p->stopped) {
			p->stopped = false;
			/* The report needs the tree lock (a mutex): one resumed thread makes it. */
			if (sig == SIGCONT && p->threads)
				p->threads->sig.report_continued = true;
			wait_wake_all(&p->stop_wait);
		}
	} else if (signal_default_stops(sig)) {
		discard_pending(p, SIG_BIT(SIGCONT));
	}
}

static bool parent_wants_stop_signals(struct process *parent)
{
	unsigned long flags = signal_lock();
	bool want = parent->sighand &&
		    !(parent->sighand->action[SIGCHLD - 1].sa_flags & SA_NOCLDSTOP);
	signal_unlock(flags);
	return want;
}

/* Tell @p's parent it stopped (@sig) or went on (@sig 0): wait4 report, SIGCHLD, wake-up. */
static void report_to_parent(struct process *p, int sig)
{
	proc_tree_lock();
	if (sig) {
		p->stop_report = sig;
		p->continued_report = false;
	} else {
		p->continued_report = true;
		p->stop_report = 0;
	}
	struct process *parent = p->parent;
	if (parent) {
		if (parent_wants_stop_signals(parent)) {
			struct ksiginfo ci = {
				.signo = SIGCHLD, .code = sig ? CLD_STOPPED : CLD_CONTINUED,
				.pid = p->pid, .uid = p->cred.uid, .status = sig ? sig : SIGCONT,
			};
			signal_send_process(parent, SIGCHLD, &ci);
		}
		parent->child_events++;
		wait_wake_all(&parent->child_wait);
	}
	proc_tree_unlock();
}

static bool kill_pending(struct thread *t)
{
	return ((t->sig.pending | t->proc->shared_pending) & SIG_BIT(SIGKILL)) != 0;
}

/* Sleep while the process is stopped; the thread SIGCONT chose reports it. */
static void stopped_wait(struct thread *t)
{
	struct process *p = t->proc;
	wait_event(&p->stop_wait, !p->stopped || p->exiting || t->exiting || kill_pending(t));
	unsigned long flags = signal_lock();
	bool report = t->sig.report_continued;
	t->sig.report_continued = false;
	signal_unlock(flags);
	if (report)
		report_to_parent(p, 0);
}

/* Stop the process until SIGCONT or SIGKILL; tell the parent. */
static void do_stop(struct thread *t, int sig)
{
	struct process *p = t->proc;
	unsigned long flags = signal_lock();
	bool first = !p->stopped && !p->exiting && !kill_pending(t);
	if (first)
		p->stopped = true;
	signal_unlock(flags);
	if (first)
		report_to_parent(p, sig);
	stopped_wait(t);
}

/* A system call cut short by a signal: restart it or make it fail with EINTR. */
static void fix_syscall_result(struct thread *t, const struct kernel_sigaction *sa, bool handler)
{
	if (!t->in_syscall)
		return;
	int64_t ret = t->syscall_ret;
	bool restart;
	switch (ret) {
	case -ERESTARTNOHAND:
		restart = !handler;
		break;
	case -ERESTARTSYS:
		restart = !handler || (sa->sa_flags & SA_RESTART);
		break;
	case -ERESTARTNOINTR:
		restart = true;
		break;
	default:
		return;
	}
	if (restart)
		user_context_restart_syscall(&t->ctx);
	else
		user_context_set_return(&t->ctx, -EINTR);
	t->in_syscall = false;
}

_Noreturn static void die(struct process *p, int sig)
{
	proc_kill_group(p, W_SIGNALED(sig, signal_default_dumps(sig)));
	proc_exit_thread(0);
}

void signal_deliver(struct thread *t)
{
	struct process *p = t->proc;
	for (;;) {
		if (p->stopped && !kill_pending(t) && !p->exiting && !t->exiting) {
			stopped_wait(t);
			continue;
		}
		struct ksiginfo info;
		unsigned long flags = signal_lock();
		int sig = signal_dequeue_locked(t, ~t->sig.blocked | SIGNAL_UNBLOCKABLE, &info);
		if (!sig) {
			signal_unlock(flags);
			break;
		}
		struct kernel_sigaction sa = p->sighand->action[sig - 1];
		bool handler = sig != SIGKILL && sig != SIGSTOP &&
			       sa.sa_handler != SIG_DFL && sa.sa_handler != SIG_IGN;
		if (handler && (sa.sa_flags & SA_RESETHAND))
			p->sighand->action[sig - 1].sa_handler = SIG_DFL;
		signal_unlock(flags);

		if (!handler) {
			fix_syscall_result(t, &sa, false);
			if (sa.sa_handler == SIG_IGN && sig != SIGKILL && sig != SIGSTOP)
				continue;
			if (signal_default_ignores(sig))
				continue;
			/* Init gets only the signals it has handlers for, unless a fault forces one. */
			if (p->pid == INIT_PID && !info.forced)
				continue;
			if (signal_default_stops(sig)) {
				do_stop(t, sig);
				continue;
			}
			die(p, sig);
		}
		fix_syscall_result(t, &sa, true);
		/* A handler interrupts an rseq critical section: the frame resumes at its abort handler. */
		rseq_event(t);
		if (signal_setup_frame(t, sig, &info, &sa))
			die(p, SIGSEGV);
		kernel_sigset_t block = sa.sa_mask;
		if (!(sa.sa_flags & SA_NODEFER))
			block |= SIG_BIT(sig);
		flags = signal_lock();
		t->sig.blocked |= block & ~SIGNAL_UNBLOCKABLE;
		signal_unlock(flags);
		break;	/* one handler frame per return; more on the next */
	}
	if (t->sig.restore_mask) {
		signal_set_blocked(t, t->sig.saved_mask);
		t->sig.restore_mask = false;
	}
	/* Nothing delivered: a system call that asked to be restarted starts again. */
	if (t->in_syscall) {
		int64_t ret = t->syscall_ret;
		if (ret == -ERESTARTSYS || ret == -ERESTARTNOINTR || ret == -ERESTARTNOHAND)
			user_context_restart_syscall(&t->ctx);
	}
}

/* Which signal a user-mode exception raises, and with what information. */
void signal_from_trap(struct thread *t, const struct user_trap_info *trap, int mm_result)
{
	struct ksiginfo info = { .code = SI_KERNEL, .forced = true };
	int sig;
	switch (trap->vector) {
	case USER_TRAP_PAGE_FAULT:
		info.addr = trap->fault_addr;
		if (mm_result == -EIO) {
			sig = SIGBUS;
			info.code = BUS_ADRERR;
		} else {
			sig = SIGSEGV;
			info.code = mm_result == -EACCES || trap->present ? SEGV_ACCERR : SEGV_MAPERR;
		}
		break;
	case USER_TRAP_DIVIDE:
		sig = SIGFPE;
		info.code = FPE_INTDIV;
		info.addr = user_context_ip(&t->ctx);
		break;
	case USER_TRAP_X87:
	case USER_TRAP_SIMD:
		sig = SIGFPE;
		info.code = 0;
		info.addr = user_context_ip(&t->ctx);
		break;
	case USER_TRAP_INVALID_OPCODE:
		sig = SIGILL;
		info.code = ILL_ILLOPN;
		info.addr = user_context_ip(&t->ctx);
		break;
	case USER_TRAP_BREAKPOINT:
		sig = SIGTRAP;
		info.code = SI_KERNEL;	/* int3: Linux reports SI_KERNEL */
		break;
	case USER_TRAP_DEBUG:
		sig = SIGTRAP;
		info.code = TRAP_TRACE;
		break;
	case USER_TRAP_ALIGNMENT:
		sig = SIGBUS;
		info.code = BUS_ADRALN;
		break;
	default:
		sig = SIGSEGV;	/* #GP, #SS and the rest: Linux sends SIGSEGV with SI_KERNEL */
		break;
	}
	info.signo = sig;
	unsigned long flags = signal_lock();
	t->sig.trap_nr = trap->vector;
	t->sig.trap_err = trap->error_code;
	t->sig.trap_cr2 = trap->vector == USER_TRAP_PAGE_FAULT ? trap->fault_addr : 0;
	signal_unlock(flags);
	signal_force(t, &info);
}

void signal_force(struct thread *t, const struct ksiginfo *info)
{
	int sig = info->signo;
	unsigned long flags = signal_lock();
	/* A forced signal that is blocked or ignored can't be taken: the process dies, as on Linux. */
	struct kernel_sigaction *sa = &t->proc->sighand->action[sig - 1];
	if ((t->sig.blocked & SIG_BIT(sig)) || sa->sa_handler == SIG_IGN) {
		t->sig.blocked &= ~SIG_BIT(sig);
		sa->sa_handler = SIG_DFL;
	}
	signal_unlock(flags);
	signal_send_thread(t, sig, info);
}
