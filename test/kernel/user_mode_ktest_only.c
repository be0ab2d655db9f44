/* In-kernel tests of user mode: tiny programs making system calls, faulting, keeping registers and SSE state, hostile contexts, two tasks preempting each other. */
#include <arch/cpu.h>
#include <arch/layout.h>
#include <arch/user.h>
#include <frame/clock.h>
#include <frame/errno.h>
#include <frame/irq.h>
#include <frame/ktest.h>
#include <frame/page.h>
#include <frame/sched.h>
#include <frame/string.h>
#include <frame/task.h>
#include <frame/user.h>
#include <frame/vm_space.h>
#include <internal/mm.h>

/*
 * The user programs: position-independent x86_64 code assembled into the
 * test kernel's read-only data and copied into a user page. Their "system
 * calls" are the tests' own: 1 = report rdi (returns 2 * rdi + 1),
 * 60 = exit(rdi), 99 = a self-check failed (rdi says which).
 */
#define SYS_REPORT 1
#define SYS_EXIT 60
#define SYS_BAD 99

__asm__(
	".pushsection .rodata.user_programs, \"a\"\n"
	".balign 16\n"

	/* Ten reports; after each, every register but rax/rcx/r11 must be as it was. */
	"prog_syscalls:\n"
	"	movabs $0x1111111111111111, %rbx\n"
	"	movabs $0x2222222222222222, %rbp\n"
	"	movabs $0x3333333333333333, %r13\n"
	"	movabs $0x4444444444444444, %r14\n"
	"	movabs $0x5555555555555555, %r15\n"
	"	movabs $0x6666666666666666, %rsi\n"
	"	movabs $0x7777777777777777, %rdx\n"
	"	movabs $0x8888888888888888, %r10\n"
	"	movabs $0x9999999999999999, %r8\n"
	"	movabs $0xaaaaaaaaaaaaaaaa, %r9\n"
	"	xor %r12d, %r12d\n"
	"1:	mov $1, %eax\n"
	"	mov %r12, %rdi\n"
	"	syscall\n"
	"	cmp %r12, %rdi\n"
	"	jne 8f\n"
	"	lea 1(%r12,%r12), %rcx\n"
	"	mov $1, %edi\n"
	"	cmp %rcx, %rax\n"
	"	jne 9f\n"
	"	mov $2, %edi\n"
	"	movabs $0x1111111111111111, %rcx\n"
	"	cmp %rcx, %rbx\n"
	"	jne 9f\n"
	"	movabs $0x2222222222222222, %rcx\n"
	"	cmp %rcx, %rbp\n"
	"	jne 9f\n"
	"	movabs $0x3333333333333333, %rcx\n"
	"	cmp %rcx, %r13\n"
	"	jne 9f\n"
	"	movabs $0x4444444444444444, %rcx\n"
	"	cmp %rcx, %r14\n"
	"	jne 9f\n"
	"	movabs $0x5555555555555555, %rcx\n"
	"	cmp %rcx, %r15\n"
	"	jne 9f\n"
	"	mov $3, %edi\n"
	"	movabs $0x6666666666666666, %rcx\n"
	"	cmp %rcx, %rsi\n"
	"	jne 9f\n"
	"	movabs $0x7777777777777777, %rcx\n"
	"	cmp %rcx, %rdx\n"
	"	jne 9f\n"
	"	movabs $0x8888888888888888, %rcx\n"
	"	cmp %rcx, %r10\n"
	"	jne 9f\n"
	"	movabs $0x9999999999999999, %rcx\n"
	"	cmp %rcx, %r8\n"
	"	jne 9f\n"
	"	movabs $0xaaaaaaaaaaaaaaaa, %rcx\n"
	"	cmp %rcx, %r9\n"
	"	jne 9f\n"
	"	inc %r12\n"
	"	cmp $10, %r12\n"
	"	jb 1b\n"
	"	mov $60, %eax\n"
	"	mov $7, %edi\n"
	"	syscall\n"
	"	ud2\n"
	"8:	mov $4, %edi\n"
	"9:	mov $99, %eax\n"
	"	syscall\n"
	"	ud2\n"
	"prog_syscalls_end:\n"

	/* A null dereference, with a marker in rbx. */
	"prog_nullderef:\n"
	"	movabs $0xfeedface, %rbx\n"
	"	xor %eax, %eax\n"
	"prog_nullderef_insn:\n"
	"	mov (%rax), %rax\n"
	"	ud2\n"
	"prog_nullderef_end:\n"

	/* Keep rdi in xmm0 and r15 forever, checking both on every turn. */
	"prog_fpu:\n"
	"	movq %rdi, %xmm0\n"
	"	movq %rdi, %r15\n"
	"1:	movq %xmm0, %rax\n"
	"	cmp %r15, %rax\n"
	"	jne 9f\n"
	"	jmp 1b\n"
	"9:	mov $99, %eax\n"
	"	mov $5, %edi\n"
	"	syscall\n"
	"	ud2\n"
	"prog_fpu_end:\n"

	/* Report rflags and the word at fs:0, then execute cli (privileged: #GP). */
	"prog_flags:\n"
	"	pushfq\n"
	"	pop %rdi\n"
	"	mov $1, %eax\n"
	"	syscall\n"
	"	mov %fs:0, %rdi\n"
	"	mov $1, %eax\n"
	"	syscall\n"
	"	cli\n"
	"	ud2\n"
	"prog_flags_end:\n"

	/* Make rsp non-canonical, survive a system call, then use the stack. */
	"prog_bad_stack:\n"
	"	movabs $0x8000000000000000, %rsp\n"
	"	mov $1, %eax\n"
	"	syscall\n"
	"	push %rax\n"
	"	ud2\n"
	"prog_bad_stack_end:\n"

	/* Jump to the first non-canonical address. */
	"prog_bad_jump:\n"
	"	movabs $0x0000800000000000, %rax\n"
	"	jmp *%rax\n"
	"prog_bad_jump_end:\n"

	/* Touch a page the fault handler supplies, then exit with what was read. */
	"prog_demand:\n"
	"	movabs $0x20000000, %rbx\n"
	"	movq $0x77, (%rbx)\n"
	"	mov (%rbx), %rdi\n"
	"	mov $60, %eax\n"
	"	syscall\n"
	"	ud2\n"
	"prog_demand_end:\n"
	".popsection\n");

