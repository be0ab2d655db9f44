/* Guest cases: processes and exec — fork/vfork/clone, execve arguments and errors, ids, sessions and groups, exit. */
#include "gt.h"

#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

extern char **environ;

/*
 * Exec target: `PROG --helper MODE ...`.
 *   args A B..  exit 0 iff argv after MODE equals A B..
 *   env NAME V  exit 0 iff getenv(NAME) == V
 *   exit N      exit with N
 *   fd N        exit 0 iff descriptor N is open
 *   exe PATH    exit 0 iff /proc/self/exe names PATH
 */
int gt_helper(int argc, char **argv)
{
	if (argc < 1)
		return 100;
	if (strcmp(argv[0], "args") == 0) {
		static const char *const want[] = { "one", "", "three words" };
		if (argc - 1 != 3)
			return 101;
		for (int i = 0; i < 3; i++)
			if (strcmp(argv[i + 1], want[i]) != 0)
				return 102 + i;
		return 0;
	}
	if (strcmp(argv[0], "env") == 0 && argc == 3) {
		const char *v = getenv(argv[1]);
		return v && strcmp(v, argv[2]) == 0 ? 0 : 1;
	}
	if (strcmp(argv[0], "exit") == 0 && argc == 2)
		return atoi(argv[1]);
	if (strcmp(argv[0], "fd") == 0 && argc == 2)
		return fcntl(atoi(argv[1]), F_GETFD) == -1 ? 1 : 0;
	if (strcmp(argv[0], "exe") == 0 && argc == 2) {
		char buf[PATH_MAX];
		long n = readlink("/proc/self/exe", buf, sizeof buf - 1);
		if (n < 0)
			return 1;
		buf[n] = 0;
		return strcmp(buf, argv[1]) == 0 ? 0 : 2;
	}
	return 110;
}

static char self_exe[PATH_MAX];

static const char *self(void)
{
	long n = OK(readlink("/proc/self/exe", self_exe, sizeof self_exe - 1));
	self_exe[n] = 0;
	return self_exe;
}

GT_CASE(fork_returns_twice, "fork getpid getppid")
{
	pid_t parent = getpid();
	pid_t pid = gt_fork();
	if (pid == 0) {
		if (getppid() != parent || getpid() == parent)
			_exit(1);
		_exit(0);
	}
	CHECK(pid > 0 && pid != parent);
	gt_wait_exit(pid, 0);
}

GT_CASE(fork_copies_memory, "fork")
{
	static int value = 1;
	pid_t pid = gt_fork();
	if (pid == 0) {
		value = 2;
		_exit(value);
	}
	gt_wait_exit(pid, 2);
	EQ(value, 1);
}

GT_CASE(vfork_shares_until_exec, "vfork")
{
	pid_t pid = vfork();
	if (pid == 0)
		_exit(7);
	CHECK(pid > 0);
	gt_wait_exit(pid, 7);
}

GT_CASE(clone_fork_like, "clone gettid")
{
	/* clone with only an exit signal behaves as fork; bare CLONE_THREAD/SIGHAND lack required companions */
	pid_t pid = (pid_t)OK(syscall(SYS_clone, SIGCHLD, 0, NULL, NULL, 0));
	if (pid == 0)
		_exit(getpid() == (pid_t)syscall(SYS_gettid) ? 0 : 1);
	gt_wait_exit(pid, 0);
	ERR(syscall(SYS_clone, CLONE_THREAD, 0, NULL, NULL, 0), EINVAL);
	ERR(syscall(SYS_clone, CLONE_SIGHAND, 0, NULL, NULL, 0), EINVAL);
}

GT_CASE(getpid_gettid_main, "getpid gettid")
{
	EQ(getpid(), syscall(SYS_gettid));
	CHECK(getpid() > 1);
}

GT_CASE(execve_args, "execve")
{
	pid_t pid = gt_fork();
	if (pid == 0) {
		char *argv[] = { "x", "--helper", "args", "one", "", "three words", NULL };
		execv(self(), argv);
		_exit(120);
	}
	gt_wait_exit(pid, 0);
}

