/*
 * Cadre's system-call fuzzer: from a non-root user, several processes of
 * several threads issue random system calls whose arguments come from typed
 * generators (descriptors it opened and closed, addresses inside and outside
 * its mappings and in the kernel, huge lengths, flag mixes, paths under /proc
 * and /dev), for a fixed time. The seed is printed: the same seed replays the
 * same choices per thread (what the kernel does in between may differ).
 *
 * usage: fuzz [-s SEED] [-t SECONDS] [-p PROCS] [-j THREADS] [-u UID]
 *
 * A supervisor (after dropping to UID, 65534 by default) forks PROCS
 * workers; each runs THREADS fuzzing threads and is respawned when it dies or
 * stops making progress. The kernel passing means: it is still running when
 * the time is up (the supervisor prints FUZZ-DONE), which the runner checks
 * with the console's sanitizer reports and memory figures.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_THREADS 8
#define MAX_PROCS 8
#define FD_POOL 24
#define ARENA_BASE 0x200000000000UL
#define ARENA_SIZE (64UL << 20)
#define BUF_SIZE (64 * 1024)
#define MAPPED_MAX 32
#define STALL_SECONDS 4

/* --- random numbers: one xorshift64* stream per thread --- */
struct rng {
	uint64_t s;
};

static uint64_t rnd(struct rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dULL;
}

static uint64_t below(struct rng *r, uint64_t n)
{
	return n ? rnd(r) % n : 0;
}

static int one_in(struct rng *r, unsigned n)
{
	return below(r, n) == 0;
}

/* --- what a worker owns: descriptors, buffers, mappings --- */
struct worker {
	int index;
	int fds[FD_POOL];
	int nfds;
	int closed_fd;		/* was valid once, closed since */
	uint8_t *buf;		/* BUF_SIZE bytes, the kernel may write anywhere in it */
	uint8_t *ro;		/* one read-only page */
	uint8_t *edge;		/* last page of a mapping followed by an unmapped page */
	uintptr_t mapped[MAPPED_MAX];	/* addresses mmap returned */
	size_t mapped_len[MAPPED_MAX];
	int nmapped;
	uintptr_t brk0;
	pid_t kids[4];
	char dir[64];
	pthread_mutex_t lock;	/* mapped[] */
};

/* Progress, shared with the supervisor: calls per worker slot. */
struct shared {
	volatile uint64_t calls[MAX_PROCS];
	volatile uint64_t last[MAX_PROCS];
	/* The call each thread is in (nr, then the arguments), for the report of a stalled worker. */
	volatile uint64_t current[MAX_PROCS][MAX_THREADS][7];
};

static struct shared *shared;
static struct worker W;
static uint64_t opt_seed;
static int opt_seconds = 60, opt_procs = 3, opt_threads = 3, opt_uid = 65534;
/* -F N: Cadre's test kernel fails every N-th allocation while the workers run (/proc/sys/debug/fail_alloc). */
static long opt_fail_every;
static int fail_fd = -1;

/* Set the fault-injection period through the descriptor opened as root; retried, as the write may meet one. */
static void fail_alloc_set(long n)
{
	if (fail_fd < 0)
		return;
	char text[24];
	int len = snprintf(text, sizeof text, "%ld", n);
	for (int tries = 0; tries < 1000; tries++)
		if (pwrite(fail_fd, text, (size_t)len, 0) == len)
			return;
	fprintf(stderr, "fuzz: cannot set fail_alloc to %ld\n", n);
}
static volatile int stop_now;

static const char *const path_list[] = {
	"/tmp/fuzz/f0", "/tmp/fuzz/f1", "/tmp/fuzz/d", "/tmp/fuzz/d/x", "/tmp/fuzz/l",
	"/tmp/fuzz/new", "/tmp/fuzz/fifo", "/tmp/fuzz/../fuzz/f0", "/tmp/fuzz/f0/",
	"/proc/self/maps", "/proc/self/mem", "/proc/self/status", "/proc/self/fd/3",
	"/proc/self/environ", "/proc/1/mem", "/proc/1/environ", "/proc/1/maps",
	"/proc/1/fd", "/proc/meminfo", "/proc/sys/vm/overcommit_memory",
	"/proc/sysrq-trigger", "/proc/self/oom_score_adj", "/proc/kallsyms",
	"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom",
	"/dev/tty", "/dev/console", "/dev/ptmx", "/dev/pts/0", "/dev/mem", "/dev/kmsg",
	"/", "/etc/passwd", "/bin/busybox", "/root", "/sys", "/nonexistent",
	".", "..", "", "f0", "d/../f1",
};
static char long_path[5000];

/* --- argument generators --- */
enum arg {
	A_0,		/* unused: 0 */
	A_INT,		/* any integer, small ones likelier */
	A_FD,		/* a descriptor: valid, closed, -1, huge, AT_FDCWD */
	A_BUF,		/* a pointer the kernel may write through: into buf, or bad */
	A_RBUF,		/* a pointer the kernel reads: buf, read-only page, or bad */
	A_LEN,		/* a length: 0, small, page, huge, negative */
	A_FLAGS,	/* flag bits */
	A_PATH,		/* a path string, or a bad pointer */
	A_PID,		/* self, own thread, own child, init, none, 0 */
	A_SIG,		/* a signal no worker dies of */
	A_MAP,		/* an address the worker may unmap or remap: its mappings, the arena */
	A_MLEN,		/* a mapping length */
	A_MODE,		/* file mode bits */
	A_UID,		/* a user or group id */
	A_IOV,		/* an iovec array in buf */
	A_TIME,		/* a short timespec/timeval in buf, or bad */
	A_SIGSET,	/* a signal set in buf that never blocks SIGALRM */
	A_SOCKADDR,	/* a socket address in buf */
	A_CMD,		/* an ioctl/fcntl/prctl-like command */
	A_BRK,		/* a program break above the initial one */
	A_WHICH,	/* a small selector (rlimit, itimer, clock, whence, ...) */
};

static int64_t gen_int(struct rng *r)
{
	switch (below(r, 6)) {
	case 0: return 0;
	case 1: return (int64_t)below(r, 16);
	case 2: return -(int64_t)below(r, 4) - 1;
	case 3: return (int64_t)below(r, 1 << 16);
	case 4: return (int64_t)(int32_t)rnd(r);
	default: return (int64_t)rnd(r);
	}
}

