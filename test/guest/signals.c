/* Guest cases: signals — kill/tgkill, sigaction flags, masks, pending sets, waits, alternate stacks, fault signals. */
#include "gt.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>

static volatile sig_atomic_t hits, last_sig, last_code, last_value;
static volatile void *last_addr;

static void count_handler(int sig)
{
	hits++;
	last_sig = sig;
}

static void info_handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	hits++;
	last_sig = sig;
	last_code = si->si_code;
	last_value = si->si_value.sival_int;
	last_addr = si->si_addr;
}

static void install(int sig, void (*h)(int), int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = h;
	sa.sa_flags = flags;
	OK(sigaction(sig, &sa, NULL));
}

static void install_info(int sig, int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = info_handler;
	sa.sa_flags = SA_SIGINFO | flags;
	OK(sigaction(sig, &sa, NULL));
}

static void block(int sig)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, sig);
	OK(sigprocmask(SIG_BLOCK, &s, NULL));
}

GT_CASE(kill_self_handler, "kill rt_sigaction")
{
	install(SIGUSR1, count_handler, 0);
	OK(kill(getpid(), SIGUSR1));
	EQ(hits, 1); /* an unblocked signal to self is delivered before kill returns */
	EQ(last_sig, SIGUSR1);
}

GT_CASE(kill_errors, "kill")
{
	ERR(kill(getpid(), 65), EINVAL);
	ERR(kill(getpid(), -1), EINVAL);
	ERR(kill(999999, SIGTERM), ESRCH);
	ERR(kill(-999999, SIGTERM), ESRCH);
	OK(kill(getpid(), 0));
}

GT_CASE(kill_eperm_nonroot, "kill")
{
	gt_drop_privs(1000);
	ERR(kill(1, SIGTERM), EPERM);
	ERR(kill(1, 0), EPERM);
}

GT_CASE(kill_default_terminate, "kill")
{
	pid_t pid = gt_fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	OK(kill(pid, SIGTERM));
	gt_wait_signal(pid, SIGTERM);
}

GT_CASE(kill_process_group, "kill setpgid")
{
	pid_t a = gt_fork();
	if (a == 0) {
		for (;;)
			pause();
	}
	OK(setpgid(a, a));
	pid_t b = gt_fork();
	if (b == 0) {
		OK(setpgid(0, a));
		for (;;)
			pause();
	}
	OK(setpgid(b, a));
	OK(kill(-a, SIGUSR2));
	gt_wait_signal(a, SIGUSR2);
	gt_wait_signal(b, SIGUSR2);
}

GT_CASE(tgkill_tkill, "tgkill tkill")
{
	install(SIGUSR1, count_handler, 0);
	OK(syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGUSR1));
	EQ(hits, 1);
	OK(syscall(SYS_tkill, syscall(SYS_gettid), SIGUSR1));
	EQ(hits, 2);
	ERR(syscall(SYS_tgkill, getpid(), 999999, SIGUSR1), ESRCH);
	ERR(syscall(SYS_tgkill, 0, getpid(), SIGUSR1), EINVAL);
	ERR(syscall(SYS_tkill, -1, SIGUSR1), EINVAL);
}

GT_CASE(sigaction_kill_stop_einval, "rt_sigaction")
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = count_handler;
	ERR(sigaction(SIGKILL, &sa, NULL), EINVAL);
	ERR(sigaction(SIGSTOP, &sa, NULL), EINVAL);
	ERR(sigaction(0, &sa, NULL), EINVAL);
	ERR(sigaction(65, &sa, NULL), EINVAL);
	OK(sigaction(SIGKILL, NULL, &sa));
}

GT_CASE(sigaction_old_value, "rt_sigaction")
{
	install(SIGUSR1, count_handler, SA_RESTART);
	struct sigaction old;
	OK(sigaction(SIGUSR1, NULL, &old));
	CHECK(old.sa_handler == count_handler);
	CHECK(old.sa_flags & SA_RESTART);
	ERR(syscall(SYS_rt_sigaction, SIGUSR1, NULL, &old, 4), EINVAL); /* wrong sigset size */
	ERR(syscall(SYS_rt_sigaction, SIGUSR1, GT_BADPTR, NULL, 8), EFAULT);
}

GT_CASE(sigprocmask_blocks_pending, "rt_sigprocmask rt_sigpending")
{
	install(SIGUSR1, count_handler, 0);
	block(SIGUSR1);
	OK(raise(SIGUSR1));
	EQ(hits, 0);
	sigset_t p;
	OK(sigpending(&p));
	CHECK(sigismember(&p, SIGUSR1));
	sigset_t s;
	sigemptyset(&s);
	OK(sigprocmask(SIG_SETMASK, &s, NULL));
	EQ(hits, 1);
	OK(sigpending(&p));
	CHECK(!sigismember(&p, SIGUSR1));
}