extern const uint8_t prog_syscalls[], prog_syscalls_end[];
extern const uint8_t prog_nullderef[], prog_nullderef_insn[], prog_nullderef_end[];
extern const uint8_t prog_fpu[], prog_fpu_end[];
extern const uint8_t prog_flags[], prog_flags_end[];
extern const uint8_t prog_bad_stack[], prog_bad_stack_end[];
extern const uint8_t prog_bad_jump[], prog_bad_jump_end[];
extern const uint8_t prog_demand[], prog_demand_end[];

#define CODE_VA 0x400000UL
#define STACK_VA 0x7fff0000UL
#define DATA_VA 0x10000000UL

/* A vm_space with one program: code page (read/exec), a stack page, a data page. */
struct uprog {
	struct vm_space *space;
	struct page *code, *stack, *data;
	struct user_context ctx;
};

static bool uprog_load(struct uprog *p, const uint8_t *start, const uint8_t *end)
{
	memset(p, 0, sizeof(*p));
	p->space = vm_space_create();
	p->code = page_alloc(0, PAGE_ZERO);
	p->stack = page_alloc(0, PAGE_ZERO);
	p->data = page_alloc(0, PAGE_ZERO);
	if (!p->space || !p->code || !p->stack || !p->data || end - start > (long)PAGE_SIZE)
		return false;
	memcpy(page_to_virt(p->code), start, (size_t)(end - start));
	if (vm_map(p->space, CODE_VA, p->code, VM_READ | VM_EXEC | VM_USER) ||
	    vm_map(p->space, STACK_VA, p->stack, VM_READ | VM_WRITE | VM_USER) ||
	    vm_map(p->space, DATA_VA, p->data, VM_READ | VM_WRITE | VM_USER))
		return false;
	user_context_init(&p->ctx, CODE_VA, STACK_VA + PAGE_SIZE);
	user_context_set_vm_space(&p->ctx, p->space);
	return true;
}

