/* Machine-level primitives the arch-independent frame needs: halt, QEMU exit, frame pointer. */
#include <internal/arch.h>
#include <arch/cpu.h>

#define DEBUG_EXIT_PORT 0xf4

_Noreturn void arch_halt(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

void arch_debug_exit(int code)
{
	/* Without the device the write is ignored and the caller goes on to halt. */
	outl(DEBUG_EXIT_PORT, (uint32_t)code);
}

