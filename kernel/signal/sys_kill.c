/*
 * Sending signals from user space: kill (to a process, a group, or
 * everyone), tkill/tgkill (to a thread), and rt_sigqueueinfo /
 * rt_tgsigqueueinfo (with caller-supplied information); Linux's
 * permission rules.
 */
#include <abi/errno.h>
#include <frame/vm_io.h>
#include <kernel/proc.h>
#include <kernel/signal.h>
#include <kernel/syscalls.h>
#include "signal_internal.h"

#define INIT_PID 1
#define PID_MIN_INT (-2147483647 - 1)

/* Linux's kill_ok_by_cred(), plus SIGCONT within a session and CAP_KILL for root. */
static bool may_signal(const struct process *self, const struct process *target, int sig)
{
	if (self == target)
		return true;
	const struct cred *c = &self->cred, *tc = &target->cred;
	if (c->euid == 0)
		return true;
	if (c->euid == tc->suid || c->euid == tc->uid || c->uid == tc->suid || c->uid == tc->uid)
		return true;
	return sig == SIGCONT && self->sid == target->sid;
}

static int check_send(const struct process *self, const struct process *target, int sig)
{
	if (sig < 0 || sig > KERNEL_NSIG)
		return -EINVAL;
	if (!may_signal(self, target, sig))
		return -EPERM;
	return 0;
}

/* Send to a whole process after the checks (sig 0: the checks only). Tree lock held. */
static int send_process(struct process *self, struct process *target, int sig,
			const struct ksiginfo *info)
{
	int err = check_send(self, target, sig);
	if (err || sig == 0)
		return err;
	return signal_send_process(target, sig, info);
}

static int kill_group(struct process *self, int pgid, int sig, const struct ksiginfo *info)
{
	bool found = false, success = false;
	int ret = -ESRCH;
	for (struct process *q = process_first(); q; q = process_next(q)) {
		if (q->pgid != pgid)
			continue;
		found = true;
		int err = send_process(self, q, sig, info);
		success |= err == 0;
		ret = err;
	}
	if (!found)
		return -ESRCH;
	return success ? 0 : ret;
}

static int kill_all(struct process *self, int sig, const struct ksiginfo *info)
{
	int count = 0, ret = 0;
	for (struct process *q = process_first(); q; q = process_next(q)) {
		if (q->pid <= INIT_PID || q == self)
			continue;
		int err = send_process(self, q, sig, info);
		count++;
		if (err != -EPERM)
			ret = err;
	}
	return count ? ret : -ESRCH;
}

/* kill(2)'s target rules for @pid, with @info already filled in. */
static int kill_something(int pid, int sig, const struct ksiginfo *info)
{
	struct process *self = process_current();
	if (pid == PID_MIN_INT)
		return -ESRCH;
	proc_tree_lock();
	int ret;
	if (pid > 0) {
		struct process *target = process_find(pid);
		ret = target ? send_process(self, target, sig, info) : -ESRCH;
	} else if (pid == -1) {
		ret = kill_all(self, sig, info);
	} else {
		ret = kill_group(self, pid == 0 ? self->pgid : -pid, sig, info);
	}
	proc_tree_unlock();
	return ret;
}

int64_t sys_kill(int pid, int sig)
{
	struct process *self = process_current();
	struct ksiginfo info = { .signo = sig, .code = SI_USER, .pid = self->pid,
				 .uid = self->cred.uid };
	return kill_something(pid, sig, &info);
}

/* Send to one thread, of process @tgid unless it is 0 (tkill). */
static int send_specific(int tgid, int tid, int sig, const struct ksiginfo *info)
{
	struct process *self = process_current();
	proc_tree_lock();
	struct thread *t = thread_find(tid);
	int err = -ESRCH;
	if (t && (tgid == 0 || t->proc->pid == tgid)) {
		err = check_send(self, t->proc, sig);
		if (!err && sig)
			err = signal_send_thread(t, sig, info);
	}
	proc_tree_unlock();
	return err;
}

static struct ksiginfo tkill_info(int sig)
{
	struct process *self = process_current();
	return (struct ksiginfo){ .signo = sig, .code = SI_TKILL, .pid = self->pid,
				  .uid = self->cred.uid };
}

int64_t sys_tkill(int tid, int sig)
{
	if (tid <= 0)
		return -EINVAL;
	struct ksiginfo info = tkill_info(sig);
	return send_specific(0, tid, sig, &info);
}

int64_t sys_tgkill(int tgid, int tid, int sig)
{
	if (tgid <= 0 || tid <= 0)
		return -EINVAL;
	struct ksiginfo info = tkill_info(sig);
	return send_specific(tgid, tid, sig, &info);
}

/*
 * Read the caller's siginfo for rt_(tg)sigqueueinfo. Only the sender itself
 * may claim kernel or kill()/tkill() origins (si_code >= 0 or SI_TKILL).
 */
static int queued_info(const struct siginfo __user *uinfo, int sig, int self_id, int target_id,
		       struct ksiginfo *info)
{
	struct siginfo si;
	if (copy_from_user(&si, uinfo, sizeof(si)))
		return -EFAULT;
	signal_decode_siginfo(&si, info);
	info->signo = sig;
	info->forced = false;
	if ((info->code >= 0 || info->code == SI_TKILL) && target_id != self_id)
		return -EPERM;
	return 0;
}

int64_t sys_rt_sigqueueinfo(int pid, int sig, const struct siginfo __user *uinfo)
{
	struct ksiginfo info;
	int err = queued_info(uinfo, sig, process_current()->pid, pid, &info);
	if (err)
		return err;
	/* POSIX.1b has no process groups here: a pid, or nobody. */
	if (pid <= 0)
		return -ESRCH;
	return kill_something(pid, sig, &info);
}

int64_t sys_rt_tgsigqueueinfo(int tgid, int tid, int sig, const struct siginfo __user *uinfo)
{
	if (tgid <= 0 || tid <= 0)
		return -EINVAL;
	struct ksiginfo info;
	int err = queued_info(uinfo, sig, thread_current()->tid, tid, &info);
	if (err)
		return err;
	return send_specific(tgid, tid, sig, &info);
}