static void uprog_free(struct uprog *p)
{
	if (vm_space_current() == p->space)
		vm_space_activate(vm_space_kernel());
	vm_space_destroy(p->space);
	page_put(p->code);
	page_put(p->stack);
	page_put(p->data);
}

/* Run until something other than an interrupt happens. */
static enum user_return run_past_interrupts(struct user_context *ctx)
{
	enum user_return r;
	while ((r = user_mode_execute(ctx)) == USER_RETURN_INTERRUPT)
		;
	return r;
}

KTEST(user_mode_syscalls_and_registers)
{
	struct uprog a;
	KASSERT(uprog_load(&a, prog_syscalls, prog_syscalls_end));
	uint64_t seen = 0;
	for (int i = 0; i < 20; i++) {
		enum user_return r = run_past_interrupts(&a.ctx);
		KASSERT(r == USER_RETURN_SYSCALL);
		uint64_t nr = user_context_syscall_nr(&a.ctx);
		uint64_t arg = user_context_syscall_arg(&a.ctx, 0);
		KEXPECT(nr != SYS_BAD);
		if (nr == SYS_EXIT) {
			KEXPECT_EQ(arg, 7);
			break;
		}
		KASSERT(nr == SYS_REPORT);
		KEXPECT_EQ(arg, seen);
		KEXPECT_EQ(user_context_syscall_arg(&a.ctx, 1), 0x6666666666666666ULL);
		KEXPECT_EQ(user_context_syscall_arg(&a.ctx, 3), 0x8888888888888888ULL);
		KEXPECT_EQ(user_context_syscall_arg(&a.ctx, 5), 0xaaaaaaaaaaaaaaaaULL);
		KEXPECT_EQ(user_context_syscall_arg(&a.ctx, 6), 0);
		/* The syscall instruction is just before the return address. */
		const uint8_t *code = page_to_virt(a.code);
		uint64_t off = user_context_ip(&a.ctx) - CODE_VA;
		KEXPECT(code[off - 2] == 0x0f && code[off - 1] == 0x05);
		KEXPECT_EQ(a.ctx.regs.orig_rax, SYS_REPORT);
		seen++;
		user_context_set_return(&a.ctx, (int64_t)(2 * arg + 1));
	}
	KEXPECT_EQ(seen, 10);
	KEXPECT(!(read_rflags() & RFLAGS_AC));
	KEXPECT(irq_enabled());
	uprog_free(&a);
}

/* The syscall test's handler result is checked by the program: a wrong one must be caught. */
KTEST(user_mode_program_detects_wrong_result)
{
	struct uprog a;
	KASSERT(uprog_load(&a, prog_syscalls, prog_syscalls_end));
	KASSERT(run_past_interrupts(&a.ctx) == USER_RETURN_SYSCALL);
	user_context_set_return(&a.ctx, 12345);
	KASSERT(run_past_interrupts(&a.ctx) == USER_RETURN_SYSCALL);
	KEXPECT_EQ(user_context_syscall_nr(&a.ctx), SYS_BAD);
	KEXPECT_EQ(user_context_syscall_arg(&a.ctx, 0), 1);
	uprog_free(&a);
}

