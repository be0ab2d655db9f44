/* x86_64 exception table lookup: a user-copy instruction that faults resumes at its fixup instead of panicking. */
#include <arch/extable.h>
#include <arch/layout.h>
#include <arch/trap.h>
#include <arch/cpu.h>

/* Bounds of the __ex_table section (kernel.ld). */
extern const struct extable_entry __start_ex_table[], __stop_ex_table[];

uint64_t extable_search(uint64_t rip)
{
	/* A handful of entries: a linear scan needs no sorted table. */
	for (const struct extable_entry *e = __start_ex_table; e < __stop_ex_table; e++)
		if (e->insn == rip)
			return e->fixup;
	return 0;
}

bool extable_fixup(struct trap_frame *f)
{
	if (f->vector != VEC_PAGE_FAULT && f->vector != VEC_GP)
		return false;
	/*
	 * The routines only ever reach kernel memory by the caller's kernel
	 * pointer; a fault there is a kernel bug and stays fatal. (#GP gives no
	 * address: callers range-check, so it can only come from user pages.)
	 */
	if (f->vector == VEC_PAGE_FAULT && read_cr2() >= USER_SPACE_END)
		return false;
	uint64_t fixup = extable_search(f->rip);
	if (!fixup)
		return false;
	f->rip = fixup;
	return true;
}