GT_CASE(execve_env, "execve")
{
	pid_t pid = gt_fork();
	if (pid == 0) {
		char *argv[] = { "x", "--helper", "env", "GT_VAR", "a=b c", NULL };
		char *envp[] = { "GT_VAR=a=b c", "OTHER=1", NULL };
		execve(self(), argv, envp);
		_exit(120);
	}
	gt_wait_exit(pid, 0);
}

/* /proc/self/exe names the file run, with symlinks resolved, not the name exec was given. */
GT_CASE(execve_exe_link_resolved, "execve readlink")
{
	const char *me = self();
	OK(symlink(me, "link"));
	pid_t pid = gt_fork();
	if (pid == 0) {
		char *argv[] = { "x", "--helper", "exe", (char *)me, NULL };
		execv("link", argv);
		_exit(120);
	}
	gt_wait_exit(pid, 0);
}

/* A running program cannot be opened for writing or truncated by name. */
GT_CASE(etxtbsy_running_program, "open truncate")
{
	const char *me = self();
	struct stat st;
	OK(stat(me, &st));
	ERR(open(me, O_WRONLY), ETXTBSY);
	ERR(open(me, O_RDWR), ETXTBSY);
	/* Its own size: nothing would change if the call were let through. */
	ERR(truncate(me, st.st_size), ETXTBSY);
	OK(close(OK(open(me, O_RDONLY))));
}

/* A file open for writing cannot be executed (a script neither); once closed it can. */
GT_CASE(etxtbsy_exec_open_for_write, "execve")
{
	int fd = OK(open("s", O_CREAT | O_WRONLY | O_TRUNC, 0755));
	static const char text[] = "#!/bin/sh\nexit 3\n";
	EQ(write(fd, text, sizeof text - 1), (ssize_t)(sizeof text - 1));
	char *argv[] = { "s", NULL };
	ERR(execve("./s", argv, environ), ETXTBSY);
	OK(close(fd));
	pid_t pid = gt_fork();
	if (pid == 0) {
		execve("./s", argv, environ);
		_exit(120);
	}
	gt_wait_exit(pid, 3);
	/* While a child runs the script's interpreter, the script itself is free again. */
	OK(close(OK(open("s", O_WRONLY))));
}

#include <linux/sched.h>

/* clone3 as fork: the child's exit status comes back with the exit signal the arguments name. */
GT_CASE(clone3_fork_like, "clone3 wait4")
{
	struct clone_args a = { .exit_signal = SIGCHLD };
	int ptid = 0;
	a.flags = CLONE_PARENT_SETTID;
	a.parent_tid = (uintptr_t)&ptid;
	long pid = OK(syscall(SYS_clone3, &a, sizeof a));
	if (pid == 0)
		_exit(getpid() == (pid_t)syscall(SYS_gettid) ? 7 : 1);
	EQ(ptid, pid);
	gt_wait_exit((pid_t)pid, 7);
	/* A larger struct whose extra bytes are zero is fine. */
	struct { struct clone_args a; uint64_t more; } big = { { .exit_signal = SIGCHLD }, 0 };
	pid = OK(syscall(SYS_clone3, &big, sizeof big));
	if (pid == 0)
		_exit(8);
	gt_wait_exit((pid_t)pid, 8);
}

