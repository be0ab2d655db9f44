/* Guest cases: isolation from non-root users — other users' /proc files, signals, privileged calls, device nodes, no kernel data in what is copied out. */
#include "gt.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <sys/wait.h>

/* A process of @uid that waits to be killed, its /proc files its own (dumpable). */
static pid_t start_victim(uid_t uid)
{
	int fds[2];
	OK(pipe(fds));
	pid_t pid = gt_fork();
	if (pid == 0) {
		close(fds[0]);
		gt_drop_privs(uid);
		prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
		if (chdir("/tmp") != 0 || write(fds[1], "r", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(fds[1]);
	char c;
	EQ(read(fds[0], &c, 1), 1);
	close(fds[0]);
	return pid;
}

static void stop_victim(pid_t pid)
{
	kill(pid, SIGKILL);
	gt_wait_signal(pid, SIGKILL);
}

static int open_pid_file(pid_t pid, const char *name, int flags)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, name);
	return open(path, flags);
}

static ssize_t readlink_pid(pid_t pid, const char *name)
{
	char path[64], buf[256];
	snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, name);
	return readlink(path, buf, sizeof buf);
}

GT_CASE(proc_other_user_private_files_eacces, "openat readlink")
{
	pid_t victim = start_victim(1001);
	pid_t pid = gt_fork();
	if (pid == 0) {
		gt_drop_privs(1002);
		prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
		ERR(open_pid_file(victim, "maps", O_RDONLY), EACCES);
		ERR(open_pid_file(victim, "environ", O_RDONLY), EACCES);
		ERR(open_pid_file(victim, "fd", O_RDONLY | O_DIRECTORY), EACCES);
		ERR(readlink_pid(victim, "cwd"), EACCES);
		ERR(readlink_pid(victim, "root"), EACCES);
		ERR(readlink_pid(victim, "exe"), EACCES);
		/* What anyone may see stays visible. */
		close((int)OK(open_pid_file(victim, "stat", O_RDONLY)));
		close((int)OK(open_pid_file(victim, "status", O_RDONLY)));
		/* A process of one's own user is open to its owner. */
		pid_t mine = gt_fork();
		if (mine == 0) {
			for (;;)
				pause();
		}
		close((int)OK(open_pid_file(mine, "maps", O_RDONLY)));
		close((int)OK(open_pid_file(mine, "environ", O_RDONLY)));
		CHECK(readlink_pid(mine, "cwd") > 0);
		kill(mine, SIGKILL);
		gt_wait_signal(mine, SIGKILL);
		_exit(0);
	}
	gt_wait_exit(pid, 0);
	stop_victim(victim);
}

GT_CASE(signal_other_user_eperm, "kill tgkill")
{
	pid_t victim = start_victim(1001);
	pid_t pid = gt_fork();
	if (pid == 0) {
		gt_drop_privs(1002);
		ERR(kill(victim, SIGKILL), EPERM);
		ERR(kill(victim, 0), EPERM);
		ERR(syscall(SYS_tgkill, victim, victim, SIGKILL), EPERM);
		_exit(0);
	}
	gt_wait_exit(pid, 0);
	/* Still there: nothing reached it. */
	OK(kill(victim, 0));
	stop_victim(victim);
}

GT_CASE(nonroot_cannot_change_system, "setuid mount umount2 settimeofday reboot sethostname")
{
	pid_t pid = gt_fork();
	if (pid == 0) {
		gt_drop_privs(1002);
		ERR(setuid(0), EPERM);
		ERR(setgid(0), EPERM);
		ERR(mount("none", "/tmp", "tmpfs", 0, NULL), EPERM);
		ERR(umount2("/proc", 0), EPERM);
		struct timeval tv = { 1000000000, 0 };
		ERR(settimeofday(&tv, NULL), EPERM);
		ERR(sethostname("evil", 4), EPERM);
		ERR(reboot(RB_POWER_OFF), EPERM);
		/* Sysctls and the console are root's. */
		ERR(open("/proc/sys/kernel/hostname", O_WRONLY), EACCES);
		ERR(open("/proc/sys/vm/overcommit_memory", O_WRONLY), EACCES);
		ERR(open("/proc/sys/kernel/threads-max", O_WRONLY), EACCES);
		ERR(open("/proc/1/oom_score_adj", O_WRONLY), EACCES);
		ERR(open("/dev/console", O_RDWR), EACCES);
		_exit(0);
	}
	gt_wait_exit(pid, 0);
}

GT_CASE(stat_padding_zeroed, "fstat")
{
	/* The kernel's struct stat (144 bytes): __pad0 after st_gid and the three reserved words at the end. */
	unsigned char buf[144];
	memset(buf, 0xaa, sizeof buf);
	OK(syscall(SYS_fstat, 0, buf));
	for (int i = 36; i < 40; i++)
		EQ(buf[i], 0);
	for (int i = 120; i < 144; i++)
		EQ(buf[i], 0);
}

GT_CASE(siginfo_tail_zeroed, "rt_sigtimedwait kill")
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	OK(sigprocmask(SIG_BLOCK, &set, NULL));
	OK(kill(getpid(), SIGUSR1));
	unsigned char si[128];
	memset(si, 0xaa, sizeof si);
	struct timespec zero = { 0, 0 };
	EQ(syscall(SYS_rt_sigtimedwait, &set, si, &zero, 8), SIGUSR1);
	/* kill's siginfo: signo, errno, code, pid, uid; all else zero, never old kernel bytes. */
	for (int i = 12; i < 16; i++)
		EQ(si[i], 0);
	for (int i = 24; i < 128; i++)
		EQ(si[i], 0);
}

GT_CASE(uname_fields_zero_padded, "uname")
{
	struct utsname u;
	memset(&u, 0xaa, sizeof u);
	OK(uname(&u));
	const char *fields[] = { u.sysname, u.nodename, u.release, u.version, u.machine, u.domainname };
	for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
		size_t n = strnlen(fields[f], sizeof u.sysname);
		CHECK(n < sizeof u.sysname);
		for (size_t i = n; i < sizeof u.sysname; i++)
			EQ((unsigned char)fields[f][i], 0);
	}
}

GT_CASE(proc_stat_no_kernel_addresses, "openat read")
{
	/* kstkesp, kstkeip (fields 29, 30) are 0; wchan (35) only says whether it sleeps. */
	char buf[1024];
	gt_read_file("/proc/self/stat", buf, sizeof buf);
	char *p = strrchr(buf, ')');
	CHECK(p != NULL);
	p += 4;	/* ") S ": field 4 on */
	unsigned long long v[64];
	int n = 0;
	while (*p && *p != '\n' && n < 64) {
		char *end;
		v[n++] = strtoull(p, &end, 10);
		CHECK(end != p);
		p = end;
		while (*p == ' ')
			p++;
	}
	CHECK(n >= 48);
	/* v[0] is field 4 (ppid): field k is v[k - 4]. */
	EQ(v[4 - 4], (unsigned long long)getppid());
	EQ(v[29 - 4], 0);
	EQ(v[30 - 4], 0);
	CHECK(v[35 - 4] <= 1);
}
