/* Guest test runner: runs each registered case in a forked child with a timeout and prints one line per case. */
#include "gt.h"

#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <libgen.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#ifndef GT_VARIANT
#error "GT_VARIANT must name the libc variant (musl or glibc)"
#endif

#define GT_MAX_CASES 512
/* A hang guard per case, not a latency bound; a program may set its own (-DGT_TIMEOUT_S=N). */
#ifndef GT_TIMEOUT_S
#define GT_TIMEOUT_S 10
#endif

uintptr_t gt_badptr_addr = 8;
uintptr_t gt_kptr_addr = 0xffffffff80000000UL;

static const struct gt_case *cases[GT_MAX_CASES];
static int ncases;
static int report_fd = -1; /* write end of the pipe to the parent, in the case child */

void gt_register(const struct gt_case *c)
{
	if (ncases == GT_MAX_CASES) {
		fprintf(stderr, "gt: too many cases\n");
		exit(2);
	}
	cases[ncases++] = c;
}

static const char *const errno_names[] = {
#define E(x) [x] = #x,
	E(EPERM) E(ENOENT) E(ESRCH) E(EINTR) E(EIO) E(ENXIO) E(E2BIG) E(ENOEXEC)
	E(EBADF) E(ECHILD) E(EAGAIN) E(ENOMEM) E(EACCES) E(EFAULT) E(ENOTBLK)
	E(EBUSY) E(EEXIST) E(EXDEV) E(ENODEV) E(ENOTDIR) E(EISDIR) E(EINVAL)
	E(ENFILE) E(EMFILE) E(ENOTTY) E(ETXTBSY) E(EFBIG) E(ENOSPC) E(ESPIPE)
	E(EROFS) E(EMLINK) E(EPIPE) E(EDOM) E(ERANGE) E(EDEADLK) E(ENAMETOOLONG)
	E(ENOLCK) E(ENOSYS) E(ENOTEMPTY) E(ELOOP) E(ENOMSG) E(EIDRM) E(ECHRNG)
	E(EL2NSYNC) E(EL3HLT) E(EL3RST) E(ELNRNG) E(EUNATCH) E(ENOCSI) E(EL2HLT)
	E(EBADE) E(EBADR) E(EXFULL) E(ENOANO) E(EBADRQC) E(EBADSLT) E(EBFONT)
	E(ENOSTR) E(ENODATA) E(ETIME) E(ENOSR) E(ENONET) E(ENOPKG) E(EREMOTE)
	E(ENOLINK) E(EADV) E(ESRMNT) E(ECOMM) E(EPROTO) E(EMULTIHOP) E(EDOTDOT)
	E(EBADMSG) E(EOVERFLOW) E(ENOTUNIQ) E(EBADFD) E(EREMCHG) E(ELIBACC)
	E(ELIBBAD) E(ELIBSCN) E(ELIBMAX) E(ELIBEXEC) E(EILSEQ) E(ERESTART)
	E(ESTRPIPE) E(EUSERS) E(ENOTSOCK) E(EDESTADDRREQ) E(EMSGSIZE) E(EPROTOTYPE)
	E(ENOPROTOOPT) E(EPROTONOSUPPORT) E(ESOCKTNOSUPPORT) E(EOPNOTSUPP)
	E(EPFNOSUPPORT) E(EAFNOSUPPORT) E(EADDRINUSE) E(EADDRNOTAVAIL) E(ENETDOWN)
	E(ENETUNREACH) E(ENETRESET) E(ECONNABORTED) E(ECONNRESET) E(ENOBUFS)
	E(EISCONN) E(ENOTCONN) E(ESHUTDOWN) E(ETOOMANYREFS) E(ETIMEDOUT)
	E(ECONNREFUSED) E(EHOSTDOWN) E(EHOSTUNREACH) E(EALREADY) E(EINPROGRESS)
	E(ESTALE) E(EUCLEAN) E(ENOTNAM) E(ENAVAIL) E(EISNAM) E(EREMOTEIO) E(EDQUOT)
	E(ENOMEDIUM) E(EMEDIUMTYPE) E(ECANCELED) E(ENOKEY) E(EKEYEXPIRED)
	E(EKEYREVOKED) E(EKEYREJECTED) E(EOWNERDEAD) E(ENOTRECOVERABLE) E(ERFKILL)
	E(EHWPOISON)
#undef E
};

const char *gt_errno_name(int e)
{
	static char buf[32];
	if (e == 0)
		return "0 (none)";
	if (e > 0 && (size_t)e < sizeof errno_names / sizeof errno_names[0] && errno_names[e])
		return errno_names[e];
	snprintf(buf, sizeof buf, "errno %d", e);
	return buf;
}