static int64_t gen_fd(struct rng *r)
{
	switch (below(r, 12)) {
	case 0: return -1;
	case 1: return W.closed_fd;
	case 2: return 1 << 20;
	case 3: return AT_FDCWD;
	case 4: return 3 + (int64_t)below(r, 61);	/* never the standard ones: they are the console */
	default: return W.nfds ? W.fds[below(r, (uint64_t)W.nfds)] : -1;
	}
}

static uintptr_t bad_ptr(struct rng *r)
{
	static const uintptr_t bad[] = {
		0, 8, 0x1000, 0x7fffffffe000UL, 0x800000000000UL, 0xffff800000000000UL,
		0xffffffff80000000UL, 0xffffffffff600000UL, 0xfffffffffffff000UL,
		ARENA_BASE + ARENA_SIZE - 4096,
	};
	return bad[below(r, sizeof(bad) / sizeof(bad[0]))];
}

static uintptr_t gen_buf(struct rng *r)
{
	switch (below(r, 10)) {
	case 0: case 1: return bad_ptr(r);
	case 2: return (uintptr_t)W.edge + 4096 - below(r, 64);	/* runs off the mapping */
	case 3: return (uintptr_t)W.buf + below(r, BUF_SIZE);	/* unaligned */
	default: return (uintptr_t)W.buf + below(r, BUF_SIZE / 2) * 2 / 64 * 64;
	}
}

static uintptr_t gen_rbuf(struct rng *r)
{
	if (one_in(r, 6))
		return (uintptr_t)W.ro + below(r, 4096);
	return gen_buf(r);
}

static uint64_t gen_len(struct rng *r)
{
	switch (below(r, 9)) {
	case 0: return 0;
	case 1: return below(r, 16);
	case 2: return below(r, 512);
	case 3: return 4096;
	case 4: return below(r, BUF_SIZE);
	case 5: return (uint64_t)-1;
	case 6: return 1ULL << (30 + below(r, 33));
	case 7: return 0x7ffff000;
	default: return below(r, 8192);
	}
}

static uint64_t gen_flags(struct rng *r)
{
	switch (below(r, 5)) {
	case 0: return 0;
	case 1: return 1ULL << below(r, 32);
	case 2: return rnd(r) & 0xfff;
	case 3: return (rnd(r) & rnd(r)) & 0xffffffff;
	default: return rnd(r) & 0x7ffff;
	}
}

static uintptr_t gen_path(struct rng *r)
{
	if (one_in(r, 12))
		return bad_ptr(r);
	if (one_in(r, 40))
		return (uintptr_t)long_path;
	if (one_in(r, 30))
		return (uintptr_t)W.edge + 4096 - 3;	/* a string running off the mapping */
	return (uintptr_t)path_list[below(r, sizeof(path_list) / sizeof(path_list[0]))];
}

static int64_t gen_pid(struct rng *r)
{
	switch (below(r, 8)) {
	case 0: return 0;
	case 1: return 1;
	case 2: return 999999;
	case 3: return syscall(SYS_gettid);
	case 4: return W.kids[below(r, 4)];
	default: return getpid();
	}
}

static int64_t gen_sig(struct rng *r)
{
	static const int sigs[] = { 0, SIGUSR1, SIGUSR2, SIGCHLD, SIGWINCH, SIGURG, SIGCONT, SIGALRM, 65, -1 };
	return sigs[below(r, sizeof(sigs) / sizeof(sigs[0]))];
}

static uintptr_t gen_map(struct rng *r)
{
	pthread_mutex_lock(&W.lock);
	uintptr_t a = 0;
	if (W.nmapped && !one_in(r, 3))
		a = W.mapped[below(r, (uint64_t)W.nmapped)] + (one_in(r, 4) ? below(r, 4) * 4096 : 0);
	pthread_mutex_unlock(&W.lock);
	if (!a)
		a = ARENA_BASE + below(r, ARENA_SIZE / 4096 - 64) * 4096 + (one_in(r, 20) ? 1 : 0);
	return a;
}

static uint64_t gen_mlen(struct rng *r)
{
	switch (below(r, 8)) {
	case 0: return 0;
	case 1: return below(r, 4096) + 1;
	case 2: return (1ULL << 40);
	case 3: return 2UL << 20;
	default: return (below(r, 16) + 1) * 4096;
	}
}

static uint64_t gen_mode(struct rng *r)
{
	return one_in(r, 3) ? rnd(r) & 07777 : 0644;
}

static uint64_t gen_uid(struct rng *r)
{
	static const uint32_t ids[] = { 0, 1, 65534, 1000, (uint32_t)-1 };
	return ids[below(r, 5)];
}

/* An iovec array of 1..4 entries at the start of a random 256-byte window of buf. */
static uintptr_t gen_iov(struct rng *r)
{
	if (one_in(r, 10))
		return bad_ptr(r);
	uint64_t *v = (uint64_t *)(W.buf + below(r, BUF_SIZE / 256 - 1) * 256);
	for (int i = 0; i < 8; i += 2) {
		v[i] = gen_buf(r);
		v[i + 1] = one_in(r, 8) ? gen_len(r) : below(r, 256);
	}
	return (uintptr_t)v;
}

static uintptr_t gen_time(struct rng *r)
{
	if (one_in(r, 6))
		return one_in(r, 2) ? 0 : bad_ptr(r);
	int64_t *t = (int64_t *)(W.buf + below(r, BUF_SIZE / 64) * 64);
	t[0] = one_in(r, 10) ? gen_int(r) : 0;
	t[1] = one_in(r, 10) ? gen_int(r) : (int64_t)below(r, 2000000);
	return (uintptr_t)t;
}

static uintptr_t gen_sigset(struct rng *r)
{
	if (one_in(r, 8))
		return bad_ptr(r);
	uint64_t *s = (uint64_t *)(W.buf + below(r, BUF_SIZE / 64) * 64);
	s[0] = rnd(r) & ~(1ULL << (SIGALRM - 1)) & ~(1ULL << (SIGKILL - 1));
	return (uintptr_t)s;
}

static uintptr_t gen_sockaddr(struct rng *r)
{
	if (one_in(r, 8))
		return bad_ptr(r);
	uint8_t *a = W.buf + below(r, BUF_SIZE / 128) * 128;
	uint16_t fam = one_in(r, 2) ? AF_UNIX : (uint16_t)below(r, 45);
	memcpy(a, &fam, 2);
	if (fam == AF_UNIX) {
		const char *p = one_in(r, 3) ? "\0abstract" : "/tmp/fuzz/sock";
		memcpy(a + 2, p, 15);
	}
	return (uintptr_t)a;
}

