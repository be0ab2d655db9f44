/*
 * fork, vfork and clone: a new thread in this process (CLONE_THREAD) or a
 * new process sharing or copying each resource as the flags say. The child
 * starts where the parent made the call, with 0 as the call's result.
 */
#include <abi/errno.h>
#include <abi/resource.h>
#include <abi/sched.h>
#include <abi/signal.h>
#include <frame/heap.h>
#include <frame/string.h>
#include <frame/vm_io.h>
#include <kernel/fdtable.h>
#include <kernel/ktime.h>
#include <kernel/mm.h>
#include <kernel/proc.h>
#include <kernel/signal.h>
#include "proc_internal.h"

#define CLONE_SUPPORTED (CSIGNAL | CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | \
			 CLONE_VFORK | CLONE_PARENT | CLONE_THREAD | CLONE_SYSVSEM | \
			 CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | \
			 CLONE_DETACHED | CLONE_UNTRACED | CLONE_CHILD_SETTID)

/* The child's registers: the parent's at the call, returning 0, on its own stack if given. */
static void init_child_context(struct thread *child, const struct thread *parent,
			       uint64_t flags, vaddr_t newsp, vaddr_t tls)
{
	child->ctx = parent->ctx;
	user_context_set_return(&child->ctx, 0);
	if (newsp)
		user_context_set_sp(&child->ctx, newsp);
	if (flags & CLONE_SETTLS)
		user_context_set_tls(&child->ctx, tls);
	child->sig.blocked = parent->sig.blocked;
	child->sig.altstack_flags = SS_DISABLE;
	if (!(flags & CLONE_VM)) {
		/* A copied address space keeps the alternate stack; a shared one doesn't. */
		child->sig.altstack_sp = parent->sig.altstack_sp;
		child->sig.altstack_size = parent->sig.altstack_size;
		child->sig.altstack_flags = parent->sig.altstack_flags;
	}
}

/* Give @c the resources of @p that a new process gets, shared or copied per @flags. */
static int copy_process_resources(struct process *c, struct process *p, uint64_t flags)
{
	if (flags & CLONE_VM) {
		mm_get(p->mm);
		c->mm = p->mm;
	} else {
		int err = mm_fork(p->mm, &c->mm);
		if (err)
			return err;
	}
	if (flags & CLONE_FILES) {
		fdtable_get(p->fds);
		c->fds = p->fds;
	} else {
		c->fds = fdtable_copy(p->fds);
		if (!c->fds)
			return -ENOMEM;
	}
	if (flags & CLONE_SIGHAND) {
		sighand_get(p->sighand);
		c->sighand = p->sighand;
	} else {
		c->sighand = sighand_copy(p->sighand);
		if (!c->sighand)
			return -ENOMEM;
	}
	/* CLONE_FS sharing is approximated by a copy: chdir in one is not seen by the other. */
	c->fs.root = p->fs.root;
	c->fs.cwd = p->fs.cwd;
	path_get(&c->fs.root);
	path_get(&c->fs.cwd);
	c->fs.umask = p->fs.umask;
	c->cred = p->cred;
	memcpy(c->rlim, p->rlim, sizeof(c->rlim));
	c->oom_score_adj = p->oom_score_adj;
	c->oom_score_adj_min = p->oom_score_adj_min;
	memcpy(c->comm, p->comm, sizeof(c->comm));
	memcpy(c->exe, p->exe, sizeof(c->exe));
	c->exe_path = p->exe_path;
	if (c->exe_path.inode) {
		/* The child runs the same file: it cannot fail, the parent's deny is held. */
		path_get(&c->exe_path);
		inode_deny_write_access(c->exe_path.inode);
	}
	c->exe_done = false;
	c->arg_start = p->arg_start;
	c->arg_end = p->arg_end;
	c->env_start = p->env_start;
	c->env_end = p->env_end;
	c->ctty = p->ctty;
	return 0;
}

