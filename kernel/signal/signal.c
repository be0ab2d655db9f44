/*
 * Signal state and sending: dispositions (shared), pending sets (per thread
 * and per process), and waking the thread that will take a signal.
 */
#include <abi/errno.h>
#include <frame/heap.h>
#include <frame/string.h>
#include <frame/task.h>
#include <kernel/proc.h>
#include <kernel/signal.h>
#include "signal_internal.h"

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
	if (sh)
		memcpy(sh->action, src->action, sizeof(sh->action));
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
	if (sh->refs > 1) {
		struct sighand *copy = sighand_copy(sh);
		if (copy) {
			sighand_put(sh);
			p->sighand = sh = copy;
		}
	}
	unsigned long flags = spin_lock_irqsave(&sh->lock);
	for (int i = 0; i < KERNEL_NSIG; i++) {
		struct kernel_sigaction *sa = &sh->action[i];
		if (sa->sa_handler != SIG_IGN)
			sa->sa_handler = SIG_DFL;
		sa->sa_flags = 0;
		sa->sa_restorer = 0;
		sa->sa_mask = 0;
	}
	spin_unlock_irqrestore(&sh->lock, flags);
}

static void queue_free(struct sigqueue **q)
{
	while (*q) {
		struct sigqueue *n = (*q)->next;
		kfree(*q);
		*q = n;
	}
}

void signal_discard_process(struct process *p)
{
	p->shared_pending = 0;
	queue_free(&p->shared_queue);
}

void signal_discard_thread(struct thread *t)
{
	t->sig.pending = 0;
	queue_free(&t->sig.queue);
}

/* Remember @info for @sig: standard signals keep one, real-time signals queue each. */
static void queue_info(struct sigqueue **q, kernel_sigset_t *pending, int sig,
		       const struct ksiginfo *info)
{
	bool already = *pending & SIG_BIT(sig);
	*pending |= SIG_BIT(sig);
	if (already && sig < SIGRTMIN)
		return;
	struct sigqueue *e = kzalloc(sizeof(*e));
	if (!e)
		return;	/* the signal stays pending, with SI_KERNEL information */
	if (info)
		e->info = *info;
	else
		e->info = (struct ksiginfo){ .signo = sig, .code = SI_KERNEL };
	e->info.signo = sig;
	struct sigqueue **tail = q;
	while (*tail)
		tail = &(*tail)->next;
	*tail = e;
}

static bool ignored(struct process *p, int sig)
{
	uint64_t h = p->sighand->action[sig - 1].sa_handler;
	return h == SIG_IGN || (h == SIG_DFL && signal_default_ignores(sig));
}

int signal_send_thread(struct thread *t, int sig, const struct ksiginfo *info)
{
	if (sig < 0 || sig > KERNEL_NSIG)
		return -EINVAL;
	if (sig == 0)
		return 0;
	struct process *p = t->proc;
	if (!p->sighand || p->state == PROC_ZOMBIE)
		return 0;
	signal_prepare_stop_cont(p, sig);
	/* Ignored signals are dropped at once, unless blocked (they may be unignored). */
	if (ignored(p, sig) && !(t->sig.blocked & SIG_BIT(sig)))
		return 0;
	queue_info(&t->sig.queue, &t->sig.pending, sig, info);
	if (t->task)
		task_wake(t->task);
	return 0;
}

int signal_send_process(struct process *p, int sig, const struct ksiginfo *info)
{
	if (sig < 0 || sig > KERNEL_NSIG)
		return -EINVAL;
	if (sig == 0)
		return 0;
	if (!p->sighand || p->state == PROC_ZOMBIE)
		return 0;
	signal_prepare_stop_cont(p, sig);
	if (ignored(p, sig)) {
		bool all_block = true;
		for (struct thread *t = p->threads; t; t = t->next)
			if (!(t->sig.blocked & SIG_BIT(sig)))
				all_block = false;
		if (!all_block)
			return 0;
	}
	queue_info(&p->shared_queue, &p->shared_pending, sig, info);
	/* Wake a thread that can take it (SIGKILL: all of them). */
	for (struct thread *t = p->threads; t; t = t->next) {
		if (sig == SIGKILL || !(t->sig.blocked & SIG_BIT(sig))) {
			if (t->task)
				task_wake(t->task);
			if (sig != SIGKILL)
				break;
		}
	}
	return 0;
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
