/* x86_64 trap dispatch: per-vector handlers, the user-mode hook, and the fatal exception report. */
#include <arch/apic.h>
#include <arch/cpu.h>
#include <arch/trap.h>
#include <arch/layout.h>
#include <arch/extable.h>
#include <arch/user.h>
#include <frame/log.h>
#include <internal/log.h>
#include <internal/mm.h>
#include <internal/panic.h>
#include <sched/sched_internal.h>
#include <task/task_internal.h>

static trap_handler_fn trap_handlers[256];
static trap_user_hook_fn trap_user_hook;

static const char *const exception_names[NR_EXCEPTIONS] = {
	"Divide error", "Debug", "Non-maskable interrupt", "Breakpoint",
	"Overflow", "BOUND range exceeded", "Invalid opcode", "Device not available",
	"Double fault", "Coprocessor segment overrun", "Invalid TSS", "Segment not present",
	"Stack-segment fault", "General protection fault", "Page fault", "Reserved (15)",
	"x87 floating-point error", "Alignment check", "Machine check", "SIMD floating-point error",
	"Virtualization exception", "Control protection", "Reserved (22)", "Reserved (23)",
	"Reserved (24)", "Reserved (25)", "Reserved (26)", "Reserved (27)",
	"Hypervisor injection", "VMM communication", "Security exception", "Reserved (31)",
};
static const char *const exception_mnemonics[NR_EXCEPTIONS] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
	"#DF", "#CSO", "#TS", "#NP", "#SS", "#GP", "#PF", "#15",
	"#MF", "#AC", "#MC", "#XM", "#VE", "#CP", "#22", "#23",
	"#24", "#25", "#26", "#27", "#HV", "#VC", "#SX", "#31",
};

const char *trap_exception_name(unsigned vector)
{
	return vector < NR_EXCEPTIONS ? exception_names[vector] : "Interrupt";
}

trap_handler_fn trap_set_handler(unsigned vector, trap_handler_fn fn)
{
	if (vector >= 256)
		return NULL;
	uint64_t flags = read_rflags();
	cli();
	trap_handler_fn old = trap_handlers[vector];
	trap_handlers[vector] = fn;
	if (flags & RFLAGS_IF)
		sti();
	return old;
}

void trap_set_user_hook(trap_user_hook_fn hook)
{
	trap_user_hook = hook;
}

void arch_breakpoint(void)
{
	__asm__ volatile("int3" ::: "memory");
}

void trap_dump_registers(const struct trap_frame *f)
{
	console_printf("RIP %016lx CS %04lx RFLAGS %016lx\n", f->rip, f->cs, f->rflags);
	console_printf("RSP %016lx SS %04lx\n", f->rsp, f->ss);
	console_printf("RAX %016lx RBX %016lx RCX %016lx\n", f->rax, f->rbx, f->rcx);
	console_printf("RDX %016lx RSI %016lx RDI %016lx\n", f->rdx, f->rsi, f->rdi);
	console_printf("RBP %016lx R8  %016lx R9  %016lx\n", f->rbp, f->r8, f->r9);
	console_printf("R10 %016lx R11 %016lx R12 %016lx\n", f->r10, f->r11, f->r12);
	console_printf("R13 %016lx R14 %016lx R15 %016lx\n", f->r13, f->r14, f->r15);
	console_printf("CR0 %016lx CR2 %016lx CR3 %016lx CR4 %016lx\n",
		       read_cr0(), read_cr2(), read_cr3(), read_cr4());
}

static bool in_text(uint64_t a)
{
	return a >= (uint64_t)__text_start + 8 && a < (uint64_t)__text_end;
}

/* Length of an indirect "call r/m64" (FF /2) whose ModRM byte is @p[1], or 0 if it is not one. */
static unsigned indirect_call_len(const uint8_t *p)
{
	uint8_t modrm = p[1], mod = modrm >> 6, rm = modrm & 7;
	if (p[0] != 0xff || ((modrm >> 3) & 7) != 2)
		return 0;
	unsigned len = 2;
	if (mod != 3 && rm == 4) {
		len++; /* SIB */
		if (mod == 0 && (p[2] & 7) == 5)
			len += 4;
	}
	if (mod == 1)
		len += 1;
	else if (mod == 2 || (mod == 0 && rm == 5))
		len += 4;
	return len;
}

/* Is @ret a return address, i.e. just after a direct or indirect call instruction? */
static bool follows_call(uint64_t ret)
{
	const uint8_t *p = (const uint8_t *)ret;
	if (!in_text(ret))
		return false;
	if (p[-5] == 0xe8)
		return true;
	for (unsigned k = 2; k <= 7; k++)
		if (indirect_call_len(p - k) == k)
			return true;
	return false;
}

/*
 * A function that faults before setting up its frame (gcc may schedule the
 * prologue late, or drop it around tail calls) leaves rbp pointing at its
 * caller's frame, so a plain walk would skip the caller. Its return address
 * is then on top of the stack, or just above a pushed rbp: hand
 * backtrace_print() a frame record built from it.
 */
