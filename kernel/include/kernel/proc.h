/*
 * Processes and threads: the Linux process model over the frame's tasks.
 * A thread is one frame task running a user_context in a loop; a process is
 * what its threads share (address space, descriptors, file-system context,
 * credentials, signal handlers, limits) plus its place in the process tree.
 */
#ifndef KERNEL_PROC_H
#define KERNEL_PROC_H

#include <abi/resource.h>
#include <frame/mutex.h>
#include <frame/types.h>
#include <frame/user.h>
#include <frame/wait.h>
#include <kernel/cred.h>
#include <kernel/signal.h>
#include <kernel/vfs.h>

#define PID_MAX 32768
#define PROC_COMM_LEN 16

struct mm;
struct proc_extra;
struct fdtable;
struct file;
struct task;

enum proc_state {
	PROC_RUNNING,
	PROC_ZOMBIE,	/* exited, waiting for its parent to reap it */
};

struct process {
	int pid;
	int pgid;
	int sid;
	enum proc_state state;
	int exit_status;	/* wait(2) status word, valid when a zombie */
	int exit_signal;	/* sent to the parent at exit (clone's CSIGNAL; SIGCHLD for fork) */
	/* Stop/continue reports waiting for wait(WUNTRACED/WCONTINUED). */
	int stop_report;	/* signal that stopped it, 0 if none unreported */
	bool continued_report;
	bool stopped;
	struct wait_queue stop_wait;	/* stopped threads sleep here until SIGCONT */

	/* The tree; changed under proc_tree_lock. */
	struct process *parent;
	struct process *children;	/* first child */
	struct process *sibling;	/* next child of the same parent */
	struct wait_queue child_wait;	/* where this process's wait4 sleeps */
	uint64_t child_events;		/* bumped (under the tree lock) on each child state change */

	struct thread *threads;		/* list via thread.next */
	unsigned nthreads;
	bool exiting;			/* exit_group in progress */

	struct mm *mm;
	struct fdtable *fds;
	struct vfs_ctx fs;		/* fs.cred points at cred */
	struct cred cred;
	struct rlimit rlim[RLIM_NLIMITS];
	struct sighand *sighand;
	kernel_sigset_t shared_pending;	/* sent to the process as a whole */
	struct sigqueue *shared_queue;

	char comm[PROC_COMM_LEN];
	char exe[256];			/* the path exec was given */
	struct path exe_path;		/* the file running (/proc/pid/exe), holding a deny-write; changed under proc_tree_lock */
	bool exe_done;			/* has exec'd since fork (setpgid EACCES) */
	uint32_t membarrier_registered;	/* atomic: MEMBARRIER_CMD_* private commands registered (exec clears) */
	vaddr_t arg_start, arg_end, env_start, env_end;	/* for /proc/pid/{cmdline,environ} */
	uint64_t start_ns;
	uint64_t utime_ticks, stime_ticks;		/* of exited threads */
	uint64_t child_utime_ticks, child_stime_ticks;	/* of reaped children */
	struct tty *ctty;		/* controlling terminal, NULL if none */
	struct proc_extra *extra;	/* timers, nice, prctl state (kernel/time), NULL until used */
	bool child_subreaper;		/* PR_SET_CHILD_SUBREAPER: orphaned descendants come here */
	/* vfork: the parent thread sleeps on its process's vfork_wait until this child execs or exits. */
	struct thread *vfork_waiter;
	struct wait_queue vfork_wait;
	/* Out of memory (kernel/proc/oom.c): inherited by fork, kept by exec. */
	int16_t oom_score_adj;		/* -1000..1000 */
	int16_t oom_score_adj_min;	/* the floor an unprivileged writer may lower it to */
	bool oom_victim;		/* atomic: killed for memory, address space not yet released */
};

struct thread {
	int tid;
	struct process *proc;
	struct task *task;
	struct thread *next;		/* in proc->threads */
	vaddr_t clear_child_tid;	/* set_tid_address / CLONE_CHILD_CLEARTID */
	vaddr_t robust_list;
	size_t robust_len;
	struct thread_sig sig;
	bool exiting;
	int exit_code;			/* exit(2)'s code, when this thread leaves alone */
	bool vfork_done;		/* the vfork child let this thread go on */
	int64_t syscall_ret;		/* result of the last system call, for restarts */
	bool in_syscall;		/* signal delivery after a system call */
	vaddr_t rseq;			/* rseq(2) area registered, 0 if none (kernel/proc/rseq.c) */
	uint32_t rseq_len, rseq_sig;
	bool rseq_resume;		/* the area's cpu fields need writing before user mode */
	struct user_context ctx;	/* 16-byte aligned (FPU image) */
};

/*
 * rseq (kernel/proc/rseq.c): rseq_event() when @t was interrupted in user
 * mode or gets a signal handler (a critical section it was in goes to its
 * abort handler); rseq_before_user() on every way back to user mode (the
 * registered area's cpu fields). A bad area or descriptor: SIGSEGV.
 */
