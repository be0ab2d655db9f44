/*
 * The signal system calls of the calling thread: dispositions, masks,
 * pending sets, waiting for signals, the alternate stack, and returning
 * from a handler.
 */
#include <abi/errno.h>
#include <abi/time.h>
#include <frame/clock.h>
#include <frame/user.h>
#include <frame/vm_io.h>
#include <kernel/kwait.h>
#include <kernel/proc.h>
#include <kernel/signal.h>
#include <kernel/syscalls.h>
#include "signal_internal.h"

/* The flags rt_sigaction keeps; others are cleared so programs can probe for support (Linux 5.11). */
#define SA_KNOWN (SA_NOCLDSTOP | SA_NOCLDWAIT | SA_SIGINFO | SA_EXPOSE_TAGBITS | SA_RESTORER | \
		  SA_ONSTACK | SA_RESTART | SA_NODEFER | SA_RESETHAND)

static bool valid_signal(uint64_t sig)
{
	return sig >= 1 && sig <= KERNEL_NSIG;
}

int64_t sys_rt_sigaction(uint64_t sig, const struct kernel_sigaction __user *act, struct kernel_sigaction __user *oact, size_t sigsetsize)
{
	if (sigsetsize != sizeof(kernel_sigset_t))
		return -EINVAL;
	struct kernel_sigaction new_sa, old_sa;
	if (act && copy_from_user(&new_sa, act, sizeof(new_sa)))
		return -EFAULT;
	if (!valid_signal(sig) || (act && (sig == SIGKILL || sig == SIGSTOP)))
		return -EINVAL;
	struct process *p = process_current();
	unsigned long flags = signal_lock();
	old_sa = p->sighand->action[sig - 1];
	if (act) {
		new_sa.sa_flags &= SA_KNOWN;
		new_sa.sa_mask &= ~SIGNAL_UNBLOCKABLE;
		p->sighand->action[sig - 1] = new_sa;
		/* POSIX: setting a pending signal to be ignored discards it. */
		if (signal_ignored_locked(p, (int)sig))
			signal_flush_locked(p, (int)sig);
	}
	signal_unlock(flags);
	if (oact && copy_to_user(oact, &old_sa, sizeof(old_sa)))
		return -EFAULT;
	return 0;
}

