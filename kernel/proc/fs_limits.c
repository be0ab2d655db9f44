/* The process layer's side of the file layer's write-time checks: credential, RLIMIT_FSIZE, SIGXFSZ. */
#include <abi/resource.h>
#include <kernel/fs_limits.h>
#include <kernel/proc.h>
#include <kernel/signal.h>

static const struct cred *hook_cred(void)
{
	struct process *p = process_current();
	return p ? &p->cred : NULL;
}

static uint64_t hook_fsize(void)
{
	struct process *p = process_current();
	if (!p)
		return UINT64_MAX;
	uint64_t cur = p->rlim[RLIMIT_FSIZE].rlim_cur;
	return cur == RLIM_INFINITY ? UINT64_MAX : cur;
}

static void hook_sigxfsz(void)
{
	struct thread *t = thread_current();
	if (!t)
		return;
	/* Linux's send_sig(SIGXFSZ, current, 0): SI_USER from the kernel. */
	struct ksiginfo info = { .signo = SIGXFSZ, .code = SI_USER, .pid = t->proc->pid,
				 .uid = t->proc->cred.uid };
	signal_send_thread(t, SIGXFSZ, &info);
}

static const struct fs_limit_hooks limit_hooks = { hook_cred, hook_fsize, hook_sigxfsz };

void fs_limit_hooks_install(void)
{
	fs_set_limit_hooks(&limit_hooks);
}
