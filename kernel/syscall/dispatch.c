/* Looks a system call up in the generated table and runs its handler. */
#include <frame/errno.h>
#include "syscall.h"

int64_t syscall_dispatch(uint64_t nr, const struct syscall_args *args)
{
	if (nr >= syscall_table_size || !syscall_table[nr].fn)
		return -ENOSYS;
	return syscall_table[nr].fn(args);
}

const char *syscall_name(uint64_t nr)
{
	return nr < syscall_table_size ? syscall_table[nr].name : NULL;
}
