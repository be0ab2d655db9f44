/* Deliberate crashes: run one at a time by name (ktest=fatal_...), checked by test/kernel/run. */
#include <frame/ktest.h>

/* Keeps the compiler from proving the pointer NULL and dropping the access. */
static volatile unsigned long fault_address = 0x10;

KTEST(fatal_page_fault)
{
	volatile unsigned long *p = (volatile unsigned long *)fault_address;
	*p = 1;
	KEXPECT(!"the write to an unmapped page returned");
}
