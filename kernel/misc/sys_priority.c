/*
 * getpriority/setpriority: nice values per process (Linux keeps them per
 * thread; a process's threads share one here), mapped onto the frame's task
 * priorities so a nicer process gets shorter time slices.
 */
#include <abi/errno.h>
#include <abi/resource.h>
#include <frame/task.h>
#include <kernel/ktime.h>
#include <kernel/proc.h>
#include <kernel/syscalls.h>

#define NICE_MIN (-20)
#define NICE_MAX 19

static int nice_to_prio(int nice)
{
	return (NICE_MAX - nice) * (TASK_PRIO_MAX + 1) / (NICE_MAX - NICE_MIN + 1);
}

static bool matches(struct process *p, int which, int who)
{
	struct process *me = process_current();
	if (p->state == PROC_ZOMBIE)
		return false;
	switch (which) {
	case PRIO_PROCESS:
		return p->pid == (who ? who : me->pid);
	case PRIO_PGRP:
		return p->pgid == (who ? who : me->pgid);
	default:
		return p->cred.uid == (who ? (uint32_t)who : me->cred.euid);
	}
}

int64_t sys_getpriority(int which, int who)
{
	if (which < PRIO_PROCESS || which > PRIO_USER)
		return -EINVAL;
	int best = -ESRCH;
	proc_tree_lock();
	for (struct process *p = process_first(); p; p = process_next(p)) {
		if (!matches(p, which, who))
			continue;
		int v = 20 - proc_misc_peek(p).nice;	/* the raw call returns 20 - nice, 1..40 */
		if (v > best)
			best = v;
	}
	proc_tree_unlock();
	return best;
}

/* Linux's set_one_prio(): ownership (EPERM), then lowering nice needs RLIMIT_NICE or root (EACCES). */
static int set_one(struct process *p, int nice)
{
	struct process *me = process_current();
	const struct cred *c = &me->cred;
	if (c->euid != 0 && p->cred.uid != c->euid && p->cred.euid != c->euid)
		return -EPERM;
	struct proc_misc cur = proc_misc_peek(p);
	uint64_t rlim = me->rlim[RLIMIT_NICE].rlim_cur;
	if (nice < cur.nice && c->euid != 0 && (uint64_t)(20 - nice) > rlim)
		return -EACCES;
	struct proc_misc *m = proc_misc_get(p);
	if (!m)
		return -ENOMEM;
	m->nice = nice;
	for (struct thread *t = p->threads; t; t = t->next)
		if (t->task)
			task_set_priority(t->task, nice_to_prio(nice));
	return 0;
}

int64_t sys_setpriority(int which, int who, int nice)
{
	if (which < PRIO_PROCESS || which > PRIO_USER)
		return -EINVAL;
	if (nice < NICE_MIN)
		nice = NICE_MIN;
	if (nice > NICE_MAX)
		nice = NICE_MAX;
	int err = -ESRCH;
	proc_tree_lock();
	for (struct process *p = process_first(); p; p = process_next(p))
		if (matches(p, which, who))
			err = set_one(p, nice);
	proc_tree_unlock();
	return err;
}
