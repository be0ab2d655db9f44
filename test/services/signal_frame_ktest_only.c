/* Signal tests: the rt_sigframe layout as Linux's, frame placement (red zone, alignment, alternate stack), sigaltstack rules, siginfo layouts. */
#include <frame/ktest.h>

#include "signal_fixture.h"

#define OFF(type, field) __builtin_offsetof(type, field)

KTEST(signal_frame_layout_matches_linux)
{
	KEXPECT_EQ(sizeof(struct rt_sigframe), 440);
	KEXPECT_EQ(OFF(struct rt_sigframe, uc), 8);
	KEXPECT_EQ(OFF(struct rt_sigframe, info), 312);
	KEXPECT_EQ(sizeof(struct ucontext), 304);
	KEXPECT_EQ(OFF(struct ucontext, uc_stack), 16);
	KEXPECT_EQ(OFF(struct ucontext, uc_mcontext), 40);
	KEXPECT_EQ(OFF(struct ucontext, uc_sigmask), 296);
	KEXPECT_EQ(sizeof(struct sigcontext), 256);
	/* glibc's REG_RIP is gregs[16], REG_EFL 17, REG_CSGSFS 18, REG_ERR 19, REG_TRAPNO 20, REG_OLDMASK 21, REG_CR2 22. */
	KEXPECT_EQ(OFF(struct sigcontext, rip), 16 * 8);
	KEXPECT_EQ(OFF(struct sigcontext, eflags), 17 * 8);
	KEXPECT_EQ(OFF(struct sigcontext, cs), 18 * 8);
	KEXPECT_EQ(OFF(struct sigcontext, err), 19 * 8);
	KEXPECT_EQ(OFF(struct sigcontext, trapno), 20 * 8);
	KEXPECT_EQ(OFF(struct sigcontext, oldmask), 21 * 8);
	KEXPECT_EQ(OFF(struct sigcontext, cr2), 22 * 8);
	KEXPECT_EQ(OFF(struct sigcontext, fpstate), 23 * 8);
	KEXPECT_EQ(sizeof(struct siginfo), 128);
	KEXPECT_EQ(OFF(struct siginfo, si_pid), 16);
	KEXPECT_EQ(OFF(struct siginfo, si_value), 24);
	KEXPECT_EQ(OFF(struct siginfo, si_status), 24);
	KEXPECT_EQ(OFF(struct siginfo, si_utime), 32);
	KEXPECT_EQ(OFF(struct siginfo, si_addr), 16);
	KEXPECT_EQ(OFF(struct siginfo, si_fd), 24);
	KEXPECT_EQ(sizeof(struct _fpstate_64), 512);
	KEXPECT_EQ(OFF(struct _fpstate_64, xmm_space), 160);
}

KTEST(signal_frame_placement_red_zone_and_alignment)
{
	struct thread_sig s = { .altstack_flags = SS_DISABLE };
	struct signal_frame_place pl;
	for (vaddr_t sp = 0x7ffff000; sp < 0x7ffff000 + 64; sp += 8) {
		KASSERT(signal_frame_place(&s, sp, SA_ONSTACK, &pl) == 0);	/* no stack set: ignored */
		KEXPECT(!pl.on_altstack);
		KEXPECT_EQ((pl.frame + 8) % 16, 0);	/* as after a call */
		KEXPECT_EQ(pl.fpstate % 64, 0);
		KEXPECT(pl.frame + sizeof(struct rt_sigframe) <= pl.fpstate);
		KEXPECT(pl.fpstate + SIGNAL_FPSTATE_SIZE <= sp - 128);	/* red zone untouched */
		KEXPECT(sp - 128 - (pl.frame) < sizeof(struct rt_sigframe) + 512 + 64 + 16 + 8);
	}
	/* A stack pointer so low the frame would wrap: refused. */
	KEXPECT_EQ(signal_frame_place(&s, 0x100, 0, &pl), -EFAULT);
}

KTEST(signal_frame_placement_alternate_stack)
{
	struct thread_sig s = { .altstack_flags = SS_DISABLE };
	struct sigaltstack ss = { .ss_sp = 0x10000000, .ss_size = 0x10000, .ss_flags = 0 };
	KASSERT(signal_set_altstack(&s, &ss, 0x7ffff000) == 0);
	struct signal_frame_place pl;
	/* Without SA_ONSTACK the normal stack. */
	KEXPECT_EQ(signal_frame_place(&s, 0x7ffff000, 0, &pl), 0);
	KEXPECT(!pl.on_altstack);
	KEXPECT(pl.frame > 0x7fff0000);
	/* With it, the top of the alternate stack. */
	KEXPECT_EQ(signal_frame_place(&s, 0x7ffff000, SA_ONSTACK, &pl), 0);
	KEXPECT(pl.on_altstack);
	KEXPECT(pl.frame >= 0x10000000 && pl.fpstate + 512 <= 0x10010000);
	KEXPECT_EQ((pl.frame + 8) % 16, 0);
	/* Already on it (a nested handler): below the current sp, not at the top again. */
	vaddr_t inner = 0x10008000;
	KEXPECT_EQ(signal_frame_place(&s, inner, SA_ONSTACK, &pl), 0);
	KEXPECT(!pl.on_altstack);
	KEXPECT(pl.frame < inner - 128 && pl.frame > 0x10000000);
	/* Nested too deep: the frame would leave the stack. */
	KEXPECT_EQ(signal_frame_place(&s, 0x10000100, SA_ONSTACK, &pl), -EFAULT);
}

