/* x86_64 user mode: user_mode_execute(), the trap hooks that bring user traps back to it, syscall MSRs, SMAP, context accessors. */
#include <arch/cpu.h>
#include <arch/fpu.h>
#include <arch/layout.h>
#include <arch/trap.h>
#include <arch/user.h>
#include <frame/cpu_local.h>
#include <frame/irq.h>
#include <frame/string.h>
#include <frame/user.h>
#include <frame/vm_space.h>

bool user_smap_enabled;
/* Reached by the syscall stubs RIP-relatively: see user_entry.S. */
struct user_cpu user_cpus[USER_CPU_MAX];

_Static_assert(USER_EXIT_SYSCALL == USER_RETURN_SYSCALL, "syscall_common's reason");

/* ctx->exit_kind */
#define EXIT_NONE 0
#define EXIT_SYSCALL 1
#define EXIT_TRAP 2

/* RFLAGS bits a program owns: CF PF AF ZF SF TF DF OF AC ID. IF is forced on, IOPL/NT/RF/VM off. */
#define RFLAGS_USER_MASK 0x240dd5ul
#define RFLAGS_FIXED 0x2ul
#define RFLAGS_TF (1ul << 8)
#define RFLAGS_DF (1ul << 10)
#define RFLAGS_IOPL (3ul << 12)
#define RFLAGS_NT (1ul << 14)

_Static_assert(USER_CPU_MAX == CPU_MAX, "a syscall stub per CPU");

/* Callers run with interrupts off, so the CPU cannot change under them. */
static unsigned user_cpu_index(void)
{
	return cpu_id();
}

void user_arch_init(void)
{
	if (cpu_features.smap) {
		write_cr4(read_cr4() | CR4_SMAP);
		user_smap_enabled = true;
	}
	fpu_init();
	trap_set_user_hook(user_trap_exit);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	wrmsr(MSR_STAR, GDT_STAR_VALUE);
	uint64_t stub = (uint64_t)user_syscall_stubs + user_cpu_index() * USER_SYSCALL_STUB_SIZE;
	wrmsr(MSR_LSTAR, stub);
	/* A syscall from 32-bit code (AMD allows it) lands in the same stub, never at address 0. */
	wrmsr(0xc0000083 /* CSTAR */, stub);
	/* The kernel never runs with the program's IF, TF, DF or AC (SMAP off!). */
	wrmsr(MSR_FMASK, RFLAGS_IF | RFLAGS_TF | RFLAGS_DF | RFLAGS_AC | RFLAGS_IOPL | RFLAGS_NT);
}

/* Traps on IST stacks (#DF, NMI, #MC) do not land below the user_enter() record. */
static bool on_rsp0_stack(const struct trap_frame *f)
{
	return f->vector != VEC_DOUBLE_FAULT && f->vector != VEC_NMI &&
	       f->vector != VEC_MACHINE_CHECK;
}

/*
 * The user_enter() record the frame sits on: RSP0 pointed there when the trap
 * came. (Not compared with user_cpus[]: a handler may have switched tasks,
 * and another task's entry moved the slot since.)
 */
static uint64_t record_of(const struct trap_frame *f)
{
	return (uint64_t)(f + 1);
}

/* State the kernel leaves in place while it runs: save it before anything can switch tasks. */
static void save_extended(struct user_context *ctx)
{
	fpu_save(&ctx->fpu);
	ctx->regs.fs_base = rdmsr(MSR_FS_BASE);
	ctx->regs.gs_base = rdmsr(MSR_KERNEL_GS_BASE); /* swapgs put the user's there */
}