KTEST(user_mode_fault_in_one_program_spares_the_other)
{
	struct uprog a, b;
	KASSERT(uprog_load(&a, prog_syscalls, prog_syscalls_end));
	KASSERT(uprog_load(&b, prog_nullderef, prog_nullderef_end));
	int reports = 0, faults = 0;
	uint64_t exit_code = 0;
	for (int round = 0; round < 40 && !exit_code; round++) {
		/* Alternate: one step of a, then b faults again from its start. */
		enum user_return r = run_past_interrupts(&a.ctx);
		KASSERT(r == USER_RETURN_SYSCALL);
		uint64_t nr = user_context_syscall_nr(&a.ctx);
		KASSERT(nr != SYS_BAD);
		if (nr == SYS_EXIT)
			exit_code = user_context_syscall_arg(&a.ctx, 0);
		else
			reports++;
		user_context_set_return(&a.ctx, (int64_t)(2 * user_context_syscall_arg(&a.ctx, 0) + 1));

		user_context_init(&b.ctx, CODE_VA, STACK_VA + PAGE_SIZE);
		user_context_set_vm_space(&b.ctx, b.space);
		r = run_past_interrupts(&b.ctx);
		KASSERT(r == USER_RETURN_EXCEPTION);
		const struct user_trap_info *t = user_context_trap(&b.ctx);
		KEXPECT_EQ(t->vector, USER_TRAP_PAGE_FAULT);
		KEXPECT_EQ(t->fault_addr, 0);
		KEXPECT_EQ(t->access, VM_READ);
		KEXPECT(!t->present);
		KEXPECT(t->error_code & 4); /* user-mode access */
		KEXPECT_EQ(user_context_ip(&b.ctx), CODE_VA + (uint64_t)(prog_nullderef_insn - prog_nullderef));
		KEXPECT_EQ(b.ctx.regs.rbx, 0xfeedface);
		faults++;
	}
	KEXPECT_EQ(reports, 10);
	KEXPECT_EQ(exit_code, 7);
	KEXPECT_EQ(faults, 11);
	uprog_free(&a);
	uprog_free(&b);
}

/* Demand paging from user mode: the handler maps the page and the program never notices. */
static int map_on_demand(struct vm_space *space, const struct vm_fault *f, void *arg)
{
	int *calls = arg;
	++*calls;
	if (f->present || !f->from_user || f->access != VM_WRITE)
		return -EFAULT;
	struct page *p = page_alloc(0, PAGE_ZERO);
	if (!p)
		return -ENOMEM;
	int err = vm_map(space, ALIGN_DOWN(f->addr, PAGE_SIZE), p, VM_READ | VM_WRITE | VM_USER);
	page_put(p);
	return err;
}

KTEST(user_mode_page_fault_hook_resolves_transparently)
{
	struct uprog a;
	KASSERT(uprog_load(&a, prog_demand, prog_demand_end));
	int calls = 0;
	KASSERT(vm_space_set_fault_handler(a.space, map_on_demand, &calls) == 0);
	KEXPECT_EQ(run_past_interrupts(&a.ctx), USER_RETURN_SYSCALL);
	KEXPECT_EQ(user_context_syscall_nr(&a.ctx), SYS_EXIT);
	KEXPECT_EQ(user_context_syscall_arg(&a.ctx, 0), 0x77);
	KEXPECT_EQ(calls, 1);
	/* Without the handler, the same program gets the fault. */
	user_context_init(&a.ctx, CODE_VA, STACK_VA + PAGE_SIZE);
	KASSERT(vm_unmap(a.space, 0x20000000, PAGE_SIZE) == 0);
	KASSERT(vm_space_set_fault_handler(a.space, NULL, NULL) == 0);
	KEXPECT_EQ(run_past_interrupts(&a.ctx), USER_RETURN_EXCEPTION);
	KEXPECT_EQ(user_context_trap(&a.ctx)->fault_addr, 0x20000000);
	KEXPECT_EQ(user_context_trap(&a.ctx)->access, VM_WRITE);
	uprog_free(&a);
}

#define FXSAVE_XMM0 160

static uint64_t ctx_xmm0(struct user_context *ctx)
{
	uint64_t v;
	memcpy(&v, user_context_fpu(ctx)->bytes + FXSAVE_XMM0, 8);
	return v;
}