GT_CASE(sigprocmask_errors_and_kill_unblockable, "rt_sigprocmask")
{
	sigset_t s, old;
	sigfillset(&s);
	OK(sigprocmask(SIG_BLOCK, &s, NULL));
	OK(sigprocmask(SIG_BLOCK, NULL, &old));
	CHECK(!sigismember(&old, SIGKILL));
	CHECK(!sigismember(&old, SIGSTOP));
	CHECK(sigismember(&old, SIGUSR1));
	ERR(syscall(SYS_rt_sigprocmask, 99, &s, NULL, 8), EINVAL);
	ERR(syscall(SYS_rt_sigprocmask, SIG_BLOCK, &s, NULL, 7), EINVAL);
	ERR(syscall(SYS_rt_sigprocmask, SIG_BLOCK, GT_BADPTR, NULL, 8), EFAULT);
}

GT_CASE(standard_signals_coalesce, "kill rt_sigprocmask")
{
	install(SIGUSR1, count_handler, 0);
	block(SIGUSR1);
	OK(raise(SIGUSR1));
	OK(raise(SIGUSR1));
	OK(raise(SIGUSR1));
	sigset_t s;
	sigemptyset(&s);
	OK(sigprocmask(SIG_SETMASK, &s, NULL));
	EQ(hits, 1);
}

GT_CASE(realtime_signals_queue, "rt_sigqueueinfo rt_sigprocmask")
{
	install_info(SIGRTMIN, 0);
	block(SIGRTMIN);
	for (int i = 1; i <= 3; i++) {
		union sigval v = { .sival_int = i * 10 };
		OK(sigqueue(getpid(), SIGRTMIN, v));
	}
	sigset_t s;
	sigemptyset(&s);
	OK(sigprocmask(SIG_SETMASK, &s, NULL));
	EQ(hits, 3);
	EQ(last_value, 30); /* delivered in order */
	EQ(last_code, SI_QUEUE);
}

GT_CASE(siginfo_from_kill, "kill rt_sigaction")
{
	install_info(SIGUSR2, 0);
	OK(kill(getpid(), SIGUSR2));
	EQ(hits, 1);
	EQ(last_code, SI_USER);
}

GT_CASE(sa_resethand, "rt_sigaction")
{
	install(SIGUSR1, count_handler, SA_RESETHAND);
	OK(raise(SIGUSR1));
	EQ(hits, 1);
	struct sigaction cur;
	OK(sigaction(SIGUSR1, NULL, &cur));
	CHECK(cur.sa_handler == SIG_DFL);
}

static volatile sig_atomic_t nested_max, depth, reraised;

/* Re-raises its signal once from inside; records how deep handlers nested. */
static void nesting_handler(int sig)
{
	depth++;
	if (depth > nested_max)
		nested_max = depth;
	if (!reraised) {
		reraised = 1;
		raise(sig);
	}
	depth--;
}

GT_CASE(sa_nodefer_nests, "rt_sigaction")
{
	install(SIGUSR1, nesting_handler, SA_NODEFER);
	OK(raise(SIGUSR1));
	EQ(nested_max, 2);
}

GT_CASE(handler_masks_own_signal, "rt_sigaction")
{
	install(SIGUSR1, nesting_handler, 0);
	OK(raise(SIGUSR1));
	EQ(nested_max, 1); /* the re-raise waited until the handler returned */
	EQ(reraised, 1);
}

static void check_mask_handler(int sig)
{
	(void)sig;
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	last_value = sigismember(&cur, SIGUSR2) && sigismember(&cur, SIGUSR1);
}

GT_CASE(sa_mask_applied_in_handler, "rt_sigaction")
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = check_mask_handler;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	OK(sigaction(SIGUSR1, &sa, NULL));
	OK(raise(SIGUSR1));
	EQ(last_value, 1);
	sigset_t cur;
	OK(sigprocmask(SIG_BLOCK, NULL, &cur));
	CHECK(!sigismember(&cur, SIGUSR2)); /* restored by sigreturn */
}

GT_CASE(sig_ign_discards, "rt_sigaction")
{
	signal(SIGUSR1, SIG_IGN);
	OK(raise(SIGUSR1));
	sigset_t p;
	OK(sigpending(&p));
	CHECK(!sigismember(&p, SIGUSR1));
}

