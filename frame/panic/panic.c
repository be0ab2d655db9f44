/* panic(): report a fatal kernel error with a backtrace and stop the machine. */
#include <frame/log.h>
#include <frame/panic.h>
#include <internal/arch.h>
#include <internal/log.h>
#include <internal/panic.h>

static bool panicking;

_Noreturn void panic_finish(void)
{
	/* Exit status 3 in QEMU: distinct from a clean power-off (0). */
	arch_debug_exit(1);
	arch_halt();
}

_Noreturn void panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	console_enter_emergency();
	if (panicking) {
		/* A fault while panicking: print nothing more that could fault again. */
		console_printf("\nnested panic\n");
		panic_finish();
	}
	panicking = true;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	console_printf("\nKernel panic: %s\n", msg);
	backtrace_print((uint64_t)__builtin_return_address(0),
			(uint64_t)__builtin_frame_address(0));
	console_printf("---[ end Kernel panic ]---\n");
	panic_finish();
}
