/*
 * The x86_64 signal frame, as Linux lays it out: pushing it for a handler
 * (return address, ucontext with the registers and mask, siginfo, FXSAVE
 * image) and taking it back in rt_sigreturn.
 */
#include <abi/errno.h>
#include <abi/ucontext.h>
#include <frame/string.h>
#include <frame/user.h>
#include <frame/vm_io.h>
#include <kernel/proc.h>
#include <kernel/signal.h>
#include "signal_internal.h"

_Static_assert(sizeof(struct rt_sigframe) == 440, "rt_sigframe as Linux's");
_Static_assert(sizeof(struct ucontext) == 304, "ucontext as Linux's");
_Static_assert(sizeof(struct siginfo) == SI_MAX_SIZE, "siginfo_t is 128 bytes");
_Static_assert(sizeof(struct _fpstate_64) == SIGNAL_FPSTATE_SIZE, "FXSAVE image");
_Static_assert(sizeof(struct user_fpu_state) == SIGNAL_FPSTATE_SIZE, "the frame's FPU image is FXSAVE's");

#define FL_CF 0x1u
#define FL_PF 0x4u
#define FL_AF 0x10u
#define FL_ZF 0x40u
#define FL_SF 0x80u
#define FL_TF 0x100u
#define FL_DF 0x400u
#define FL_OF 0x800u
#define FL_RF 0x10000u
#define FL_AC 0x40000u
/* The flags a program may set through rt_sigreturn (Linux's FIX_EFLAGS). */
#define FL_USER (FL_AC | FL_OF | FL_DF | FL_TF | FL_SF | FL_ZF | FL_AF | FL_PF | FL_CF | FL_RF)

#define FX_FCW 0
#define FX_MXCSR 24
#define FX_MXCSR_MASK 28
#define FX_SW_RESERVED 464
/* MXCSR bits assumed valid when the CPU reports a mask of 0 (SDM 11.6.6). */
#define MXCSR_DEFAULT_MASK 0xffbfu

_Static_assert(__builtin_offsetof(struct _fpstate_64, mxcsr) == FX_MXCSR, "mxcsr offset");
_Static_assert(__builtin_offsetof(struct _fpstate_64, mxcsr_mask) == FX_MXCSR_MASK, "mxcsr_mask offset");
_Static_assert(__builtin_offsetof(struct _fpstate_64, sw_reserved) == FX_SW_RESERVED, "sw bytes offset");

static uint32_t fx_u32(const struct user_fpu_state *fx, size_t off)
{
	uint32_t v;
	memcpy(&v, fx->bytes + off, sizeof(v));
	return v;
}

/* The state a handler starts with, as Linux's fpu__clear_user_states: x87 and SSE reset. */
static void fpu_reset(struct user_fpu_state *fx)
{
	uint32_t mask = fx_u32(fx, FX_MXCSR_MASK);
	memset(fx->bytes, 0, sizeof(fx->bytes));
	uint16_t fcw = 0x37f;
	uint32_t mxcsr = 0x1f80;
	memcpy(fx->bytes + FX_FCW, &fcw, sizeof(fcw));
	memcpy(fx->bytes + FX_MXCSR, &mxcsr, sizeof(mxcsr));
	memcpy(fx->bytes + FX_MXCSR_MASK, &mask, sizeof(mask));
}

static void save_sigcontext(struct thread *t, struct sigcontext *sc, kernel_sigset_t mask,
			    vaddr_t fpstate)
{
	const struct user_regs *r = user_context_regs(&t->ctx);
	sc->r8 = r->r8;
	sc->r9 = r->r9;
	sc->r10 = r->r10;
	sc->r11 = r->r11;
	sc->r12 = r->r12;
	sc->r13 = r->r13;
	sc->r14 = r->r14;
	sc->r15 = r->r15;
	sc->rdi = r->rdi;
	sc->rsi = r->rsi;
	sc->rbp = r->rbp;
	sc->rbx = r->rbx;
	sc->rdx = r->rdx;
	sc->rax = r->rax;
	sc->rcx = r->rcx;
	sc->rsp = r->rsp;
	sc->rip = r->rip;
	sc->eflags = r->rflags;
	sc->cs = (uint16_t)r->cs;
	sc->gs = 0;
	sc->fs = 0;
	sc->ss = (uint16_t)r->ss;
	sc->err = t->sig.trap_err;
	sc->trapno = t->sig.trap_nr;
	sc->oldmask = mask;
	sc->cr2 = t->sig.trap_cr2;
	sc->fpstate = fpstate;
}

