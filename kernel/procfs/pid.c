/*
 * Text of /proc/[pid]/... from the process records. Numbers are copied under
 * the tree lock; the address space, descriptors and directories are taken
 * by reference and read after it is dropped.
 */
#include <frame/clock.h>
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/log.h>
#include <frame/string.h>
#include <frame/task.h>
#include <kernel/fdtable.h>
#include <kernel/mm.h>
#include <kernel/proc.h>
#include <kernel/tty.h>

#include "procfs_internal.h"

/* cmdline/environ beyond this are cut (Linux reads until arg_end, however long). */
#define ARGS_MAX (128 * 1024)

struct snap {
	struct proc_info info;
	char exe[256];
	struct mm *mm;		/* referenced, or NULL */
	struct fdtable *fds;	/* referenced, or NULL */
	struct path cwd, root;	/* referenced, or empty */
	struct path exe_path;	/* referenced, or empty */
};

enum { SNAP_MM = 1, SNAP_FDS = 2, SNAP_FS = 4 };

static uint64_t to_user_hz(uint64_t ticks)
{
	return ticks * USER_HZ / CLOCK_TICK_HZ;
}

static char state_of(const struct process *p)
{
	if (p->state == PROC_ZOMBIE)
		return 'Z';
	if (p->stopped)
		return 'T';
	return p == process_current() ? 'R' : 'S';
}

/* Under the tree lock. */
static void fill_info(struct process *p, struct proc_info *i)
{
	memset(i, 0, sizeof(*i));
	i->pid = p->pid;
	i->ppid = p->parent ? p->parent->pid : 0;
	i->pgid = p->pgid;
	i->sid = p->sid;
	i->state = state_of(p);
	strlcpy(i->comm, p->comm, sizeof(i->comm));
	i->nthreads = p->nthreads ? p->nthreads : 1;
	const struct cred *c = &p->cred;
	i->uid = c->uid, i->euid = c->euid, i->suid = c->suid, i->fsuid = c->fsuid;
	i->gid = c->gid, i->egid = c->egid, i->sgid = c->sgid, i->fsgid = c->fsgid;
	i->ngroups = MIN(c->ngroups, (uint32_t)ARRAY_SIZE(i->groups));
	memcpy(i->groups, c->groups, i->ngroups * sizeof(i->groups[0]));
	uint64_t ut = p->utime_ticks;
	for (struct thread *t = p->threads; t; t = t->next) {
		if (t->task)
			ut += task_cpu_ticks(t->task);
		i->sig_blocked |= t->sig.blocked;
		i->sig_pending |= t->sig.pending;
	}
	i->utime = to_user_hz(ut);
	i->stime = to_user_hz(p->stime_ticks);
	i->cutime = to_user_hz(p->child_utime_ticks);
	i->cstime = to_user_hz(p->child_stime_ticks);
	i->start_ticks = p->start_ns / (NSEC_PER_SEC / USER_HZ);
	i->sig_pending |= p->shared_pending;
	if (p->sighand) {
		for (int s = 0; s < KERNEL_NSIG; s++) {
			uint64_t h = p->sighand->action[s].sa_handler;
			if (h == SIG_IGN)
				i->sig_ignored |= 1ull << s;
			else if (h != SIG_DFL)
				i->sig_caught |= 1ull << s;
		}
	}
	i->tty_nr = p->ctty ? (int)dev_encode(4, 64) : 0;
	i->tpgid = p->ctty ? p->ctty->pgrp : -1;
	i->arg_start = p->arg_start, i->arg_end = p->arg_end;
	i->env_start = p->env_start, i->env_end = p->env_end;
	i->exit_code = p->state == PROC_ZOMBIE ? p->exit_status : 0;
	i->umask = p->fs.umask;
}

static int snap_take(int pid, unsigned what, struct snap *s)
{
	memset(s, 0, sizeof(*s));
	proc_tree_lock();
	struct process *p = process_find(pid);
	if (!p) {
		proc_tree_unlock();
		return -ESRCH;
	}
	fill_info(p, &s->info);
	strlcpy(s->exe, p->exe, sizeof(s->exe));
	if ((what & SNAP_MM) && p->mm) {
		mm_get(p->mm);
		s->mm = p->mm;
	}
	if ((what & SNAP_FDS) && p->fds) {
		fdtable_get(p->fds);
		s->fds = p->fds;
	}
	if ((what & SNAP_FS) && p->exe_path.inode) {
		s->exe_path = p->exe_path;
		path_get(&s->exe_path);
	}
	if ((what & SNAP_FS) && p->fs.cwd.inode && p->fs.root.inode) {
		s->cwd = p->fs.cwd;
		s->root = p->fs.root;
		path_get(&s->cwd);
		path_get(&s->root);
	}
	proc_tree_unlock();
	return 0;
}

