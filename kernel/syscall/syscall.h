/* System-call dispatch: the table generated from syscalls.list, its stubs' signature, and the tracer. */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include <frame/types.h>
#include <kernel/syscalls.h>

/* The six argument registers of a Linux x86_64 system call, in order. */
struct syscall_args {
	uint64_t a[6];
};

/* A generated stub: decodes the registers and calls the typed handler. */
typedef int64_t (*syscall_fn)(const struct syscall_args *args);

/* How the tracer prints an argument (kit/gen-syscalls picks it from the prototype). */
enum syscall_arg_kind {
	SC_S32 = 1,	/* int: signed decimal of the low 32 bits */
	SC_S64,		/* int64_t */
	SC_U32,		/* uint32_t: unsigned decimal */
	SC_U64,		/* uint64_t, size_t */
	SC_X32,		/* parameters named *flags, arg*, prot, cmd, code, op: hex */
	SC_X64,
	SC_OCT,		/* a parameter named mode: octal */
	SC_PTR,		/* a __user pointer or vaddr_t: hex, NULL for 0 */
	SC_STR,		/* const char __user *: the string, quoted */
};

#define SYSCALL_NORETURN 1u	/* never returns to the dispatcher (exit, exit_group) */
#define SYSCALL_RET_ADDR 2u	/* a result other than 0 is an address (first parameter vaddr_t addr or brk) */

struct syscall_desc {
	const char *name;
	syscall_fn fn;		/* NULL: not implemented, -ENOSYS */
	uint8_t nargs;
	uint8_t flags;		/* SYSCALL_* */
	uint8_t arg[6];		/* enum syscall_arg_kind per parameter */
};

/* Generated from kernel/syscall/syscalls.list (kit/gen-syscalls). */
extern const struct syscall_desc syscall_table[];
extern const size_t syscall_table_size;

/* Run system call @nr; -ENOSYS for numbers Cadre does not implement. */
int64_t syscall_dispatch(uint64_t nr, const struct syscall_args *args);

/* The call's name for logs and traces, or NULL for an unknown number. */
const char *syscall_name(uint64_t nr);

/*
 * The tracer: with syscall_trace=1 on the command line every call is logged
 * with its decoded arguments and result. syscall_trace_init() reads the
 * option (kernel_main calls it once); syscall_trace_enabled says whether it is on.
 */
void syscall_trace_init(void);
extern bool syscall_trace_enabled;
/* Print @d's call with @args before it runs (into @line) and after (with @ret). */
void syscall_trace_enter(uint64_t nr, const struct syscall_desc *d, const struct syscall_args *args,
			 char *line, size_t size);
void syscall_trace_exit(const struct syscall_desc *d, const char *line, int64_t ret);

#endif