KTEST(user_mode_fpu_and_registers_survive_interrupts)
{
	struct uprog a, b;
	KASSERT(uprog_load(&a, prog_fpu, prog_fpu_end));
	KASSERT(uprog_load(&b, prog_fpu, prog_fpu_end));
	a.ctx.regs.rdi = 0x0123456789abcdefULL;
	b.ctx.regs.rdi = 0xfedcba9876543210ULL;
	int ints_a = 0, ints_b = 0;
	uint64_t deadline = clock_monotonic_ns() + 5000000000ULL;
	while ((ints_a < 25 || ints_b < 25) && clock_monotonic_ns() < deadline) {
		enum user_return r = user_mode_execute(&a.ctx);
		if (r != USER_RETURN_INTERRUPT)
			break;
		ints_a++;
		/* The kernel side dirties xmm0 too between the two programs. */
		uint64_t junk = 0x5555aaaa5555aaaaULL;
		/* No clobber: the kernel is built without SSE, so the compiler keeps nothing there. */
		__asm__ volatile("movq %0, %%xmm0" : : "r"(junk));
		r = user_mode_execute(&b.ctx);
		if (r != USER_RETURN_INTERRUPT)
			break;
		ints_b++;
	}
	KEXPECT(ints_a >= 25);
	KEXPECT(ints_b >= 25);
	/* A program that detected a change would have made the SYS_BAD call instead. */
	KEXPECT_EQ(ctx_xmm0(&a.ctx), 0x0123456789abcdefULL);
	KEXPECT_EQ(ctx_xmm0(&b.ctx), 0xfedcba9876543210ULL);
	KEXPECT_EQ(a.ctx.regs.r15, 0x0123456789abcdefULL);
	KEXPECT_EQ(b.ctx.regs.r15, 0xfedcba9876543210ULL);
	/* And the check itself fires: change b's saved xmm0 behind its back. */
	memset(user_context_fpu(&b.ctx)->bytes + FXSAVE_XMM0, 0x11, 8);
	KEXPECT_EQ(run_past_interrupts(&b.ctx), USER_RETURN_SYSCALL);
	KEXPECT_EQ(user_context_syscall_nr(&b.ctx), SYS_BAD);
	uprog_free(&a);
	uprog_free(&b);
}

KTEST(user_mode_hostile_flags_and_tls)
{
	struct uprog a;
	KASSERT(uprog_load(&a, prog_flags, prog_flags_end));
	/* Every flag but TF (single-step would stop at the first instruction). */
	a.ctx.regs.rflags = ~(1ULL << 8);
	user_context_set_tls(&a.ctx, 0x8000000000000000ULL); /* not a user address: dropped */
	KASSERT(run_past_interrupts(&a.ctx) == USER_RETURN_SYSCALL);
	uint64_t fl = user_context_syscall_arg(&a.ctx, 0);
	KEXPECT(fl & RFLAGS_IF);
	KEXPECT_EQ(fl & (3ULL << 12), 0);  /* IOPL 0 */
	KEXPECT_EQ(fl & (1ULL << 14), 0);  /* NT */
	KEXPECT_EQ(fl & (1ULL << 17), 0);  /* VM */
	KEXPECT(fl & 1);                   /* CF: the program's own */
	KEXPECT(fl & RFLAGS_AC);           /* AC: the program's own, but never the kernel's */
	KEXPECT(!(read_rflags() & RFLAGS_AC));
	KEXPECT_EQ(user_context_tls(&a.ctx), 0);
	/* TLS: fs:0 reads the data page. */
	uint64_t marker = 0xabcdef0123ULL;
	memcpy(page_to_virt(a.data), &marker, 8);
	user_context_set_tls(&a.ctx, DATA_VA);
	/* A bad MXCSR would make fxrstor fault in the kernel: it is cleaned. */
	memset(user_context_fpu(&a.ctx)->bytes + 24, 0xff, 4);
	KASSERT(run_past_interrupts(&a.ctx) == USER_RETURN_SYSCALL);
	KEXPECT_EQ(user_context_syscall_arg(&a.ctx, 0), marker);
	KEXPECT_EQ(user_context_tls(&a.ctx), DATA_VA);
	/* cli in ring 3 with IOPL forced to 0: #GP, reported, not obeyed. */
	KEXPECT_EQ(run_past_interrupts(&a.ctx), USER_RETURN_EXCEPTION);
	KEXPECT_EQ(user_context_trap(&a.ctx)->vector, USER_TRAP_GENERAL_PROTECTION);
	KEXPECT(irq_enabled());
	uprog_free(&a);
}

