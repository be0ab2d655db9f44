/*
 * Taking a pending signal on the way back to user mode: restart or
 * interrupt the system call it cut short, then run its handler or its
 * default action (ignore, stop, terminate, terminate with core).
 */
#include <abi/errno.h>
#include <frame/heap.h>
#include <frame/task.h>
#include <frame/user.h>
#include <kernel/proc.h>
#include <kernel/signal.h>
#include "../syscall/syscall.h"
#include "signal_internal.h"

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

void signal_prepare_stop_cont(struct process *p, int sig)
{
	if (sig == SIGCONT || sig == SIGKILL) {
		kernel_sigset_t stops = SIG_BIT(SIGSTOP) | SIG_BIT(SIGTSTP) |
					SIG_BIT(SIGTTIN) | SIG_BIT(SIGTTOU);
		p->shared_pending &= ~stops;
		for (struct thread *t = p->threads; t; t = t->next)
			t->sig.pending &= ~stops;
		if (p->stopped) {
			p->stopped = false;
			if (sig == SIGCONT) {
				p->continued_report = true;
				p->stop_report = 0;
				if (p->parent) {
					p->parent->child_events++;
					wait_wake_all(&p->parent->child_wait);
				}
			}
			wait_wake_all(&p->stop_wait);
		}
	} else if (signal_default_stops(sig)) {
		p->shared_pending &= ~SIG_BIT(SIGCONT);
		for (struct thread *t = p->threads; t; t = t->next)
			t->sig.pending &= ~SIG_BIT(SIGCONT);
	}
}

/* Take the lowest-numbered deliverable signal (SIGKILL/SIGSTOP can't be blocked). */
static int dequeue(struct thread *t, struct ksiginfo *info)
{
	struct process *p = t->proc;
	kernel_sigset_t unblockable = SIG_BIT(SIGKILL) | SIG_BIT(SIGSTOP);
	for (int from_proc = 0; from_proc < 2; from_proc++) {
		kernel_sigset_t *pending = from_proc ? &p->shared_pending : &t->sig.pending;
		struct sigqueue **q = from_proc ? &p->shared_queue : &t->sig.queue;
		kernel_sigset_t ready = *pending & (~t->sig.blocked | unblockable);
		if (!ready)
			continue;
		int sig = __builtin_ctzll(ready) + 1;
		*info = (struct ksiginfo){ .signo = sig, .code = SI_KERNEL };
		bool more = false;
		for (struct sigqueue **e = q; *e;) {
			if ((*e)->info.signo == sig) {
				if (info->code == SI_KERNEL && !more) {
					struct sigqueue *taken = *e;
					*info = taken->info;
					*e = taken->next;
					kfree(taken);
					more = true;
					continue;
				}
				/* Another queued instance (real-time): stays pending. */
				return sig;
			}
			e = &(*e)->next;
		}
		*pending &= ~SIG_BIT(sig);
		return sig;
	}
	return 0;
}

/* Stop the process until SIGCONT or SIGKILL; tell the parent. */
static void do_stop(struct thread *t, int sig)
{
	struct process *p = t->proc;
	proc_tree_lock();
	if (!p->stopped) {
		p->stopped = true;
		p->stop_report = sig;
		p->continued_report = false;
		struct process *parent = p->parent;
		if (parent) {
			bool nocldstop = parent->sighand &&
				(parent->sighand->action[SIGCHLD - 1].sa_flags & SA_NOCLDSTOP);
			if (!nocldstop) {
				struct ksiginfo ci = { .signo = SIGCHLD, .code = CLD_STOPPED,
						       .pid = p->pid, .uid = p->cred.uid, .status = sig };
				signal_send_process(parent, SIGCHLD, &ci);
			}
			parent->child_events++;
			wait_wake_all(&parent->child_wait);
		}
	}
	proc_tree_unlock();
	wait_event(&p->stop_wait, !p->stopped || p->exiting ||
		   ((t->sig.pending | p->shared_pending) & SIG_BIT(SIGKILL)));
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

void signal_deliver(struct thread *t)
{
	struct process *p = t->proc;
	for (;;) {
		struct ksiginfo info;
		int sig = dequeue(t, &info);
		if (!sig)
			break;
		struct kernel_sigaction sa = p->sighand->action[sig - 1];
		if (sig == SIGKILL || sa.sa_handler == SIG_DFL) {
			fix_syscall_result(t, &sa, false);
			if (signal_default_ignores(sig))
				continue;
			if (signal_default_stops(sig)) {
				do_stop(t, sig);
				continue;
			}
			proc_kill_group(p, W_SIGNALED(sig, signal_default_dumps(sig)));
			proc_exit_thread(0);
		}
		if (sa.sa_handler == SIG_IGN) {
			fix_syscall_result(t, &sa, false);
			continue;
		}
		fix_syscall_result(t, &sa, true);
		if (signal_setup_frame(t, sig, &info, &sa)) {
			proc_kill_group(p, W_SIGNALED(SIGSEGV, true));
			proc_exit_thread(0);
		}
		if (sa.sa_flags & SA_RESETHAND)
			p->sighand->action[sig - 1].sa_handler = SIG_DFL;
		kernel_sigset_t block = sa.sa_mask;
		if (!(sa.sa_flags & SA_NODEFER))
			block |= SIG_BIT(sig);
		t->sig.blocked |= block & ~(SIG_BIT(SIGKILL) | SIG_BIT(SIGSTOP));
		break;	/* one handler frame per return; more on the next */
	}
	if (t->sig.restore_mask) {
		t->sig.blocked = t->sig.saved_mask;
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
	struct ksiginfo info = { .code = SI_KERNEL };
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
		info.addr = user_context_ip(&t->ctx);
		break;
	case USER_TRAP_INVALID_OPCODE:
		sig = SIGILL;
		info.code = ILL_ILLOPN;
		info.addr = user_context_ip(&t->ctx);
		break;
	case USER_TRAP_BREAKPOINT:
	case USER_TRAP_DEBUG:
		sig = SIGTRAP;
		info.code = TRAP_BRKPT;
		break;
	case USER_TRAP_ALIGNMENT:
		sig = SIGBUS;
		break;
	default:
		sig = SIGSEGV;	/* #GP, #SS and the rest: Linux sends SIGSEGV with SI_KERNEL */
		break;
	}
	info.signo = sig;
	/* A fault signal that is blocked or ignored can't be taken: the process dies, as on Linux. */
	struct kernel_sigaction *sa = &t->proc->sighand->action[sig - 1];
	if ((t->sig.blocked & SIG_BIT(sig)) || sa->sa_handler == SIG_IGN) {
		t->sig.blocked &= ~SIG_BIT(sig);
		sa->sa_handler = SIG_DFL;
	}
	signal_send_thread(t, sig, &info);
}
