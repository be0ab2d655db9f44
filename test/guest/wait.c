/* Guest cases: waiting for children — wait4/waitid statuses, options, process-group selection, rusage, reaping. */
#include "gt.h"

#include <signal.h>
#include <sys/resource.h>
#include <stdio.h>
#include <sys/wait.h>

static pid_t child_exit(int code)
{
	pid_t pid = gt_fork();
	if (pid == 0)
		_exit(code);
	return pid;
}

static pid_t child_sleeper(void)
{
	pid_t pid = gt_fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	return pid;
}

GT_CASE(wait4_exit_code, "wait4")
{
	pid_t pid = child_exit(3);
	int st;
	EQ(wait4(pid, &st, 0, NULL), pid);
	CHECK(WIFEXITED(st));
	EQ(WEXITSTATUS(st), 3);
}

GT_CASE(wait4_signal_status, "wait4 kill")
{
	pid_t pid = child_sleeper();
	OK(kill(pid, SIGTERM));
	int st;
	EQ(wait4(pid, &st, 0, NULL), pid);
	CHECK(WIFSIGNALED(st));
	EQ(WTERMSIG(st), SIGTERM);
	CHECK(!WCOREDUMP(st));
}

GT_CASE(wait4_echild, "wait4")
{
	int st;
	ERR(wait4(-1, &st, 0, NULL), ECHILD);
	ERR(wait4(getppid(), &st, 0, NULL), ECHILD);
	ERR(wait4(999999, &st, 0, NULL), ECHILD);
}

GT_CASE(wait4_wnohang, "wait4")
{
	pid_t pid = child_sleeper();
	int st;
	EQ(wait4(pid, &st, WNOHANG, NULL), 0);
	OK(kill(pid, SIGKILL));
	EQ(wait4(pid, &st, 0, NULL), pid);
	EQ(WTERMSIG(st), SIGKILL);
}

GT_CASE(wait4_bad_options, "wait4")
{
	int st;
	ERR(wait4(-1, &st, 0x4000, NULL), EINVAL);
}

GT_CASE(wait4_bad_status_pointer, "wait4")
{
	pid_t pid = child_exit(0);
	ERR(syscall(SYS_wait4, pid, GT_BADPTR, 0, NULL), EFAULT);
}

GT_CASE(wait4_null_status, "wait4")
{
	pid_t pid = child_exit(1);
	EQ(wait4(pid, NULL, 0, NULL), pid);
	int st;
	ERR(wait4(pid, &st, 0, NULL), ECHILD); /* already reaped */
}

GT_CASE(wait4_any_child, "wait4")
{
	pid_t a = child_exit(1);
	pid_t b = child_exit(2);
	int st1, st2;
	pid_t x = (pid_t)OK(wait4(-1, &st1, 0, NULL));
	pid_t y = (pid_t)OK(wait4(-1, &st2, 0, NULL));
	CHECK((x == a && y == b) || (x == b && y == a));
	EQ(WEXITSTATUS(st1) + WEXITSTATUS(st2), 3);
}

GT_CASE(wait4_process_group, "wait4 setpgid")
{
	pid_t a = child_sleeper();
	OK(setpgid(a, a));
	pid_t b = child_exit(4);
	int st;
	EQ(wait4(0, &st, 0, NULL), b); /* only our own group */
	EQ(wait4(-a, &st, WNOHANG, NULL), 0);
	OK(kill(a, SIGKILL));
	EQ(wait4(-a, &st, 0, NULL), a);
}

GT_CASE(wait4_stopped_continued, "wait4 kill")
{
	pid_t pid = child_sleeper();
	OK(kill(pid, SIGSTOP));
	int st;
	EQ(wait4(pid, &st, WUNTRACED, NULL), pid);
	CHECK(WIFSTOPPED(st));
	EQ(WSTOPSIG(st), SIGSTOP);
	OK(kill(pid, SIGCONT));
	EQ(wait4(pid, &st, WCONTINUED, NULL), pid);
	CHECK(WIFCONTINUED(st));
	OK(kill(pid, SIGKILL));
	EQ(wait4(pid, &st, 0, NULL), pid);
}

GT_CASE(wait4_stop_not_reported_without_wuntraced, "wait4")
{
	pid_t pid = child_sleeper();
	OK(kill(pid, SIGSTOP));
	gt_sleep_ms(30);
	int st;
	EQ(wait4(pid, &st, WNOHANG, NULL), 0);
	OK(kill(pid, SIGKILL));
	EQ(wait4(pid, &st, 0, NULL), pid);
	EQ(WTERMSIG(st), SIGKILL);
}

