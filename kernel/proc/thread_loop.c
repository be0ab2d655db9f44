/*
 * A thread's life: one frame task running its user context until the next
 * system call, exception or interrupt, handling it, delivering signals, and
 * going back — until the thread or its process exits.
 */
#include <abi/errno.h>
#include <frame/log.h>
#include <frame/task.h>
#include <frame/user.h>
#include <kernel/mm.h>
#include <kernel/proc.h>
#include <kernel/signal.h>
#include "../syscall/syscall.h"
#include "proc_internal.h"

#define THREAD_PRIORITY 3

static void handle_syscall(struct thread *t)
{
	struct syscall_args args;
	uint64_t nr = user_context_syscall_nr(&t->ctx);

	for (unsigned i = 0; i < 6; i++)
		args.a[i] = user_context_syscall_arg(&t->ctx, i);
	t->in_syscall = true;
	int64_t ret = syscall_dispatch(nr, &args);
	t->syscall_ret = ret;
	/* rt_sigreturn and execve set every register themselves. */
	if (ret != SYSCALL_RET_KEEP_REGS)
		user_context_set_return(&t->ctx, ret);
}

static void handle_exception(struct thread *t)
{
	const struct user_trap_info *trap = user_context_trap(&t->ctx);
	int res = 0;
	/* The frame asked the mm's fault hook already: reaching here means it said no. */
	if (trap->vector == USER_TRAP_PAGE_FAULT && t->proc->mm)
		res = mm_handle_fault(t->proc->mm, trap->fault_addr, trap->access);
	if (res == 0 && trap->vector == USER_TRAP_PAGE_FAULT)
		return;	/* resolved after all (another thread mapped it meanwhile) */
	if (res == -ENOMEM && trap->vector == USER_TRAP_PAGE_FAULT) {
		/* No lock held here: a victim is killed and waited for, then the access runs again. */
		proc_out_of_memory();
		return;
	}
	t->in_syscall = false;
	signal_from_trap(t, trap, res);
}

int thread_enter_user(struct thread *t)
{
	struct process *p = t->proc;
	for (;;) {
		if (t->exiting || p->exiting)
			proc_exit_thread(t->exit_code);
		rseq_before_user(t);
		signal_deliver(t);
		if (t->exiting || p->exiting)
			proc_exit_thread(t->exit_code);
		t->in_syscall = false;
		switch (user_mode_execute(&t->ctx)) {
		case USER_RETURN_SYSCALL:
			handle_syscall(t);
			break;
		case USER_RETURN_EXCEPTION:
			rseq_event(t);
			handle_exception(t);
			break;
		case USER_RETURN_INTERRUPT:
			/* Its handlers ran; preemption, if due, already happened: a section restarts. */
			rseq_event(t);
			break;
		}
	}
}

static int thread_main(void *arg)
{
	struct thread *t = arg;
	t->task = task_current();
	task_set_data(t->task, t);
	task_set_vm_space(t->task, mm_vm_space(t->proc->mm));
	user_context_set_vm_space(&t->ctx, mm_vm_space(t->proc->mm));
	return thread_enter_user(t);
}

int thread_start(struct thread *t)
{
	return task_create(t->proc->comm, thread_main, t, THREAD_PRIORITY, NULL);
}
