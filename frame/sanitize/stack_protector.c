/* Stack protector: the guard value protected frames copy and check, and the fatal report when one was overwritten. */
#ifdef FRAME_SANITIZE
#include <frame/panic.h>
#include <arch/cpu.h>
#include <internal/panic.h>

#include "sanitize_private.h"

/* A fixed value until boot can pick one; the low byte 0 stops string overruns short of it. */
uintptr_t __stack_chk_guard = 0x2f8e4c9a61d7b300UL;

/* splitmix64 finalizer: spreads the few random-ish bits of the inputs over the word. */
static uint64_t mix(uint64_t x)
{
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9UL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebUL;
	return x ^ (x >> 31);
}

/*
 * No entropy source is set up this early: the time stamp counter after boot
 * work of varying length, and this stack's address, make it differ per boot.
 */
void stack_protector_init(void)
{
	uintptr_t local = (uintptr_t)__builtin_frame_address(0);
	uint64_t g = mix(rdtsc() ^ mix(local) ^ __stack_chk_guard);
	__stack_chk_guard = (uintptr_t)(g & ~0xffUL);
}

/* Called by a protected function's epilogue instead of returning over a smashed frame. */
_Noreturn void __stack_chk_fail(void);
_Noreturn void __stack_chk_fail(void)
{
	uint64_t off = 0;
	uintptr_t ip = (uintptr_t)__builtin_return_address(0) - 1;
	const char *fn = symbol_lookup(ip, &off);
	panic("stack-protector: kernel stack is corrupted in %s+%#lx", fn ? fn : "?",
	      (unsigned long)off);
}
#endif
