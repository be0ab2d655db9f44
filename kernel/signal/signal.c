/*
 * Signal state and sending: dispositions (shared), pending sets (per thread
 * and per process), dequeuing, and waking the thread that will take a signal.
 */
#include <abi/errno.h>
#include <frame/heap.h>
#include <frame/string.h>
#include <frame/task.h>
#include <kernel/proc.h>
#include <kernel/signal.h>
#include "signal_internal.h"

/*
 * One lock for all signal state: senders run in other tasks and in
 * interrupt handlers (timers, the terminal), and a send touches the
 * disposition, the masks of every thread and the pending sets at once.
 */
static spinlock_t sig_lock = SPINLOCK_INIT("signal");

unsigned long signal_lock(void)
{
	return spin_lock_irqsave(&sig_lock);
}

void signal_unlock(unsigned long flags)
{
	spin_unlock_irqrestore(&sig_lock, flags);
}

struct sighand *sighand_create(void)
{
	struct sighand *sh = kzalloc(sizeof(*sh));
	if (!sh)
		return NULL;
	sh->refs = 1;
	spin_lock_init(&sh->lock, "sighand");
	return sh;
}

struct sighand *sighand_copy(const struct sighand *src)
{
	struct sighand *sh = sighand_create();
	if (sh) {
		unsigned long flags = signal_lock();
		memcpy(sh->action, src->action, sizeof(sh->action));
		signal_unlock(flags);
	}
	return sh;
}

void sighand_get(struct sighand *sh)
{
	__atomic_add_fetch(&sh->refs, 1, __ATOMIC_RELAXED);
}

void sighand_put(struct sighand *sh)
{
	if (sh && __atomic_sub_fetch(&sh->refs, 1, __ATOMIC_ACQ_REL) == 0)
		kfree(sh);
}

void signal_exec_reset(struct process *p)
{
	struct sighand *sh = p->sighand;
	/* A handler shared with another process must not change under it: take a copy. */
	if (__atomic_load_n(&sh->refs, __ATOMIC_ACQUIRE) > 1) {
		struct sighand *copy = sighand_copy(sh);
		if (copy) {
			sighand_put(sh);
			p->sighand = sh = copy;
		}
	}
	unsigned long flags = signal_lock();
	for (int i = 0; i < KERNEL_NSIG; i++) {
		struct kernel_sigaction *sa = &sh->action[i];
		if (sa->sa_handler != SIG_IGN)
			sa->sa_handler = SIG_DFL;
		sa->sa_flags = 0;
		sa->sa_restorer = 0;
		sa->sa_mask = 0;
	}
	/* The new program starts without an alternate stack (its old address is meaningless). */
	for (struct thread *t = p->threads; t; t = t->next) {
		t->sig.altstack_sp = 0;
		t->sig.altstack_size = 0;
		t->sig.altstack_flags = SS_DISABLE;
	}
	signal_unlock(flags);
}

/*
 * RLIMIT_SIGPENDING: queued signal information counted per real user of the
 * receiver, as Linux's ucounts (under the signal lock). A user not in the
 * table when it is full is not limited.
 */
#define PENDING_USERS 64
static struct { uint32_t uid, count; } pending_users[PENDING_USERS];

static uint32_t *pending_count(uint32_t uid, bool add)
{
	int free_slot = -1;
	for (int i = 0; i < PENDING_USERS; i++) {
		if (pending_users[i].count && pending_users[i].uid == uid)
			return &pending_users[i].count;
		if (!pending_users[i].count && free_slot < 0)
			free_slot = i;
	}
	if (!add || free_slot < 0)
		return NULL;
	pending_users[free_slot].uid = uid;
	return &pending_users[free_slot].count;
}

/* Free one queued entry and give back its count (lock held, or the entry unlinked already). */
static void entry_free(struct sigqueue *e)
{
	unsigned long flags = signal_lock();
	uint32_t *n = pending_count(e->uid, false);
	if (n && *n)
		(*n)--;
	signal_unlock(flags);
	kfree(e);
}

static void entry_free_locked(struct sigqueue *e)
{
	uint32_t *n = pending_count(e->uid, false);
	if (n && *n)
		(*n)--;
	kfree(e);
}

