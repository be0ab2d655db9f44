/*
 * Weak fallback for a piece another file provides, so the kernel links while
 * it is being written: the signal code's handler frames override this. To be
 * deleted once kernel/signal/frame.c exists.
 */
#include <abi/errno.h>
#include <kernel/proc.h>
#include "../signal/signal_internal.h"
#include "proc_internal.h"

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