static uint64_t gen_cmd(struct rng *r)
{
	static const uint32_t cmds[] = {
		0x5401, 0x5402, 0x5403, 0x5404, 0x540b, 0x540e, 0x540f, 0x5410, 0x5413, 0x5414,
		0x541b, 0x5421, 0x5422, 0x5429, 0x80045430, 0x40045431, 0x5437, 0x5412,
		1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 1024, 1025, 1026, 1030, 1031, 1033, 1034,
	};
	if (one_in(r, 4))
		return gen_flags(r);
	return cmds[below(r, sizeof(cmds) / sizeof(cmds[0]))];
}

static uint64_t gen_which(struct rng *r)
{
	return one_in(r, 10) ? (uint64_t)gen_int(r) : below(r, 16);
}

static uint64_t gen(struct rng *r, enum arg a)
{
	/* Now and then any argument is just a random word. */
	if (a != A_0 && a != A_MAP && a != A_BRK && a != A_PID && a != A_SIG && one_in(r, 40))
		return rnd(r);
	switch (a) {
	case A_0: return 0;
	case A_INT: return (uint64_t)gen_int(r);
	case A_FD: return (uint64_t)gen_fd(r);
	case A_BUF: return gen_buf(r);
	case A_RBUF: return gen_rbuf(r);
	case A_LEN: return gen_len(r);
	case A_FLAGS: return gen_flags(r);
	case A_PATH: return gen_path(r);
	case A_PID: return (uint64_t)gen_pid(r);
	case A_SIG: return (uint64_t)gen_sig(r);
	case A_MAP: return gen_map(r);
	case A_MLEN: return gen_mlen(r);
	case A_MODE: return gen_mode(r);
	case A_UID: return gen_uid(r);
	case A_IOV: return gen_iov(r);
	case A_TIME: return gen_time(r);
	case A_SIGSET: return gen_sigset(r);
	case A_SOCKADDR: return gen_sockaddr(r);
	case A_CMD: return gen_cmd(r);
	case A_BRK: return one_in(r, 4) ? 0 : W.brk0 + below(r, 1 << 23);
	case A_WHICH: return gen_which(r);
	}
	return 0;
}

/* --- the calls --- */
struct call {
	long nr;
	const char *name;
	enum arg a[6];
};

