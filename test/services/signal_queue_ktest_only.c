/* Signal tests: pending sets and queues (standard signals coalesce, real-time ones queue in order), ignoring, stop/continue discards, masks. */
#include <frame/ktest.h>

#include "signal_fixture.h"

#define ALL (~0ULL)

KTEST(signal_standard_coalesce_realtime_queue_in_order)
{
	struct thread *t = st_new();
	KASSERT(t != NULL);
	struct process *p = t->proc;
	st_handle(t, SIGUSR1, 0x1000);
	st_handle(t, SIGRTMIN, 0x1000);
	signal_set_blocked(t, SIG_BIT(SIGUSR1) | SIG_BIT(SIGRTMIN));
	for (int i = 1; i <= 3; i++) {
		struct ksiginfo a = st_info(SIGUSR1, SI_USER, 100 + i, 0);
		struct ksiginfo b = st_info(SIGRTMIN, SI_QUEUE, 200 + i, (uint64_t)i * 10);
		KEXPECT_EQ(signal_send_process(p, SIGUSR1, &a), 0);
		KEXPECT_EQ(signal_send_process(p, SIGRTMIN, &b), 0);
	}
	KEXPECT_EQ(signal_pending_set(t), SIG_BIT(SIGUSR1) | SIG_BIT(SIGRTMIN));
	KEXPECT(!signal_pending(t));	/* both blocked */
	struct ksiginfo info;
	/* One SIGUSR1, carrying the first sender's information. */
	KEXPECT_EQ(signal_dequeue(t, ALL, &info), SIGUSR1);
	KEXPECT_EQ(info.pid, 101);
	KEXPECT_EQ(info.code, SI_USER);
	for (int i = 1; i <= 3; i++) {
		KEXPECT_EQ(signal_dequeue(t, ALL, &info), SIGRTMIN);
		KEXPECT_EQ(info.value, (uint64_t)i * 10);
		KEXPECT_EQ(info.pid, 200 + i);
		/* Still pending while more instances wait. */
		KEXPECT_EQ((signal_pending_set(t) & SIG_BIT(SIGRTMIN)) != 0, i < 3);
	}
	KEXPECT_EQ(signal_dequeue(t, ALL, &info), 0);
	KEXPECT_EQ(signal_pending_set(t), 0);
	st_free(t);
}

KTEST(signal_dequeue_order_thread_first_faults_first_mask_respected)
{
	struct thread *t = st_new();
	KASSERT(t != NULL);
	struct process *p = t->proc;
	st_handle(t, SIGUSR1, 0x1000);
	st_handle(t, SIGUSR2, 0x1000);
	st_handle(t, SIGSEGV, 0x1000);
	signal_set_blocked(t, ALL);
	KEXPECT_EQ(signal_send_process(p, SIGUSR1, NULL), 0);
	KEXPECT_EQ(signal_send_thread(t, SIGUSR2, NULL), 0);
	struct ksiginfo segv = { .signo = SIGSEGV, .code = SEGV_MAPERR, .addr = 0x10 };
	KEXPECT_EQ(signal_send_thread(t, SIGSEGV, &segv), 0);
	struct ksiginfo info;
	/* The mask limits what comes out. */
	KEXPECT_EQ(signal_dequeue(t, SIG_BIT(SIGUSR1), &info), SIGUSR1);
	KEXPECT_EQ(info.code, SI_KERNEL);	/* sent without information */
	KEXPECT_EQ(signal_send_process(p, SIGUSR1, NULL), 0);
	/* The thread's own signals first, and a fault before lower-numbered ones. */
	KEXPECT_EQ(signal_dequeue(t, ALL, &info), SIGSEGV);
	KEXPECT_EQ(info.addr, 0x10);
	KEXPECT_EQ(info.code, SEGV_MAPERR);
	KEXPECT_EQ(signal_dequeue(t, ALL, &info), SIGUSR2);
	KEXPECT_EQ(signal_dequeue(t, ALL, &info), SIGUSR1);
	KEXPECT_EQ(signal_dequeue(t, ALL, &info), 0);
	st_free(t);
}

KTEST(signal_ignored_dropped_unless_blocked)
{
	struct thread *t = st_new();
	KASSERT(t != NULL);
	struct process *p = t->proc;
	/* SIGCHLD's default is to ignore: dropped at once. */
	KEXPECT_EQ(signal_send_process(p, SIGCHLD, NULL), 0);
	KEXPECT_EQ(signal_pending_set(t), 0);
	st_handle(t, SIGUSR1, SIG_IGN);
	KEXPECT_EQ(signal_send_thread(t, SIGUSR1, NULL), 0);
	KEXPECT_EQ(signal_pending_set(t), 0);
	/* Blocked, it stays: the program may unignore it before unblocking. */
	signal_set_blocked(t, SIG_BIT(SIGUSR1) | SIG_BIT(SIGCHLD));
	KEXPECT_EQ(signal_send_thread(t, SIGUSR1, NULL), 0);
	KEXPECT_EQ(signal_send_process(p, SIGCHLD, NULL), 0);
	KEXPECT_EQ(signal_pending_set(t), SIG_BIT(SIGUSR1) | SIG_BIT(SIGCHLD));
	/* Becoming ignored flushes it (what rt_sigaction does). */
	unsigned long flags = signal_lock();
	signal_flush_locked(p, SIGUSR1);
	signal_unlock(flags);
	KEXPECT_EQ(signal_pending_set(t), SIG_BIT(SIGCHLD));
	/* Bad numbers; signal 0 sends nothing. */
	KEXPECT_EQ(signal_send_process(p, 65, NULL), -EINVAL);
	KEXPECT_EQ(signal_send_thread(t, -1, NULL), -EINVAL);
	KEXPECT_EQ(signal_send_process(p, 0, NULL), 0);
	KEXPECT_EQ(signal_pending_set(t), SIG_BIT(SIGCHLD));
	st_free(t);
}

