/* Guest cases: resource limits and usage — getrlimit/setrlimit/prlimit64 and their enforcement, getrusage. */
#include "gt.h"

#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
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

GT_CASE(sigpending_limit_sigqueue_eagain, "rt_sigqueueinfo setrlimit")
{
	/* Counted per real user: a user of our own, so nothing else is in the count. */
	gt_drop_privs(4242);
	struct rlimit rl = { 4, 4 };
	OK(setrlimit(RLIMIT_SIGPENDING, &rl));
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN);
	sigaddset(&set, SIGUSR1);
	OK(sigprocmask(SIG_BLOCK, &set, NULL));
	union sigval v = { .sival_int = 0 };
	for (int i = 0; i < 4; i++) {
		v.sival_int = i;
		OK(sigqueue(getpid(), SIGRTMIN, v));
	}
	ERR(sigqueue(getpid(), SIGRTMIN, v), EAGAIN);
	/* Standard signals from kill are never held back. */
	OK(kill(getpid(), SIGUSR1));
	siginfo_t si;
	struct timespec zero = { 0, 0 };
	EQ(sigtimedwait(&set, &si, &zero), SIGUSR1);
	EQ(si.si_code, SI_USER);
	for (int i = 0; i < 4; i++) {
		EQ(sigtimedwait(&set, &si, &zero), SIGRTMIN);
		EQ(si.si_code, SI_QUEUE);
		EQ(si.si_value.sival_int, i);
	}
	ERR(sigtimedwait(&set, &si, &zero), EAGAIN);
	/* With no room at all, kill() still makes it pending, its information lost. */
	rl.rlim_cur = 0;
	OK(setrlimit(RLIMIT_SIGPENDING, &rl));
	ERR(sigqueue(getpid(), SIGRTMIN, v), EAGAIN);
	OK(kill(getpid(), SIGRTMIN));
	EQ(sigtimedwait(&set, &si, &zero), SIGRTMIN);
	EQ(si.si_code, SI_USER);
	EQ(si.si_pid, 0);
	/* Room given back: queued again. */
	rl.rlim_cur = 4;
	OK(setrlimit(RLIMIT_SIGPENDING, &rl));
	OK(sigqueue(getpid(), SIGRTMIN, v));
	EQ(sigtimedwait(&set, &si, &zero), SIGRTMIN);
	EQ(si.si_code, SI_QUEUE);
}

/* What each process of the fork bomb reports once its fork failed. */
struct bomb_report {
	int pid, ppid, kids, err;
};

/* A process of the bomb: fork until refused, report, wait to be killed. */
static void __attribute__((noreturn)) bomb(int fd)
{
	int kids = 0;
	for (;;) {
		pid_t c = fork();
		if (c == 0) {
			kids = 0;
			continue;	/* the child bombs on */
		}
		if (c < 0)
			break;
		kids++;
	}
	struct bomb_report r = { getpid(), getppid(), kids, errno };
	if (write(fd, &r, sizeof r) != sizeof r)
		_exit(1);
	for (;;)
		pause();
}

GT_CASE(fork_bomb_bounded_by_nproc, "fork setrlimit")
{
	/*
	 * The bomb of a user of its own stops at RLIMIT_NPROC processes, each
	 * refused with EAGAIN; then all of it is killed and reaped here (a
	 * subreaper). Done once every process that reported has had all its
	 * children report, starting from the first: the whole tree.
	 */
	enum { LIMIT = 12, MAX = 64 };
	OK(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
	int fds[2];
	OK(pipe(fds));
	pid_t first = gt_fork();
	if (first == 0) {
		close(fds[0]);
		setpgid(0, 0);
		gt_drop_privs(4243);
		struct rlimit rl = { LIMIT, LIMIT };
		setrlimit(RLIMIT_NPROC, &rl);
		bomb(fds[1]);
	}
	close(fds[1]);
	struct bomb_report r[MAX];
	int n = 0;
	for (;;) {
		CHECK(n < MAX);
		EQ(read(fds[0], &r[n], sizeof r[n]), sizeof r[n]);
		n++;
		bool done = false;
		for (int i = 0; i < n; i++)
			if (r[i].pid == first)
				done = true;
		for (int i = 0; i < n && done; i++) {
			int seen = 0;
			for (int j = 0; j < n; j++)
				seen += r[j].ppid == r[i].pid;
			if (seen != r[i].kids)
				done = false;
		}
		if (done)
			break;
	}
	for (int i = 0; i < n; i++)
		EQ(r[i].err, EAGAIN);
	EQ(n, LIMIT);
	kill(-first, SIGKILL);
	int reaped = 0, st;
	while (wait(&st) > 0) {
		CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
		reaped++;
	}
	EQ(reaped, n);
	close(fds[0]);
}

/* One write of @text to a sysctl file opened afresh (Linux ignores writes past offset 0). */
static long sysctl_write(const char *path, const char *text)
{
	int fd = (int)OK(open(path, O_WRONLY));
	long r = write(fd, text, strlen(text));
	long e = r < 0 ? -errno : r;
	close(fd);
	return e;
}

GT_CASE(threads_max_bounds_fork, "fork")
{
	static const char path[] = "/proc/sys/kernel/threads-max";
	char buf[32];
	gt_read_file(path, buf, sizeof buf);
	long def = atol(buf);
	CHECK(def >= 20);
	EQ(sysctl_write(path, "0"), -EINVAL);
	EQ(sysctl_write(path, "-5"), -EINVAL);
	EQ(sysctl_write(path, "1073741824"), -EINVAL);
	/* Root too: past threads-max tasks in all, fork is EAGAIN. */
	EQ(sysctl_write(path, "20"), 2);
	int made = 0, err = 0;
	pid_t kids[64];
	while (made < 64) {
		pid_t c = fork();
		if (c == 0) {
			for (;;)
				pause();
		}
		if (c < 0) {
			err = errno;
			break;
		}
		kids[made++] = c;
	}
	char text[24];
	snprintf(text, sizeof text, "%ld", def);
	EQ(sysctl_write(path, text), (long)strlen(text));
	EQ(err, EAGAIN);
	CHECK(made < 20);
	for (int i = 0; i < made; i++) {
		kill(kids[i], SIGKILL);
		gt_wait_signal(kids[i], SIGKILL);
	}
	gt_read_file(path, buf, sizeof buf);
	EQ(atol(buf), def);
	pid_t c = gt_fork();
	if (c == 0)
		_exit(0);
	gt_wait_exit(c, 0);
}
