/* Process groups and sessions: setpgid, getpgid, getpgrp, setsid, getsid. */
#include <abi/errno.h>
#include <kernel/proc.h>
#include <kernel/syscalls.h>
#include "proc_internal.h"

int64_t sys_setpgid(int pid, int pgid)
{
	struct process *self = process_current();
	if (pgid < 0)
		return -EINVAL;
	proc_tree_lock();
	struct process *p = pid ? process_find(pid) : self;
	int err = 0;
	if (!p || p->state == PROC_ZOMBIE || (p != self && p->parent != self))
		err = -ESRCH;
	else if (p->pid == p->sid)
		err = -EPERM;	/* a session leader stays where it is */
	else if (p->sid != self->sid)
		err = -EPERM;
	else if (p != self && p->exe_done)
		err = -EACCES;	/* a child that has exec'd can't be moved by its parent */
	if (!err) {
		if (pgid == 0)
			pgid = p->pid;
		if (pgid != p->pid) {
			/* The group must exist in the caller's session. */
			bool found = false;
			for (struct process *q = process_first(); q; q = process_next(q))
				if (q->pgid == pgid && q->sid == self->sid && q->state != PROC_ZOMBIE)
					found = true;
			if (!found)
				err = -EPERM;
		}
	}
	if (!err)
		process_set_groups(p, pgid, p->sid);
	proc_tree_unlock();
	return err;
}

int64_t sys_getpgid(int pid)
{
	proc_tree_lock();
	struct process *p = pid ? process_find(pid) : process_current();
	int r = p ? p->pgid : -ESRCH;
	proc_tree_unlock();
	return r;
}

int64_t sys_getpgrp(void)
{
	return process_current()->pgid;
}

int64_t sys_getsid(int pid)
{
	proc_tree_lock();
	struct process *p = pid ? process_find(pid) : process_current();
	int r = p ? p->sid : -ESRCH;
	proc_tree_unlock();
	return r;
}

int64_t sys_setsid(void)
{
	struct process *p = process_current();
	int err = 0;
	proc_tree_lock();
	/* A group leader, or anyone whose pid names a group, can't start a session. */
	for (struct process *q = process_first(); q; q = process_next(q))
		if (q->pgid == p->pid)
			err = -EPERM;
	if (!err) {
		process_set_groups(p, p->pid, p->pid);
		p->ctty = NULL;
	}
	proc_tree_unlock();
	return err ? err : p->pid;
}