GT_CASE(wait4_rusage, "wait4")
{
	pid_t pid = gt_fork();
	if (pid == 0) {
		long long t0 = gt_now_ns();
		volatile unsigned long x = 0;
		while (gt_now_ns() - t0 < 30000000LL)
			x++;
		_exit(0);
	}
	struct rusage ru;
	memset(&ru, 0xff, sizeof ru);
	int st;
	EQ(wait4(pid, &st, 0, &ru), pid);
	CHECK(ru.ru_utime.tv_sec >= 0 && ru.ru_utime.tv_usec >= 0 && ru.ru_utime.tv_usec < 1000000);
	CHECK(ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec + ru.ru_stime.tv_sec * 1000000 +
		      ru.ru_stime.tv_usec >
	      0);
}

GT_CASE(waitid_exited, "waitid")
{
	pid_t pid = child_exit(9);
	siginfo_t si;
	memset(&si, 0, sizeof si);
	OK(waitid(P_PID, pid, &si, WEXITED));
	EQ(si.si_pid, pid);
	EQ(si.si_signo, SIGCHLD);
	EQ(si.si_code, CLD_EXITED);
	EQ(si.si_status, 9);
	EQ(si.si_uid, getuid());
}

GT_CASE(waitid_killed, "waitid")
{
	pid_t pid = child_sleeper();
	OK(kill(pid, SIGUSR1));
	siginfo_t si;
	OK(waitid(P_PID, pid, &si, WEXITED));
	EQ(si.si_code, CLD_KILLED);
	EQ(si.si_status, SIGUSR1);
}

GT_CASE(waitid_wnowait_keeps_zombie, "waitid")
{
	pid_t pid = child_exit(5);
	siginfo_t si;
	OK(waitid(P_PID, pid, &si, WEXITED | WNOWAIT));
	EQ(si.si_status, 5);
	OK(waitid(P_PID, pid, &si, WEXITED));
	EQ(si.si_pid, pid);
	ERR(waitid(P_PID, pid, &si, WEXITED), ECHILD);
}

GT_CASE(waitid_wnohang_no_child_ready, "waitid")
{
	pid_t pid = child_sleeper();
	siginfo_t si;
	memset(&si, 0xff, sizeof si);
	OK(waitid(P_PID, pid, &si, WEXITED | WNOHANG));
	EQ(si.si_pid, 0);
	OK(kill(pid, SIGKILL));
	OK(waitid(P_ALL, 0, &si, WEXITED));
	EQ(si.si_pid, pid);
}

GT_CASE(waitid_errors, "waitid")
{
	siginfo_t si;
	ERR(waitid(P_PID, getpid(), &si, WEXITED), ECHILD);
	ERR(waitid(P_PID, 1, &si, 0), EINVAL);    /* no state option */
	ERR(waitid(42, 0, &si, WEXITED), EINVAL); /* bad idtype */
}

GT_CASE(waitid_stopped, "waitid kill")
{
	pid_t pid = child_sleeper();
	OK(kill(pid, SIGTSTP));
	siginfo_t si;
	OK(waitid(P_PID, pid, &si, WSTOPPED));
	EQ(si.si_code, CLD_STOPPED);
	EQ(si.si_status, SIGTSTP);
	OK(kill(pid, SIGKILL));
	OK(waitid(P_PID, pid, &si, WEXITED));
}

GT_CASE(waitid_pgid, "waitid setpgid")
{
	pid_t a = child_exit(0);
	OK(setpgid(a, a));
	siginfo_t si;
	OK(waitid(P_PGID, a, &si, WEXITED));
	EQ(si.si_pid, a);
}

GT_CASE(sigchld_ignored_autoreap, "wait4 rt_sigaction")
{
	signal(SIGCHLD, SIG_IGN);
	child_exit(0);
	int st;
	ERR(wait4(-1, &st, 0, NULL), ECHILD); /* waits until the child is gone, then ECHILD */
}

GT_CASE(sigchld_delivered, "rt_sigaction rt_sigtimedwait")
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	OK(sigprocmask(SIG_BLOCK, &set, NULL));
	pid_t pid = child_exit(6);
	siginfo_t si;
	struct timespec ts = { 5, 0 };
	EQ(sigtimedwait(&set, &si, &ts), SIGCHLD);
	EQ(si.si_pid, pid);
	EQ(si.si_code, CLD_EXITED);
	EQ(si.si_status, 6);
	gt_wait_exit(pid, 6);
}

GT_CASE(zombie_visible_in_proc, "wait4")
{
	pid_t pid = child_exit(0);
	gt_sleep_ms(50);
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	gt_read_file(path, buf, sizeof buf);
	char *rp = strrchr(buf, ')');
	CHECK(rp != NULL);
	EQ(rp[2], 'Z');
	gt_wait_exit(pid, 0);
}

GT_CASE(wait_reaps_all, "wait4")
{
	for (int i = 0; i < 5; i++)
		child_exit(i);
	int n = 0, st;
	while (wait(&st) > 0)
		n++;
	EQ(n, 5);
	EQ(errno, ECHILD);
}
