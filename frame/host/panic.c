/* Hosted frame panic: print the message and abort, so ASan and gdb show where. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <frame/panic.h>

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
