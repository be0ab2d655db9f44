/* Frame-internal panic helpers: backtraces from an arbitrary frame (trap handlers). */
#ifndef FRAME_INTERNAL_PANIC_H
#define FRAME_INTERNAL_PANIC_H

#include <frame/types.h>

/* Print "  [<addr>] symbol+0xoff" for @rip, then walk the frame-pointer chain at @rbp. */
void backtrace_print(uint64_t rip, uint64_t rbp);

/* Find the function containing @addr; returns its name and sets *offset, or NULL. */
const char *symbol_lookup(uint64_t addr, uint64_t *offset);

/* End the machine after a fatal error has been printed: exit status 1 in QEMU. */
_Noreturn void panic_finish(void);

#endif
