/* The alternate signal stack: whether a stack pointer is on it, and setting it as sigaltstack(2) does. */
#include <abi/errno.h>
#include <kernel/signal.h>
#include "signal_internal.h"

bool signal_on_altstack(const struct thread_sig *s, vaddr_t sp)
{
	/* An auto-disarmed stack is given up on handler entry: never "on" it. */
	if (s->altstack_flags & SS_AUTODISARM)
		return false;
	return sp > s->altstack_sp && sp - s->altstack_sp <= s->altstack_size;
}

/* Linux's sas_ss_flags(): no stack, on it, or usable. */
static int altstack_mode(const struct thread_sig *s, vaddr_t sp)
{
	if (!s->altstack_size)
		return SS_DISABLE;
	return signal_on_altstack(s, sp) ? SS_ONSTACK : 0;
}

int signal_altstack_flags(const struct thread_sig *s, vaddr_t sp)
{
	return altstack_mode(s, sp) | (s->altstack_flags & (int)SS_FLAG_BITS);
}

int signal_set_altstack(struct thread_sig *s, const struct sigaltstack *ss, vaddr_t sp)
{
	if (signal_on_altstack(s, sp))
		return -EPERM;
	int mode = ss->ss_flags & ~(int)SS_FLAG_BITS;
	if (mode != SS_DISABLE && mode != SS_ONSTACK && mode != 0)
		return -EINVAL;
	if (s->altstack_sp == ss->ss_sp && s->altstack_size == ss->ss_size &&
	    s->altstack_flags == ss->ss_flags)
		return 0;
	uint64_t base = ss->ss_sp, size = ss->ss_size;
	if (mode == SS_DISABLE) {
		base = 0;
		size = 0;
	} else if (size < MINSIGSTKSZ) {
		return -ENOMEM;
	}
	s->altstack_sp = base;
	s->altstack_size = size;
	s->altstack_flags = ss->ss_flags;
	return 0;
}

int signal_frame_place(const struct thread_sig *s, vaddr_t sp, uint64_t sa_flags,
		       struct signal_frame_place *out)
{
	bool nested = signal_on_altstack(s, sp);
	sp -= 128;	/* the red zone below the interrupted code's stack pointer */
	out->on_altstack = false;
	if ((sa_flags & SA_ONSTACK) && altstack_mode(s, sp) == 0) {
		sp = s->altstack_sp + s->altstack_size;
		out->on_altstack = true;
	}
	out->fpstate = (sp - SIGNAL_FPSTATE_SIZE) & ~(vaddr_t)63;
	/* The handler starts as if called: rsp + 8 is 16-byte aligned. */
	out->frame = ((out->fpstate - sizeof(struct rt_sigframe)) & ~(vaddr_t)15) - 8;
	/* Overflowing the alternate stack (or wrapping below 0) would scribble elsewhere: fail. */
	if (out->frame > sp)
		return -EFAULT;
	if ((nested || out->on_altstack) && !(out->frame > s->altstack_sp))
		return -EFAULT;
	return 0;
}