void rseq_event(struct thread *t);
void rseq_before_user(struct thread *t);

/* The thread running the current system call, and its process. */
struct thread *thread_current(void);
struct process *process_current(void);

/* Lookups by id; NULL if there is none. Callers hold proc_tree_lock. */
struct process *process_find(int pid);
struct thread *thread_find(int tid);

/*
 * The big lock of the process tree (parents, children, pids, pgids,
 * sessions, zombie state). Held only for short, non-blocking sections
 * except where a function says otherwise.
 */
void proc_tree_lock(void);
void proc_tree_unlock(void);

/* Iterate over all processes under proc_tree_lock: first, then next. */
struct process *process_first(void);
struct process *process_next(struct process *p);

/*
 * Start the first user program: @path with @argv/@envp (kept by the caller
 * until this returns), as pid 1, in the file system at @root, with
 * descriptors 0-2 on @console (may be NULL). Returns a negative errno if it
 * cannot be started; otherwise the program runs in its own task and this
 * returns 0.
 */
int proc_start_init(const struct path *root, const char *path, const char *const *argv,
		    const char *const *envp, struct file *console);

/*
 * Replace the current process's program (execve). The strings are kernel
 * copies. On success the caller's user context has been reset to the new
 * program and 0 is returned; on failure the old program is untouched
 * (errors before the point of no return) or the process is killed.
 */
int proc_exec(const char *path, const char *const *argv, const char *const *envp);
/*
 * execveat: @path relative to @at (NULL: working directory; @path "" means
 * @at itself), @name is what the program sees as its path (AT_EXECFN,
 * /proc/pid/exe), @follow whether a final symlink is followed.
 */
int proc_exec_at(const struct path *at, const char *path, const char *name, bool follow,
		 const char *const *argv, const char *const *envp);

/* End the current thread (exit) or the whole process (exit_group); never return. */
_Noreturn void proc_exit_thread(int code);
_Noreturn void proc_exit_group(int status);

/* Kill the whole process with a wait status (a fatal signal's); _locked with proc_tree_lock held. */
void proc_kill_group(struct process *p, int status);
void proc_kill_group_locked(struct process *p, int status);

/*
 * /proc/sys/kernel/threads-max: no clone past this many threads in all
 * (-EAGAIN, root too); by default a page of RAM for every 32 threads, at
 * least PROC_THREADS_MIN; writes outside [1, PROC_THREADS_LIMIT] are
 * -EINVAL, as Linux's.
 */
#define PROC_THREADS_MIN 20
#define PROC_THREADS_LIMIT 0x3fffffff	/* Linux's FUTEX_TID_MASK */
unsigned proc_threads_max(void);
int proc_set_threads_max(int64_t n);
bool proc_threads_at_limit(void);

/*
 * Out of memory (kernel/proc/oom.c). proc_out_of_memory(): the current
 * thread's page fault found no memory; the process with the highest badness
 * (Linux's rule: resident and page-table pages, oom_score_adj in thousandths
 * of memory) is sent SIGKILL, logged as Linux's "Out of memory: Killed
 * process N (comm) ..." line, and the caller sleeps until a victim's address
 * space is released (or a signal is pending), then retries its access. With
 * nothing killable the caller's own process is killed.
 */
#define OOM_SCORE_ADJ_MIN (-1000)
#define OOM_SCORE_ADJ_MAX 1000
void proc_out_of_memory(void);
/* /proc/PID/oom_score and oom_score_adj: 0, or -ESRCH. */
int proc_oom_score(int pid, unsigned *score, int *adj);
/* Set oom_score_adj (-EINVAL out of range, -EACCES below the minimum without privilege). */
int proc_oom_set_adj(int pid, int adj, bool privileged);
/* @p's address space is gone: a victim's waiters may try again. */
void proc_oom_released(struct process *p);

/* Give the terminal layer its view of processes (job control, controlling terminals). */
void proc_tty_init(void);

/* A vfork child execs or exits: let its parent go on (under proc_tree_lock). */
void proc_vfork_release(struct process *child);

/*
 * Read or write @mm's user memory through its pages, faulting them in as the
 * program would (exec's new stack, /proc/pid/cmdline): 0 or -EFAULT.
 */
int proc_mem_write(struct mm *mm, vaddr_t va, const void *buf, size_t len);
int proc_mem_read(struct mm *mm, vaddr_t va, void *buf, size_t len);
/* Length of the string at @va in @mm, at most @max. */
size_t proc_mem_strlen(struct mm *mm, vaddr_t va, size_t max);

/* Wait status words, as wait(2) encodes them. */
#define W_EXITCODE(code) (((code) & 0xff) << 8)
#define W_SIGNALED(sig, core) ((sig) | ((core) ? 0x80 : 0))
#define W_STOPCODE(sig) (((sig) << 8) | 0x7f)
#define W_CONTINUED 0xffff

#endif
