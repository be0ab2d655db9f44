/* Guest cases: miscellaneous — uname, sysinfo, getrandom, arch_prctl, futex, unix sockets, hostname, invalid syscalls. */
#include "gt.h"

#include <asm/prctl.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/sysinfo.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <time.h>

GT_CASE(uname_fields, "uname")
{
	struct utsname u;
	OK(uname(&u));
	STREQ(u.sysname, "Linux");
	STREQ(u.machine, "x86_64");
	CHECK(u.release[0] >= '0' && u.release[0] <= '9');
	ERR(syscall(SYS_uname, GT_BADPTR), EFAULT);
}

GT_CASE(sethostname_root, "sethostname uname")
{
	OK(sethostname("cadre-test", 10));
	struct utsname u;
	OK(uname(&u));
	STREQ(u.nodename, "cadre-test");
	char buf[65];
	gt_read_file("/proc/sys/kernel/hostname", buf, sizeof buf);
	STREQ(buf, "cadre-test\n");
	static char longname[100];
	memset(longname, 'h', sizeof longname);
	ERR(sethostname(longname, 65), EINVAL);
	ERR(syscall(SYS_sethostname, "x", -1), EINVAL);
}

GT_CASE(sysinfo_sane, "sysinfo")
{
	struct sysinfo si;
	OK(sysinfo(&si));
	CHECK(si.totalram > 0);
	CHECK(si.freeram <= si.totalram);
	CHECK(si.procs >= 1);
	CHECK(si.mem_unit >= 1);
	ERR(syscall(SYS_sysinfo, GT_BADPTR), EFAULT);
}

GT_CASE(getrandom_fills, "getrandom")
{
	unsigned char a[32] = { 0 }, b[32] = { 0 };
	EQ(getrandom(a, sizeof a, 0), 32);
	EQ(getrandom(b, sizeof b, GRND_NONBLOCK), 32);
	CHECK(memcmp(a, b, sizeof a) != 0);
	ERR(getrandom(a, sizeof a, 0x80), EINVAL);
	ERR(syscall(SYS_getrandom, GT_BADPTR, 16, 0), EFAULT);
}

GT_CASE(dev_urandom_reads, "read")
{
	int fd = (int)OK(open("/dev/urandom", O_RDONLY));
	unsigned char buf[64];
	EQ(read(fd, buf, sizeof buf), 64);
	int nonzero = 0;
	for (size_t i = 0; i < sizeof buf; i++)
		nonzero |= buf[i];
	CHECK(nonzero);
}

GT_CASE(arch_prctl_fs, "arch_prctl")
{
	unsigned long fs = 0;
	OK(syscall(SYS_arch_prctl, ARCH_GET_FS, &fs));
	CHECK(fs != 0); /* the libc's thread pointer */
	ERR(syscall(SYS_arch_prctl, 0x9999, &fs), EINVAL);
	ERR(syscall(SYS_arch_prctl, ARCH_GET_FS, GT_BADPTR), EFAULT);
	ERR(syscall(SYS_arch_prctl, ARCH_SET_GS, 0xffff800000000000UL), EPERM);
}

GT_CASE(invalid_syscall_enosys, "")
{
	ERR(syscall(1000), ENOSYS);
	ERR(syscall(-1L), ENOSYS);
	ERR(syscall(SYS_create_module), ENOSYS); /* removed long ago */
}

GT_CASE(futex_wait_value_mismatch, "futex")
{
	int word = 1;
	ERR(syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 2, NULL, NULL, 0), EAGAIN);
	EQ(syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0), 0);
}

GT_CASE(futex_wait_timeout, "futex")
{
	int word = 0;
	struct timespec ts = { 0, 20000000 };
	long long t0 = gt_now_ns();
	ERR(syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 0, &ts, NULL, 0), ETIMEDOUT);
	CHECK(gt_now_ns() - t0 >= 20000000LL);
}

GT_CASE(futex_errors, "futex")
{
	int word = 0;
	ERR(syscall(SYS_futex, GT_BADPTR, FUTEX_WAIT, 0, NULL, NULL, 0), EFAULT);
	ERR(syscall(SYS_futex, (char *)&word + 1, FUTEX_WAIT, 0, NULL, NULL, 0), EINVAL);
	ERR(syscall(SYS_futex, &word, 99, 0, NULL, NULL, 0), ENOSYS);
	struct timespec bad = { 0, -1 };
	ERR(syscall(SYS_futex, &word, FUTEX_WAIT, 0, &bad, NULL, 0), EINVAL);
}