KTEST(signal_stop_and_continue_discard_each_other)
{
	struct thread *t = st_new();
	KASSERT(t != NULL);
	struct process *p = t->proc;
	signal_set_blocked(t, SIG_BIT(SIGTSTP) | SIG_BIT(SIGCONT) | SIG_BIT(SIGTTIN));
	KEXPECT_EQ(signal_send_process(p, SIGTSTP, NULL), 0);
	KEXPECT_EQ(signal_send_thread(t, SIGTTIN, NULL), 0);
	KEXPECT_EQ(signal_send_process(p, SIGSTOP, NULL), 0);
	KEXPECT_EQ(signal_pending_set(t),
		   SIG_BIT(SIGTSTP) | SIG_BIT(SIGTTIN) | SIG_BIT(SIGSTOP));
	KEXPECT(signal_pending(t));	/* SIGSTOP can't be blocked */
	KEXPECT_EQ(signal_send_process(p, SIGCONT, NULL), 0);
	KEXPECT_EQ(signal_pending_set(t), SIG_BIT(SIGCONT));
	KEXPECT_EQ(signal_send_process(p, SIGTSTP, NULL), 0);
	KEXPECT_EQ(signal_pending_set(t), SIG_BIT(SIGTSTP));
	/* A stopped process resumes on SIGCONT; the first thread will report it. */
	p->stopped = true;
	KEXPECT_EQ(signal_send_process(p, SIGCONT, NULL), 0);
	KEXPECT(!p->stopped);
	KEXPECT(t->sig.report_continued);
	KEXPECT_EQ(signal_pending_set(t), SIG_BIT(SIGCONT));
	/* SIGKILL resumes too, without a report. */
	t->sig.report_continued = false;
	p->stopped = true;
	KEXPECT_EQ(signal_send_process(p, SIGKILL, NULL), 0);
	KEXPECT(!p->stopped);
	KEXPECT(!t->sig.report_continued);
	st_free(t);
}

KTEST(signal_mask_rules)
{
	struct thread *t = st_new();
	KASSERT(t != NULL);
	signal_set_blocked(t, ALL);
	KEXPECT_EQ(t->sig.blocked, ALL & ~(SIG_BIT(SIGKILL) | SIG_BIT(SIGSTOP)));
	KEXPECT_EQ(signal_send_process(t->proc, SIGKILL, NULL), 0);
	KEXPECT(signal_pending(t));
	struct ksiginfo info;
	KEXPECT_EQ(signal_dequeue(t, ~t->sig.blocked, &info), SIGKILL);
	KEXPECT(!signal_pending(t));
	st_handle(t, SIGUSR1, 0x1000);
	KEXPECT_EQ(signal_send_thread(t, SIGUSR1, NULL), 0);
	KEXPECT(!signal_pending(t));
	signal_set_blocked(t, 0);
	KEXPECT(signal_pending(t));
	/* A thread in rt_sigtimedwait (real_blocked) keeps ignored signals it waits for. */
	KEXPECT_EQ(signal_dequeue(t, ALL, &info), SIGUSR1);
	t->sig.real_blocked = SIG_BIT(SIGCHLD);
	KEXPECT_EQ(signal_send_thread(t, SIGCHLD, NULL), 0);
	KEXPECT_EQ(signal_pending_set(t), SIG_BIT(SIGCHLD));
	st_free(t);
}

KTEST(signal_sigpending_limit_per_user)
{
	struct thread *t = st_new();
	KASSERT(t != NULL);
	struct process *p = t->proc;
	p->rlim[RLIMIT_SIGPENDING] = (struct rlimit){ 2, 2 };
	st_handle(t, SIGRTMIN, 0x1000);
	signal_set_blocked(t, SIG_BIT(SIGRTMIN));
	struct ksiginfo q = st_info(SIGRTMIN, SI_QUEUE, 7, 1);
	KEXPECT_EQ(signal_send_process(p, SIGRTMIN, &q), 0);
	KEXPECT_EQ(signal_send_process(p, SIGRTMIN, &q), 0);
	/* Past the limit: refused from sigqueue, pending without information from kill. */
	KEXPECT_EQ(signal_send_process(p, SIGRTMIN, &q), -EAGAIN);
	struct ksiginfo k = st_info(SIGRTMIN, SI_USER, 7, 0);
	KEXPECT_EQ(signal_send_process(p, SIGRTMIN, &k), 0);
	struct ksiginfo info;
	KEXPECT_EQ(signal_dequeue(t, ALL, &info), SIGRTMIN);
	KEXPECT_EQ(info.code, SI_QUEUE);
	/* One entry given back: room for one more. */
	KEXPECT_EQ(signal_send_process(p, SIGRTMIN, &q), 0);
	KEXPECT_EQ(signal_send_process(p, SIGRTMIN, &q), -EAGAIN);
	st_free(t);
}