GT_CASE(clone3_errors, "clone3")
{
	struct clone_args a = { .exit_signal = SIGCHLD };
	ERR(syscall(SYS_clone3, &a, 0), EINVAL);
	ERR(syscall(SYS_clone3, &a, 63), EINVAL);
	ERR(syscall(SYS_clone3, &a, 4097), E2BIG);
	ERR(syscall(SYS_clone3, GT_BADPTR, sizeof a), EFAULT);
	struct { struct clone_args a; uint64_t more; } big = { { .exit_signal = SIGCHLD }, 1 };
	ERR(syscall(SYS_clone3, &big, sizeof big), E2BIG);
	a.flags = SIGCHLD;	/* the signal goes in exit_signal, not the flags */
	ERR(syscall(SYS_clone3, &a, sizeof a), EINVAL);
	a.flags = CLONE_DETACHED;
	ERR(syscall(SYS_clone3, &a, sizeof a), EINVAL);
	a.flags = 0;
	a.exit_signal = 65;
	ERR(syscall(SYS_clone3, &a, sizeof a), EINVAL);
	a.exit_signal = 1ULL << 32 | SIGCHLD;
	ERR(syscall(SYS_clone3, &a, sizeof a), EINVAL);
	a.exit_signal = SIGCHLD;
	a.flags = CLONE_THREAD | CLONE_SIGHAND | CLONE_VM;
	ERR(syscall(SYS_clone3, &a, sizeof a), EINVAL);
	a.flags = CLONE_PARENT;
	ERR(syscall(SYS_clone3, &a, sizeof a), EINVAL);
	a.flags = 0;
	a.stack_size = 4096;
	ERR(syscall(SYS_clone3, &a, sizeof a), EINVAL);
	a.stack_size = 0;
	a.set_tid_size = 1;
	ERR(syscall(SYS_clone3, &a, sizeof a), EINVAL);
	a.set_tid_size = 33;
	ERR(syscall(SYS_clone3, &a, sizeof a), EINVAL);
}

GT_CASE(execve_exit_status, "execve exit_group")
{
	pid_t pid = gt_fork();
	if (pid == 0) {
		char *argv[] = { "x", "--helper", "exit", "42", NULL };
		execv(self(), argv);
		_exit(120);
	}
	gt_wait_exit(pid, 42);
}

GT_CASE(execve_enoent, "execve")
{
	char *argv[] = { "x", NULL };
	ERR(execve("/no/such/program", argv, environ), ENOENT);
	ERR(execve("", argv, environ), ENOENT);
}

GT_CASE(execve_eacces, "execve")
{
	gt_write_file("noexec", "#!/bin/sh\nexit 0\n");
	char *argv[] = { "x", NULL };
	ERR(execve("noexec", argv, environ), EACCES);
	OK(mkdir("d", 0755));
	ERR(execve("d", argv, environ), EACCES);
	ERR(execve("/dev/null", argv, environ), EACCES);
}

GT_CASE(execve_enoexec, "execve")
{
	gt_write_file("junk", "\x01\x02\x03\x04 not a program");
	OK(chmod("junk", 0755));
	char *argv[] = { "x", NULL };
	ERR(execve("./junk", argv, environ), ENOEXEC);
}

GT_CASE(execve_efault, "execve")
{
	char *argv[] = { "x", NULL };
	ERR(syscall(SYS_execve, GT_BADPTR, argv, environ), EFAULT);
	ERR(syscall(SYS_execve, "/bin/busybox", GT_BADPTR, environ), EFAULT);
	char *badv[] = { "x", GT_KPTR, NULL };
	ERR(syscall(SYS_execve, "/bin/busybox", badv, environ), EFAULT);
}

GT_CASE(execve_shebang, "execve")
{
	gt_write_file("script", "#!/bin/sh\nexit $(( $# + 40 ))\n");
	OK(chmod("script", 0755));
	pid_t pid = gt_fork();
	if (pid == 0) {
		char *argv[] = { "script", "a", "b", NULL };
		execv("./script", argv);
		_exit(120);
	}
	gt_wait_exit(pid, 42);
}

GT_CASE(execve_enotdir_enametoolong, "execve")
{
	gt_write_file("f", "x");
	char *argv[] = { "x", NULL };
	ERR(execve("f/x", argv, environ), ENOTDIR);
	static char name[NAME_MAX + 2];
	memset(name, 'e', NAME_MAX + 1);
	ERR(execve(name, argv, environ), ENAMETOOLONG);
}

GT_CASE(execve_e2big, "execve")
{
	/* One argument longer than MAX_ARG_STRLEN (32 pages) is refused. */
	static char huge[33 * 4096 + 1];
	memset(huge, 'a', sizeof huge - 1);
	char *argv[] = { "x", huge, NULL };
	ERR(execve("/bin/busybox", argv, environ), E2BIG);
}

