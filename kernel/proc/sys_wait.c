/* wait4 and waitid: find a child whose state changed, report it, and reap zombies. */
#include <abi/errno.h>
#include <abi/resource.h>
#include <abi/wait.h>
#include <frame/string.h>
#include <frame/vm_io.h>
#include <kernel/kwait.h>
#include <kernel/proc.h>
#include <kernel/syscalls.h>
#include "proc_internal.h"

#define WAIT_ANY_OPTIONS (WNOHANG | WUNTRACED | WCONTINUED | WEXITED | WNOWAIT | __WALL | __WCLONE | __WNOTHREAD)

struct wait_query {
	int idtype;	/* P_ALL, P_PID, P_PGID */
	int id;
	int options;
};

struct wait_result {
	int pid;
	int status;	/* wait4 status word */
	int code;	/* CLD_* for waitid */
	int value;	/* exit code or signal, for waitid */
	uint32_t uid;
	uint64_t utime, stime;
};

static bool matches(const struct wait_query *q, const struct process *c)
{
	switch (q->idtype) {
	case P_PID: return c->pid == q->id;
	case P_PGID: return c->pgid == q->id;
	default: return true;
	}
}

/* Under the tree lock: 0 with *res filled, -EAGAIN if nothing yet, -ECHILD if no such child. */
static int scan_children(struct process *self, const struct wait_query *q,
			 struct wait_result *res, struct process **reap)
{
	bool any = false;
	*reap = NULL;
	for (struct process *c = self->children; c; c = c->sibling) {
		if (!matches(q, c))
			continue;
		any = true;
		res->pid = c->pid;
		res->uid = c->cred.uid;
		res->utime = c->utime_ticks;
		res->stime = c->stime_ticks;
		if (c->state == PROC_ZOMBIE && (q->options & WEXITED)) {
			int st = c->exit_status;
			res->status = st;
			if ((st & 0x7f) == 0) {
				res->code = CLD_EXITED;
				res->value = (st >> 8) & 0xff;
			} else {
				res->code = st & 0x80 ? CLD_DUMPED : CLD_KILLED;
				res->value = st & 0x7f;
			}
			if (!(q->options & WNOWAIT))
				*reap = c;
			return 0;
		}
		if (c->stop_report && (q->options & WUNTRACED)) {
			res->status = W_STOPCODE(c->stop_report);
			res->code = CLD_STOPPED;
			res->value = c->stop_report;
			if (!(q->options & WNOWAIT))
				c->stop_report = 0;
			return 0;
		}
		if (c->continued_report && (q->options & WCONTINUED)) {
			res->status = W_CONTINUED;
			res->code = CLD_CONTINUED;
			res->value = SIGCONT;
			if (!(q->options & WNOWAIT))
				c->continued_report = false;
			return 0;
		}
	}
	return any ? -EAGAIN : -ECHILD;
}

static void reap(struct process *self, struct process *c)
{
	self->child_utime_ticks += c->utime_ticks + c->child_utime_ticks;
	self->child_stime_ticks += c->stime_ticks + c->child_stime_ticks;
	process_remove_child(c);
	pid_table_set(c->pid, NULL);
	process_free(c);
}

static int do_wait(const struct wait_query *q, struct wait_result *res)
{
	struct process *self = process_current();
	int err;
	for (;;) {
		struct process *c;
		proc_tree_lock();
		err = scan_children(self, q, res, &c);
		if (!err && c)
			reap(self, c);
		proc_tree_unlock();
		if (err != -EAGAIN)
			return err;
		if (q->options & WNOHANG)
			return -EAGAIN;
		/* Sleep until some child changes; then look again. */
		uint64_t seq = self->child_events;
		err = wait_event_interruptible(&self->child_wait, self->child_events != seq);
		if (err)
			return err;
	}
}

static void fill_rusage(struct rusage *ru, uint64_t utime_ticks, uint64_t stime_ticks)
{
	memset(ru, 0, sizeof(*ru));
	uint64_t us = utime_ticks * 4000, ss = stime_ticks * 4000;	/* 250 Hz ticks */
	ru->ru_utime.tv_sec = (int64_t)(us / 1000000);
	ru->ru_utime.tv_usec = (int64_t)(us % 1000000);
	ru->ru_stime.tv_sec = (int64_t)(ss / 1000000);
	ru->ru_stime.tv_usec = (int64_t)(ss % 1000000);
}

int64_t sys_wait4(int pid, int __user *status, int options, struct rusage __user *uru)
{
	struct wait_query q = { P_ALL, 0, (options & ~WEXITED) | WEXITED };
	struct wait_result res = { 0 };

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WALL | __WCLONE | __WNOTHREAD))
		return -EINVAL;
	if (pid == -2147483647 - 1)
		return -ESRCH;	/* its negation overflows, as Linux checks */
	if (pid > 0) {
		q.idtype = P_PID;
		q.id = pid;
	} else if (pid == 0) {
		q.idtype = P_PGID;
		q.id = process_current()->pgid;
	} else if (pid < -1) {
		q.idtype = P_PGID;
		q.id = -pid;
	}
	int err = do_wait(&q, &res);
	if (err == -EAGAIN)
		return 0;	/* WNOHANG and nothing to report */
	if (err)
		return err;
	if (status && put_user_u32((uint32_t)res.status, status))
		return -EFAULT;
	if (uru) {
		struct rusage ru;
		fill_rusage(&ru, res.utime, res.stime);
		if (copy_to_user(uru, &ru, sizeof(ru)))
			return -EFAULT;
	}
	return res.pid;
}

/* siginfo_t as waitid fills it: the fields for SIGCHLD at Linux's offsets. */
struct waitid_info {
	int32_t si_signo, si_errno, si_code, pad;
	int32_t si_pid;
	uint32_t si_uid;
	int32_t si_status;
	int32_t rest[25];
};

int64_t sys_waitid(int idtype, int id, struct siginfo __user *uinfo, int options,
		   struct rusage __user *uru)
{
	struct wait_query q = { idtype, id, options };
	struct wait_result res = { 0 };

	if ((options & ~WAIT_ANY_OPTIONS) || !(options & (WEXITED | WSTOPPED | WCONTINUED)))
		return -EINVAL;
	switch (idtype) {
	case P_ALL:
		break;
	case P_PID:
	case P_PGID:
		if (id <= 0 && !(idtype == P_PGID && id == 0))
			return -EINVAL;
		if (idtype == P_PGID && id == 0)
			q.id = process_current()->pgid;
		break;
	default:
		return -EINVAL;
	}
	int err = do_wait(&q, &res);
	struct waitid_info info = { 0 };
	if (err && err != -EAGAIN)
		return err;
	if (!err) {
		info.si_signo = SIGCHLD;
		info.si_code = res.code;
		info.si_pid = res.pid;
		info.si_uid = res.uid;
		info.si_status = res.value;
	}
	if (uinfo && copy_to_user(uinfo, &info, sizeof(info)))
		return -EFAULT;
	if (uru) {
		struct rusage ru;
		fill_rusage(&ru, res.utime, res.stime);
		if (copy_to_user(uru, &ru, sizeof(ru)))
			return -EFAULT;
	}
	return 0;
}
