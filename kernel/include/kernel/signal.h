/*
 * Signals: per-process dispositions, per-thread masks and pending sets, and
 * the hooks the process core calls (sending, delivery on the way back to
 * user mode, faults turned into signals).
 */
#ifndef KERNEL_SIGNAL_H
#define KERNEL_SIGNAL_H

#include <abi/signal.h>
#include <frame/spinlock.h>
#include <frame/types.h>
#include <frame/user.h>

struct process;
struct thread;

#define SIG_BIT(sig) (1ULL << ((sig) - 1))

/* What a signal carries, in kernel form (written out as siginfo_t on delivery). */
struct ksiginfo {
	int signo;
	int code;	/* SI_USER, SEGV_MAPERR, CLD_EXITED, ... */
	int errno_;
	int pid;	/* sender, or the child for SIGCHLD */
	uint32_t uid;
	int status;	/* SIGCHLD: exit code or signal */
	vaddr_t addr;	/* faults: the address */
};

#define SI_USER 0
#define SI_KERNEL 0x80
#define SI_TKILL (-6)
#define SEGV_MAPERR 1
#define SEGV_ACCERR 2
#define BUS_ADRERR 2
#define ILL_ILLOPN 2
#define FPE_INTDIV 1
#define TRAP_BRKPT 1
#define CLD_EXITED 1
#define CLD_KILLED 2
#define CLD_DUMPED 3
#define CLD_STOPPED 5
#define CLD_CONTINUED 6

/* Dispositions, shared by threads (and by CLONE_SIGHAND processes). */
struct sighand {
	uint32_t refs;
	spinlock_t lock;
	struct kernel_sigaction action[KERNEL_NSIG];
};

/* One pending signal's information (standard signals keep one, real-time queue). */
struct sigqueue {
	struct ksiginfo info;
	struct sigqueue *next;
};

/* A thread's signal state. */
struct thread_sig {
	kernel_sigset_t blocked;
	kernel_sigset_t pending;	/* sent to this thread */
	struct sigqueue *queue;		/* information for pending signals */
	kernel_sigset_t saved_mask;	/* rt_sigsuspend/ppoll: restored after delivery */
	bool restore_mask;
	vaddr_t altstack_sp;
	uint64_t altstack_size;
	int altstack_flags;
};

struct sighand *sighand_create(void);
/* A copy for fork without CLONE_SIGHAND. NULL when out of memory. */
struct sighand *sighand_copy(const struct sighand *sh);
void sighand_get(struct sighand *sh);
void sighand_put(struct sighand *sh);

/* execve: caught signals go back to SIG_DFL; ignored ones stay ignored. */
void signal_exec_reset(struct process *p);

/*
 * Send @sig to process @p (any thread that does not block it) or to thread
 * @t. @info may be NULL for SI_KERNEL. Returns 0, or -EINVAL for a bad
 * signal number. Permission checks are the caller's. Signal 0 sends nothing.
 */
int signal_send_process(struct process *p, int sig, const struct ksiginfo *info);
int signal_send_thread(struct thread *t, int sig, const struct ksiginfo *info);

/* A signal is pending and unblocked for @t: interruptible waits end early. */
bool signal_pending(struct thread *t);

/*
 * Called by the thread's loop before each return to user mode: deliver
 * pending signals (default action, or a handler frame on the user stack).
 * May not return (the process dies). @syscall_ret is the result of the
 * system call just made (or 0), for restart decisions.
 */
void signal_deliver(struct thread *t);

/* A user-mode exception: the signal it raises (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP). */
void signal_from_trap(struct thread *t, const struct user_trap_info *trap, int mm_result);

#endif