GT_CASE(execveat_empty_path, "execveat")
{
	int fd = (int)OK(open(self(), O_RDONLY | O_CLOEXEC));
	pid_t pid = gt_fork();
	if (pid == 0) {
		char *argv[] = { "x", "--helper", "exit", "9", NULL };
		syscall(SYS_execveat, fd, "", argv, environ, AT_EMPTY_PATH);
		_exit(120);
	}
	gt_wait_exit(pid, 9);
	char *argv[] = { "x", NULL };
	ERR(syscall(SYS_execveat, fd, "", argv, environ, 0), ENOENT);
	ERR(syscall(SYS_execveat, AT_FDCWD, "/bin/busybox", argv, environ, 0x4000000), EINVAL);
}

GT_CASE(exec_keeps_pid_and_fds, "execve")
{
	int fd = (int)OK(open("/dev/null", O_RDONLY));
	pid_t pid = gt_fork();
	if (pid == 0) {
		char n[16];
		snprintf(n, sizeof n, "%d", fd);
		char *argv[] = { "x", "--helper", "fd", n, NULL };
		execv(self(), argv);
		_exit(120);
	}
	gt_wait_exit(pid, 0);
}

static void noop_handler(int sig)
{
	(void)sig;
}

GT_CASE(exec_resets_handlers, "execve rt_sigaction")
{
	signal(SIGUSR1, SIG_IGN);
	signal(SIGUSR2, noop_handler);
	pid_t pid = gt_fork();
	if (pid == 0) {
		/* ignored stays ignored across exec, caught becomes default */
		execl("/bin/busybox", "sh", "-c", "kill -USR1 $$; kill -USR2 $$; exit 3", (char *)NULL);
		_exit(120);
	}
	gt_wait_signal(pid, SIGUSR2);
}

GT_CASE(exit_status_truncated, "exit_group")
{
	pid_t pid = gt_fork();
	if (pid == 0)
		_exit(256 + 5);
	gt_wait_exit(pid, 5);
}

GT_CASE(orphan_reparented, "fork getppid")
{
	int p[2];
	OK(pipe(p));
	pid_t pid = gt_fork();
	if (pid == 0) {
		pid_t gc = fork();
		if (gc == 0) {
			gt_sleep_ms(50); /* parent is gone by now */
			pid_t pp = getppid();
			gt_write_all(p[1], &pp, sizeof pp);
			_exit(0);
		}
		_exit(0);
	}
	gt_wait_exit(pid, 0);
	pid_t pp = 0;
	EQ(read(p[0], &pp, sizeof pp), sizeof pp);
	NE(pp, pid);
	NE(pp, getpid());
}

GT_CASE(setsid_new_session, "setsid getsid getpgid")
{
	pid_t pid = gt_fork();
	if (pid == 0) {
		pid_t s = (pid_t)OK(setsid());
		EQ(s, getpid());
		EQ(getsid(0), getpid());
		EQ(getpgid(0), getpid());
		ERR(setsid(), EPERM); /* already a group leader */
		_exit(0);
	}
	gt_wait_exit(pid, 0);
}

GT_CASE(setsid_group_leader_eperm, "setsid")
{
	/* the case runs as its own group leader */
	EQ(getpgid(0), getpid());
	ERR(setsid(), EPERM);
}

GT_CASE(getsid_errors, "getsid getpgid")
{
	ERR(getsid(999999), ESRCH);
	ERR(getpgid(999999), ESRCH);
	EQ(getsid(getpid()), getsid(0));
}

GT_CASE(setpgid_rules, "setpgid getpgid")
{
	pid_t pid = gt_fork();
	if (pid == 0) {
		gt_sleep_ms(200);
		_exit(0);
	}
	OK(setpgid(pid, pid));
	EQ(getpgid(pid), pid);
	OK(setpgid(pid, getpgid(0)));
	EQ(getpgid(pid), getpgid(0));
	ERR(setpgid(pid, -1), EINVAL);
	ERR(setpgid(999999, 0), ESRCH);
	gt_wait_exit(pid, 0);
}

GT_CASE(setpgid_after_exec_eacces, "setpgid")
{
	int p[2];
	OK(pipe(p));
	pid_t pid = gt_fork();
	if (pid == 0) {
		close(p[1]);
		dup2(p[0], 0);
		execl("/bin/busybox", "sh", "-c", "read x", (char *)NULL);
		_exit(120);
	}
	gt_sleep_ms(100);
	ERR(setpgid(pid, pid), EACCES);
	OK(close(p[1]));
	gt_wait_exit(pid, 1);
}

