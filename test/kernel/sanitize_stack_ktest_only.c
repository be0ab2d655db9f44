/* Stack protector in the sanitized test kernel: a smashed canary ends the kernel with a report; run by name, checked by test/kernel/run. */
#include <frame/ktest.h>

/*
 * Flips every byte between the buffer and the saved frame pointer: the
 * canary lives there, while the frame chain and return address stay intact
 * for the backtrace. KASAN is off here so the protector is what fires.
 */
static __attribute__((noinline, no_sanitize_address)) void sanitize_smash_canary(void)
{
	char buf[16];
	char *volatile p = buf;
	char *end = __builtin_frame_address(0);
	for (char *q = p + sizeof(buf); q < end; q++)
		*q ^= 0x5a;
	__asm__ volatile("" : : "r"(buf) : "memory");
}

KTEST(fatal_stack_smash)
{
	sanitize_smash_canary();
	KEXPECT(!"a function with a smashed stack canary returned");
}