GT_CASE(futex_wake_across_fork, "futex")
{
	int *word = MAP_OK(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
	pid_t pid = gt_fork();
	if (pid == 0) {
		while (__atomic_load_n(word, __ATOMIC_SEQ_CST) == 0)
			syscall(SYS_futex, word, FUTEX_WAIT, 0, NULL, NULL, 0);
		_exit(*word);
	}
	gt_sleep_ms(50);
	__atomic_store_n(word, 17, __ATOMIC_SEQ_CST);
	long woken = OK(syscall(SYS_futex, word, FUTEX_WAKE, 1, NULL, NULL, 0));
	CHECK(woken <= 1);
	gt_wait_exit(pid, 17);
}

GT_CASE(socketpair_stream, "socketpair sendto recvfrom shutdown")
{
	int sv[2];
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	EQ(send(sv[0], "ping", 4, 0), 4);
	char buf[8] = { 0 };
	EQ(recv(sv[1], buf, sizeof buf, 0), 4);
	STREQ(buf, "ping");
	OK(shutdown(sv[0], SHUT_WR));
	EQ(recv(sv[1], buf, sizeof buf, 0), 0);
	EQ(recv(sv[1], buf, 1, MSG_DONTWAIT), 0); /* end of stream persists */
	ERR(send(sv[0], "x", 1, MSG_NOSIGNAL), EPIPE);
}

GT_CASE(socketpair_errors, "socketpair socket")
{
	int sv[2];
	ERR(socketpair(AF_INET, SOCK_STREAM, 0, sv), EOPNOTSUPP);
	ERR(socketpair(AF_UNIX, 99, 0, sv), EINVAL);
	ERR(socketpair(12345, SOCK_STREAM, 0, sv), EAFNOSUPPORT);
	ERR(syscall(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, GT_BADPTR), EFAULT);
	ERR(socket(AF_UNIX, SOCK_STREAM, 5), EPROTONOSUPPORT);
}

GT_CASE(socketpair_dgram_boundaries, "socketpair sendto recvfrom")
{
	int sv[2];
	OK(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv));
	EQ(fcntl(sv[0], F_GETFD), FD_CLOEXEC);
	EQ(send(sv[0], "one", 3, 0), 3);
	EQ(send(sv[0], "two!", 4, 0), 4);
	char buf[16];
	EQ(recv(sv[1], buf, sizeof buf, 0), 3);
	EQ(recv(sv[1], buf, 2, 0), 2); /* truncated, rest of the datagram dropped */
	ERR(recv(sv[1], buf, sizeof buf, MSG_DONTWAIT), EAGAIN);
}

GT_CASE(unix_socket_bind_connect, "socket bind listen connect accept4 getsockname")
{
	int srv = (int)OK(socket(AF_UNIX, SOCK_STREAM, 0));
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	strcpy(a.sun_path, "sock");
	OK(bind(srv, (struct sockaddr *)&a, sizeof a));
	struct sockaddr_un other = { .sun_family = AF_UNIX };
	strcpy(other.sun_path, "sock2");
	ERR(bind(srv, (struct sockaddr *)&other, sizeof other), EINVAL); /* already bound */
	OK(listen(srv, 4));
	int c = (int)OK(socket(AF_UNIX, SOCK_STREAM, 0));
	OK(connect(c, (struct sockaddr *)&a, sizeof a));
	int s = (int)OK(accept4(srv, NULL, NULL, SOCK_CLOEXEC));
	EQ(write(c, "hi", 2), 2);
	char buf[4];
	EQ(read(s, buf, 4), 2);
	struct sockaddr_un got;
	socklen_t len = sizeof got;
	OK(getsockname(srv, (struct sockaddr *)&got, &len));
	STREQ(got.sun_path, "sock");
	int d = (int)OK(socket(AF_UNIX, SOCK_STREAM, 0));
	ERR(bind(d, (struct sockaddr *)&a, sizeof a), EADDRINUSE);
}

GT_CASE(unix_connect_errors, "connect")
{
	int c = (int)OK(socket(AF_UNIX, SOCK_STREAM, 0));
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	strcpy(a.sun_path, "nobody");
	ERR(connect(c, (struct sockaddr *)&a, sizeof a), ENOENT);
	gt_write_file("plain", "x");
	strcpy(a.sun_path, "plain");
	ERR(connect(c, (struct sockaddr *)&a, sizeof a), ECONNREFUSED);
	ERR(connect(-1, (struct sockaddr *)&a, sizeof a), EBADF);
	int fd = (int)OK(open("plain", O_RDONLY));
	ERR(connect(fd, (struct sockaddr *)&a, sizeof a), ENOTSOCK);
}