#define C(n, ...) { SYS_##n, #n, { __VA_ARGS__ } }
static const struct call calls[] = {
	C(read, A_FD, A_BUF, A_LEN), C(write, A_FD, A_RBUF, A_LEN),
	C(open, A_PATH, A_FLAGS, A_MODE), C(close, A_FD), C(stat, A_PATH, A_BUF),
	C(fstat, A_FD, A_BUF), C(lstat, A_PATH, A_BUF), C(poll, A_BUF, A_WHICH, A_INT),
	C(lseek, A_FD, A_INT, A_WHICH), C(mmap, A_MAP, A_MLEN, A_FLAGS, A_FLAGS, A_FD, A_INT),
	C(mprotect, A_MAP, A_MLEN, A_FLAGS), C(munmap, A_MAP, A_MLEN), C(brk, A_BRK),
	C(rt_sigaction, A_SIG, A_RBUF, A_BUF, A_WHICH), C(rt_sigprocmask, A_WHICH, A_SIGSET, A_BUF, A_WHICH),
	C(ioctl, A_FD, A_CMD, A_BUF), C(pread64, A_FD, A_BUF, A_LEN, A_INT),
	C(pwrite64, A_FD, A_RBUF, A_LEN, A_INT), C(readv, A_FD, A_IOV, A_WHICH),
	C(writev, A_FD, A_IOV, A_WHICH), C(access, A_PATH, A_FLAGS), C(pipe, A_BUF),
	C(select, A_WHICH, A_BUF, A_BUF, A_BUF, A_TIME), C(sched_yield),
	C(mremap, A_MAP, A_MLEN, A_MLEN, A_FLAGS, A_MAP), C(msync, A_MAP, A_MLEN, A_FLAGS),
	C(mincore, A_MAP, A_MLEN, A_BUF), C(madvise, A_MAP, A_MLEN, A_WHICH),
	C(shmget, A_INT, A_MLEN, A_FLAGS), C(shmat, A_INT, A_MAP, A_FLAGS), C(shmctl, A_INT, A_WHICH, A_BUF),
	C(dup, A_FD), C(dup2, A_FD, A_FD), C(pause), C(nanosleep, A_TIME, A_BUF),
	C(getitimer, A_WHICH, A_BUF), C(alarm, A_WHICH), C(getpid),
	C(sendfile, A_FD, A_FD, A_BUF, A_LEN), C(socket, A_WHICH, A_FLAGS, A_WHICH),
	C(connect, A_FD, A_SOCKADDR, A_LEN), C(accept, A_FD, A_BUF, A_BUF),
	C(sendto, A_FD, A_RBUF, A_LEN, A_FLAGS, A_SOCKADDR, A_LEN),
	C(recvfrom, A_FD, A_BUF, A_LEN, A_FLAGS, A_BUF, A_BUF), C(sendmsg, A_FD, A_RBUF, A_FLAGS),
	C(recvmsg, A_FD, A_BUF, A_FLAGS), C(shutdown, A_FD, A_WHICH),
	C(bind, A_FD, A_SOCKADDR, A_LEN), C(listen, A_FD, A_INT), C(getsockname, A_FD, A_BUF, A_BUF),
	C(getpeername, A_FD, A_BUF, A_BUF), C(socketpair, A_WHICH, A_FLAGS, A_WHICH, A_BUF),
	C(setsockopt, A_FD, A_WHICH, A_WHICH, A_RBUF, A_LEN), C(getsockopt, A_FD, A_WHICH, A_WHICH, A_BUF, A_BUF),
	C(wait4, A_PID, A_BUF, A_FLAGS, A_BUF), C(kill, A_PID, A_SIG), C(uname, A_BUF),
	C(semget, A_INT, A_WHICH, A_FLAGS), C(semop, A_INT, A_BUF, A_WHICH),
	C(fcntl, A_FD, A_CMD, A_INT), C(flock, A_FD, A_FLAGS), C(fsync, A_FD), C(fdatasync, A_FD),
	C(truncate, A_PATH, A_INT), C(ftruncate, A_FD, A_INT), C(getdents, A_FD, A_BUF, A_LEN),
	C(getcwd, A_BUF, A_LEN), C(chdir, A_PATH), C(fchdir, A_FD), C(rename, A_PATH, A_PATH),
	C(mkdir, A_PATH, A_MODE), C(rmdir, A_PATH), C(creat, A_PATH, A_MODE), C(link, A_PATH, A_PATH),
	C(unlink, A_PATH), C(symlink, A_PATH, A_PATH), C(readlink, A_PATH, A_BUF, A_LEN),
	C(chmod, A_PATH, A_MODE), C(fchmod, A_FD, A_MODE), C(chown, A_PATH, A_UID, A_UID),
	C(fchown, A_FD, A_UID, A_UID), C(lchown, A_PATH, A_UID, A_UID), C(umask, A_MODE),
	C(gettimeofday, A_BUF, A_BUF), C(getrlimit, A_WHICH, A_BUF), C(getrusage, A_WHICH, A_BUF),
	C(sysinfo, A_BUF), C(times, A_BUF), C(getuid), C(syslog, A_WHICH, A_BUF, A_LEN),
	C(getgid), C(setuid, A_UID), C(setgid, A_UID), C(geteuid), C(getegid),
	C(setpgid, A_PID, A_PID), C(getppid), C(getpgrp), C(setsid), C(setreuid, A_UID, A_UID),
	C(setregid, A_UID, A_UID), C(getgroups, A_WHICH, A_BUF), C(setgroups, A_WHICH, A_RBUF),
	C(setresuid, A_UID, A_UID, A_UID), C(getresuid, A_BUF, A_BUF, A_BUF),
	C(setresgid, A_UID, A_UID, A_UID), C(getresgid, A_BUF, A_BUF, A_BUF), C(getpgid, A_PID),
	C(setfsuid, A_UID), C(setfsgid, A_UID), C(getsid, A_PID), C(capget, A_BUF, A_BUF),
	C(capset, A_RBUF, A_RBUF), C(rt_sigpending, A_BUF, A_WHICH),
	C(rt_sigtimedwait, A_SIGSET, A_BUF, A_TIME, A_WHICH), C(rt_sigqueueinfo, A_PID, A_SIG, A_RBUF),
	C(rt_sigsuspend, A_SIGSET, A_WHICH), C(sigaltstack, A_RBUF, A_BUF), C(utime, A_PATH, A_RBUF),
	C(mknod, A_PATH, A_MODE, A_INT), C(personality, A_FLAGS), C(statfs, A_PATH, A_BUF),
	C(fstatfs, A_FD, A_BUF), C(getpriority, A_WHICH, A_PID), C(setpriority, A_WHICH, A_PID, A_INT),
	C(sched_setparam, A_PID, A_RBUF), C(sched_getparam, A_PID, A_BUF),
	C(sched_setscheduler, A_PID, A_WHICH, A_RBUF), C(sched_getscheduler, A_PID),
	C(sched_get_priority_max, A_WHICH), C(sched_rr_get_interval, A_PID, A_BUF),
	C(mlock, A_MAP, A_MLEN), C(munlock, A_MAP, A_MLEN), C(mlockall, A_FLAGS), C(munlockall),
	C(vhangup), C(pivot_root, A_PATH, A_PATH), C(prctl, A_WHICH, A_INT, A_INT, A_INT, A_INT),
	C(adjtimex, A_BUF), C(setrlimit, A_WHICH, A_RBUF), C(chroot, A_PATH), C(sync),
	C(acct, A_PATH), C(settimeofday, A_RBUF, A_RBUF), C(mount, A_PATH, A_PATH, A_PATH, A_FLAGS, A_RBUF),
	C(umount2, A_PATH, A_FLAGS), C(swapon, A_PATH, A_FLAGS), C(swapoff, A_PATH),
	C(reboot, A_INT, A_INT, A_INT, A_RBUF), C(sethostname, A_RBUF, A_LEN),
	C(setdomainname, A_RBUF, A_LEN), C(iopl, A_WHICH), C(ioperm, A_INT, A_INT, A_INT),
	C(gettid), C(readahead, A_FD, A_INT, A_LEN), C(setxattr, A_PATH, A_RBUF, A_RBUF, A_LEN, A_FLAGS),
	C(getxattr, A_PATH, A_RBUF, A_BUF, A_LEN), C(listxattr, A_PATH, A_BUF, A_LEN),
	C(tkill, A_PID, A_SIG), C(time, A_BUF), C(futex, A_BUF, A_WHICH, A_INT, A_TIME, A_BUF, A_INT),
	C(sched_setaffinity, A_PID, A_LEN, A_RBUF), C(sched_getaffinity, A_PID, A_LEN, A_BUF),
	C(getdents64, A_FD, A_BUF, A_LEN), C(set_tid_address, A_BUF), C(fadvise64, A_FD, A_INT, A_LEN, A_WHICH),
	C(timer_create, A_WHICH, A_RBUF, A_BUF), C(timer_settime, A_INT, A_FLAGS, A_RBUF, A_BUF),
	C(timer_gettime, A_INT, A_BUF), C(timer_getoverrun, A_INT), C(timer_delete, A_INT),
	C(clock_settime, A_WHICH, A_RBUF), C(clock_gettime, A_WHICH, A_BUF), C(clock_getres, A_WHICH, A_BUF),
	C(clock_nanosleep, A_WHICH, A_FLAGS, A_TIME, A_BUF), C(epoll_wait, A_FD, A_BUF, A_WHICH, A_INT),
	C(epoll_ctl, A_FD, A_WHICH, A_FD, A_RBUF), C(tgkill, A_PID, A_PID, A_SIG),
	C(utimes, A_PATH, A_RBUF), C(waitid, A_WHICH, A_PID, A_BUF, A_FLAGS, A_BUF),
	C(ioprio_set, A_WHICH, A_PID, A_INT), C(ioprio_get, A_WHICH, A_PID),
	C(inotify_init1, A_FLAGS), C(inotify_add_watch, A_FD, A_PATH, A_FLAGS),
	C(openat, A_FD, A_PATH, A_FLAGS, A_MODE), C(mkdirat, A_FD, A_PATH, A_MODE),
	C(mknodat, A_FD, A_PATH, A_MODE, A_INT), C(fchownat, A_FD, A_PATH, A_UID, A_UID, A_FLAGS),
	C(newfstatat, A_FD, A_PATH, A_BUF, A_FLAGS), C(unlinkat, A_FD, A_PATH, A_FLAGS),
	C(renameat, A_FD, A_PATH, A_FD, A_PATH), C(linkat, A_FD, A_PATH, A_FD, A_PATH, A_FLAGS),
	C(symlinkat, A_PATH, A_FD, A_PATH), C(readlinkat, A_FD, A_PATH, A_BUF, A_LEN),
	C(fchmodat, A_FD, A_PATH, A_MODE), C(faccessat, A_FD, A_PATH, A_FLAGS),
	C(pselect6, A_WHICH, A_BUF, A_BUF, A_BUF, A_TIME, A_RBUF), C(ppoll, A_BUF, A_WHICH, A_TIME, A_SIGSET, A_WHICH),
	C(unshare, A_FLAGS), C(set_robust_list, A_RBUF, A_LEN), C(get_robust_list, A_PID, A_BUF, A_BUF),
	C(splice, A_FD, A_BUF, A_FD, A_BUF, A_LEN, A_FLAGS), C(tee, A_FD, A_FD, A_LEN, A_FLAGS),
	C(sync_file_range, A_FD, A_INT, A_LEN, A_FLAGS), C(vmsplice, A_FD, A_IOV, A_WHICH, A_FLAGS),
	C(utimensat, A_FD, A_PATH, A_RBUF, A_FLAGS), C(epoll_pwait, A_FD, A_BUF, A_WHICH, A_INT, A_SIGSET, A_WHICH),
	C(signalfd, A_FD, A_SIGSET, A_WHICH), C(timerfd_create, A_WHICH, A_FLAGS), C(eventfd, A_INT),
	C(fallocate, A_FD, A_FLAGS, A_INT, A_LEN), C(timerfd_settime, A_FD, A_FLAGS, A_RBUF, A_BUF),
	C(timerfd_gettime, A_FD, A_BUF), C(accept4, A_FD, A_BUF, A_BUF, A_FLAGS),
	C(signalfd4, A_FD, A_SIGSET, A_WHICH, A_FLAGS), C(eventfd2, A_INT, A_FLAGS),
	C(epoll_create1, A_FLAGS), C(dup3, A_FD, A_FD, A_FLAGS), C(pipe2, A_BUF, A_FLAGS),
	C(preadv, A_FD, A_IOV, A_WHICH, A_INT), C(pwritev, A_FD, A_IOV, A_WHICH, A_INT),
	C(rt_tgsigqueueinfo, A_PID, A_PID, A_SIG, A_RBUF), C(recvmmsg, A_FD, A_BUF, A_WHICH, A_FLAGS, A_TIME),
	C(prlimit64, A_PID, A_WHICH, A_RBUF, A_BUF), C(syncfs, A_FD), C(sendmmsg, A_FD, A_BUF, A_WHICH, A_FLAGS),
	C(getcpu, A_BUF, A_BUF, A_BUF), C(process_vm_readv, A_PID, A_IOV, A_WHICH, A_IOV, A_WHICH, A_0),
	C(process_vm_writev, A_PID, A_IOV, A_WHICH, A_IOV, A_WHICH, A_0), C(kcmp, A_PID, A_PID, A_WHICH, A_FD, A_FD),
	C(renameat2, A_FD, A_PATH, A_FD, A_PATH, A_FLAGS), C(getrandom, A_BUF, A_LEN, A_FLAGS),
	C(memfd_create, A_PATH, A_FLAGS), C(membarrier, A_WHICH, A_FLAGS),
	C(mlock2, A_MAP, A_MLEN, A_FLAGS), C(copy_file_range, A_FD, A_BUF, A_FD, A_BUF, A_LEN, A_FLAGS),
	C(preadv2, A_FD, A_IOV, A_WHICH, A_INT, A_FLAGS), C(pwritev2, A_FD, A_IOV, A_WHICH, A_INT, A_FLAGS),
	C(statx, A_FD, A_PATH, A_FLAGS, A_FLAGS, A_BUF), C(rseq, A_BUF, A_LEN, A_FLAGS, A_INT),
	C(pidfd_send_signal, A_FD, A_SIG, A_RBUF, A_FLAGS), C(pidfd_open, A_PID, A_FLAGS),
	C(close_range, A_FD, A_FD, A_FLAGS), C(faccessat2, A_FD, A_PATH, A_FLAGS, A_FLAGS),
	C(epoll_pwait2, A_FD, A_BUF, A_WHICH, A_TIME, A_SIGSET, A_WHICH),
	C(ptrace, A_WHICH, A_PID, A_BUF, A_BUF), C(arch_prctl, A_CMD, A_BUF),
	C(execve, A_PATH, A_RBUF, A_RBUF),
};
#define NCALLS (sizeof(calls) / sizeof(calls[0]))

