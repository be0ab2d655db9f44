/* Looks a system call up in the generated table and runs its stub, traced when syscall_trace=1. */
#include <frame/errno.h>
#include "syscall.h"

#define TRACE_LINE_MAX 400	/* the kernel log's lines are 512 bytes with the timestamp */

static int64_t dispatch_traced(uint64_t nr, const struct syscall_desc *d, const struct syscall_args *args)
{
	char line[TRACE_LINE_MAX];
	/* Arguments are read before the call: execve replaces the memory they are in. */
	syscall_trace_enter(nr, d, args, line, sizeof(line));
	int64_t ret = d && d->fn ? d->fn(args) : -ENOSYS;
	syscall_trace_exit(d, line, ret);
	return ret;
}

int64_t syscall_dispatch(uint64_t nr, const struct syscall_args *args)
{
	const struct syscall_desc *d = nr < syscall_table_size ? &syscall_table[nr] : NULL;
	if (unlikely(syscall_trace_enabled))
		return dispatch_traced(nr, d, args);
	if (!d || !d->fn)
		return -ENOSYS;
	return d->fn(args);
}

const char *syscall_name(uint64_t nr)
{
	return nr < syscall_table_size ? syscall_table[nr].name : NULL;
}
