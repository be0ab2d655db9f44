/* Guest cases: resource limits and usage — getrlimit/setrlimit/prlimit64 and their enforcement, getrusage. */
#include "gt.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>

GT_CASE(getrlimit_defaults, "getrlimit")
{
	struct rlimit rl;
	OK(getrlimit(RLIMIT_NOFILE, &rl));
	CHECK(rl.rlim_cur >= 64 && rl.rlim_cur <= rl.rlim_max);
	OK(getrlimit(RLIMIT_STACK, &rl));
	EQ(rl.rlim_cur, 8UL << 20);
	OK(getrlimit(RLIMIT_CORE, &rl));
	EQ(rl.rlim_cur, 0);
	OK(getrlimit(RLIMIT_AS, &rl));
	EQ(rl.rlim_cur, RLIM_INFINITY);
}

GT_CASE(getrlimit_errors, "getrlimit setrlimit")
{
	struct rlimit rl;
	ERR(syscall(SYS_getrlimit, 100, &rl), EINVAL);
	ERR(syscall(SYS_getrlimit, RLIMIT_NOFILE, GT_BADPTR), EFAULT);
	rl.rlim_cur = 10;
	rl.rlim_max = 5;
	ERR(setrlimit(RLIMIT_NOFILE, &rl), EINVAL);
	ERR(syscall(SYS_setrlimit, 100, &rl), EINVAL);
}

GT_CASE(setrlimit_roundtrip, "setrlimit getrlimit")
{
	struct rlimit rl = { 100, 200 }, got;
	OK(setrlimit(RLIMIT_NOFILE, &rl));
	OK(getrlimit(RLIMIT_NOFILE, &got));
	EQ(got.rlim_cur, 100);
	EQ(got.rlim_max, 200);
}

GT_CASE(setrlimit_raise_hard_nonroot_eperm, "setrlimit")
{
	struct rlimit rl = { 100, 200 };
	OK(setrlimit(RLIMIT_NOFILE, &rl));
	gt_drop_privs(1000);
	rl.rlim_max = 300;
	ERR(setrlimit(RLIMIT_NOFILE, &rl), EPERM);
	rl.rlim_cur = 150;
	rl.rlim_max = 150;
	OK(setrlimit(RLIMIT_NOFILE, &rl)); /* lowering is always allowed */
	rl.rlim_max = 200;
	ERR(setrlimit(RLIMIT_NOFILE, &rl), EPERM); /* and irreversible */
}

GT_CASE(nofile_above_nr_open_eperm, "setrlimit")
{
	struct rlimit rl = { 1UL << 30, 1UL << 30 };
	ERR(setrlimit(RLIMIT_NOFILE, &rl), EPERM); /* beyond /proc/sys/fs/nr_open */
}

GT_CASE(prlimit64_get_set, "prlimit64")
{
	struct rlimit n = { 50, 60 }, old;
	OK(prlimit(0, RLIMIT_NOFILE, &n, &old));
	struct rlimit cur;
	OK(prlimit(getpid(), RLIMIT_NOFILE, NULL, &cur));
	EQ(cur.rlim_cur, 50);
	EQ(cur.rlim_max, 60);
	ERR(prlimit(999999, RLIMIT_NOFILE, NULL, &cur), ESRCH);
	ERR(prlimit(0, 77, NULL, &cur), EINVAL);
}

GT_CASE(prlimit64_other_process, "prlimit64")
{
	pid_t pid = gt_fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	struct rlimit n = { 33, 44 }, cur;
	OK(prlimit(pid, RLIMIT_NOFILE, &n, NULL));
	OK(prlimit(pid, RLIMIT_NOFILE, NULL, &cur));
	EQ(cur.rlim_cur, 33);
	OK(kill(pid, SIGKILL));
	gt_wait_signal(pid, SIGKILL);
}

GT_CASE(nofile_enforced_emfile, "setrlimit open")
{
	struct rlimit rl = { 5, 5 };
	OK(setrlimit(RLIMIT_NOFILE, &rl));
	for (int i = 3; i < 5; i++)
		if (fcntl(i, F_GETFD) < 0)
			OK(open("/dev/null", O_RDONLY));
	ERR(open("/dev/null", O_RDONLY), EMFILE);
	ERR(fcntl(0, F_DUPFD, 5), EINVAL);
}

