/* Frame-pointer backtrace on x86_64: [rbp] is the caller's rbp, [rbp+8] the return address. */
#include <frame/log.h>
#include <internal/mm.h>
#include <internal/panic.h>
#include <arch/layout.h>
#include <task/task_internal.h>

#define BACKTRACE_MAX 32

static void print_frame(uint64_t addr)
{
	uint64_t off;
	const char *name = symbol_lookup(addr, &off);
	if (name)
		console_printf("  [<%016lx>] %s+0x%lx\n", addr, name, off);
	else
		console_printf("  [<%016lx>] ?\n", addr);
}

/*
 * Only follow frames that lie in kernel memory and are aligned; a corrupt
 * chain must not fault. In the stack area only mapped stacks qualify: an
 * overflow leaves rbp near (or in) a guard gap.
 */
static bool frame_ok(uint64_t rbp)
{
	if (kstack_in_area(rbp))
		return (rbp & 7) == 0 && kstack_readable(rbp) && kstack_readable(rbp + 15);
	return rbp >= DIRECT_MAP_BASE && (rbp & 7) == 0 &&
	       rbp < 0xfffffffffffff000UL;
}

void backtrace_print(uint64_t rip, uint64_t rbp)
{
	console_printf("Backtrace:\n");
	print_frame(rip);
	for (int i = 0; i < BACKTRACE_MAX && frame_ok(rbp); i++) {
		const uint64_t *fp = (const uint64_t *)rbp;
		uint64_t ret = fp[1];
		if (ret < (uint64_t)__text_start || ret >= (uint64_t)__text_end)
			break;
		/* The call instruction is just before the return address. */
		print_frame(ret - 1);
		if (fp[0] <= rbp)
			break;
		rbp = fp[0];
	}
}
