/* Hosted frame panic: print the message and abort, so ASan and gdb show where. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <frame/panic.h>
#include <internal/panic.h>
#include <sanitizer/common_interface_defs.h>

/* The frame's reports print a backtrace: here ASan's own, of the calling thread. */
void backtrace_print(uint64_t rip, uint64_t rbp)
{
	(void)rbp;
	printf("  [<%#lx>]\n", (unsigned long)rip);
	fflush(stdout);
	__sanitizer_print_stack_trace();
}

const char *symbol_lookup(uint64_t addr, uint64_t *offset)
{
	(void)addr;
	*offset = 0;
	return NULL;
}

_Noreturn void panic(const char *fmt, ...)
{
	va_list ap;
	fflush(stdout);
	fputs("PANIC: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}
