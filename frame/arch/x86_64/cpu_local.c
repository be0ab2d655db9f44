/* x86_64 per-CPU base: GS points at the CPU's struct cpu_local while in the kernel. */
#include <arch/cpu.h>
#include <arch/task_arch.h>
#include <task/task_internal.h>

_Static_assert(__builtin_offsetof(struct cpu_local, self) == 0,
	       "arch_cpu_local() reads the self pointer at %gs:0");

void arch_cpu_local_install(struct cpu_local *c)
{
	/*
	 * In the kernel GS_BASE is the per-CPU block and KERNEL_GS_BASE holds
	 * the user's GS; trap_entry.S exchanges them (swapgs) on every crossing
	 * to and from user mode. User GS starts as 0.
	 */
	wrmsr(MSR_GS_BASE, (uint64_t)c);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
}