/* RLIMIT_NPROC: threads of the caller's real user, counted when the limit is finite (tree lock held). */
static bool over_nproc_limit(const struct process *p)
{
	uint64_t limit = p->rlim[RLIMIT_NPROC].rlim_cur;
	if (limit == RLIM_INFINITY || p->cred.euid == 0)
		return false;
	uint64_t n = 0;
	for (struct process *q = process_first(); q; q = process_next(q))
		if (q->cred.uid == p->cred.uid && q->state != PROC_ZOMBIE)
			n += q->nthreads;
	return n >= limit;
}

int64_t proc_clone(uint64_t flags, vaddr_t newsp, vaddr_t ptid, vaddr_t ctid, vaddr_t tls)
{
	struct thread *cur = thread_current();
	struct process *p = cur->proc;

	if (flags & ~(uint64_t)CLONE_SUPPORTED)
		return -EINVAL;
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return -EINVAL;
	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return -EINVAL;
	if ((flags & CSIGNAL) > KERNEL_NSIG)
		return -EINVAL;

	struct process *c = NULL;
	struct process *owner = p;
	if (!(flags & CLONE_THREAD)) {
		c = process_alloc();
		if (!c)
			return -ENOMEM;
		int err = copy_process_resources(c, p, flags);
		if (err) {
			process_free(c);
			return err;
		}
		c->exit_signal = (int)(flags & CSIGNAL);
		owner = c;
	}
	struct thread *t = thread_alloc(owner);
	if (!t) {
		if (c)
			process_free(c);
		return -ENOMEM;
	}
	init_child_context(t, cur, flags, newsp, tls);
	/* A forked copy keeps its rseq registration (the same address in its own memory); threads start without. */
	if (!(flags & CLONE_VM) && cur->rseq) {
		t->rseq = cur->rseq;
		t->rseq_len = cur->rseq_len;
		t->rseq_sig = cur->rseq_sig;
		t->rseq_resume = true;
	}
	if (flags & CLONE_CHILD_CLEARTID)
		t->clear_child_tid = ctid;

	proc_tree_lock();
	int id = over_nproc_limit(p) || proc_threads_at_limit() ? -EAGAIN : id_alloc();
	if (id < 0 || (p->exiting && (flags & CLONE_THREAD))) {
		proc_tree_unlock();
		kfree(t);
		if (c)
			process_free(c);
		return id < 0 ? id : -EAGAIN;
	}
	t->tid = id;
	tid_table_set(id, t);
	process_link_thread(owner, t);
	if (c) {
		c->pid = id;
		process_set_groups(c, p->pgid, p->sid);
		pid_table_set(id, c);
		struct process *parent = (flags & CLONE_PARENT) && p->parent ? p->parent : p;
		process_add_child(parent, c);
		if (flags & CLONE_VFORK) {
			cur->vfork_done = false;
			c->vfork_waiter = cur;
		}
	}
	proc_tree_unlock();

	/* The ids land in memory before either side runs on. */
	if (flags & CLONE_PARENT_SETTID)
		put_user_u32((uint32_t)id, user_ptr(ptid));
	if (flags & CLONE_CHILD_SETTID) {
		uint32_t v = (uint32_t)id;
		if (flags & CLONE_VM)
			put_user_u32(v, user_ptr(ctid));
		else
			proc_mem_write(owner->mm, ctid, &v, sizeof(v));
	}

	if (c)
		proc_extra_fork(p, c);
	int err = thread_start(t);
	if (err) {
		/* No task: undo the bookkeeping as an exit would. */
		proc_tree_lock();
		process_unlink_thread(owner, t);
		tid_table_set(id, NULL);
		if (c) {
			process_remove_child(c);
			pid_table_set(id, NULL);
		}
		proc_tree_unlock();
		kfree(t);
		if (c)
			process_free(c);
		return err;
	}
	if (c && (flags & CLONE_VFORK))
		wait_event(&p->vfork_wait, cur->vfork_done);
	return id;
}