KTEST(user_mode_hostile_ip_and_sp)
{
	struct uprog a;
	KASSERT(uprog_load(&a, prog_bad_stack, prog_bad_stack_end));
	/* Non-canonical rsp survives a sysret; the program's next push faults in user mode. */
	KASSERT(run_past_interrupts(&a.ctx) == USER_RETURN_SYSCALL);
	KEXPECT_EQ(user_context_sp(&a.ctx), 0x8000000000000000ULL);
	KEXPECT_EQ(run_past_interrupts(&a.ctx), USER_RETURN_EXCEPTION);
	unsigned v = user_context_trap(&a.ctx)->vector;
	KEXPECT(v == USER_TRAP_STACK_SEGMENT || v == USER_TRAP_GENERAL_PROTECTION);
	/* Through iret (r11 no longer matches rflags) a bad rsp is refused before entering. */
	user_context_init(&a.ctx, CODE_VA, STACK_VA + PAGE_SIZE);
	KASSERT(run_past_interrupts(&a.ctx) == USER_RETURN_SYSCALL);
	a.ctx.regs.r11 = 0;
	KEXPECT_EQ(run_past_interrupts(&a.ctx), USER_RETURN_EXCEPTION);
	v = user_context_trap(&a.ctx)->vector;
	KEXPECT(v == USER_TRAP_STACK_SEGMENT || v == USER_TRAP_GENERAL_PROTECTION);

	/* Contexts whose ip user mode cannot start at: a #GP without entering. */
	static const vaddr_t bad_ip[] = {
		0x0000800000000000UL, 0x8000000000000000UL, KERNEL_VIRT_BASE, DIRECT_MAP_BASE,
	};
	for (unsigned i = 0; i < ARRAY_SIZE(bad_ip); i++) {
		user_context_init(&a.ctx, bad_ip[i], STACK_VA + PAGE_SIZE);
		a.ctx.regs.rcx = bad_ip[i]; /* as after a syscall: would pick sysret */
		a.ctx.regs.r11 = a.ctx.regs.rflags;
		KEXPECT_EQ(user_mode_execute(&a.ctx), USER_RETURN_EXCEPTION);
		KEXPECT_EQ(user_context_trap(&a.ctx)->vector, USER_TRAP_GENERAL_PROTECTION);
		KEXPECT_EQ(user_context_ip(&a.ctx), bad_ip[i]);
	}
	uprog_free(&a);

	/* The program itself jumps to a non-canonical address. */
	KASSERT(uprog_load(&a, prog_bad_jump, prog_bad_jump_end));
	KEXPECT_EQ(run_past_interrupts(&a.ctx), USER_RETURN_EXCEPTION);
	v = user_context_trap(&a.ctx)->vector;
	KEXPECT(v == USER_TRAP_GENERAL_PROTECTION || v == USER_TRAP_PAGE_FAULT);
	uprog_free(&a);
}

