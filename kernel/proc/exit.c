/*
 * Ending threads and processes: the last thread out releases the process's
 * resources, hands its children to init, and leaves a zombie for its parent
 * to reap with wait4.
 */
#include <abi/errno.h>
#include <abi/signal.h>
#include <frame/heap.h>
#include <frame/log.h>
#include <frame/panic.h>
#include <frame/task.h>
#include <frame/vm_space.h>
#include <kernel/futex.h>
#include <kernel/ktime.h>
#include <kernel/proc.h>
#include <kernel/signal.h>
#include "proc_internal.h"

#define INIT_PID 1

/* The nearest living ancestor that asked for orphans (PR_SET_CHILD_SUBREAPER), else init. */
static struct process *new_parent_for_orphans(struct process *p)
{
	for (struct process *a = p->parent; a; a = a->parent)
		if (a->child_subreaper && a->state != PROC_ZOMBIE && !a->exiting)
			return a;
	return process_find(INIT_PID);
}

/* Orphans go to a subreaper or init, which reap them (zombies among them are reported at once). */
static void reparent_children(struct process *p)
{
	struct process *init = new_parent_for_orphans(p);
	while (p->children) {
		struct process *c = p->children;
		process_remove_child(c);
		if (init && init != p) {
			process_add_child(init, c);
			if (c->state == PROC_ZOMBIE) {
				init->child_events++;
				wait_wake_all(&init->child_wait);
			}
		} else {
			c->parent = NULL;
		}
	}
}

/* A child changed state: tell its parent (SIGCHLD unless told not to, and a wake-up). */
static void notify_parent(struct process *p, int code, int status)
{
	struct process *parent = p->parent;
	if (!parent)
		return;
	struct ksiginfo info = {
		.signo = p->exit_signal, .code = code, .pid = p->pid,
		.uid = p->cred.uid, .status = status,
	};
	if (p->exit_signal)
		signal_send_process(parent, p->exit_signal, &info);
	parent->child_events++;
	wait_wake_all(&parent->child_wait);
}

/* SIGCHLD ignored or SA_NOCLDWAIT: children are reaped without a wait. */
static bool parent_autoreaps(struct process *parent)
{
	if (!parent->sighand)
		return false;
	const struct kernel_sigaction *sa = &parent->sighand->action[SIGCHLD - 1];
	return sa->sa_handler == SIG_IGN || (sa->sa_flags & SA_NOCLDWAIT);
}

static void process_exit_last_thread(struct process *p)
{
	proc_extra_exit(p);
	process_release_resources(p);
	if (p->pid == INIT_PID) {
		int st = p->exit_status;
		if ((st & 0x7f) == 0)
			panic("Attempted to kill init! exit code %d", (st >> 8) & 0xff);
		panic("Attempted to kill init! killed by signal %d", st & 0x7f);
	}
	proc_tree_lock();
	reparent_children(p);
	p->state = PROC_ZOMBIE;
	proc_vfork_release(p);
	int st = p->exit_status;
	int code = (st & 0x7f) == 0 ? CLD_EXITED : (st & 0x80) ? CLD_DUMPED : CLD_KILLED;
	int status = code == CLD_EXITED ? (st >> 8) & 0xff : st & 0x7f;
	if (p->parent && parent_autoreaps(p->parent)) {
		struct process *parent = p->parent;
		process_remove_child(p);
		pid_table_set(p->pid, NULL);
		/* A wait4 in progress must see the child gone (ECHILD). */
		parent->child_events++;
		wait_wake_all(&parent->child_wait);
		proc_tree_unlock();
		process_free(p);
		return;
	}
	notify_parent(p, code, status);
	proc_tree_unlock();
}

void proc_vfork_release(struct process *child)
{
	struct thread *waiter = child->vfork_waiter;
	if (!waiter)
		return;
	child->vfork_waiter = NULL;
	waiter->vfork_done = true;
	wait_wake_all(&waiter->proc->vfork_wait);
}

_Noreturn void proc_exit_thread(int code)
{
	struct thread *t = thread_current();
	struct process *p = t->proc;

	if (t->clear_child_tid)
		futex_wake_cleartid(t->clear_child_tid);
	/* Leave the user address space before it can be freed under us. */
	task_set_vm_space(t->task, NULL);
	vm_space_activate(vm_space_kernel());

	proc_tree_lock();
	process_unlink_thread(p, t);
	tid_table_set(t->tid, NULL);
	p->utime_ticks += task_cpu_ticks(t->task);
	bool last = p->nthreads == 0;
	if (last && !p->exiting)
		p->exit_status = W_EXITCODE(code);
	proc_tree_unlock();

	task_set_data(t->task, NULL);
	kfree(t);
	if (last)
		process_exit_last_thread(p);
	task_exit(0);
}

/* Make every thread of @p leave at its next return to the loop, with wait status @status. */
void proc_kill_group_locked(struct process *p, int status)
{
	if (!p->exiting) {
		p->exiting = true;
		p->exit_status = status;
	}
	for (struct thread *t = p->threads; t; t = t->next)
		if (t->task)
			task_wake(t->task);
}

void proc_kill_group(struct process *p, int status)
{
	proc_tree_lock();
	proc_kill_group_locked(p, status);
	proc_tree_unlock();
}

_Noreturn void proc_exit_group(int status)
{
	proc_kill_group(process_current(), status);
	proc_exit_thread(0);
}
