/* Deliberate crashes: run one at a time by name (ktest=fatal_...), checked by test/kernel/run. */
#include <frame/ktest.h>

/* Keeps the compiler from proving the pointer NULL and dropping the access. */
static volatile unsigned long fault_address = 0x10;

KTEST(fatal_page_fault)
{
	/*
	 * A call first, so this function's frame is set up when it faults: the
	 * compiler may otherwise schedule the write ahead of the prologue and the
	 * frame-pointer walk would skip the caller.
	 */
	KEXPECT(fault_address != 0);
	volatile unsigned long *p = (volatile unsigned long *)fault_address;
	*p = 1;
	KEXPECT(!"the write to an unmapped page returned");
}