GT_CASE(sa_restart_read, "rt_sigaction read")
{
	int p[2];
	OK(pipe(p));
	install(SIGALRM, count_handler, SA_RESTART);
	pid_t pid = gt_fork();
	if (pid == 0) {
		gt_sleep_ms(150);
		gt_write_all(p[1], "r", 1);
		_exit(0);
	}
	struct itimerval it = { { 0, 0 }, { 0, 30000 } };
	OK(setitimer(ITIMER_REAL, &it, NULL));
	char c;
	EQ(read(p[0], &c, 1), 1); /* restarted after the handler ran */
	EQ(hits, 1);
	gt_wait_exit(pid, 0);
}

GT_CASE(no_restart_eintr, "rt_sigaction read")
{
	int p[2];
	OK(pipe(p));
	install(SIGALRM, count_handler, 0);
	struct itimerval it = { { 0, 0 }, { 0, 30000 } };
	OK(setitimer(ITIMER_REAL, &it, NULL));
	char c;
	ERR(read(p[0], &c, 1), EINTR);
	EQ(hits, 1);
}

GT_CASE(sigsuspend_waits, "rt_sigsuspend")
{
	install(SIGUSR1, count_handler, 0);
	block(SIGUSR1);
	pid_t parent = getpid();
	pid_t pid = gt_fork();
	if (pid == 0) {
		gt_sleep_ms(30);
		kill(parent, SIGUSR1);
		_exit(0);
	}
	sigset_t empty;
	sigemptyset(&empty);
	ERR(sigsuspend(&empty), EINTR);
	EQ(hits, 1);
	sigset_t cur;
	OK(sigprocmask(SIG_BLOCK, NULL, &cur));
	CHECK(sigismember(&cur, SIGUSR1)); /* original mask restored */
	gt_wait_exit(pid, 0);
}

GT_CASE(pause_returns_eintr, "pause")
{
	install(SIGALRM, count_handler, 0);
	alarm(1);
	ERR(pause(), EINTR);
	EQ(last_sig, SIGALRM);
}

GT_CASE(sigtimedwait_timeout_and_take, "rt_sigtimedwait")
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	OK(sigprocmask(SIG_BLOCK, &s, NULL));
	struct timespec ts = { 0, 20000000 };
	ERR(sigtimedwait(&s, NULL, &ts), EAGAIN);
	OK(raise(SIGUSR1));
	siginfo_t si;
	EQ(sigtimedwait(&s, &si, &ts), SIGUSR1);
	EQ(si.si_signo, SIGUSR1);
	struct timespec bad = { 0, 1000000000 };
	ERR(sigtimedwait(&s, NULL, &bad), EINVAL);
}

GT_CASE(sigwaitinfo_rt_value, "rt_sigtimedwait rt_sigqueueinfo")
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGRTMIN + 1);
	OK(sigprocmask(SIG_BLOCK, &s, NULL));
	union sigval v = { .sival_int = 1234 };
	OK(sigqueue(getpid(), SIGRTMIN + 1, v));
	siginfo_t si;
	EQ(sigwaitinfo(&s, &si), SIGRTMIN + 1);
	EQ(si.si_value.sival_int, 1234);
	EQ(si.si_pid, getpid());
}

GT_CASE(sigaltstack_used, "sigaltstack rt_sigaction")
{
	static char stack[1 << 16];
	stack_t ss = { .ss_sp = stack, .ss_size = sizeof stack, .ss_flags = 0 };
	OK(sigaltstack(&ss, NULL));
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = info_handler;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	OK(sigaction(SIGUSR1, &sa, NULL));
	OK(raise(SIGUSR1));
	EQ(hits, 1);
	stack_t cur;
	OK(sigaltstack(NULL, &cur));
	EQ(cur.ss_flags, 0);
	CHECK(cur.ss_sp == stack);
}

static volatile uintptr_t handler_sp;

static void sp_handler(int sig)
{
	int local;
	(void)sig;
	handler_sp = (uintptr_t)&local;
}

GT_CASE(sigaltstack_handler_runs_on_it, "sigaltstack")
{
	static char stack[1 << 16];
	stack_t ss = { .ss_sp = stack, .ss_size = sizeof stack };
	OK(sigaltstack(&ss, NULL));
	install(SIGUSR1, sp_handler, SA_ONSTACK);
	OK(raise(SIGUSR1));
	CHECK(handler_sp >= (uintptr_t)stack && handler_sp < (uintptr_t)stack + sizeof stack);
}

GT_CASE(sigaltstack_errors, "sigaltstack")
{
	static char small[512];
	stack_t ss = { .ss_sp = small, .ss_size = sizeof small };
	ERR(sigaltstack(&ss, NULL), ENOMEM);
	ss.ss_size = 1 << 16;
	ss.ss_flags = 0x1234;
	ERR(sigaltstack(&ss, NULL), EINVAL);
	ERR(syscall(SYS_sigaltstack, GT_BADPTR, NULL), EFAULT);
}