void user_trap_entry(struct trap_frame *f)
{
	arch_user_access_end();
	if (!trap_from_user(f) || !on_rsp0_stack(f))
		return;
	struct user_context *ctx = *(struct user_context **)record_of(f);
	save_extended(ctx);
	struct user_trap_info *t = &ctx->trap;
	memset(t, 0, sizeof(*t));
	t->vector = (unsigned)f->vector;
	t->error_code = f->error_code;
	if (f->vector == VEC_PAGE_FAULT) {
		t->fault_addr = read_cr2();
		t->access = (f->error_code & PF_FETCH) ? VM_EXEC :
			    (f->error_code & PF_WRITE) ? VM_WRITE : VM_READ;
		t->present = f->error_code & PF_PRESENT;
	}
}

void user_trap_exit(struct trap_frame *f)
{
	/* An NMI from user mode just returns there: the program's state is untouched. */
	if (!trap_from_user(f) || !on_rsp0_stack(f))
		return;
	uint64_t k = record_of(f);
	struct user_context *ctx = *(struct user_context **)k;
	struct user_regs *r = &ctx->regs;
	r->r15 = f->r15, r->r14 = f->r14, r->r13 = f->r13, r->r12 = f->r12;
	r->r11 = f->r11, r->r10 = f->r10, r->r9 = f->r9, r->r8 = f->r8;
	r->rbp = f->rbp, r->rdi = f->rdi, r->rsi = f->rsi, r->rdx = f->rdx;
	r->rcx = f->rcx, r->rbx = f->rbx, r->rax = f->rax;
	r->rip = f->rip, r->cs = f->cs, r->rflags = f->rflags, r->rsp = f->rsp, r->ss = f->ss;
	ctx->exit_kind = EXIT_TRAP;
	user_exit(k, f->vector < NR_EXCEPTIONS ? USER_RETURN_EXCEPTION : USER_RETURN_INTERRUPT);
}

static bool canonical(uint64_t va)
{
	uint64_t top = va >> 47;
	return top == 0 || top == 0x1ffff;
}

/* Offer a user-mode page fault to the space's handler; true if the access may be retried. */
static bool resolve_fault(const struct user_context *ctx)
{
	const struct user_trap_info *t = &ctx->trap;
	if (t->vector != VEC_PAGE_FAULT || (t->error_code & PF_RSVD))
		return false;
	struct vm_fault fault = {
		.addr = t->fault_addr, .access = t->access, .present = t->present, .from_user = true,
	};
	return vm_space_handle_fault(ctx->space ? ctx->space : vm_space_current(), &fault) == 0;
}

enum user_return user_mode_execute(struct user_context *ctx)
{
	struct user_regs *r = &ctx->regs;
	for (;;) {
		r->rflags = (r->rflags & RFLAGS_USER_MASK) | RFLAGS_FIXED | RFLAGS_IF;
		/*
		 * sysret to a non-canonical rip faults in ring 0 with the user's
		 * rsp loaded, and iret to one faults in ring 0 too: such a context
		 * gets the #GP the jump would have caused, without entering.
		 */
		if (r->rip >= USER_SPACE_END) {
			memset(&ctx->trap, 0, sizeof(ctx->trap));
			ctx->trap.vector = USER_TRAP_GENERAL_PROTECTION;
			ctx->exit_kind = EXIT_TRAP;
			return USER_RETURN_EXCEPTION;
		}
		/* sysret restores rip from rcx and rflags from r11: exact only if they agree. */
		int mode = (r->rcx == r->rip && r->r11 == r->rflags) ? USER_ENTER_SYSRET : USER_ENTER_IRET;
		/*
		 * sysret never loads rsp, so a bad one faults later in user mode;
		 * whether iretq checks it differs between CPUs, so it is refused.
		 */
		if (mode == USER_ENTER_IRET && !canonical(r->rsp)) {
			memset(&ctx->trap, 0, sizeof(ctx->trap));
			ctx->trap.vector = USER_TRAP_GENERAL_PROTECTION;
			ctx->exit_kind = EXIT_TRAP;
			return USER_RETURN_EXCEPTION;
		}
		/* wrmsr of a non-canonical base would #GP in the kernel. */
		if (r->fs_base >= USER_SPACE_END)
			r->fs_base = 0;
		if (r->gs_base >= USER_SPACE_END)
			r->gs_base = 0;
		fpu_sanitize(&ctx->fpu);

		unsigned long flags = irq_save();
		if (ctx->space && vm_space_current() != ctx->space)
			vm_space_activate(ctx->space);
		wrmsr(MSR_FS_BASE, r->fs_base);
		wrmsr(MSR_KERNEL_GS_BASE, r->gs_base);
		fpu_restore(&ctx->fpu);
		uint64_t reason = user_enter(ctx, &user_cpus[user_cpu_index()], mode);
		/* Interrupts are still off: nothing ran user code since the exit. */
		if (reason == USER_RETURN_SYSCALL) {
			save_extended(ctx);
			ctx->exit_kind = EXIT_SYSCALL;
		}
		r->cs = GDT_USER_CS | GDT_USER_RPL;
		r->ss = GDT_USER_SS | GDT_USER_RPL;
		irq_restore(flags);

		if (reason == USER_RETURN_EXCEPTION && resolve_fault(ctx))
			continue;
		return (enum user_return)reason;
	}
}