static const char *const signal_names[] = {
#define S(x) [x] = #x,
	S(SIGHUP) S(SIGINT) S(SIGQUIT) S(SIGILL) S(SIGTRAP) S(SIGABRT) S(SIGBUS)
	S(SIGFPE) S(SIGKILL) S(SIGUSR1) S(SIGSEGV) S(SIGUSR2) S(SIGPIPE) S(SIGALRM)
	S(SIGTERM) S(SIGSTKFLT) S(SIGCHLD) S(SIGCONT) S(SIGSTOP) S(SIGTSTP)
	S(SIGTTIN) S(SIGTTOU) S(SIGURG) S(SIGXCPU) S(SIGXFSZ) S(SIGVTALRM)
	S(SIGPROF) S(SIGWINCH) S(SIGIO) S(SIGPWR) S(SIGSYS)
#undef S
};

const char *gt_signal_name(int s)
{
	static char buf[32];
	if (s > 0 && (size_t)s < sizeof signal_names / sizeof signal_names[0] && signal_names[s])
		return signal_names[s];
	snprintf(buf, sizeof buf, "signal %d", s);
	return buf;
}

void gt_fail(const char *file, int line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof msg)
		n = sizeof msg - 1;
	for (int i = 0; i < n; i++)
		if (msg[i] == '\n' || msg[i] == '\r')
			msg[i] = ' ';
	char full[700];
	const char *slash = strrchr(file, '/');
	int m = snprintf(full, sizeof full, "%s (%s:%d)", msg, slash ? slash + 1 : file, line);
	if (m < 0 || (size_t)m >= sizeof full)
		m = sizeof full - 1;
	if (report_fd >= 0) {
		ssize_t w = write(report_fd, full, m);
		(void)w;
	} else {
		fprintf(stderr, "%s\n", full);
	}
	_exit(1);
}

void gt_drop_privs(uid_t uid)
{
	OK(setgroups(0, NULL));
	OK(setgid(uid));
	OK(setuid(uid));
}

pid_t gt_fork(void)
{
	return (pid_t)OK(fork());
}

int gt_wait(pid_t pid)
{
	int st;
	EQ(waitpid(pid, &st, 0), pid);
	return st;
}

void gt_wait_exit(pid_t pid, int code)
{
	int st = gt_wait(pid);
	if (WIFSIGNALED(st))
		GT_FAIL("child killed by %s, expected exit %d", gt_signal_name(WTERMSIG(st)), code);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != code)
		GT_FAIL("child status 0x%x, expected exit %d", st, code);
}

void gt_wait_signal(pid_t pid, int sig)
{
	int st = gt_wait(pid);
	if (!WIFSIGNALED(st))
		GT_FAIL("child status 0x%x, expected death by %s", st, gt_signal_name(sig));
	if (WTERMSIG(st) != sig)
		GT_FAIL("child killed by %s, expected %s", gt_signal_name(WTERMSIG(st)),
			gt_signal_name(sig));
}

void gt_write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			GT_FAIL("write failed: %s", gt_errno_name(errno));
		p += w;
		n -= (size_t)w;
	}
}

void gt_write_file(const char *path, const char *text)
{
	int fd = (int)OK(open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644));
	gt_write_all(fd, text, strlen(text));
	OK(close(fd));
}

size_t gt_read_file(const char *path, char *buf, size_t size)
{
	int fd = (int)OK(open(path, O_RDONLY));
	size_t got = 0;
	while (got + 1 < size) {
		ssize_t r = read(fd, buf + got, size - 1 - got);
		if (r < 0)
			GT_FAIL("read %s: %s", path, gt_errno_name(errno));
		if (r == 0)
			break;
		got += (size_t)r;
	}
	buf[got] = 0;
	OK(close(fd));
	return got;
}

void gt_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

