/* x86_64 exception table: instructions allowed to fault on user memory, and where each resumes. */
#ifndef ARCH_EXTABLE_H
#define ARCH_EXTABLE_H

#ifdef __ASSEMBLER__
/* Let the instruction at @insn fault on a user address and continue at @fixup. */
#define EXTABLE(insn, fixup) \
	.pushsection __ex_table, "a"; \
	.balign 8; \
	.quad insn, fixup; \
	.popsection
#else
#include <frame/types.h>

struct trap_frame;

struct extable_entry {
	uint64_t insn;
	uint64_t fixup;
};

/*
 * For a kernel-mode #PF or #GP: if the faulting instruction is in the table
 * (and, for #PF, the address is a user one, so a kernel-side bug in a copy
 * routine is still reported), move the frame to its fixup and return true.
 */
bool extable_fixup(struct trap_frame *frame);

/* The fixup for @rip, or 0 (tests). */
uint64_t extable_search(uint64_t rip);
#endif

#endif
