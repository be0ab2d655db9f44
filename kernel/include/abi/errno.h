/* Linux errno values for services: the frame's list is the one definition. */
/* uapi: <asm/errno.h> */
/* abi-defs: frame/errno.h */
#ifndef ABI_ERRNO_H
#define ABI_ERRNO_H

#include <frame/errno.h>

/*
 * Linux's restart codes (include/linux/errno.h): a system call interrupted
 * by a signal returns one of these, and the signal-delivery path turns it
 * into -EINTR or a restart of the call. User space never sees them, and the
 * UAPI headers do not export them, so they are ours and unchecked; their
 * values are Linux's all the same (a ptrace-ing or seccomp-ing program may
 * see them in orig_rax/rax). The frame does not use them: they are the
 * signal layer's policy, not the machine's.
 * abi-unchecked
 */
#define ERESTARTSYS 512
#define ERESTARTNOINTR 513
#define ERESTARTNOHAND 514
#define ERESTART_RESTARTBLOCK 516

#endif