static void note_mapping(uintptr_t a, size_t len)
{
	pthread_mutex_lock(&W.lock);
	int i = W.nmapped < MAPPED_MAX ? W.nmapped++ : (int)(a / 4096 % MAPPED_MAX);
	W.mapped[i] = a;
	W.mapped_len[i] = len;
	pthread_mutex_unlock(&W.lock);
}

/*
 * Keep a call from taking the worker's own footing away: its buffers, code,
 * stacks and standard descriptors stay; a few calls that can only kill or
 * replace the worker (not the kernel) get tamer arguments. Returns false to
 * skip the call.
 */
static int tame(const struct call *c, uint64_t *a, struct rng *r)
{
	switch (c->nr) {
	case SYS_mmap:
		/* Anywhere the kernel picks, or fixed only inside the arena. */
		if ((a[3] & (MAP_FIXED | MAP_FIXED_NOREPLACE)) && (a[0] < ARENA_BASE || a[0] >= ARENA_BASE + ARENA_SIZE))
			a[0] = gen_map(r);
		if (!(a[3] & (MAP_FIXED | MAP_FIXED_NOREPLACE)) && one_in(r, 2))
			a[0] = 0;
		a[3] &= ~(uint64_t)MAP_GROWSDOWN;
		if (a[1] > (64UL << 20) && !one_in(r, 8))
			a[1] &= (16UL << 20) - 1;
		return 1;
	case SYS_munmap: case SYS_mprotect: case SYS_madvise: case SYS_mremap:
	case SYS_mlock: case SYS_munlock: case SYS_mlock2: case SYS_msync:
		if (c->nr == SYS_mremap && (a[3] & MREMAP_FIXED) &&
		    (a[4] < ARENA_BASE || a[4] >= ARENA_BASE + ARENA_SIZE))
			a[4] = gen_map(r);
		if (a[1] > ARENA_SIZE)
			a[1] = (a[0] >= ARENA_BASE && a[0] < ARENA_BASE + ARENA_SIZE) ? ARENA_SIZE / 2 : 8192;
		if (c->nr == SYS_madvise && a[0] >= ARENA_BASE + ARENA_SIZE)
			return 0;
		return 1;
	case SYS_shmat:
		if (a[1] < ARENA_BASE || a[1] >= ARENA_BASE + ARENA_SIZE)
			a[1] = 0;
		return 1;
	case SYS_close: case SYS_dup2: case SYS_dup3:
		if ((int)a[c->nr == SYS_close ? 0 : 1] < 3)
			return 0;
		return 1;
	case SYS_close_range:
		if ((unsigned)a[0] < 3)
			a[0] = 3;
		return 1;
	case SYS_rt_sigaction:
		/* SIGALRM interrupts blocking calls; the rest may take any disposition. */
		if (a[0] == SIGALRM)
			a[0] = SIGUSR2;
		return 1;
	case SYS_kill: case SYS_tkill: case SYS_rt_sigqueueinfo:
		/* Never the supervisor's group: workers have their own session. */
		if ((int64_t)a[0] < 0 || (int)a[0] == getppid())
			a[0] = 0;
		return 1;
	case SYS_tgkill: case SYS_rt_tgsigqueueinfo:
		if ((int64_t)a[0] < 0 || (int)a[0] == getppid())
			a[0] = (uint64_t)getpid();
		return 1;
	case SYS_ptrace:
		return a[0] != 0 && a[0] != 16;	/* TRACEME / ATTACH make the supervisor or a worker a tracee */
	case SYS_arch_prctl:
		return a[0] != 0x1001 && a[0] != 0x1002;	/* SET_GS / SET_FS: the thread's own pointer */
	case SYS_execve:
		/* Only paths that are not programs: the worker must stay itself. */
		for (size_t i = 0; i < sizeof(path_list) / sizeof(path_list[0]); i++)
			if (a[0] == (uintptr_t)path_list[i])
				return strcmp(path_list[i], "/bin/busybox") != 0;
		return 1;
	case SYS_brk:
		return 1;
	case SYS_setrlimit: case SYS_prlimit64: {
		/* Low CPU or file-size limits end a worker (SIGXCPU, SIGKILL, SIGXFSZ): now and then only. */
		uint64_t res = c->nr == SYS_setrlimit ? a[0] : a[1];
		return (res != RLIMIT_CPU && res != RLIMIT_FSIZE) || one_in(r, 16);
	}
	case SYS_socket: case SYS_socketpair:
		a[0] = one_in(r, 4) ? a[0] : AF_UNIX;
		return 1;
	case SYS_unshare:
		return 1;
	default:
		return 1;
	}
}

