/*
 * Weak fallbacks for pieces other files provide, so the kernel links while
 * they are being written: the futex code's real futex_wake_cleartid() and
 * the signal code's handler frames override these. To be deleted once both
 * exist (tracked in the lead's notes).
 */
#include <abi/errno.h>
#include <frame/vm_io.h>
#include <kernel/proc.h>
#include "../signal/signal_internal.h"
#include "proc_internal.h"

__attribute__((weak)) void futex_wake_cleartid(vaddr_t uaddr)
{
	put_user_u32(0, user_ptr(uaddr));
}

/* Without frames, a caught signal can't be delivered: the caller kills the process. */
__attribute__((weak)) int signal_setup_frame(struct thread *t, int sig,
					     const struct ksiginfo *info,
					     const struct kernel_sigaction *sa)
{
	(void)t;
	(void)sig;
	(void)info;
	(void)sa;
	return -EFAULT;
}