int64_t sys_rt_sigprocmask(uint64_t how, const kernel_sigset_t __user *set, kernel_sigset_t __user *oset, size_t sigsetsize)
{
	if (sigsetsize != sizeof(kernel_sigset_t))
		return -EINVAL;
	struct thread *t = thread_current();
	kernel_sigset_t old = t->sig.blocked;
	if (set) {
		kernel_sigset_t s;
		if (copy_from_user(&s, set, sizeof(s)))
			return -EFAULT;
		kernel_sigset_t mask;
		switch (how) {
		case SIG_BLOCK:
			mask = old | s;
			break;
		case SIG_UNBLOCK:
			mask = old & ~s;
			break;
		case SIG_SETMASK:
			mask = s;
			break;
		default:
			return -EINVAL;
		}
		signal_set_blocked(t, mask);
	}
	if (oset && copy_to_user(oset, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

int64_t sys_rt_sigpending(kernel_sigset_t __user *set, size_t sigsetsize)
{
	if (sigsetsize > sizeof(kernel_sigset_t))
		return -EINVAL;
	struct thread *t = thread_current();
	kernel_sigset_t pending = signal_pending_set(t) & t->sig.blocked;
	if (copy_to_user(set, &pending, sigsetsize))
		return -EFAULT;
	return 0;
}

/* Sleeps with nothing to wake it but a signal (task_wake from the sender). */
static struct wait_queue signal_sleep_wq;

int64_t sys_rt_sigsuspend(const kernel_sigset_t __user *set, size_t sigsetsize)
{
	if (sigsetsize != sizeof(kernel_sigset_t))
		return -EINVAL;
	kernel_sigset_t mask;
	if (copy_from_user(&mask, set, sizeof(mask)))
		return -EFAULT;
	struct thread *t = thread_current();
	/* The handler's frame saves the old mask; delivery puts it back if none runs. */
	t->sig.saved_mask = t->sig.blocked;
	t->sig.restore_mask = true;
	signal_set_blocked(t, mask);
	(void)wait_event_interruptible(&signal_sleep_wq, false);
	return -ERESTARTNOHAND;
}

int64_t sys_pause(void)
{
	(void)wait_event_interruptible(&signal_sleep_wq, false);
	return -ERESTARTNOHAND;
}

static bool awaited_pending(struct thread *t, kernel_sigset_t mask)
{
	return ((t->sig.pending | t->proc->shared_pending) & mask) != 0;
}

int64_t sys_rt_sigtimedwait(const kernel_sigset_t __user *set, struct siginfo __user *uinfo,
			    const struct timespec __user *timeout, size_t sigsetsize)
{
	if (sigsetsize != sizeof(kernel_sigset_t))
		return -EINVAL;
	kernel_sigset_t mask;
	if (copy_from_user(&mask, set, sizeof(mask)))
		return -EFAULT;
	mask &= ~SIGNAL_UNBLOCKABLE;
	uint64_t deadline = 0;
	bool poll = false;
	if (timeout) {
		struct timespec ts;
		if (copy_from_user(&ts, timeout, sizeof(ts)))
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (int64_t)NSEC_PER_SEC)
			return -EINVAL;
		poll = ts.tv_sec == 0 && ts.tv_nsec == 0;
		uint64_t secs = (uint64_t)ts.tv_sec;
		uint64_t ns = secs > UINT64_MAX / NSEC_PER_SEC ? UINT64_MAX
			: secs * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
		deadline = wait_deadline_after(ns);
	}
	struct thread *t = thread_current();
	struct ksiginfo info;
	int sig = signal_dequeue(t, mask, &info);
	if (!sig && !poll) {
		/* Unblock the awaited set while sleeping so senders wake this thread for it. */
		unsigned long flags = signal_lock();
		t->sig.real_blocked = t->sig.blocked;
		t->sig.blocked &= ~mask;
		signal_unlock(flags);
		int err = wait_event_interruptible_until(&signal_sleep_wq, awaited_pending(t, mask),
							 deadline);
		flags = signal_lock();
		t->sig.blocked = t->sig.real_blocked;
		t->sig.real_blocked = 0;
		sig = signal_dequeue_locked(t, mask, &info);
		signal_unlock(flags);
		if (!sig)
			return err == -ERESTARTSYS ? -EINTR : -EAGAIN;
	}
	if (!sig)
		return -EAGAIN;
	if (uinfo) {
		struct siginfo si;
		signal_encode_siginfo(&info, &si);
		if (copy_to_user(uinfo, &si, sizeof(si)))
			return -EFAULT;
	}
	return sig;
}

int64_t sys_sigaltstack(const struct sigaltstack __user *uss, struct sigaltstack __user *uoss)
{
	struct thread *t = thread_current();
	vaddr_t sp = user_context_sp(&t->ctx);
	struct sigaltstack ss, old = {
		.ss_sp = t->sig.altstack_sp,
		.ss_size = t->sig.altstack_size,
		.ss_flags = signal_altstack_flags(&t->sig, sp),
	};
	if (uss) {
		if (copy_from_user(&ss, uss, sizeof(ss)))
			return -EFAULT;
		int err = signal_set_altstack(&t->sig, &ss, sp);
		if (err)
			return err;
	}
	if (uoss && copy_to_user(uoss, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

int64_t sys_rt_sigreturn(void)
{
	struct thread *t = thread_current();
	if (signal_restore_frame(t)) {
		struct ksiginfo info = { .signo = SIGSEGV, .code = SI_KERNEL, .forced = true };
		signal_force(t, &info);
	}
	return SYSCALL_RET_KEEP_REGS;
}