int signal_setup_frame(struct thread *t, int sig, const struct ksiginfo *info,
		       const struct kernel_sigaction *sa)
{
	/* x86_64 has no kernel-provided return trampoline: libc's sa_restorer is required. */
	if (!(sa->sa_flags & SA_RESTORER))
		return -EFAULT;
	struct user_regs *r = user_context_regs(&t->ctx);
	struct signal_frame_place pl;
	if (signal_frame_place(&t->sig, r->rsp, sa->sa_flags, &pl))
		return -EFAULT;

	kernel_sigset_t mask = t->sig.restore_mask ? t->sig.saved_mask : t->sig.blocked;
	struct rt_sigframe f;
	memset(&f, 0, sizeof(f));
	f.pretcode = sa->sa_restorer;
	/* No UC_FP_XSTATE: the image is plain FXSAVE (the CPU runs without XSAVE). */
	f.uc.uc_flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS;
	f.uc.uc_link = 0;
	f.uc.uc_stack.ss_sp = t->sig.altstack_sp;
	f.uc.uc_stack.ss_size = t->sig.altstack_size;
	f.uc.uc_stack.ss_flags = t->sig.altstack_size ? t->sig.altstack_flags : SS_DISABLE;
	save_sigcontext(t, &f.uc.uc_mcontext, mask, pl.fpstate);
	f.uc.uc_sigmask = mask;
	signal_encode_siginfo(info, &f.info);
	f.info.si_signo = sig;

	/* The software-reserved bytes stay 0: no extended-state magic for libc to follow. */
	struct user_fpu_state *fx = user_context_fpu(&t->ctx);
	memset(fx->bytes + FX_SW_RESERVED, 0, SIGNAL_FPSTATE_SIZE - FX_SW_RESERVED);
	if (copy_to_user(user_ptr(pl.fpstate), fx->bytes, SIGNAL_FPSTATE_SIZE) ||
	    copy_to_user(user_ptr(pl.frame), &f, sizeof(f)))
		return -EFAULT;

	if (t->sig.restore_mask)
		t->sig.restore_mask = false;
	if (pl.on_altstack && (t->sig.altstack_flags & SS_AUTODISARM)) {
		t->sig.altstack_sp = 0;
		t->sig.altstack_size = 0;
		t->sig.altstack_flags = SS_DISABLE;
	}
	user_context_set_arg(&t->ctx, 0, (uint64_t)sig);
	user_context_set_arg(&t->ctx, 1, pl.frame + __builtin_offsetof(struct rt_sigframe, info));
	user_context_set_arg(&t->ctx, 2, pl.frame + __builtin_offsetof(struct rt_sigframe, uc));
	r->rax = 0;	/* no vector registers used: what varargs handlers expect */
	r->orig_rax = (uint64_t)-1;
	r->rflags &= ~(uint64_t)(FL_DF | FL_RF | FL_TF);
	user_context_set_sp(&t->ctx, pl.frame);
	user_context_set_ip(&t->ctx, sa->sa_handler);
	fpu_reset(fx);
	return 0;
}

int signal_restore_frame(struct thread *t)
{
	struct user_regs *r = user_context_regs(&t->ctx);
	/* The handler's ret popped pretcode: the frame starts one word below. */
	vaddr_t frame = r->rsp - 8;
	struct rt_sigframe f;
	if (r->rsp < 8 || copy_from_user(&f, user_ptr(frame), sizeof(f)))
		return -EFAULT;
	signal_set_blocked(t, f.uc.uc_sigmask);

	const struct sigcontext *sc = &f.uc.uc_mcontext;
	struct user_fpu_state *fx = user_context_fpu(&t->ctx);
	struct user_fpu_state img;
	if (sc->fpstate) {
		/* FXRSTOR wants 16-byte alignment and valid MXCSR bits; Linux's fault becomes SIGSEGV. */
		if (sc->fpstate & 15)
			return -EFAULT;
		if (copy_from_user(img.bytes, user_ptr(sc->fpstate), SIGNAL_FPSTATE_SIZE))
			return -EFAULT;
		uint32_t valid = fx_u32(fx, FX_MXCSR_MASK);
		if (!valid)
			valid = MXCSR_DEFAULT_MASK;
		if (fx_u32(&img, FX_MXCSR) & ~valid)
			return -EFAULT;
		/* The mask field is the CPU's, whatever the image says. */
		memcpy(img.bytes + FX_MXCSR_MASK, fx->bytes + FX_MXCSR_MASK, 4);
	} else {
		img = *fx;
		fpu_reset(&img);
	}

	r->r8 = sc->r8;
	r->r9 = sc->r9;
	r->r10 = sc->r10;
	r->r11 = sc->r11;
	r->r12 = sc->r12;
	r->r13 = sc->r13;
	r->r14 = sc->r14;
	r->r15 = sc->r15;
	r->rdi = sc->rdi;
	r->rsi = sc->rsi;
	r->rbp = sc->rbp;
	r->rbx = sc->rbx;
	r->rdx = sc->rdx;
	r->rax = sc->rax;
	r->rcx = sc->rcx;
	r->rsp = sc->rsp;
	r->rip = sc->rip;
	r->rflags = (r->rflags & ~(uint64_t)FL_USER) | (sc->eflags & FL_USER);
	r->orig_rax = (uint64_t)-1;	/* nothing to restart */
	*fx = img;

	/* As Linux: the alternate stack comes back too, errors other than EFAULT ignored. */
	struct sigaltstack ss = f.uc.uc_stack;
	(void)signal_set_altstack(&t->sig, &ss, r->rsp);
	return 0;
}