GT_CASE(scm_rights_passes_fd, "sendmsg recvmsg")
{
	int sv[2];
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	gt_write_file("f", "passed");
	int fd = (int)OK(open("f", O_RDONLY));
	char cbuf[CMSG_SPACE(sizeof(int))];
	memset(cbuf, 0, sizeof cbuf);
	struct iovec iov = { "x", 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			    .msg_controllen = sizeof cbuf };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof fd);
	EQ(sendmsg(sv[0], &m, 0), 1);
	OK(close(fd));
	char data;
	char rbuf[CMSG_SPACE(sizeof(int))];
	struct iovec riov = { &data, 1 };
	struct msghdr r = { .msg_iov = &riov, .msg_iovlen = 1, .msg_control = rbuf,
			    .msg_controllen = sizeof rbuf };
	EQ(recvmsg(sv[1], &r, 0), 1);
	struct cmsghdr *rc = CMSG_FIRSTHDR(&r);
	CHECK(rc != NULL && rc->cmsg_type == SCM_RIGHTS);
	int got;
	memcpy(&got, CMSG_DATA(rc), sizeof got);
	char buf[8] = { 0 };
	EQ(pread(got, buf, 6, 0), 6);
	STREQ(buf, "passed");
}

GT_CASE(sockopt_basics, "setsockopt getsockopt")
{
	int s = (int)OK(socket(AF_UNIX, SOCK_STREAM, 0));
	int type = 0;
	socklen_t len = sizeof type;
	OK(getsockopt(s, SOL_SOCKET, SO_TYPE, &type, &len));
	EQ(type, SOCK_STREAM);
	int size = 65536;
	OK(setsockopt(s, SOL_SOCKET, SO_SNDBUF, &size, sizeof size));
	ERR(setsockopt(s, SOL_SOCKET, 9999, &size, sizeof size), ENOPROTOOPT);
	ERR(getsockopt(-1, SOL_SOCKET, SO_TYPE, &type, &len), EBADF);
}

GT_CASE(getcpu_zero, "getcpu")
{
	unsigned cpu = 99, node = 99;
	OK(syscall(SYS_getcpu, &cpu, &node, NULL));
	EQ(cpu, 0); /* -smp 1 */
	EQ(node, 0);
}

GT_CASE(personality_query, "personality")
{
	EQ(syscall(SYS_personality, 0xffffffff), 0);
}

GT_CASE(umask_returns_previous, "umask")
{
	EQ(umask(0123), 022);
	EQ(umask(0777 | 07000), 0123);
	EQ(umask(022), 0777); /* only the permission bits are kept */
}

GT_CASE(proc_meminfo_uptime, "openat read")
{
	char buf[4096];
	gt_read_file("/proc/meminfo", buf, sizeof buf);
	CHECK(strncmp(buf, "MemTotal:", 9) == 0);
	gt_read_file("/proc/uptime", buf, sizeof buf);
	CHECK(buf[0] >= '0' && buf[0] <= '9');
}

GT_CASE(reboot_nonroot_eperm, "reboot")
{
	gt_drop_privs(1000);
	ERR(syscall(SYS_reboot, 0xfee1dead, 672274793, 0x4321fedc, NULL), EPERM);
}

GT_CASE(reboot_bad_magic, "reboot")
{
	ERR(syscall(SYS_reboot, 1, 2, 0x4321fedc, NULL), EINVAL);
}

GT_CASE(mount_tmpfs_umount, "mount umount2")
{
	OK(mkdir("m", 0755));
	OK(mount("none", "m", "tmpfs", 0, "size=1m"));
	int fd = (int)OK(open("m/f", O_CREAT | O_WRONLY, 0644));
	ERR(umount2("m", 0), EBUSY);
	OK(close(fd));
	OK(umount2("m", 0));
	struct stat st;
	ERR(stat("m/f", &st), ENOENT);
	ERR(umount2("m", 0), EINVAL); /* not a mount point */
	ERR(mount("none", "m", "nosuchfs", 0, NULL), ENODEV);
}

GT_CASE(getppid_matches_proc, "getppid")
{
	char buf[4096], want[32];
	gt_read_file("/proc/self/stat", buf, sizeof buf);
	char *rp = strrchr(buf, ')');
	CHECK(rp != NULL);
	snprintf(want, sizeof want, " %d ", getppid());
	CHECK(strncmp(rp + 3, want, strlen(want)) == 0);
}

