/* System-call dispatch: the table generated from syscalls.list and the handler signature. */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include <frame/types.h>

/* The six argument registers of a Linux x86_64 system call, in order. */
struct syscall_args {
	uint64_t a[6];
};

/*
 * A handler returns the result, or a negative errno; SYSCALL_RET_KEEP_REGS
 * when it has set the user registers itself (execve, rt_sigreturn).
 */
#define SYSCALL_RET_KEEP_REGS (-4096 - 1)

typedef int64_t (*syscall_fn)(const struct syscall_args *args);

struct syscall_desc {
	const char *name;
	syscall_fn fn;	/* NULL: not implemented, -ENOSYS */
};

/* Generated from kernel/syscall/syscalls.list (kit/gen-syscalls). */
extern const struct syscall_desc syscall_table[];
extern const size_t syscall_table_size;

/* Run system call @nr; -ENOSYS for numbers Cadre does not implement. */
int64_t syscall_dispatch(uint64_t nr, const struct syscall_args *args);

/* The call's name for logs and traces, or NULL for an unknown number. */
const char *syscall_name(uint64_t nr);

#endif