long long gt_now_ns(void)
{
	struct timespec ts;
	OK(clock_gettime(CLOCK_MONOTONIC, &ts));
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int by_position(const void *a, const void *b)
{
	const struct gt_case *x = *(const struct gt_case *const *)a;
	const struct gt_case *y = *(const struct gt_case *const *)b;
	int c = strcmp(x->file, y->file);
	return c ? c : x->line - y->line;
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb, (void)flag, (void)ftw;
	chmod(path, 0700);
	remove(path);
	return 0;
}

static void remove_tree(const char *dir)
{
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static volatile sig_atomic_t parent_timed_out;

static void on_parent_alarm(int sig)
{
	(void)sig;
	parent_timed_out = 1;
}

static char area[64];

/*
 * A second round of a program's cases elsewhere: GT_ROUND=NAME makes the
 * area "AREA@NAME" and GT_SCRATCH=DIR puts each case's working directory
 * in DIR instead of /tmp (the ext2 round: on a mounted ext2 disk).
 */
static void area_from_file(const char *file)
{
	const char *slash = strrchr(file, '/');
	snprintf(area, sizeof area, "%s", slash ? slash + 1 : file);
	char *dot = strrchr(area, '.');
	if (dot)
		*dot = 0;
	const char *round = getenv("GT_ROUND");
	if (round && *round)
		snprintf(area + strlen(area), sizeof area - strlen(area), "@%s", round);
}

static void emit(const char *line)
{
	ssize_t w = write(1, line, strlen(line));
	(void)w;
}

/* Runs one case; returns 1 if it passed. */
static int run_case(const struct gt_case *c)
{
	char dir[300];
	char line[900];
	const char *scratch = getenv("GT_SCRATCH");
	snprintf(dir, sizeof dir, "%s/gt.XXXXXX", scratch && *scratch ? scratch : "/tmp");
	if (!mkdtemp(dir)) {
		snprintf(line, sizeof line, "CASE FAIL %s/%s/%s: runner: mkdtemp: %s\n", GT_VARIANT,
			 area, c->name, gt_errno_name(errno));
		emit(line);
		return 0;
	}
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0) {
		perror("gt: pipe");
		exit(2);
	}
	pid_t pid = fork();
	if (pid < 0) {
		perror("gt: fork");
		exit(2);
	}
	if (pid == 0) {
		close(p[0]);
		report_fd = p[1];
		setpgid(0, 0);
		signal(SIGALRM, SIG_DFL);
		sigset_t all;
		sigemptyset(&all);
		sigprocmask(SIG_SETMASK, &all, NULL);
		umask(022);
		if (chdir(dir) < 0)
			GT_FAIL("chdir %s: %s", dir, gt_errno_name(errno));
		alarm(GT_TIMEOUT_S);
		c->fn();
		_exit(0);
	}
	close(p[1]);
	/* Backstop for a child that blocks SIGALRM: kill its process group. */
	parent_timed_out = 0;
	alarm(GT_TIMEOUT_S + 5);
	int st;
	pid_t w;
	while ((w = waitpid(pid, &st, 0)) < 0 && errno == EINTR) {
		if (parent_timed_out) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
		}
	}
	alarm(0);
	kill(-pid, SIGKILL); /* stragglers the case left behind in its group */
	char msg[700] = "";
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	ssize_t n = read(p[0], msg, sizeof msg - 1);
	if (n > 0)
		msg[n] = 0;
	close(p[0]);
	remove_tree(dir);
	int pass = 0;
	if (w < 0)
		snprintf(msg, sizeof msg, "runner: waitpid: %s", gt_errno_name(errno));
	else if (WIFSIGNALED(st) && WTERMSIG(st) == SIGALRM && !msg[0])
		snprintf(msg, sizeof msg, "timeout after %d s", GT_TIMEOUT_S);
	else if (WIFSIGNALED(st))
		snprintf(msg + strlen(msg), sizeof msg - strlen(msg), "%skilled by %s",
			 msg[0] ? "; " : "", gt_signal_name(WTERMSIG(st)));
	else if (WIFEXITED(st) && WEXITSTATUS(st) == 0 && !msg[0])
		pass = 1;
	else if (!msg[0])
		snprintf(msg, sizeof msg, "exited with status %d", WEXITSTATUS(st));
	if (pass)
		snprintf(line, sizeof line, "CASE PASS %s/%s/%s\n", GT_VARIANT, area, c->name);
	else
		snprintf(line, sizeof line, "CASE FAIL %s/%s/%s: %s\n", GT_VARIANT, area, c->name, msg);
	emit(line);
	return pass;
}

/*
 * usage: PROG            run every case
 *        PROG NAME...    run the named cases only
 *        PROG --list     print "variant/area/case<TAB>syscalls" per case
 *        PROG --helper ARGS...  run the program's gt_helper (a target for exec tests)
 */
int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "--helper") == 0) {
		if (!gt_helper) {
			fprintf(stderr, "gt: this program has no helper\n");
			return 2;
		}
		return gt_helper(argc - 2, argv + 2);
	}
	if (ncases == 0) {
		fprintf(stderr, "gt: no cases\n");
		return 2;
	}
	qsort(cases, ncases, sizeof cases[0], by_position);
	area_from_file(cases[0]->file);
	if (argc == 2 && strcmp(argv[1], "--list") == 0) {
		for (int i = 0; i < ncases; i++)
			printf("%s/%s/%s\t%s\n", GT_VARIANT, area, cases[i]->name, cases[i]->syscalls);
		return 0;
	}
	struct sigaction sa = { 0 };
	sa.sa_handler = on_parent_alarm;
	sigaction(SIGALRM, &sa, NULL);
	int passed = 0, failed = 0;
	for (int i = 0; i < ncases; i++) {
		int selected = argc < 2;
		for (int j = 1; j < argc; j++)
			if (strcmp(argv[j], cases[i]->name) == 0)
				selected = 1;
		if (!selected)
			continue;
		if (run_case(cases[i]))
			passed++;
		else
			failed++;
	}
	char line[128];
	snprintf(line, sizeof line, "PROGRAM %s/%s passed=%d failed=%d\n", GT_VARIANT, area, passed,
		 failed);
	emit(line);
	return failed ? 1 : 0;
}