GT_CASE(setdomainname_root, "setdomainname uname")
{
	OK(setdomainname("example", 7));
	struct utsname u;
	OK(uname(&u));
	STREQ(u.domainname, "example");
	ERR(syscall(SYS_setdomainname, "x", 65), EINVAL);
}

GT_CASE(prctl_dumpable, "prctl")
{
	EQ(prctl(PR_GET_DUMPABLE), 1);
	OK(prctl(PR_SET_DUMPABLE, 0));
	EQ(prctl(PR_GET_DUMPABLE), 0);
	ERR(prctl(PR_SET_DUMPABLE, 5), EINVAL);
}

GT_CASE(prctl_no_new_privs, "prctl")
{
	EQ(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0), 0);
	OK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
	EQ(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0), 1);
	ERR(prctl(PR_SET_NO_NEW_PRIVS, 0, 0, 0, 0), EINVAL); /* cannot be unset */
}

GT_CASE(socket_shutdown_errors, "shutdown")
{
	int sv[2];
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	ERR(shutdown(sv[0], 7), EINVAL);
	ERR(shutdown(-1, SHUT_RD), EBADF);
	int fd = (int)OK(open("/dev/null", O_RDONLY));
	ERR(shutdown(fd, SHUT_RD), ENOTSOCK);
}

GT_CASE(getpeername_socketpair, "getpeername")
{
	int sv[2];
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	struct sockaddr_un a;
	socklen_t len = sizeof a;
	OK(getpeername(sv[0], (struct sockaddr *)&a, &len));
	EQ(a.sun_family, AF_UNIX);
	int s = (int)OK(socket(AF_UNIX, SOCK_STREAM, 0));
	len = sizeof a;
	ERR(getpeername(s, (struct sockaddr *)&a, &len), ENOTCONN);
}

GT_CASE(listen_accept_errors, "listen accept4")
{
	int s = (int)OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	ERR(listen(s, 1), EOPNOTSUPP);
	int t = (int)OK(socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0));
	ERR(accept4(t, NULL, NULL, 0), EINVAL); /* not listening */
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	strcpy(a.sun_path, "l");
	OK(bind(t, (struct sockaddr *)&a, sizeof a));
	OK(listen(t, 1));
	ERR(accept4(t, NULL, NULL, 0), EAGAIN);
	ERR(syscall(SYS_accept4, t, NULL, NULL, 0x1234), EINVAL); /* raw: musl retries flags itself */
}

GT_CASE(sched_rr_interval, "sched_rr_get_interval")
{
	struct timespec ts;
	OK(sched_rr_get_interval(0, &ts));
	CHECK(ts.tv_sec >= 0);
	ERR(sched_rr_get_interval(999999, &ts), ESRCH);
}

GT_CASE(sync_file_range_basic, "sync_file_range")
{
	gt_write_file("f", "abc");
	int fd = (int)OK(open("f", O_RDWR));
	OK(sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE));
	ERR(sync_file_range(fd, -1, 0, 0), EINVAL);
	ERR(sync_file_range(fd, 0, 0, 0x80), EINVAL);
}

GT_CASE(fadvise_basic, "fadvise64")
{
	gt_write_file("f", "abc");
	int fd = (int)OK(open("f", O_RDONLY));
	EQ(posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL), 0);
	EQ(posix_fadvise(fd, 0, 0, 99), EINVAL);
	int p[2];
	OK(pipe(p));
	EQ(posix_fadvise(p[0], 0, 0, POSIX_FADV_NORMAL), ESPIPE);
}

/* A small file's whole text (procfs and sysfs files report no size), NUL-terminated. */
static size_t read_text(const char *path, char *buf, size_t size)
{
	int fd = OK(open(path, O_RDONLY));
	size_t n = 0;
	for (;;) {
		long got = OK(read(fd, buf + n, size - 1 - n));
		if (got == 0)
			break;
		n += (size_t)got;
		CHECK(n < size - 1);
	}
	OK(close(fd));
	buf[n] = 0;
	return n;
}

