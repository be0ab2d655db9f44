/*
 * What the terminal layer needs from processes: the caller's job-control
 * identity, controlling terminals, process-group lookups and signals.
 */
#include <abi/errno.h>
#include <kernel/proc.h>
#include <kernel/signal.h>
#include <kernel/tty.h>
#include "proc_internal.h"

static int32_t cur_pid(void) { return process_current()->pid; }
static int32_t cur_pgid(void) { return process_current()->pgid; }
static int32_t cur_sid(void) { return process_current()->sid; }
static struct tty *cur_ctty(void) { return process_current()->ctty; }

static void set_cur_ctty(struct tty *tty)
{
	process_current()->ctty = tty;
}

static void session_clear(int32_t sid)
{
	proc_tree_lock();
	for (struct process *p = process_first(); p; p = process_next(p))
		if (p->sid == sid)
			p->ctty = NULL;
	proc_tree_unlock();
}

static int32_t pgrp_session(int32_t pgid)
{
	int32_t sid = -ESRCH;
	proc_tree_lock();
	for (struct process *p = process_first(); p; p = process_next(p))
		if (p->pgid == pgid && p->state != PROC_ZOMBIE)
			sid = p->sid;
	proc_tree_unlock();
	return sid;
}

/* Orphaned: no member has a parent in a different group of the same session. */
static bool pgrp_orphaned(int32_t pgid)
{
	bool orphaned = true;
	proc_tree_lock();
	for (struct process *p = process_first(); p; p = process_next(p)) {
		if (p->pgid != pgid || p->state == PROC_ZOMBIE || !p->parent)
			continue;
		if (p->parent->pgid != pgid && p->parent->sid == p->sid)
			orphaned = false;
	}
	proc_tree_unlock();
	return orphaned;
}

static bool cur_ignores(int sig)
{
	struct thread *t = thread_current();
	return (t->sig.blocked & SIG_BIT(sig)) ||
	       t->proc->sighand->action[sig - 1].sa_handler == SIG_IGN;
}

/*
 * Called from the console's interrupt handler: no sleeping lock. On one CPU
 * the interrupted task can't be changing the table under us mid-entry, and
 * a process leaves the table before it is freed.
 */
static void signal_pgrp(int32_t pgid, int sig)
{
	struct ksiginfo info = { .signo = sig, .code = SI_KERNEL };
	for (struct process *p = process_first(); p; p = process_next(p))
		if (p->pgid == pgid && p->state != PROC_ZOMBIE)
			signal_send_process(p, sig, &info);
}

static bool sig_pending(void)
{
	return signal_pending(thread_current());
}

static bool cur_admin(void)
{
	return process_current()->cred.euid == 0;
}

static const struct tty_session_ops proc_tty_ops = {
	.current_pid = cur_pid,
	.current_pgid = cur_pgid,
	.current_sid = cur_sid,
	.current_ctty = cur_ctty,
	.set_current_ctty = set_cur_ctty,
	.session_clear_ctty = session_clear,
	.pgrp_session = pgrp_session,
	.pgrp_orphaned = pgrp_orphaned,
	.current_ignores = cur_ignores,
	.signal_pgrp = signal_pgrp,
	.signal_pending = sig_pending,
	.current_capable_admin = cur_admin,
};

void proc_tty_init(void)
{
	tty_set_session_ops(&proc_tty_ops);
}