GT_CASE(setpgid_other_session_eperm, "setpgid setsid")
{
	pid_t pid = gt_fork();
	if (pid == 0) {
		OK(setsid());
		gt_sleep_ms(200);
		_exit(0);
	}
	gt_sleep_ms(50);
	ERR(setpgid(pid, pid), EPERM);
	gt_wait_exit(pid, 0);
}

GT_CASE(prctl_name, "prctl")
{
	OK(prctl(PR_SET_NAME, "gt-name-test-long-truncated"));
	char buf[32] = { 0 };
	OK(prctl(PR_GET_NAME, buf));
	STREQ(buf, "gt-name-test-lo"); /* 16 bytes with the NUL */
	char comm[32];
	gt_read_file("/proc/self/comm", comm, sizeof comm);
	STREQ(comm, "gt-name-test-lo\n");
	ERR(prctl(9999, 0, 0, 0, 0), EINVAL);
}

GT_CASE(prctl_pdeathsig, "prctl")
{
	OK(prctl(PR_SET_PDEATHSIG, SIGUSR1));
	int sig = 0;
	OK(prctl(PR_GET_PDEATHSIG, &sig));
	EQ(sig, SIGUSR1);
	ERR(prctl(PR_SET_PDEATHSIG, 1000), EINVAL);
}

GT_CASE(child_subreaper, "prctl wait4")
{
	OK(prctl(PR_SET_CHILD_SUBREAPER, 1));
	pid_t pid = gt_fork();
	if (pid == 0) {
		if (fork() == 0) {
			gt_sleep_ms(50);
			_exit(33);
		}
		_exit(0);
	}
	gt_wait_exit(pid, 0);
	int st;
	pid_t got = (pid_t)OK(wait(&st));
	CHECK(got != pid);
	EQ(WEXITSTATUS(st), 33);
}

GT_CASE(priority_nice, "getpriority setpriority")
{
	errno = 0;
	int p = getpriority(PRIO_PROCESS, 0);
	EQ(errno, 0);
	OK(setpriority(PRIO_PROCESS, 0, p + 2));
	EQ(getpriority(PRIO_PROCESS, 0), p + 2);
	ERR(setpriority(PRIO_PROCESS, 999999, 0), ESRCH);
	ERR(setpriority(42, 0, 0), EINVAL);
	EQ(syscall(SYS_getpriority, PRIO_PROCESS, 0), 20 - (p + 2)); /* raw call returns 20 - nice */
}

GT_CASE(sched_yield_affinity, "sched_yield sched_getaffinity sched_setaffinity")
{
	OK(sched_yield());
	cpu_set_t set;
	CPU_ZERO(&set);
	OK(sched_getaffinity(0, sizeof set, &set));
	CHECK(CPU_ISSET(0, &set));
	OK(sched_setaffinity(0, sizeof set, &set));
	cpu_set_t none;
	CPU_ZERO(&none);
	ERR(sched_setaffinity(0, sizeof none, &none), EINVAL);
	ERR(sched_getaffinity(999999, sizeof set, &set), ESRCH);
}

GT_CASE(sched_policy, "sched_getscheduler sched_getparam sched_get_priority_max")
{
	/* raw call: musl's wrapper is a stub returning ENOSYS */
	EQ(syscall(SYS_sched_getscheduler, 0), SCHED_OTHER);
	struct sched_param sp;
	OK(syscall(SYS_sched_getparam, 0, &sp));
	EQ(sp.sched_priority, 0);
	EQ(sched_get_priority_max(SCHED_FIFO), 99);
	EQ(sched_get_priority_min(SCHED_FIFO), 1);
	ERR(sched_get_priority_max(77), EINVAL);
	ERR(syscall(SYS_sched_getscheduler, -1), EINVAL);
}

GT_CASE(proc_self_status, "openat read")
{
	char buf[4096];
	gt_read_file("/proc/self/status", buf, sizeof buf);
	char want[64];
	snprintf(want, sizeof want, "\nPid:\t%d\n", getpid());
	CHECK(strstr(buf, want) != NULL);
	snprintf(want, sizeof want, "\nPPid:\t%d\n", getppid());
	CHECK(strstr(buf, want) != NULL);
}