static void queue_free(struct sigqueue *q)
{
	while (q) {
		struct sigqueue *n = q->next;
		entry_free(q);
		q = n;
	}
}

void signal_discard_process(struct process *p)
{
	unsigned long flags = signal_lock();
	struct sigqueue *q = p->shared_queue;
	p->shared_pending = 0;
	p->shared_queue = NULL;
	signal_unlock(flags);
	queue_free(q);
}

void signal_discard_thread(struct thread *t)
{
	unsigned long flags = signal_lock();
	struct sigqueue *q = t->sig.queue;
	t->sig.pending = 0;
	t->sig.queue = NULL;
	signal_unlock(flags);
	queue_free(q);
}

/* Remove every instance of @sig from a pending set and its queue (lock held). */
static void flush_sig(struct sigqueue **q, kernel_sigset_t *pending, int sig)
{
	*pending &= ~SIG_BIT(sig);
	for (struct sigqueue **e = q; *e;) {
		if ((*e)->info.signo == sig) {
			struct sigqueue *gone = *e;
			*e = gone->next;
			entry_free_locked(gone);
		} else {
			e = &(*e)->next;
		}
	}
}

void signal_flush_locked(struct process *p, int sig)
{
	flush_sig(&p->shared_queue, &p->shared_pending, sig);
	for (struct thread *t = p->threads; t; t = t->next)
		flush_sig(&t->sig.queue, &t->sig.pending, sig);
}

/*
 * Remember @info for @sig (lock held): a standard signal already pending
 * is not queued again (it coalesces); real-time signals queue each instance.
 */
struct wait_queue signal_queued_wq;

static int queue_info(struct process *p, struct sigqueue **q, kernel_sigset_t *pending, int sig,
		      const struct ksiginfo *info)
{
	bool already = *pending & SIG_BIT(sig);
	if (already && sig < SIGRTMIN)
		return 0;
	/*
	 * Linux's __send_signal: past the receiver's RLIMIT_SIGPENDING a
	 * real-time signal with information from a program (sigqueue, not
	 * kill) is refused; any other stays pending without its information.
	 * Standard signals from kill and the kernel are never held back.
	 */
	bool override = sig < SIGRTMIN && (!info || info->code >= 0);
	uint32_t *count = pending_count(p->cred.uid, true);
	bool over = !override && count && *count >= p->rlim[RLIMIT_SIGPENDING].rlim_cur;
	if (over && sig >= SIGRTMIN && info && info->code != SI_USER)
		return -EAGAIN;
	*pending |= SIG_BIT(sig);
	/* signalfd readers and pollers wait for signals that, blocked, wake no thread (kernel/ipc/sys_signalfd.c). */
	wait_wake_all(&signal_queued_wq);
	struct sigqueue *e = over ? NULL : kzalloc(sizeof(*e));
	if (!e)
		return 0;	/* the signal stays pending, its information lost (SI_USER, no sender) */
	e->uid = p->cred.uid;
	if (count)
		(*count)++;
	if (info)
		e->info = *info;
	else
		e->info = (struct ksiginfo){ .signo = sig, .code = SI_KERNEL };
	e->info.signo = sig;
	struct sigqueue **tail = q;
	while (*tail)
		tail = &(*tail)->next;
	*tail = e;
	return 0;
}

bool signal_ignored_locked(struct process *p, int sig)
{
	uint64_t h = p->sighand->action[sig - 1].sa_handler;
	return h == SIG_IGN || (h == SIG_DFL && signal_default_ignores(sig));
}

static bool thread_blocks(const struct thread *t, int sig)
{
	return ((t->sig.blocked | t->sig.real_blocked) & SIG_BIT(sig)) != 0;
}

int signal_send_thread(struct thread *t, int sig, const struct ksiginfo *info)
{
	if (sig < 0 || sig > KERNEL_NSIG)
		return -EINVAL;
	if (sig == 0)
		return 0;
	struct process *p = t->proc;
	unsigned long flags = signal_lock();
	if (!p->sighand || p->state == PROC_ZOMBIE || t->exiting) {
		signal_unlock(flags);
		return 0;
	}
	signal_prepare_stop_cont(p, sig);
	/* Ignored signals are dropped at once, unless blocked (they may be unignored). */
	int err = 0;
	if (!signal_ignored_locked(p, sig) || thread_blocks(t, sig)) {
		err = queue_info(p, &t->sig.queue, &t->sig.pending, sig, info);
		if (!err && t->task)
			task_wake(t->task);
	}
	signal_unlock(flags);
	return err;
}