/* The CPU lists glibc's get_nprocs() reads: one range of the CPUs there are, and a cpuN directory each. */
GT_CASE(sysfs_cpu_lists, "open read")
{
	char want[32], buf[64];
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	CHECK(n >= 1);
	if (n == 1)
		snprintf(want, sizeof want, "0\n");
	else
		snprintf(want, sizeof want, "0-%ld\n", n - 1);
	read_text("/sys/devices/system/cpu/online", buf, sizeof buf);
	STREQ(buf, want);
	read_text("/sys/devices/system/cpu/possible", buf, sizeof buf);
	STREQ(buf, want);
	read_text("/sys/devices/system/cpu/present", buf, sizeof buf);
	STREQ(buf, want);
	struct stat st;
	OK(stat("/sys/devices/system/cpu/cpu0", &st));
	CHECK(S_ISDIR(st.st_mode));
	snprintf(buf, sizeof buf, "/sys/devices/system/cpu/cpu%ld", n);
	ERR(stat(buf, &st), ENOENT);
}

/* /proc/self/mountinfo: Linux's fields, "-" before the type, the root and /proc among the lines. */
GT_CASE(proc_mountinfo_fields, "open read")
{
	static char text[16384];
	read_text("/proc/self/mountinfo", text, sizeof text);
	bool root = false, proc = false;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		unsigned id, parent, major, minor;
		char fsroot[256], point[256], opts[256], type[64], source[256];
		int used = 0;
		EQ(sscanf(line, "%u %u %u:%u %255s %255s %255s %n", &id, &parent, &major, &minor,
			  fsroot, point, opts, &used), 7);
		CHECK(strncmp(opts, "rw", 2) == 0 || strncmp(opts, "ro", 2) == 0);
		char *dash = strstr(line + used, "- ");
		CHECK(dash != NULL);
		EQ(sscanf(dash, "- %63s %255s", type, source), 2);
		if (strcmp(point, "/") == 0)
			root = true;
		if (strcmp(point, "/proc") == 0 && strcmp(type, "proc") == 0 && strcmp(fsroot, "/") == 0)
			proc = true;
	}
	CHECK(root);
	CHECK(proc);
}

/* /proc/sys/kernel: the limits glibc and libcap read, and random UUIDs (boot_id fixed, uuid fresh each read). */
GT_CASE(proc_sys_kernel_values, "open read")
{
	char a[64], b[64];
	read_text("/proc/sys/kernel/ngroups_max", a, sizeof a);
	STREQ(a, "65536\n");
	read_text("/proc/sys/kernel/cap_last_cap", a, sizeof a);
	STREQ(a, "40\n");
	read_text("/proc/sys/kernel/random/boot_id", a, sizeof a);
	read_text("/proc/sys/kernel/random/boot_id", b, sizeof b);
	STREQ(a, b);
	EQ(strlen(a), 37);
	CHECK(a[8] == '-' && a[13] == '-' && a[14] == '4' && a[18] == '-' && a[23] == '-' && a[36] == '\n');
	read_text("/proc/sys/kernel/random/uuid", a, sizeof a);
	read_text("/proc/sys/kernel/random/uuid", b, sizeof b);
	CHECK(strcmp(a, b) != 0);
	EQ(strlen(b), 37);
	CHECK(b[14] == '4' && strchr("89ab", b[19]) != NULL);
}

#include <linux/membarrier.h>

/* membarrier: Linux 6.1's command set; private commands need their registration first. */
GT_CASE(membarrier_commands, "membarrier")
{
	long mask = OK(syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0));
	EQ(mask, 0x1ff);
	OK(syscall(SYS_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0));
	OK(syscall(SYS_membarrier, MEMBARRIER_CMD_GLOBAL_EXPEDITED, 0, 0));
	ERR(syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0), EPERM);
	OK(syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0));
	OK(syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0));
	ERR(syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0), EPERM);
	OK(syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0));
	OK(syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0));
	ERR(syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ, 0, 0), EPERM);
	OK(syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ, 0, 0));
	OK(syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ, MEMBARRIER_CMD_FLAG_CPU, 0));
	OK(syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED, 0, 0));
	ERR(syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 1, 0), EINVAL);
	ERR(syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, MEMBARRIER_CMD_FLAG_CPU, 0), EINVAL);
	ERR(syscall(SYS_membarrier, 3, 0, 0), EINVAL);
	ERR(syscall(SYS_membarrier, 1024, 0, 0), EINVAL);
}

#include <linux/rseq.h>

#define GT_RSEQ_SIG 0x53053053	/* glibc's x86 signature */

static struct rseq gt_rseq;
static volatile int rseq_result;

#ifdef __GLIBC__
extern const ptrdiff_t __rseq_offset;
extern const unsigned int __rseq_size;
#endif