GT_CASE(proc_self_cmdline, "openat read")
{
	char buf[256];
	int fd = (int)OK(open("/proc/self/cmdline", O_RDONLY));
	long n = OK(read(fd, buf, sizeof buf));
	CHECK(n > 0);
	EQ(buf[n - 1], 0);
	OK(close(fd));
}

GT_CASE(set_tid_address_returns_tid, "set_tid_address")
{
	static int word;
	EQ(syscall(SYS_set_tid_address, &word), getpid());
}

GT_CASE(many_children, "fork wait4")
{
	for (int i = 0; i < 20; i++) {
		pid_t pid = gt_fork();
		if (pid == 0)
			_exit(i);
	}
	int seen = 0, st;
	pid_t w;
	while ((w = wait(&st)) > 0)
		seen |= 1 << WEXITSTATUS(st);
	EQ(errno, ECHILD);
	EQ(seen, (1 << 20) - 1);
}

/* Write @text to @path in one write: the write's result, or -errno. */
static long write_proc(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	long r = write(fd, text, strlen(text));
	long e = r < 0 ? -errno : r;
	close(fd);
	return e;
}

static int read_int_file(const char *path)
{
	char buf[32];
	gt_read_file(path, buf, sizeof buf);
	return atoi(buf);
}

GT_CASE(oom_score_adj_range_and_inherit, "openat read write fork")
{
	char buf[32];
	gt_read_file("/proc/self/oom_score_adj", buf, sizeof buf);
	STREQ(buf, "0\n");
	EQ(write_proc("/proc/self/oom_score_adj", "500\n"), 4);
	EQ(read_int_file("/proc/self/oom_score_adj"), 500);
	EQ(write_proc("/proc/self/oom_score_adj", "1001"), -EINVAL);
	EQ(write_proc("/proc/self/oom_score_adj", "-1001"), -EINVAL);
	EQ(write_proc("/proc/self/oom_score_adj", "abc"), -EINVAL);
	EQ(write_proc("/proc/self/oom_score_adj", "0x10"), 4);
	EQ(read_int_file("/proc/self/oom_score_adj"), 16);
	pid_t pid = gt_fork();
	if (pid == 0)
		_exit(read_int_file("/proc/self/oom_score_adj") == 16 ? 0 : 1);
	gt_wait_exit(pid, 0);
	EQ(write_proc("/proc/self/oom_score_adj", "-1000"), 5);
	EQ(read_int_file("/proc/self/oom_score_adj"), -1000);
	EQ(write_proc("/proc/self/oom_score_adj", "0"), 1);
}

GT_CASE(oom_score_adj_unprivileged_floor, "openat write setuid")
{
	pid_t pid = gt_fork();
	if (pid == 0) {
		gt_drop_privs(65534);
		/* Linux gives /proc/self back to a dumpable process's own user. */
		prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
		EQ(write_proc("/proc/self/oom_score_adj", "300"), 3);
		EQ(write_proc("/proc/self/oom_score_adj", "100"), 3);
		EQ(write_proc("/proc/self/oom_score_adj", "-1"), -EACCES);
		EQ(write_proc("/proc/self/oom_score_adj", "0"), 1);
		EQ(read_int_file("/proc/self/oom_score_adj"), 0);
		_exit(0);
	}
	gt_wait_exit(pid, 0);
}

GT_CASE(oom_score_scaled_by_adj, "openat read")
{
	/* (1000 + badness * 1000 / totalpages) * 2 / 3: about 666 for a small process, 0 for init. */
	int base = read_int_file("/proc/self/oom_score");
	CHECK(base >= 666 && base < 800);
	EQ(write_proc("/proc/self/oom_score_adj", "1000"), 4);
	int high = read_int_file("/proc/self/oom_score");
	CHECK(high >= 1300 && high <= 1400);
	EQ(write_proc("/proc/self/oom_score_adj", "0"), 1);
	EQ(read_int_file("/proc/1/oom_score"), 0);
}