static void snap_put(struct snap *s)
{
	if (s->mm)
		mm_put(s->mm);
	if (s->fds)
		fdtable_put(s->fds);
	path_put(&s->cwd);
	path_put(&s->root);
	path_put(&s->exe_path);
}

static void gen_mem_range(struct sbuf *b, struct mm *mm, vaddr_t start, vaddr_t end)
{
	if (!mm || end <= start)
		return;
	size_t len = (size_t)MIN((uint64_t)(end - start), (uint64_t)ARGS_MAX);
	char *p = sbuf_reserve(b, len);
	if (p && proc_mem_read(mm, start, p, len) == 0)
		b->len += len;
}

static void gen_maps(struct sbuf *b, struct mm *mm)
{
	if (!mm)
		return;
	size_t want = mm_format_maps(mm, NULL, 0);
	/* The map may grow between the two calls: retry with the new size. */
	for (int tries = 0; tries < 4; tries++) {
		char *p = sbuf_reserve(b, want + 1);
		if (!p)
			return;
		size_t got = mm_format_maps(mm, p, want + 1);
		if (got <= want) {
			b->len += got;
			return;
		}
		want = got;
	}
}

int procfs_gen_pid(enum pkind kind, int pid, struct sbuf *b)
{
	struct snap s;
	unsigned what = 0;
	if (kind == K_PID_STAT || kind == K_PID_STATUS || kind == K_PID_STATM ||
	    kind == K_PID_CMDLINE || kind == K_PID_ENVIRON || kind == K_PID_MAPS)
		what |= SNAP_MM;
	if (kind == K_PID_MOUNTS || kind == K_PID_MOUNTINFO)
		what |= SNAP_FS;
	int err = snap_take(pid, what, &s);
	if (err)
		return err;
	if (s.mm) {
		uint64_t tables;
		mm_usage(s.mm, &s.info.rss_pages, &tables);
		s.info.vsize = mm_total_bytes(s.mm);
		s.info.data_bytes = mm_data_bytes(s.mm);
		s.info.start_stack = mm_stack_top(s.mm);
	}
	switch (kind) {
	case K_PID_STAT: format_pid_stat(b, &s.info); break;
	case K_PID_STATUS: format_pid_status(b, &s.info); break;
	case K_PID_STATM: format_pid_statm(b, &s.info); break;
	case K_PID_COMM: sbuf_printf(b, "%s\n", s.info.comm); break;
	case K_PID_CMDLINE: gen_mem_range(b, s.mm, s.info.arg_start, s.info.arg_end); break;
	case K_PID_ENVIRON: gen_mem_range(b, s.mm, s.info.env_start, s.info.env_end); break;
	case K_PID_MAPS: gen_maps(b, s.mm); break;
	case K_PID_MOUNTS: mounts_format(b, &s.root); break;
	case K_PID_OOM_SCORE:
	case K_PID_OOM_SCORE_ADJ: {
		unsigned score;
		int adj;
		err = proc_oom_score(pid, &score, &adj);
		if (!err && kind == K_PID_OOM_SCORE)
			sbuf_printf(b, "%u\n", score);
		else if (!err)
			sbuf_printf(b, "%d\n", adj);
		break;
	}
	case K_PID_MOUNTINFO: mountinfo_format(b, &s.root); break;
	default: err = -EINVAL; break;
	}
	snap_put(&s);
	return err;
}

/* The reader's root, which names are relative to (Linux's d_path), else the target's. */
static void reader_root(const struct snap *target, struct path *out)
{
	struct process *self = process_current();
	*out = self && self->fs.root.inode ? self->fs.root : target->root;
}