/* glibc registers its own area at start: take it back for the test (and give it again after). */
static void *libc_rseq(void)
{
#ifdef __GLIBC__
	if (__rseq_size)
		return (char *)__builtin_thread_pointer() + __rseq_offset;
#endif
	return NULL;
}

static void on_usr1(int sig)
{
	(void)sig;
}

/* Enter a critical section whose descriptor is in @area, signal ourselves inside it: 2 if it aborted, 1 if not. */
static int rseq_section_with_signal(struct rseq *area)
{
	rseq_result = 0;
	int pid = getpid();
	__asm__ volatile(
		".pushsection .data, \"aw\"\n"
		".balign 32\n"
		"gt_rseq_cs:\n"
		".long 0, 0\n"
		".quad 1f, 2f - 1f, 4f\n"
		".popsection\n"
		"leaq gt_rseq_cs(%%rip), %%rax\n"
		"movq %%rax, %[cs]\n"
		"1:\n"
		"movl $62, %%eax\n"		/* kill(pid, SIGUSR1): the handler comes on the way out */
		"movl %[pid], %%edi\n"
		"movl $10, %%esi\n"
		"syscall\n"
		"nop\n"			/* the return address must be inside the section */
		"2:\n"
		"movl $1, %[res]\n"
		"jmp 5f\n"
		".long 0x53053053\n"
		"4:\n"
		"movl $2, %[res]\n"
		"5:\n"
		: [cs] "=m"(area->rseq_cs), [res] "=m"(rseq_result)
		: [pid] "r"(pid)
		: "rax", "rdi", "rsi", "rcx", "r11", "memory");
	return rseq_result;
}

GT_CASE(rseq_register_and_abort, "rseq")
{
	struct rseq *libc = libc_rseq();
	if (libc)
		OK(syscall(SYS_rseq, libc, 32, RSEQ_FLAG_UNREGISTER, GT_RSEQ_SIG));
	struct rseq *r = &gt_rseq;
	CHECK(((uintptr_t)r & 31) == 0);
	r->cpu_id = 12345;
	OK(syscall(SYS_rseq, r, 32, 0, GT_RSEQ_SIG));
	unsigned cpu = 99;
	OK(syscall(SYS_getcpu, &cpu, NULL, NULL));
	EQ(r->cpu_id, cpu);
	EQ(r->cpu_id_start, cpu);
	ERR(syscall(SYS_rseq, r, 32, 0, GT_RSEQ_SIG), EBUSY);
	ERR(syscall(SYS_rseq, r, 32, 0, GT_RSEQ_SIG + 1), EPERM);
	ERR(syscall(SYS_rseq, (char *)r + 32, 32, 0, GT_RSEQ_SIG), EINVAL);
	ERR(syscall(SYS_rseq, r, 32, 2, GT_RSEQ_SIG), EINVAL);

	/* A signal handler inside the section: the thread resumes at the abort handler, the descriptor cleared. */
	struct sigaction sa = { .sa_handler = on_usr1 };
	OK(sigaction(SIGUSR1, &sa, NULL));
	EQ(rseq_section_with_signal(r), 2);
	EQ(r->rseq_cs, 0);
	sa.sa_handler = SIG_DFL;
	OK(sigaction(SIGUSR1, &sa, NULL));

	ERR(syscall(SYS_rseq, r, 32, RSEQ_FLAG_UNREGISTER, GT_RSEQ_SIG + 1), EPERM);
	ERR(syscall(SYS_rseq, r, 64, RSEQ_FLAG_UNREGISTER, GT_RSEQ_SIG), EINVAL);
	ERR(syscall(SYS_rseq, r, 32, RSEQ_FLAG_UNREGISTER | 2, GT_RSEQ_SIG), EINVAL);
	OK(syscall(SYS_rseq, r, 32, RSEQ_FLAG_UNREGISTER, GT_RSEQ_SIG));
	EQ(r->cpu_id, (uint32_t)RSEQ_CPU_ID_UNINITIALIZED);
	ERR(syscall(SYS_rseq, r, 32, RSEQ_FLAG_UNREGISTER, GT_RSEQ_SIG), EINVAL);
	ERR(syscall(SYS_rseq, (char *)r + 8, 32, 0, GT_RSEQ_SIG), EINVAL);
	ERR(syscall(SYS_rseq, r, 31, 0, GT_RSEQ_SIG), EINVAL);
	ERR(syscall(SYS_rseq, GT_KPTR, 32, 0, GT_RSEQ_SIG), EFAULT);
	if (libc)
		OK(syscall(SYS_rseq, libc, 32, 0, GT_RSEQ_SIG));
}