static void report_backtrace(const struct trap_frame *f)
{
	uint64_t rsp = f->rsp, rbp = f->rbp;
	bool stack_ok = !trap_from_user(f) && f->vector != VEC_DOUBLE_FAULT && (rsp & 7) == 0 &&
			((rsp >= DIRECT_MAP_BASE && rsp < DIRECT_MAP_BASE + DIRECT_MAP_SIZE) ||
			 (kstack_readable(rsp) && kstack_readable(rsp + 15)) ||
			 (rsp >= (uint64_t)__kernel_start && rsp + 16 <= (uint64_t)__kernel_end));
	if (stack_ok) {
		const uint64_t *top = (const uint64_t *)rsp;
		uint64_t ret = 0;
		if (follows_call(top[0]))
			ret = top[0];
		else if (top[0] == rbp && follows_call(top[1]))
			ret = top[1];
		bool framed = rbp > rsp && rbp - rsp < 0x10000 && ((const uint64_t *)rbp)[1] == ret;
		if (ret && !framed) {
			uint64_t record[2] = { rbp, ret };
			backtrace_print(f->rip, (uint64_t)record);
			return;
		}
	}
	backtrace_print(f->rip, rbp);
}

_Noreturn void trap_fatal(struct trap_frame *f)
{
	/* A fault while reporting a fault must not recurse forever. */
	static int depth;
	unsigned v = (unsigned)f->vector;

	console_enter_emergency();
	if (++depth > 1) {
		if (depth == 2)
			console_printf("\nnested exception %s at %016lx while reporting\n",
				       v < NR_EXCEPTIONS ? exception_mnemonics[v] : "?", f->rip);
		if (depth <= 2)
			panic_finish();
		for (;;)
			__asm__ volatile("cli; hlt");
	}
	/*
	 * Into a stack's guard gap: the access itself (#PF, rsp still inside),
	 * or the CPU's push of the fault's frame (#DF, rsp in the gap).
	 */
	uint64_t cr2 = read_cr2();
	if (!trap_from_user(f) && (v == VEC_PAGE_FAULT || v == VEC_DOUBLE_FAULT) &&
	    (kstack_in_guard(cr2) || kstack_in_guard(f->rsp))) {
		struct task *t = task_current();
		console_printf("\nKernel panic: kernel stack overflow in task '%s' (id %lu): %s at "
			       "%016lx in the guard gap below its stack [%p, %p)\n",
			       t ? t->name : "?", t ? (unsigned long)t->id : 0UL,
			       exception_mnemonics[v], kstack_in_guard(cr2) ? cr2 : f->rsp,
			       t ? t->stack.base : NULL,
			       t ? (void *)((char *)t->stack.base + t->stack.size) : NULL);
		trap_dump_registers(f);
		report_backtrace(f);
		console_printf("---[ end Kernel panic ]---\n");
		panic_finish();
	}
	console_printf("\nKernel panic: unhandled exception %s (%s) in %s mode, error code 0x%lx\n",
		       v < NR_EXCEPTIONS ? exception_mnemonics[v] : "?", trap_exception_name(v),
		       trap_from_user(f) ? "user" : "kernel", f->error_code);
	if (v == VEC_PAGE_FAULT) {
		uint64_t e = f->error_code;
		console_printf("Faulting address (CR2) %016lx: %s, %s, %s mode, %s%s\n", read_cr2(),
			       e & PF_PRESENT ? "protection violation" : "page not present",
			       e & PF_WRITE ? "write" : "read", e & PF_USER ? "user" : "kernel",
			       e & PF_FETCH ? "instruction fetch" : "data access",
			       e & PF_RSVD ? ", reserved bit set" : "");
	} else if (v == VEC_DOUBLE_FAULT) {
		console_printf("(on the double-fault stack; kernel stack overflow is the usual cause)\n");
	}
	trap_dump_registers(f);
	report_backtrace(f);
	console_printf("---[ end Kernel panic ]---\n");
	panic_finish();
}

static void unexpected_interrupt(struct trap_frame *f)
{
	static unsigned reported;
	unsigned v = (unsigned)f->vector;

	/* A masked 8259 can still raise spurious IRQ7/15: they need no EOI. */
	if (v >= VEC_PIC_BASE && v < VEC_PIC_BASE + 16)
		return;
	if (reported++ < 8)
		pr_warn("trap: unexpected interrupt vector 0x%x\n", v);
	lapic_eoi();
}

void trap_dispatch(struct trap_frame *f)
{
	unsigned v = (unsigned)f->vector & 0xff;
	trap_handler_fn h = trap_handlers[v];

	/* Issue 3: close SMAP windows; a trap from user mode saves its FPU state before any handler runs. */
	user_trap_entry(f);
	if (v < NR_EXCEPTIONS) {
		/* Issue 3: a user-copy routine that faulted on user memory resumes at its fixup. */
		if (!trap_from_user(f) && extable_fixup(f))
			return;
		if (!(h && h(f))) {
			if (trap_from_user(f) && trap_user_hook && v != VEC_DOUBLE_FAULT &&
			    v != VEC_MACHINE_CHECK) {
				trap_user_hook(f);
				return;
			}
			if (v == VEC_NMI && !trap_from_user(f)) {
				/* Nothing raises NMIs on purpose yet; say so and carry on. */
				pr_warn("trap: NMI at %016lx\n", f->rip);
				return;
			}
			trap_fatal(f);
		}
	} else if (h) {
		h(f);
	} else {
		unexpected_interrupt(f);
	}
	/*
	 * Issue 3: preemption point. After an interrupt (not an exception, which
	 * may be on an IST stack) switch tasks if the running one's turn is over;
	 * this returns when the interrupted task runs again.
	 */
	if (v >= NR_EXCEPTIONS)
		sched_irq_exit(f->rflags & RFLAGS_IF);
	/* Issue 3: last, because the user-mode hook does not return (it unwinds to user_mode_execute()). */
	if (trap_from_user(f) && trap_user_hook)
		trap_user_hook(f);
}