static int name_path(const struct snap *s, const struct path *p, char **out)
{
	char *buf = kmalloc(PATH_MAX);
	if (!buf)
		return -ENOMEM;
	struct path root;
	reader_root(s, &root);
	int n = root.inode ? procfs_path_name_locked(&root, p, buf, PATH_MAX) : -ENOENT;
	if (n < 0 && S_ISFIFO(p->inode->mode))
		n = snprintf(buf, PATH_MAX, "pipe:[%llu]", (unsigned long long)p->inode->ino);
	else if (n < 0 && S_ISSOCK(p->inode->mode))
		n = snprintf(buf, PATH_MAX, "socket:[%llu]", (unsigned long long)p->inode->ino);
	if (n < 0) {
		kfree(buf);
		return n;
	}
	*out = buf;
	return 0;
}

int procfs_pid_link(enum pkind kind, int pid, int fd, char **out)
{
	struct snap s;
	int err = snap_take(pid, kind == K_PID_FD_LINK ? SNAP_FDS | SNAP_FS : SNAP_FS, &s);
	if (err)
		return -ENOENT;
	err = -ENOENT;
	if (kind == K_PID_EXE && s.exe_path.inode && s.root.inode) {
		/* The file run, symlinks resolved (busybox sh: /bin/busybox), as Linux's exe_file. */
		err = name_path(&s, &s.exe_path, out);
	} else if (kind == K_PID_EXE) {
		size_t n = strlen(s.exe);
		char *t = n ? kmalloc(n + 1) : NULL;
		if (t) {
			memcpy(t, s.exe, n + 1);
			*out = t;
			err = 0;
		}
	} else if (kind == K_PID_CWD && s.cwd.inode) {
		err = name_path(&s, &s.cwd, out);
	} else if (kind == K_PID_ROOT && s.root.inode) {
		err = name_path(&s, &s.root, out);
	} else if (kind == K_PID_FD_LINK && s.fds) {
		struct file *f = fd_get(s.fds, fd);
		if (f) {
			err = name_path(&s, &f->path, out);
			file_put(f);
		}
	}
	snap_put(&s);
	return err;
}

bool procfs_pid_alive(int pid, uint32_t *uid, uint32_t *gid)
{
	proc_tree_lock();
	struct process *p = process_find(pid);
	if (p) {
		*uid = p->cred.euid;
		*gid = p->cred.egid;
	}
	proc_tree_unlock();
	return p != NULL;
}

bool procfs_pid_has_fd(int pid, int fd)
{
	struct snap s;
	if (snap_take(pid, SNAP_FDS, &s))
		return false;
	struct file *f = s.fds ? fd_get(s.fds, fd) : NULL;
	if (f)
		file_put(f);
	snap_put(&s);
	return f != NULL;
}

size_t procfs_list_pids(int after, int *out, size_t max)
{
	size_t n = 0;
	proc_tree_lock();
	/* Keep the @max smallest pids above @after, whatever order the table walks in. */
	for (struct process *p = process_first(); p; p = process_next(p)) {
		if (p->pid <= after)
			continue;
		size_t i = n;
		if (n == max) {
			if (p->pid >= out[max - 1])
				continue;
			i = max - 1;
		} else {
			n++;
		}
		while (i > 0 && out[i - 1] > p->pid) {
			out[i] = out[i - 1];
			i--;
		}
		out[i] = p->pid;
	}
	proc_tree_unlock();
	return n;
}

size_t procfs_list_fds(int pid, int from, int *out, size_t max)
{
	struct snap s;
	if (snap_take(pid, SNAP_FDS, &s))
		return 0;
	size_t n = 0;
	if (s.fds) {
		mutex_lock(&s.fds->lock);
		for (uint32_t fd = (uint32_t)from; fd < s.fds->size && n < max; fd++)
			if (s.fds->files[fd])
				out[n++] = (int)fd;
		mutex_unlock(&s.fds->lock);
	}
	snap_put(&s);
	return n;
}

bool procfs_may_trace(int pid)
{
	struct process *self = process_current();
	if (!self || self->pid == pid || self->cred.euid == 0)
		return true;
	proc_tree_lock();
	struct process *p = process_find(pid);
	bool ok = false;
	if (p) {
		/* Linux's __ptrace_may_access with the caller's file-system ids (PTRACE_MODE_FSCREDS). */
		const struct cred *c = &self->cred, *t = &p->cred;
		ok = c->fsuid == t->uid && c->fsuid == t->euid && c->fsuid == t->suid &&
		     c->fsgid == t->gid && c->fsgid == t->egid && c->fsgid == t->sgid;
	}
	proc_tree_unlock();
	return ok;
}

int procfs_self_pid(void)
{
	struct process *p = process_current();
	return p ? p->pid : 0;
}
