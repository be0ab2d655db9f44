/* Process 1: built from nothing, with the root file system and the console, then exec'd into /init. */
#include <abi/errno.h>
#include <abi/fcntl.h>
#include <abi/resource.h>
#include <abi/signal.h>
#include <frame/heap.h>
#include <frame/log.h>
#include <frame/string.h>
#include <frame/task.h>
#include <kernel/fdtable.h>
#include <kernel/file.h>
#include <kernel/mm.h>
#include <kernel/proc.h>
#include <kernel/signal.h>
#include <kernel/vfs.h>
#include <kernel/completion.h>
#include "proc_internal.h"

#define INIT_PID 1
#define NOFILE_DEFAULT 1024
#define NOFILE_MAX 4096

void rlimits_default(struct rlimit *rlim)
{
	for (int i = 0; i < RLIM_NLIMITS; i++)
		rlim[i] = (struct rlimit){ RLIM_INFINITY, RLIM_INFINITY };
	rlim[RLIMIT_STACK].rlim_cur = 8 * 1024 * 1024;
	rlim[RLIMIT_CORE].rlim_cur = 0;
	rlim[RLIMIT_NOFILE] = (struct rlimit){ NOFILE_DEFAULT, NOFILE_MAX };
	rlim[RLIMIT_NPROC] = (struct rlimit){ 7823, 7823 };
	rlim[RLIMIT_SIGPENDING] = (struct rlimit){ 7823, 7823 };
	rlim[RLIMIT_MEMLOCK] = (struct rlimit){ 8 * 1024 * 1024, 8 * 1024 * 1024 };
	rlim[RLIMIT_MSGQUEUE] = (struct rlimit){ 819200, 819200 };
	rlim[RLIMIT_NICE] = (struct rlimit){ 0, 0 };
	rlim[RLIMIT_RTPRIO] = (struct rlimit){ 0, 0 };
}

/* What init's first task runs: exec the program in kernel context, then enter user mode. */
struct init_args {
	const char *path;
	const char *const *argv;
	const char *const *envp;
	int result;
	struct completion started;
};

static int init_task(void *arg)
{
	struct init_args *ia = arg;
	struct thread *t = thread_find(INIT_PID);
	struct process *p = t->proc;

	t->task = task_current();
	task_set_data(t->task, t);
	int result = proc_exec(ia->path, ia->argv, ia->envp);
	ia->result = result;
	/* @ia belongs to the starter again from here. */
	completion_signal(&ia->started);
	if (result) {
		/* Nothing to run: leave quietly, the caller reports it. */
		proc_tree_lock();
		process_unlink_thread(p, t);
		tid_table_set(t->tid, NULL);
		proc_tree_unlock();
		task_set_data(t->task, NULL);
		kfree(t);
		return result;
	}
	return thread_enter_user(t);
}

/* Root for overcommit's admin reserve (Linux: CAP_SYS_ADMIN). */
static bool caller_is_admin(void)
{
	struct process *p = process_current();
	return !p || p->cred.euid == 0;
}

int proc_start_init(const struct path *root, const char *path, const char *const *argv,
		    const char *const *envp, struct file *console)
{
	mm_set_admin_check(caller_is_admin);
	struct process *p = process_alloc();
	struct thread *t = p ? thread_alloc(p) : NULL;
	if (!t) {
		kfree(p);
		return -ENOMEM;
	}
	rlimits_default(p->rlim);
	p->exit_signal = 0;
	p->sighand = sighand_create();
	p->fds = fdtable_create();
	p->mm = mm_create();
	p->fs.root = *root;
	p->fs.cwd = *root;
	path_get(&p->fs.root);
	path_get(&p->fs.cwd);
	if (!p->sighand || !p->fds || !p->mm) {
		process_free(p);
		kfree(t);
		return -ENOMEM;
	}
	int err;
	if (console) {
		for (int fd = 0; fd < 3; fd++) {
			file_get(console);
			fd_install(p->fds, console, (uint32_t)fd, NOFILE_DEFAULT, false);
		}
	}
	strlcpy(p->comm, "init", sizeof(p->comm));

	proc_tree_lock();
	p->pid = INIT_PID;
	t->tid = INIT_PID;
	pid_table_set(INIT_PID, p);
	tid_table_set(INIT_PID, t);
	process_set_groups(p, INIT_PID, INIT_PID);
	process_link_thread(p, t);
	proc_tree_unlock();

	struct init_args *ia = kzalloc(sizeof(*ia));
	if (!ia)
		return -ENOMEM;
	ia->path = path;
	ia->argv = argv;
	ia->envp = envp;
	completion_init(&ia->started);
	err = task_create("init", init_task, ia, 3, NULL);
	if (err)
		return err;
	completion_wait(&ia->started);
	err = ia->result;
	kfree(ia);
	if (err) {
		proc_tree_lock();
		pid_table_set(INIT_PID, NULL);
		proc_tree_unlock();
		process_free(p);
	}
	return err;
}