/* The sysret hole: a syscall in the last two bytes of user space returns to a non-canonical rip. */
KTEST(user_mode_syscall_at_end_of_user_space)
{
	struct vm_space *s = vm_space_create();
	struct page *p = page_alloc(0, PAGE_ZERO);
	KASSERT(s && p);
	KASSERT(vm_map(s, USER_SPACE_END - PAGE_SIZE, p, VM_READ | VM_EXEC | VM_USER) == 0);
	uint8_t *code = page_to_virt(p);
	code[PAGE_SIZE - 2] = 0x0f;
	code[PAGE_SIZE - 1] = 0x05;
	struct user_context ctx;
	user_context_init(&ctx, USER_SPACE_END - 2, 0);
	user_context_set_vm_space(&ctx, s);
	KEXPECT_EQ(run_past_interrupts(&ctx), USER_RETURN_SYSCALL);
	KEXPECT_EQ(user_context_ip(&ctx), USER_SPACE_END);
	/* Returning there would #GP in ring 0 with sysret: it is reported instead. */
	KEXPECT_EQ(user_mode_execute(&ctx), USER_RETURN_EXCEPTION);
	KEXPECT_EQ(user_context_trap(&ctx)->vector, USER_TRAP_GENERAL_PROTECTION);
	/* A restart goes back to the syscall instruction and works. */
	user_context_restart_syscall(&ctx);
	KEXPECT_EQ(user_context_ip(&ctx), USER_SPACE_END - 2);
	KEXPECT_EQ(run_past_interrupts(&ctx), USER_RETURN_SYSCALL);
	vm_space_activate(vm_space_kernel());
	vm_space_destroy(s);
	page_put(p);
}

/* Two tasks, each running its program in its own space, preempted by the tick. */
struct runner {
	struct uprog prog;
	int interrupts;
	int bad;
	int id;
};

static int turn_log[512];
static int turn_count;

static int runner_task(void *arg)
{
	struct runner *r = arg;
	while (r->interrupts < 60) {
		enum user_return why = user_mode_execute(&r->prog.ctx);
		if (why != USER_RETURN_INTERRUPT) {
			r->bad++;
			break;
		}
		r->interrupts++;
		if (turn_count < (int)ARRAY_SIZE(turn_log))
			turn_log[turn_count++] = r->id;
	}
	return 0;
}

KTEST(user_mode_two_tasks_preempt_each_other)
{
	static struct runner ra, rb;
	memset(&ra, 0, sizeof(ra));
	memset(&rb, 0, sizeof(rb));
	turn_count = 0;
	KASSERT(uprog_load(&ra.prog, prog_fpu, prog_fpu_end));
	KASSERT(uprog_load(&rb.prog, prog_fpu, prog_fpu_end));
	ra.prog.ctx.regs.rdi = 0x1111222233334444ULL;
	rb.prog.ctx.regs.rdi = 0x9999888877776666ULL;
	ra.id = 1;
	rb.id = 2;
	uint64_t switches = sched_switch_count();
	struct task *ta, *tb;
	KASSERT(task_create("user-a", runner_task, &ra, TASK_PRIO_DEFAULT, &ta) == 0);
	KASSERT(task_create("user-b", runner_task, &rb, TASK_PRIO_DEFAULT, &tb) == 0);
	KEXPECT_EQ(task_join(ta, NULL), 0);
	KEXPECT_EQ(task_join(tb, NULL), 0);
	vm_space_activate(vm_space_kernel());
	KEXPECT_EQ(ra.bad, 0);
	KEXPECT_EQ(rb.bad, 0);
	KEXPECT_EQ(ra.interrupts, 60);
	KEXPECT_EQ(rb.interrupts, 60);
	KEXPECT_EQ(ctx_xmm0(&ra.prog.ctx), 0x1111222233334444ULL);
	KEXPECT_EQ(ctx_xmm0(&rb.prog.ctx), 0x9999888877776666ULL);
	KEXPECT_EQ(ra.prog.ctx.regs.r15, 0x1111222233334444ULL);
	KEXPECT_EQ(rb.prog.ctx.regs.r15, 0x9999888877776666ULL);
	/* They took turns: the log switches from one to the other several times. */
	int changes = 0;
	for (int i = 1; i < turn_count; i++)
		changes += turn_log[i] != turn_log[i - 1];
	KEXPECT(changes >= 4);
	KEXPECT(sched_switch_count() - switches >= 4);
	uprog_free(&ra.prog);
	uprog_free(&rb.prog);
}
