/* Shared by the signal tests: a process with one thread, built without user mode (no task: senders wake nobody). */
#ifndef TEST_SERVICES_SIGNAL_FIXTURE_H
#define TEST_SERVICES_SIGNAL_FIXTURE_H

#include <abi/errno.h>
#include <abi/signal.h>
#include <abi/ucontext.h>
#include <frame/heap.h>
#include <frame/string.h>
#include <kernel/proc.h>
#include <kernel/signal.h>
#include "../../kernel/signal/signal_internal.h"

static inline struct thread *st_new(void)
{
	struct process *p = kzalloc(sizeof(*p));
	struct thread *t = kzalloc(sizeof(*t));
	if (!p || !t) {
		kfree(p);
		kfree(t);
		return NULL;
	}
	p->sighand = sighand_create();
	if (!p->sighand) {
		kfree(p);
		kfree(t);
		return NULL;
	}
	p->pid = 4242;
	/* A fresh user (uid 4242) with no limit on queued signals (RLIMIT_SIGPENDING). */
	p->cred.uid = 4242;
	for (int i = 0; i < RLIM_NLIMITS; i++)
		p->rlim[i] = (struct rlimit){ RLIM_INFINITY, RLIM_INFINITY };
	t->tid = 4242;
	t->proc = p;
	p->threads = t;
	p->nthreads = 1;
	return t;
}

static inline void st_free(struct thread *t)
{
	struct process *p = t->proc;
	signal_discard_thread(t);
	signal_discard_process(p);
	sighand_put(p->sighand);
	kfree(t);
	kfree(p);
}

static inline void st_handle(struct thread *t, int sig, uint64_t handler)
{
	t->proc->sighand->action[sig - 1].sa_handler = handler;
}

static inline struct ksiginfo st_info(int sig, int code, int pid, uint64_t value)
{
	return (struct ksiginfo){ .signo = sig, .code = code, .pid = pid, .value = value };
}

#endif
