/* Fatal errors and assertions. */
#ifndef FRAME_PANIC_H
#define FRAME_PANIC_H

/*
 * Print the message and a symbolized backtrace on every console, then end the
 * machine with a non-zero status (QEMU isa-debug-exit if present, else halt).
 */
_Noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define BUG_ON(cond) \
	do { \
		if (__builtin_expect(!!(cond), 0)) \
			panic("BUG_ON(%s) at %s:%d", #cond, __FILE__, __LINE__); \
	} while (0)

#endif