static void after(const struct call *c, const uint64_t *a, long ret)
{
	if (c->nr == SYS_mmap && ret > 0 && (unsigned long)ret < 0xfffffffffffff000UL)
		note_mapping((uintptr_t)ret, a[1]);
	/* A new descriptor joins the pool (replacing one at random when full). */
	if (ret > 2 && ret < 1024 &&
	    (c->nr == SYS_open || c->nr == SYS_openat || c->nr == SYS_socket || c->nr == SYS_dup ||
	     c->nr == SYS_eventfd2 || c->nr == SYS_epoll_create1 || c->nr == SYS_memfd_create ||
	     c->nr == SYS_timerfd_create || c->nr == SYS_signalfd4 || c->nr == SYS_inotify_init1 ||
	     c->nr == SYS_accept4 || c->nr == SYS_pidfd_open || c->nr == SYS_creat)) {
		pthread_mutex_lock(&W.lock);
		if (W.nfds < FD_POOL)
			W.fds[W.nfds++] = (int)ret;
		else
			W.fds[ret % FD_POOL] = (int)ret;
		pthread_mutex_unlock(&W.lock);
	}
}

/* Keep the descriptor count and the live mappings bounded: they are the worker's, not the kernel's problem. */
static void housekeeping(struct rng *r)
{
	pthread_mutex_lock(&W.lock);
	if (W.nmapped > MAPPED_MAX / 2 && one_in(r, 4)) {
		int i = (int)below(r, (uint64_t)W.nmapped);
		if (W.mapped[i] < ARENA_BASE || W.mapped[i] >= ARENA_BASE + ARENA_SIZE)
			munmap((void *)W.mapped[i], W.mapped_len[i] < (1UL << 30) ? W.mapped_len[i] : 4096);
		W.mapped[i] = W.mapped[--W.nmapped];
	}
	pthread_mutex_unlock(&W.lock);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	if (one_in(r, 64))
		syscall(SYS_close_range, 200, ~0U, 0);
}