GT_CASE(sigsegv_on_null, "rt_sigaction")
{
	pid_t pid = gt_fork();
	if (pid == 0) {
		volatile int *p = (volatile int *)GT_BADPTR;
		*p = 1;
		_exit(0);
	}
	gt_wait_signal(pid, SIGSEGV);
}

static void segv_handler(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)uc;
	_exit(si->si_addr == (void *)0x10 && si->si_code == SEGV_MAPERR ? 40 : 41);
}

GT_CASE(sigsegv_siginfo, "rt_sigaction")
{
	pid_t pid = gt_fork();
	if (pid == 0) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_sigaction = segv_handler;
		sa.sa_flags = SA_SIGINFO;
		sigaction(SIGSEGV, &sa, NULL);
		volatile int *p = (volatile int *)(gt_badptr_addr + 8);
		*p = 1;
		_exit(0);
	}
	gt_wait_exit(pid, 40);
}

static void accerr_handler(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)uc;
	_exit(si->si_code == SEGV_ACCERR ? 40 : 41);
}

GT_CASE(sigsegv_accerr, "rt_sigaction mprotect")
{
	pid_t pid = gt_fork();
	if (pid == 0) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_sigaction = accerr_handler;
		sa.sa_flags = SA_SIGINFO;
		sigaction(SIGSEGV, &sa, NULL);
		volatile char *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		*p = 1;
		_exit(0);
	}
	gt_wait_exit(pid, 40);
}

GT_CASE(sigfpe_divide, "rt_sigaction")
{
	pid_t pid = gt_fork();
	if (pid == 0) {
		/* both operands opaque: GCC rewrites 1/x without a division */
		volatile int zero = 0, seven = 7;
		volatile int r = seven / zero;
		(void)r;
		_exit(0);
	}
	gt_wait_signal(pid, SIGFPE);
}

GT_CASE(sigill_trap, "rt_sigaction")
{
	pid_t pid = gt_fork();
	if (pid == 0)
		__builtin_trap();
	gt_wait_signal(pid, SIGILL);
}

GT_CASE(abort_sigabrt, "rt_sigaction tgkill")
{
	pid_t pid = gt_fork();
	if (pid == 0) {
		signal(SIGABRT, count_handler); /* abort still terminates after the handler returns */
		abort();
	}
	gt_wait_signal(pid, SIGABRT);
}

GT_CASE(sigstop_sigcont, "kill wait4")
{
	pid_t pid = gt_fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	OK(kill(pid, SIGSTOP));
	int st;
	EQ(waitpid(pid, &st, WUNTRACED), pid);
	CHECK(WIFSTOPPED(st));
	OK(kill(pid, SIGCONT));
	OK(kill(pid, SIGKILL));
	gt_wait_signal(pid, SIGKILL);
}

GT_CASE(signalfd_reads_signal, "signalfd4 read")
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	OK(sigprocmask(SIG_BLOCK, &s, NULL));
	int fd = (int)OK(signalfd(-1, &s, SFD_NONBLOCK));
	struct signalfd_siginfo si;
	ERR(read(fd, &si, sizeof si), EAGAIN);
	OK(raise(SIGUSR1));
	EQ(read(fd, &si, sizeof si), sizeof si);
	EQ(si.ssi_signo, SIGUSR1);
	EQ(si.ssi_pid, getpid());
	ERR(signalfd(-1, &s, 0x1234), EINVAL);
	ERR(read(fd, &si, 8), EINVAL);
}

GT_CASE(fork_inherits_handlers_clears_pending, "fork rt_sigpending")
{
	install(SIGUSR1, count_handler, 0);
	block(SIGUSR2);
	OK(raise(SIGUSR2));
	pid_t pid = gt_fork();
	if (pid == 0) {
		sigset_t p, m;
		sigpending(&p);
		sigprocmask(SIG_BLOCK, NULL, &m);
		struct sigaction cur;
		sigaction(SIGUSR1, NULL, &cur);
		_exit(!sigismember(&p, SIGUSR2) && sigismember(&m, SIGUSR2) &&
				      cur.sa_handler == count_handler
			      ? 0
			      : 1);
	}
	gt_wait_exit(pid, 0);
}

GT_CASE(rt_sigreturn_restores_registers, "rt_sigreturn")
{
	install(SIGUSR1, count_handler, 0);
	volatile double d = 1.5;
	volatile long x = 12345;
	for (int i = 0; i < 10; i++)
		OK(raise(SIGUSR1));
	EQ(hits, 10);
	EQ(x, 12345);
	CHECK(d == 1.5);
}