int signal_send_process(struct process *p, int sig, const struct ksiginfo *info)
{
	if (sig < 0 || sig > KERNEL_NSIG)
		return -EINVAL;
	if (sig == 0)
		return 0;
	unsigned long flags = signal_lock();
	if (!p->sighand || p->state == PROC_ZOMBIE) {
		signal_unlock(flags);
		return 0;
	}
	signal_prepare_stop_cont(p, sig);
	bool keep = !signal_ignored_locked(p, sig);
	for (struct thread *t = p->threads; t && !keep; t = t->next)
		if (thread_blocks(t, sig))
			keep = true;
	int err = 0;
	if (keep)
		err = queue_info(p, &p->shared_queue, &p->shared_pending, sig, info);
	if (keep && !err) {
		/*
		 * Wake a thread that can take it (SIGKILL: all of them); a
		 * thread in rt_sigtimedwait for it has it unblocked meanwhile.
		 */
		for (struct thread *t = p->threads; t; t = t->next) {
			if (sig == SIGKILL || !(t->sig.blocked & SIG_BIT(sig))) {
				if (t->task)
					task_wake(t->task);
				if (sig != SIGKILL)
					break;
			}
		}
	}
	signal_unlock(flags);
	return err;
}

bool signal_pending(struct thread *t)
{
	if (!t)
		return false;
	if (t->exiting || t->proc->exiting)
		return true;
	kernel_sigset_t pending = t->sig.pending | t->proc->shared_pending;
	return (pending & ~t->sig.blocked) != 0 ||
	       (pending & (SIG_BIT(SIGKILL) | SIG_BIT(SIGSTOP))) != 0;
}

kernel_sigset_t signal_pending_set(struct thread *t)
{
	unsigned long flags = signal_lock();
	kernel_sigset_t set = t->sig.pending | t->proc->shared_pending;
	signal_unlock(flags);
	return set;
}

void signal_set_blocked(struct thread *t, kernel_sigset_t mask)
{
	unsigned long flags = signal_lock();
	t->sig.blocked = mask & ~SIGNAL_UNBLOCKABLE;
	signal_unlock(flags);
}

/* Take @sig's first queued instance from one pending set (lock held). */
static void take(struct sigqueue **q, kernel_sigset_t *pending, int sig, struct ksiginfo *info)
{
	/* No entry (none could be queued): Linux's collect_signal reports SI_USER from nobody. */
	*info = (struct ksiginfo){ .signo = sig, .code = SI_USER };
	bool taken = false, more = false;
	for (struct sigqueue **e = q; *e;) {
		if ((*e)->info.signo != sig) {
			e = &(*e)->next;
			continue;
		}
		if (taken) {
			more = true;	/* another real-time instance: stays pending */
			break;
		}
		struct sigqueue *first = *e;
		*info = first->info;
		*e = first->next;
		entry_free_locked(first);
		taken = true;
	}
	if (!more)
		*pending &= ~SIG_BIT(sig);
}

int signal_dequeue_locked(struct thread *t, kernel_sigset_t mask, struct ksiginfo *info)
{
	struct process *p = t->proc;
	for (int from_proc = 0; from_proc < 2; from_proc++) {
		kernel_sigset_t *pending = from_proc ? &p->shared_pending : &t->sig.pending;
		struct sigqueue **q = from_proc ? &p->shared_queue : &t->sig.queue;
		kernel_sigset_t ready = *pending & mask;
		if (!ready)
			continue;
		/* Synchronous fault signals first, as Linux does: they describe this instruction. */
		kernel_sigset_t sync = ready & SIGNAL_SYNCHRONOUS;
		int sig = __builtin_ctzll(sync ? sync : ready) + 1;
		take(q, pending, sig, info);
		return sig;
	}
	return 0;
}

int signal_dequeue(struct thread *t, kernel_sigset_t mask, struct ksiginfo *info)
{
	unsigned long flags = signal_lock();
	int sig = signal_dequeue_locked(t, mask, info);
	signal_unlock(flags);
	return sig;
}
