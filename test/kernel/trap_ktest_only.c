/* In-kernel tests of the descriptor tables and trap dispatch: handled exceptions return, fatal ones report. */
#include <arch/cpu.h>
#include <arch/trap.h>
#include <frame/ktest.h>

static struct {
	int calls;
	uint64_t vector, rip, cs;
} seen;

static bool note_trap(struct trap_frame *f)
{
	seen.calls++;
	seen.vector = f->vector;
	seen.rip = f->rip;
	seen.cs = f->cs;
	return true;
}

KTEST(trap_breakpoint_handled_and_returns)
{
	seen.calls = 0;
	trap_handler_fn old = trap_set_handler(VEC_BREAKPOINT, note_trap);
	arch_breakpoint();
	trap_set_handler(VEC_BREAKPOINT, old);
	KEXPECT_EQ(seen.calls, 1);
	KEXPECT_EQ(seen.vector, VEC_BREAKPOINT);
	KEXPECT_EQ(seen.cs, GDT_KERNEL_CS);
	/* #BP is a trap: rip is just after the int3, inside arch_breakpoint. */
	KEXPECT(seen.rip > (uint64_t)arch_breakpoint);
	KEXPECT(seen.rip < (uint64_t)arch_breakpoint + 32);
}

static bool skip_ud2(struct trap_frame *f)
{
	note_trap(f);
	f->rip += 2;
	f->rax = 0x1234; /* the handler's changes to the frame reach the interrupted code */
	return true;
}

KTEST(trap_invalid_opcode_handler_can_resume)
{
	seen.calls = 0;
	uint64_t rax = 0;
	trap_handler_fn old = trap_set_handler(6, skip_ud2);
	__asm__ volatile("xor %%eax, %%eax; ud2" : "=a"(rax) : : "memory");
	trap_set_handler(6, old);
	KEXPECT_EQ(seen.calls, 1);
	KEXPECT_EQ(seen.vector, 6);
	KEXPECT_EQ(rax, 0x1234);
}

KTEST(cpu_segments_are_the_frame_gdt)
{
	uint16_t cs, ss, tr;
	__asm__ volatile("mov %%cs, %0; mov %%ss, %1; str %2" : "=r"(cs), "=r"(ss), "=r"(tr));
	KEXPECT_EQ(cs, GDT_KERNEL_CS);
	KEXPECT_EQ(ss, GDT_KERNEL_SS);
	KEXPECT_EQ(tr, GDT_TSS);
	if (cpu_features.nx)
		KEXPECT(rdmsr(MSR_EFER) & EFER_NXE);
	KEXPECT(read_cr0() & CR0_WP);
}

/* Fatal, run by name: an exception with an unusable stack must be reported from the #DF IST stack. */
KTEST(fatal_double_fault)
{
	__asm__ volatile("mov $0x1000, %%rsp; int3" ::: "memory");
	KEXPECT(!"int3 on an unmapped stack returned");
}