KTEST(signal_altstack_rules)
{
	struct thread_sig s = { .altstack_flags = SS_DISABLE };
	KEXPECT_EQ(signal_altstack_flags(&s, 0x1000), SS_DISABLE);
	struct sigaltstack ss = { .ss_sp = 0x20000000, .ss_size = MINSIGSTKSZ - 1 };
	KEXPECT_EQ(signal_set_altstack(&s, &ss, 0x7000), -ENOMEM);
	ss.ss_size = MINSIGSTKSZ;
	ss.ss_flags = 0x1234;
	KEXPECT_EQ(signal_set_altstack(&s, &ss, 0x7000), -EINVAL);
	ss.ss_flags = 0;
	KEXPECT_EQ(signal_set_altstack(&s, &ss, 0x7000), 0);
	KEXPECT_EQ(signal_altstack_flags(&s, 0x7000), 0);
	KEXPECT_EQ(signal_altstack_flags(&s, 0x20000100), SS_ONSTACK);
	/* On it: can't change it, even to the same size elsewhere. */
	ss.ss_sp = 0x30000000;
	KEXPECT_EQ(signal_set_altstack(&s, &ss, 0x20000100), -EPERM);
	/* Disabling forgets address and size, whatever was passed. */
	ss.ss_flags = SS_DISABLE;
	KEXPECT_EQ(signal_set_altstack(&s, &ss, 0x7000), 0);
	KEXPECT_EQ(s.altstack_sp, 0);
	KEXPECT_EQ(s.altstack_size, 0);
	KEXPECT_EQ(signal_altstack_flags(&s, 0x7000), SS_DISABLE);
	/* SS_AUTODISARM: never "on" it, and the flag shows in the report. */
	ss = (struct sigaltstack){ .ss_sp = 0x20000000, .ss_size = 0x4000,
				   .ss_flags = (int32_t)SS_AUTODISARM };
	KEXPECT_EQ(signal_set_altstack(&s, &ss, 0x7000), 0);
	KEXPECT_EQ(signal_altstack_flags(&s, 0x20000100), (int)SS_AUTODISARM);
}

KTEST(signal_siginfo_layouts)
{
	struct siginfo si;
	struct ksiginfo k = { .signo = SIGUSR1, .code = SI_USER, .pid = 7, .uid = 1000,
			      .value = 99, .addr = 0x1234, .status = 5 };
	signal_encode_siginfo(&k, &si);
	KEXPECT_EQ(si.si_signo, SIGUSR1);
	KEXPECT_EQ(si.si_code, SI_USER);
	KEXPECT_EQ(si.si_pid, 7);
	KEXPECT_EQ(si.si_uid, 1000);
	KEXPECT_EQ(si.si_value, 0);	/* kill() carries no value */
	k.code = SI_QUEUE;
	signal_encode_siginfo(&k, &si);
	KEXPECT_EQ(si.si_value, 99);
	KEXPECT_EQ(si._si_pad[31], 0);
	/* Faults: the address, nothing at the pid's place beyond it. */
	k = (struct ksiginfo){ .signo = SIGSEGV, .code = SEGV_ACCERR, .pid = 7, .addr = 0xdead000 };
	signal_encode_siginfo(&k, &si);
	KEXPECT_EQ(si.si_addr, 0xdead000);
	KEXPECT_EQ(si.si_addr_lsb, 0);
	/* A kernel-sent SIGSEGV (SI_KERNEL) uses the kill layout: no address. */
	k.code = SI_KERNEL;
	k.pid = 0;
	signal_encode_siginfo(&k, &si);
	KEXPECT_EQ(si.si_addr, 0);
	k = (struct ksiginfo){ .signo = SIGCHLD, .code = CLD_EXITED, .pid = 33, .uid = 2,
			       .status = 3, .utime = 4, .stime = 5 };
	signal_encode_siginfo(&k, &si);
	KEXPECT_EQ(si.si_pid, 33);
	KEXPECT_EQ(si.si_status, 3);
	KEXPECT_EQ(si.si_utime, 4);
	KEXPECT_EQ(si.si_stime, 5);
	/* A decoded rt_sigqueueinfo siginfo round-trips. */
	struct ksiginfo back;
	signal_decode_siginfo(&si, &back);
	KEXPECT_EQ(back.pid, 33);
	KEXPECT_EQ(back.status, 3);
	KEXPECT_EQ(back.stime, 5);
	memset(&si, 0, sizeof(si));
	si.si_signo = SIGRTMIN;
	si.si_code = SI_QUEUE;
	si.si_pid = 9;
	si.si_value = 1234;
	signal_decode_siginfo(&si, &back);
	KEXPECT_EQ(back.code, SI_QUEUE);
	KEXPECT_EQ(back.pid, 9);
	KEXPECT_EQ(back.value, 1234);
}