static void fuzz_loop(struct rng *r, volatile uint64_t *counter, volatile uint64_t *current)
{
	while (!stop_now) {
		const struct call *c = &calls[below(r, NCALLS)];
		uint64_t a[6];
		for (int i = 0; i < 6; i++)
			a[i] = gen(r, c->a[i]);
		if (!tame(c, a, r))
			continue;
		for (int i = 0; i < 6; i++)
			current[i + 1] = a[i];
		current[0] = (uint64_t)c->nr + 1;
		long ret = syscall(c->nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		current[0] = 0;
		after(c, a, ret);
		__atomic_add_fetch(counter, 1, __ATOMIC_RELAXED);
		if (one_in(r, 256))
			housekeeping(r);
		/* Now and then a child that fuzzes a little on its own, then exits. */
		if (one_in(r, 2000)) {
			pid_t k = fork();
			if (k == 0) {
				/* No timer of its own: a second at most, whatever blocks. */
				signal(SIGALRM, SIG_DFL);
				alarm(1);
				for (int i = 0; i < 50; i++) {
					c = &calls[below(r, NCALLS)];
					for (int j = 0; j < 6; j++)
						a[j] = gen(r, c->a[j]);
					if (tame(c, a, r) && c->nr != SYS_pause && c->nr != SYS_rt_sigsuspend)
						syscall(c->nr, a[0], a[1], a[2], a[3], a[4], a[5]);
				}
				_exit(0);
			}
			if (k > 0)
				W.kids[below(r, 4)] = k;
		}
	}
}

/* --- worker set-up --- */
static void on_alarm(int sig)
{
	(void)sig;
}

/* SIGALRM every 20 ms to this thread: blocking calls return EINTR instead of hanging. */
static void arm_thread_timer(void)
{
	struct sigevent sev;
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = SIGALRM;
	sev.sigev_notify_thread_id = (pid_t)syscall(SYS_gettid);
	int id;
	if (syscall(SYS_timer_create, CLOCK_MONOTONIC, &sev, &id) == 0) {
		struct itimerspec its = { { 0, 20000000 }, { 0, 20000000 } };
		syscall(SYS_timer_settime, id, 0, &its, NULL);
	}
}

struct thread_arg {
	uint64_t seed;
	volatile uint64_t *counter;
	volatile uint64_t *current;	/* shared->current[worker][thread] */
};

static void *thread_main(void *p)
{
	struct thread_arg *ta = p;
	struct rng r = { ta->seed | 1 };
	arm_thread_timer();
	fuzz_loop(&r, ta->counter, ta->current);
	return NULL;
}

static int open_resources(void)
{
	static const char *const files[] = { "/tmp/fuzz/f0", "/tmp/fuzz/f1" };
	W.nfds = 0;
	for (unsigned i = 0; i < 2; i++)
		W.fds[W.nfds++] = open(files[i], O_RDWR | O_CREAT, 0644);
	W.fds[W.nfds++] = open("/tmp/fuzz/d", O_RDONLY | O_DIRECTORY);
	int p[2];
	if (pipe2(p, O_NONBLOCK) == 0) {
		W.fds[W.nfds++] = p[0];
		W.fds[W.nfds++] = p[1];
	}
	int s[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, s) == 0) {
		W.fds[W.nfds++] = s[0];
		W.fds[W.nfds++] = s[1];
	}
	W.fds[W.nfds++] = socket(AF_UNIX, SOCK_DGRAM, 0);
	W.fds[W.nfds++] = (int)syscall(SYS_eventfd2, 0, 0);
	W.fds[W.nfds++] = (int)syscall(SYS_epoll_create1, 0);
	W.fds[W.nfds++] = (int)syscall(SYS_memfd_create, "fuzz", 0);
	W.fds[W.nfds++] = (int)syscall(SYS_timerfd_create, CLOCK_MONOTONIC, 0);
	W.fds[W.nfds++] = open("/dev/null", O_RDWR);
	W.fds[W.nfds++] = open("/dev/zero", O_RDONLY);
	W.fds[W.nfds++] = open("/proc/self/maps", O_RDONLY);
	W.fds[W.nfds++] = open("/proc/self/status", O_RDONLY);
	W.fds[W.nfds++] = open("/dev/ptmx", O_RDWR | O_NOCTTY);
	W.closed_fd = dup(W.fds[0]);
	close(W.closed_fd);
	int n = 0;
	for (int i = 0; i < W.nfds; i++)
		if (W.fds[i] >= 0)
			W.fds[n++] = W.fds[i];
	W.nfds = n;
	/*
	 * A guard page after the buffer: a long read into it stops there with
	 * EFAULT instead of running over whatever mapping comes next.
	 */
	W.buf = mmap(NULL, BUF_SIZE + 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (W.buf != MAP_FAILED)
		mprotect(W.buf + BUF_SIZE, 4096, PROT_NONE);
	W.ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint8_t *e = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (W.buf == MAP_FAILED || W.ro == MAP_FAILED || e == MAP_FAILED)
		return -1;
	munmap(e + 4096, 4096);
	W.edge = e;
	memset(W.edge, 'a', 4096);
	/* The arena: reserved, partly mapped; fixed mappings go only here. */
	if (mmap((void *)ARENA_BASE, ARENA_SIZE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
		 -1, 0) == MAP_FAILED)
		return -1;
	mprotect((void *)ARENA_BASE, 1 << 20, PROT_READ | PROT_WRITE);
	W.brk0 = (uintptr_t)syscall(SYS_brk, 0);
	pthread_mutex_init(&W.lock, NULL);
	return 0;
}

static void worker_main(int slot, uint64_t seed)
{
	W.index = slot;
	setsid();
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;	/* no SA_RESTART: blocking calls end with EINTR */
	sigaction(SIGALRM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);
	signal(SIGTTIN, SIG_IGN);
	if (open_resources() != 0) {
		fprintf(stderr, "fuzz: worker %d: set-up failed: %s\n", slot, strerror(errno));
		_exit(2);
	}
	static struct thread_arg args[MAX_THREADS];
	pthread_t tids[MAX_THREADS];
	int nt = 0;
	for (int i = 1; i < opt_threads; i++) {
		args[i] = (struct thread_arg){ seed * 31 + (uint64_t)i, &shared->calls[slot],
					       shared->current[slot][i] };
		pthread_attr_t at;
		pthread_attr_init(&at);
		pthread_attr_setstacksize(&at, 256 * 1024);
		if (pthread_create(&tids[nt], &at, thread_main, &args[i]) == 0)
			nt++;
	}
	args[0] = (struct thread_arg){ seed * 31, &shared->calls[slot], shared->current[slot][0] };
	thread_main(&args[0]);
	_exit(0);
}

/* --- the supervisor --- */
static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static pid_t spawn(int slot, uint64_t seed)
{
	fflush(stdout);
	pid_t p = fork();
	if (p == 0)
		worker_main(slot, seed);
	return p;
}

static void drop_privileges(void)
{
	if (getuid() != 0 || opt_uid == 0)
		return;
	if (setgroups(0, NULL) != 0 || setgid((gid_t)opt_uid) != 0 || setuid((uid_t)opt_uid) != 0) {
		perror("fuzz: dropping privileges");
		exit(2);
	}
}

int main(int argc, char **argv)
{
	opt_seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	int c;
	while ((c = getopt(argc, argv, "s:t:p:j:u:F:")) != -1) {
		switch (c) {
		case 's': opt_seed = strtoull(optarg, NULL, 0); break;
		case 't': opt_seconds = atoi(optarg); break;
		case 'p': opt_procs = atoi(optarg); break;
		case 'j': opt_threads = atoi(optarg); break;
		case 'u': opt_uid = atoi(optarg); break;
		case 'F': opt_fail_every = atol(optarg); break;
		default:
			fprintf(stderr, "usage: fuzz [-s SEED] [-t SECONDS] [-p PROCS] [-j THREADS] [-u UID] [-F N]\n");
			return 2;
		}
	}
	if (opt_procs < 1 || opt_procs > MAX_PROCS || opt_threads < 1 || opt_threads > MAX_THREADS) {
		fprintf(stderr, "fuzz: 1..%d processes of 1..%d threads\n", MAX_PROCS, MAX_THREADS);
		return 2;
	}
	if (opt_seed == 0)
		opt_seed = 1;
	memset(long_path, 'a', sizeof(long_path) - 1);
	for (size_t i = 200; i < sizeof(long_path) - 1; i += 200)
		long_path[i] = '/';
	if (getuid() == 0) {
		mkdir("/tmp/fuzz", 0755);
		if (chown("/tmp/fuzz", (uid_t)opt_uid, (gid_t)opt_uid) != 0)
			perror("fuzz: chown /tmp/fuzz");
	}
	if (opt_fail_every > 0) {
		fail_fd = open("/proc/sys/debug/fail_alloc", O_WRONLY | O_CLOEXEC);
		if (fail_fd < 0) {
			perror("fuzz: /proc/sys/debug/fail_alloc");
			return 2;
		}
	}
	drop_privileges();
	/* Orphans of workers come back here, so the end can reap every last one. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	mkdir("/tmp/fuzz/d", 0755);
	symlink("f0", "/tmp/fuzz/l");
	mkfifo("/tmp/fuzz/fifo", 0644);
	if (chdir("/tmp/fuzz") != 0) {
		perror("fuzz: /tmp/fuzz");
		return 2;
	}
	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED) {
		perror("fuzz: mmap");
		return 2;
	}
	printf("FUZZ seed=%llu seconds=%d procs=%d threads=%d uid=%d calls=%zu\n",
	       (unsigned long long)opt_seed, opt_seconds, opt_procs, opt_threads, (int)getuid(), NCALLS);
	signal(SIGUSR1, SIG_IGN);
	signal(SIGUSR2, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	pid_t pids[MAX_PROCS];
	uint64_t stall_since[MAX_PROCS], generation[MAX_PROCS];
	uint64_t start = now_ms(), end = start + (uint64_t)opt_seconds * 1000;
	unsigned respawns = 0, stalls = 0, signalled = 0, by_signal[65] = { 0 };
	for (int i = 0; i < opt_procs; i++) {
		generation[i] = 0;
		pids[i] = spawn(i, opt_seed + (uint64_t)i * 1000003);
		stall_since[i] = start;
	}
	/* Armed once the workers exist: with a small period hardly a fork would get through. */
	fail_alloc_set(opt_fail_every);
	uint64_t next_report = start + 10000;
	while (now_ms() < end) {
		usleep(200000);
		if (now_ms() >= next_report) {
			uint64_t sum = 0;
			for (int i = 0; i < opt_procs; i++)
				sum += shared->calls[i];
			printf("FUZZ-PROGRESS %llus calls=%llu respawns=%u stalled=%u\n",
			       (unsigned long long)((now_ms() - start) / 1000), (unsigned long long)sum,
			       respawns, stalls);
			fflush(stdout);
			next_report += 10000;
		}
		int st;
		pid_t p;
		while ((p = waitpid(-1, &st, WNOHANG)) > 0) {
			for (int i = 0; i < opt_procs; i++) {
				if (pids[i] != p)
					continue;
				if (WIFSIGNALED(st)) {
					signalled++;
					by_signal[WTERMSIG(st) & 63]++;
				}
				/* A new generation, a new stream: still a function of the seed. */
				generation[i]++;
				pids[i] = spawn(i, opt_seed + (uint64_t)i * 1000003 + generation[i] * 7919);
				stall_since[i] = now_ms();
				respawns++;
			}
		}
		/* A worker fork refused (no memory, fault injection): try again. */
		for (int i = 0; i < opt_procs; i++) {
			if (pids[i] < 0) {
				generation[i]++;
				pids[i] = spawn(i, opt_seed + (uint64_t)i * 1000003 + generation[i] * 7919);
				stall_since[i] = now_ms();
			}
		}
		for (int i = 0; i < opt_procs; i++) {
			if (shared->calls[i] != shared->last[i]) {
				shared->last[i] = shared->calls[i];
				stall_since[i] = now_ms();
			} else if (now_ms() - stall_since[i] > STALL_SECONDS * 1000 && pids[i] > 0) {
				/* Stuck (all its threads blocked): say in what, kill it, respawn it above. */
				for (int j = 0; j < opt_threads; j++) {
					volatile uint64_t *cur = shared->current[i][j];
					if (!cur[0])
						continue;
					const char *name = "?";
					for (size_t k = 0; k < NCALLS; k++)
						if ((uint64_t)calls[k].nr + 1 == cur[0])
							name = calls[k].name;
					printf("FUZZ-STALL worker %d thread %d in %s(%#llx, %#llx, %#llx, %#llx, %#llx, %#llx)\n",
					       i, j, name, (unsigned long long)cur[1], (unsigned long long)cur[2],
					       (unsigned long long)cur[3], (unsigned long long)cur[4],
					       (unsigned long long)cur[5], (unsigned long long)cur[6]);
				}
				fflush(stdout);
				kill(pids[i], SIGKILL);
				stall_since[i] = now_ms();
				stalls++;
			}
		}
	}
	fail_alloc_set(0);
	/* Every process of this user but this one: workers, their children, orphans. */
	kill(-1, SIGKILL);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	uint64_t total = 0;
	for (int i = 0; i < opt_procs; i++)
		total += shared->calls[i];
	uint64_t ms = now_ms() - start;
	printf("FUZZ-DONE seed=%llu calls=%llu seconds=%.1f rate=%llu/s respawns=%u killed-by-signal=%u stalled=%u\n",
	       (unsigned long long)opt_seed, (unsigned long long)total, ms / 1000.0,
	       (unsigned long long)(ms ? total * 1000 / ms : 0), respawns, signalled, stalls);
	printf("FUZZ-SIGNALS");
	for (int i = 1; i < 65; i++)
		if (by_signal[i])
			printf(" %s=%u", strsignal(i), by_signal[i]);
	printf("\n");
	return 0;
}
