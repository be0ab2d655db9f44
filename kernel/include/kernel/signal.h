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
#include <frame/wait.h>

struct process;
struct thread;

#define SIG_BIT(sig) (1ULL << ((sig) - 1))

/*
 * What a signal carries, in kernel form (written out as siginfo_t on
 * delivery; which fields count depends on signo and code, as Linux's
 * siginfo layouts).
 */
struct ksiginfo {
	int signo;
	int code;	/* SI_USER, SEGV_MAPERR, CLD_EXITED, ... (abi/signal.h) */
	int errno_;
	int pid;	/* sender, or the child for SIGCHLD */
	uint32_t uid;
	int status;	/* SIGCHLD: exit code or signal */
	vaddr_t addr;	/* faults: the address */
	uint64_t value;	/* sigqueue/timers: the sigval */
	int tid, overrun;	/* POSIX timers */
	int64_t utime, stime;	/* SIGCHLD: the child's times, in clock ticks */
	int64_t band;	/* SIGPOLL */
	int fd;
	bool forced;	/* raised by a fault: delivered even to init */
};

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
	uint32_t uid;			/* whose RLIMIT_SIGPENDING count it is in */
};

/* A thread's signal state. */
struct thread_sig {
	kernel_sigset_t blocked;
	kernel_sigset_t pending;	/* sent to this thread */
	struct sigqueue *queue;		/* information for pending signals */
	kernel_sigset_t saved_mask;	/* rt_sigsuspend/ppoll: restored after delivery */
	bool restore_mask;
	kernel_sigset_t real_blocked;	/* rt_sigtimedwait: the mask before it unblocked the awaited set */
	vaddr_t altstack_sp;
	uint64_t altstack_size;		/* 0: no alternate stack */
	int altstack_flags;		/* as sigaltstack set them (SS_AUTODISARM) */
	bool report_continued;		/* tell the parent its child went on after SIGCONT */
	/* The last user-mode exception, for the frame's trapno/err/cr2. */
	uint64_t trap_nr, trap_err, trap_cr2;
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

/*
 * Woken whenever a signal becomes pending anywhere, for signalfd
 * (kernel/ipc/sys_signalfd.c): the signals it reads are blocked, so sending
 * them wakes no thread. Waiters re-check their own pending sets.
 */
extern struct wait_queue signal_queued_wq;

/* A signal is pending and unblocked for @t: interruptible waits end early. */
bool signal_pending(struct thread *t);

/*
 * Take the lowest-numbered signal in @mask pending for @t (its own first,
 * then its process's) with its information; 0 if none. Real-time signals
 * come out one queued instance at a time, in the order sent.
 */
int signal_dequeue(struct thread *t, kernel_sigset_t mask, struct ksiginfo *info);

/* Signals pending for @t (its own and its process's), blocked or not. */
kernel_sigset_t signal_pending_set(struct thread *t);

/* Change @t's mask (SIGKILL and SIGSTOP are never blocked). */
void signal_set_blocked(struct thread *t, kernel_sigset_t mask);

/*
 * The lock of all signal state (pending sets and queues, masks,
 * dispositions): irq-saving, since signals are sent from interrupt
 * handlers. The process core may hold it around thread-list changes so a
 * sender never walks a list being changed.
 */
unsigned long signal_lock(void);
void signal_unlock(unsigned long flags);

/* Write @info out as Linux's 128-byte siginfo_t (the fields of its layout). */
void signal_encode_siginfo(const struct ksiginfo *info, struct siginfo *out);
/* Read a user-supplied siginfo_t (rt_sigqueueinfo) as the fields of its layout. */
void signal_decode_siginfo(const struct siginfo *in, struct ksiginfo *info);

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