GT_CASE(fsize_sigxfsz_efbig, "setrlimit write")
{
	struct rlimit rl = { 10, 10 };
	int fd = (int)OK(open("f", O_WRONLY | O_CREAT, 0644));
	pid_t pid = gt_fork();
	if (pid == 0) {
		setrlimit(RLIMIT_FSIZE, &rl);
		write(fd, "0123456789abc", 13); /* partial write up to the limit */
		write(fd, "x", 1);          /* at the limit: SIGXFSZ */
		_exit(0);
	}
	gt_wait_signal(pid, SIGXFSZ);
	signal(SIGXFSZ, SIG_IGN);
	OK(setrlimit(RLIMIT_FSIZE, &rl));
	OK(lseek(fd, 0, SEEK_END));
	ERR(write(fd, "x", 1), EFBIG);
	EQ(lseek(fd, 0, SEEK_END), 10);
}

GT_CASE(nproc_nonroot_eagain, "setrlimit fork")
{
	struct rlimit rl = { 0, 0 };
	gt_drop_privs(1000);
	OK(setrlimit(RLIMIT_NPROC, &rl));
	ERR(fork(), EAGAIN);
}

/* Separate frame so the 1 MiB array is only reserved in the child, after the limit is lowered. */
__attribute__((noinline)) static void touch_deep_stack(void)
{
	volatile char big[1 << 20];
	big[0] = 1;
	big[sizeof big - 1] = 1;
}

GT_CASE(stack_limit_segv, "setrlimit")
{
	pid_t pid = gt_fork();
	if (pid == 0) {
		struct rlimit rl = { 256 << 10, 256 << 10 };
		setrlimit(RLIMIT_STACK, &rl);
		touch_deep_stack();
		_exit(0);
	}
	gt_wait_signal(pid, SIGSEGV);
}

GT_CASE(cpu_limit_sigxcpu, "setrlimit")
{
	pid_t pid = gt_fork();
	if (pid == 0) {
		struct rlimit rl = { 1, 2 };
		setrlimit(RLIMIT_CPU, &rl);
		volatile unsigned long spin = 0;
		for (;;)
			spin++;
	}
	gt_wait_signal(pid, SIGXCPU);
}

GT_CASE(core_limit_settable, "setrlimit getrlimit")
{
	struct rlimit rl = { 0, RLIM_INFINITY }, got;
	OK(setrlimit(RLIMIT_CORE, &rl));
	OK(getrlimit(RLIMIT_CORE, &got));
	EQ(got.rlim_max, RLIM_INFINITY);
}

GT_CASE(limits_inherited_by_child, "setrlimit fork")
{
	struct rlimit rl = { 77, 88 };
	OK(setrlimit(RLIMIT_NOFILE, &rl));
	pid_t pid = gt_fork();
	if (pid == 0) {
		struct rlimit got;
		getrlimit(RLIMIT_NOFILE, &got);
		_exit(got.rlim_cur == 77 && got.rlim_max == 88 ? 0 : 1);
	}
	gt_wait_exit(pid, 0);
}

GT_CASE(getrusage_self_children, "getrusage")
{
	struct rusage ru;
	OK(getrusage(RUSAGE_SELF, &ru));
	CHECK(ru.ru_utime.tv_usec >= 0 && ru.ru_utime.tv_usec < 1000000);
	pid_t pid = gt_fork();
	if (pid == 0) {
		volatile unsigned long spin = 0;
		long long t0 = gt_now_ns();
		while (gt_now_ns() - t0 < 30000000LL)
			spin++;
		_exit(0);
	}
	gt_wait_exit(pid, 0);
	OK(getrusage(RUSAGE_CHILDREN, &ru));
	CHECK(ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec + ru.ru_stime.tv_sec * 1000000 +
		      ru.ru_stime.tv_usec >
	      0);
	ERR(getrusage(42, &ru), EINVAL);
	ERR(syscall(SYS_getrusage, RUSAGE_SELF, GT_BADPTR), EFAULT);
}

GT_CASE(getrusage_thread, "getrusage")
{
	struct rusage ru;
	OK(getrusage(RUSAGE_THREAD, &ru));
	CHECK(ru.ru_utime.tv_usec >= 0 && ru.ru_utime.tv_usec < 1000000);
}

GT_CASE(memlock_limit_roundtrip, "prlimit64")
{
	struct rlimit rl = { 4096, 8192 }, got;
	OK(prlimit(0, RLIMIT_MEMLOCK, &rl, NULL));
	OK(prlimit(0, RLIMIT_MEMLOCK, NULL, &got));
	EQ(got.rlim_cur, 4096);
	EQ(got.rlim_max, 8192);
}

GT_CASE(data_limit_brk, "setrlimit brk")
{
	struct rlimit rl = { 1 << 20, 1 << 20 };
	OK(setrlimit(RLIMIT_DATA, &rl));
	uintptr_t cur = (uintptr_t)syscall(SYS_brk, 0);
	EQ(syscall(SYS_brk, cur + (64UL << 20)), cur); /* refused: break unchanged */
	ERR(mmap(NULL, 64UL << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), ENOMEM);
}