void user_context_init(struct user_context *ctx, vaddr_t ip, vaddr_t sp)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->regs.rip = ip;
	ctx->regs.rsp = sp;
	ctx->regs.rflags = RFLAGS_IF | RFLAGS_FIXED;
	ctx->regs.cs = GDT_USER_CS | GDT_USER_RPL;
	ctx->regs.ss = GDT_USER_SS | GDT_USER_RPL;
	fpu_init_state(&ctx->fpu);
}

void user_context_set_vm_space(struct user_context *ctx, struct vm_space *space)
{
	ctx->space = space;
}

uint64_t user_context_syscall_nr(const struct user_context *ctx)
{
	return ctx->regs.rax;
}

uint64_t user_context_syscall_arg(const struct user_context *ctx, unsigned i)
{
	const struct user_regs *r = &ctx->regs;
	switch (i) {
	case 0: return r->rdi;
	case 1: return r->rsi;
	case 2: return r->rdx;
	case 3: return r->r10;
	case 4: return r->r8;
	case 5: return r->r9;
	default: return 0;
	}
}

void user_context_set_return(struct user_context *ctx, int64_t value)
{
	ctx->regs.rax = (uint64_t)value;
}

void user_context_restart_syscall(struct user_context *ctx)
{
	ctx->regs.rax = ctx->regs.orig_rax;
	ctx->regs.rip -= USER_SYSCALL_INSN_LEN;
}

vaddr_t user_context_ip(const struct user_context *ctx)
{
	return ctx->regs.rip;
}

void user_context_set_ip(struct user_context *ctx, vaddr_t ip)
{
	ctx->regs.rip = ip;
}

vaddr_t user_context_sp(const struct user_context *ctx)
{
	return ctx->regs.rsp;
}

void user_context_set_sp(struct user_context *ctx, vaddr_t sp)
{
	ctx->regs.rsp = sp;
}

vaddr_t user_context_tls(const struct user_context *ctx)
{
	return ctx->regs.fs_base;
}

void user_context_set_tls(struct user_context *ctx, vaddr_t tls)
{
	ctx->regs.fs_base = tls;
}

void user_context_set_arg(struct user_context *ctx, unsigned i, uint64_t value)
{
	struct user_regs *r = &ctx->regs;
	switch (i) {
	case 0: r->rdi = value; break;
	case 1: r->rsi = value; break;
	case 2: r->rdx = value; break;
	case 3: r->rcx = value; break;
	case 4: r->r8 = value; break;
	case 5: r->r9 = value; break;
	default: break;
	}
}

const struct user_trap_info *user_context_trap(const struct user_context *ctx)
{
	return &ctx->trap;
}

struct user_regs *user_context_regs(struct user_context *ctx)
{
	return &ctx->regs;
}

struct user_fpu_state *user_context_fpu(struct user_context *ctx)
{
	return &ctx->fpu;
}
