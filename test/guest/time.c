/* Guest cases: time and timers — clocks, sleeps, interval timers, POSIX timers, timerfd, times. */
#include "gt.h"

#include <elf.h>
#include <stdbool.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/auxv.h>
#include <sys/sendfile.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/timerfd.h>
#include <sys/times.h>
#include <time.h>

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void catch_alarm(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	OK(sigaction(SIGALRM, &sa, NULL));
}

static long long ts_ns(struct timespec t)
{
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

GT_CASE(clock_gettime_monotonic_advances, "clock_gettime")
{
	struct timespec a, b;
	OK(clock_gettime(CLOCK_MONOTONIC, &a));
	gt_sleep_ms(10);
	OK(clock_gettime(CLOCK_MONOTONIC, &b));
	CHECK(ts_ns(b) - ts_ns(a) >= 10000000LL);
	CHECK(a.tv_nsec >= 0 && a.tv_nsec < 1000000000L);
}

GT_CASE(clock_gettime_all_clocks, "clock_gettime")
{
	static const clockid_t ids[] = { CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID,
					 CLOCK_THREAD_CPUTIME_ID, CLOCK_MONOTONIC_RAW,
					 CLOCK_REALTIME_COARSE, CLOCK_MONOTONIC_COARSE, CLOCK_BOOTTIME };
	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		struct timespec t;
		OK(clock_gettime(ids[i], &t));
		CHECK(t.tv_nsec >= 0 && t.tv_nsec < 1000000000L);
	}
}

GT_CASE(clock_gettime_errors, "clock_gettime")
{
	struct timespec t;
	ERR(syscall(SYS_clock_gettime, 12345, &t), EINVAL);
	ERR(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, GT_BADPTR), EFAULT);
	ERR(syscall(SYS_clock_gettime, CLOCK_REALTIME, GT_KPTR), EFAULT);
}

GT_CASE(clock_getres_values, "clock_getres")
{
	struct timespec r;
	OK(clock_getres(CLOCK_MONOTONIC, &r));
	EQ(r.tv_sec, 0);
	CHECK(r.tv_nsec > 0 && r.tv_nsec <= 1000000);
	OK(clock_getres(CLOCK_REALTIME, NULL));
	ERR(syscall(SYS_clock_getres, 12345, &r), EINVAL);
}

GT_CASE(realtime_matches_gettimeofday_time, "gettimeofday time clock_gettime")
{
	struct timespec a;
	struct timeval tv;
	OK(clock_gettime(CLOCK_REALTIME, &a));
	OK(gettimeofday(&tv, NULL));
	time_t t = time(NULL);
	CHECK(tv.tv_sec - a.tv_sec <= 1 && tv.tv_sec >= a.tv_sec);
	CHECK(t - a.tv_sec <= 1 && t >= a.tv_sec);
	CHECK(a.tv_sec > 1600000000); /* QEMU's RTC gives the host's date */
	CHECK(tv.tv_usec >= 0 && tv.tv_usec < 1000000);
	time_t raw;
	EQ(syscall(SYS_time, &raw), raw);
}

GT_CASE(gettimeofday_efault, "gettimeofday")
{
	ERR(syscall(SYS_gettimeofday, GT_BADPTR, NULL), EFAULT);
}

GT_CASE(nanosleep_sleeps, "nanosleep")
{
	long long t0 = gt_now_ns();
	struct timespec ts = { 0, 30000000 };
	OK(nanosleep(&ts, NULL));
	CHECK(gt_now_ns() - t0 >= 30000000LL);
}

GT_CASE(nanosleep_errors, "nanosleep")
{
	struct timespec bad = { 0, 1000000000L };
	ERR(nanosleep(&bad, NULL), EINVAL);
	struct timespec neg = { -1, 0 };
	ERR(nanosleep(&neg, NULL), EINVAL);
	ERR(syscall(SYS_nanosleep, GT_BADPTR, NULL), EFAULT);
}

GT_CASE(nanosleep_interrupted_remaining, "nanosleep")
{
	catch_alarm();
	struct itimerval it = { { 0, 0 }, { 0, 50000 } };
	OK(setitimer(ITIMER_REAL, &it, NULL));
	struct timespec ts = { 5, 0 }, rem = { 0, 0 };
	ERR(nanosleep(&ts, &rem), EINTR);
	CHECK(rem.tv_sec >= 3 && rem.tv_sec <= 5);
	EQ(alarms, 1);
}

GT_CASE(clock_nanosleep_abstime, "clock_nanosleep")
{
	struct timespec now;
	OK(clock_gettime(CLOCK_MONOTONIC, &now));
	long long target = ts_ns(now) + 30000000LL;
	struct timespec t = { target / 1000000000LL, target % 1000000000LL };
	EQ(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL), 0);
	CHECK(gt_now_ns() >= target);
	/* a past absolute time returns at once */
	EQ(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &now, NULL), 0);
}

GT_CASE(clock_nanosleep_errors, "clock_nanosleep")
{
	struct timespec t = { 0, 1000 };
	ERR(syscall(SYS_clock_nanosleep, 12345, 0, &t, NULL), EINVAL);
	struct timespec bad = { 0, -1 };
	ERR(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &bad, NULL), EINVAL);
	ERR(syscall(SYS_clock_nanosleep, CLOCK_THREAD_CPUTIME_ID, 0, &t, NULL), EOPNOTSUPP);
}

GT_CASE(alarm_fires_and_returns_remaining, "alarm")
{
	catch_alarm();
	alarm(0); /* drop the runner's per-case alarm: this case measures alarm's own return values */
	EQ(alarm(10), 0);
	EQ(alarm(1), 10);
	ERR(pause(), EINTR);
	EQ(alarms, 1);
	EQ(alarm(0), 0);
}

GT_CASE(setitimer_real_periodic, "setitimer getitimer")
{
	catch_alarm();
	struct itimerval it = { { 0, 20000 }, { 0, 20000 } };
	OK(setitimer(ITIMER_REAL, &it, NULL));
	while (alarms < 3)
		pause();
	struct itimerval cur;
	OK(getitimer(ITIMER_REAL, &cur));
	EQ(cur.it_interval.tv_usec, 20000);
	struct itimerval off = { { 0, 0 }, { 0, 0 } }, old;
	OK(setitimer(ITIMER_REAL, &off, &old));
	EQ(old.it_interval.tv_usec, 20000);
	OK(getitimer(ITIMER_REAL, &cur));
	EQ(cur.it_value.tv_sec + cur.it_value.tv_usec, 0);
}

GT_CASE(setitimer_errors, "setitimer getitimer")
{
	struct itimerval it = { { 0, 0 }, { 0, 1000000 } };
	ERR(setitimer(ITIMER_REAL, &it, NULL), EINVAL);
	struct itimerval ok = { { 0, 0 }, { 0, 0 } };
	ERR(setitimer(7, &ok, NULL), EINVAL);
	ERR(getitimer(7, &ok), EINVAL);
	ERR(syscall(SYS_getitimer, ITIMER_REAL, GT_BADPTR), EFAULT);
}

GT_CASE(itimer_virtual_counts_cpu, "setitimer")
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	OK(sigaction(SIGVTALRM, &sa, NULL));
	struct itimerval it = { { 0, 0 }, { 0, 10000 } };
	OK(setitimer(ITIMER_VIRTUAL, &it, NULL));
	volatile unsigned long spin = 0;
	while (!alarms)
		spin++;
	EQ(alarms, 1);
}

GT_CASE(posix_timer_signal, "timer_create timer_settime timer_gettime timer_delete")
{
	catch_alarm();
	timer_t t;
	struct sigevent sev;
	memset(&sev, 0, sizeof sev);
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGALRM;
	OK(timer_create(CLOCK_MONOTONIC, &sev, &t));
	/* Far away first, so a loaded host cannot let it expire before timer_gettime() looks. */
	struct itimerspec its = { { 0, 0 }, { 100, 0 } };
	OK(timer_settime(t, 0, &its, NULL));
	struct itimerspec cur;
	OK(timer_gettime(t, &cur));
	CHECK(ts_ns(cur.it_value) > 0);
	CHECK(ts_ns(cur.it_value) <= 100000000000LL);
	its.it_value = (struct timespec){ 0, 20000000 };
	OK(timer_settime(t, 0, &its, NULL));
	while (!alarms)
		pause();
	OK(timer_gettime(t, &cur));
	EQ(ts_ns(cur.it_value), 0);
	OK(timer_delete(t));
}

/*
 * A 1 ns period must not take the machine (the fuzzer found a timer that
 * re-armed itself in interrupt context forever): the process still sleeps
 * and wakes on time, and the missed periods show as overruns.
 */
GT_CASE(posix_timer_tiny_interval_overruns, "timer_create timer_settime timer_getoverrun")
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	OK(sigprocmask(SIG_BLOCK, &set, NULL));
	timer_t t;
	struct sigevent sev;
	memset(&sev, 0, sizeof sev);
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGUSR1;
	OK(timer_create(CLOCK_MONOTONIC, &sev, &t));
	struct itimerspec its = { { 0, 1 }, { 0, 1 } };
	long long t0 = gt_now_ns();
	OK(timer_settime(t, 0, &its, NULL));
	gt_sleep_ms(50);
	struct timespec zero = { 0, 0 };
	EQ(sigtimedwait(&set, NULL, &zero), SIGUSR1);
	CHECK(timer_getoverrun(t) >= 1000);
	OK(timer_delete(t));
	CHECK(gt_now_ns() - t0 < 60000000000LL);	/* a 50 ms sleep; before the fix it never woke */
	/* Taking the signal re-arms the timer: one more may be pending. */
	while (sigtimedwait(&set, NULL, &zero) == SIGUSR1)
		;
	OK(sigprocmask(SIG_UNBLOCK, &set, NULL));
}

GT_CASE(itimer_tiny_interval_keeps_running, "setitimer")
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGALRM);
	OK(sigprocmask(SIG_BLOCK, &set, NULL));
	struct itimerval v = { { 0, 1 }, { 0, 1 } };
	long long t0 = gt_now_ns();
	OK(setitimer(ITIMER_REAL, &v, NULL));
	gt_sleep_ms(50);
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	OK(setitimer(ITIMER_REAL, &off, NULL));
	struct timespec zero = { 0, 0 };
	EQ(sigtimedwait(&set, NULL, &zero), SIGALRM);
	while (sigtimedwait(&set, NULL, &zero) == SIGALRM)
		;
	CHECK(gt_now_ns() - t0 < 60000000000LL);	/* a 50 ms sleep; before the fix it never woke */
	OK(sigprocmask(SIG_UNBLOCK, &set, NULL));
}

GT_CASE(posix_timer_errors, "timer_create timer_settime timer_delete timer_getoverrun")
{
	timer_t t;
	struct sigevent sev;
	memset(&sev, 0, sizeof sev);
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGALRM;
	int id;
	ERR(syscall(SYS_timer_create, 12345, &sev, &id), EINVAL);
	sev.sigev_signo = 100;
	ERR(syscall(SYS_timer_create, CLOCK_MONOTONIC, &sev, &id), EINVAL);
	sev.sigev_signo = SIGALRM;
	OK(syscall(SYS_timer_create, CLOCK_MONOTONIC, &sev, &id));
	struct itimerspec bad = { { 0, 0 }, { 0, 1000000000L } };
	ERR(syscall(SYS_timer_settime, id, 0, &bad, NULL), EINVAL);
	EQ(syscall(SYS_timer_getoverrun, id), 0);
	OK(syscall(SYS_timer_delete, id));
	ERR(syscall(SYS_timer_delete, id), EINVAL);
	(void)t;
}

GT_CASE(timerfd_expirations, "timerfd_create timerfd_settime timerfd_gettime")
{
	int fd = (int)OK(timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC));
	struct itimerspec its = { { 0, 10000000 }, { 0, 10000000 } };
	OK(timerfd_settime(fd, 0, &its, NULL));
	gt_sleep_ms(55);
	uint64_t n = 0;
	EQ(read(fd, &n, 8), 8);
	CHECK(n >= 3);
	struct itimerspec cur;
	OK(timerfd_gettime(fd, &cur));
	EQ(cur.it_interval.tv_nsec, 10000000);
	ERR(read(fd, &n, 4), EINVAL);
}

GT_CASE(timerfd_errors, "timerfd_create timerfd_settime")
{
	ERR(timerfd_create(12345, 0), EINVAL);
	ERR(timerfd_create(CLOCK_MONOTONIC, 0x1234), EINVAL);
	int fd = (int)OK(timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK));
	uint64_t n;
	ERR(read(fd, &n, 8), EAGAIN);
	struct itimerspec bad = { { 0, 0 }, { 0, -1 } };
	ERR(timerfd_settime(fd, 0, &bad, NULL), EINVAL);
	ERR(timerfd_settime(0, 0, &bad, NULL), EINVAL);
}

/* Open read-write but not writable: every way of writing says EINVAL (a fuzzer found sendfile's path crashing). */
GT_CASE(timerfd_write_einval, "write pwrite64 writev sendfile")
{
	int fd = (int)OK(timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK));
	uint64_t n = 1;
	ERR(write(fd, &n, sizeof(n)), EINVAL);
	struct iovec iov = { &n, sizeof(n) };
	ERR(writev(fd, &iov, 1), EINVAL);
	int in = (int)OK(open("/proc/self/stat", O_RDONLY));
	ERR(sendfile(fd, in, NULL, 8), EINVAL);
	close(in);
	close(fd);
}

GT_CASE(times_counts, "times")
{
	struct tms t;
	clock_t a = times(&t);
	CHECK(a != (clock_t)-1);
	/*
	 * Spin for at least 50 ms of real time and until a tick of CPU time is
	 * charged (up to 5 s): on a loaded host the vCPU may not run for most
	 * of a fixed window, so a fixed spin proves nothing about either kernel.
	 */
	volatile unsigned long spin = 0;
	long long t0 = gt_now_ns();
	clock_t b;
	do {
		spin++;
		b = times(&t);
	} while ((gt_now_ns() - t0 < 50000000LL || t.tms_utime + t.tms_stime < 1) &&
		 gt_now_ns() - t0 < 5000000000LL);
	CHECK(b >= a + 3); /* 100 Hz ticks */
	CHECK(t.tms_utime + t.tms_stime >= 1);
}

GT_CASE(clock_settime_eperm_nonroot, "clock_settime settimeofday")
{
	struct timespec now;
	OK(clock_gettime(CLOCK_REALTIME, &now));
	gt_drop_privs(1000);
	ERR(clock_settime(CLOCK_REALTIME, &now), EPERM);
	struct timeval tv = { now.tv_sec, 0 };
	ERR(settimeofday(&tv, NULL), EPERM);
}

GT_CASE(clock_settime_errors, "clock_settime")
{
	struct timespec t = { 1, 0 };
	ERR(clock_settime(CLOCK_MONOTONIC, &t), EINVAL);
	struct timespec bad = { 1700000000, 1000000000L };
	ERR(clock_settime(CLOCK_REALTIME, &bad), EINVAL);
}

GT_CASE(process_cputime_advances, "clock_gettime")
{
	struct timespec a, b;
	OK(clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a));
	volatile unsigned long spin = 0;
	long long t0 = gt_now_ns();
	while (gt_now_ns() - t0 < 20000000LL)
		spin++;
	OK(clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b));
	CHECK(ts_ns(b) > ts_ns(a));
}

GT_CASE(sleep_not_early_under_load, "clock_nanosleep")
{
	for (int i = 0; i < 5; i++) {
		long long t0 = gt_now_ns();
		struct timespec ts = { 0, 2000000 };
		EQ(clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL), 0);
		CHECK(gt_now_ns() - t0 >= 2000000LL);
	}
}

/* A symbol of the vDSO the kernel mapped (AT_SYSINFO_EHDR), found through its dynamic section as ld.so does; NULL if none. */
static void *vdso_sym(const char *name)
{
	uintptr_t base = getauxval(AT_SYSINFO_EHDR);
	if (!base)
		return NULL;
	const Elf64_Ehdr *eh = (const void *)base;
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_type != ET_DYN)
		return NULL;
	const Elf64_Phdr *ph = (const void *)(base + eh->e_phoff);
	uintptr_t bias = 0;
	const Elf64_Dyn *dyn = NULL;
	bool have_load = false;
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_LOAD && !have_load) {
			bias = base + ph[i].p_offset - ph[i].p_vaddr;
			have_load = true;
		} else if (ph[i].p_type == PT_DYNAMIC) {
			dyn = (const void *)(base + ph[i].p_offset);
		}
	}
	if (!have_load || !dyn)
		return NULL;
	const Elf64_Sym *sym = NULL;
	const char *str = NULL;
	const Elf32_Word *hash = NULL;
	for (; dyn->d_tag != DT_NULL; dyn++) {
		if (dyn->d_tag == DT_SYMTAB)
			sym = (const void *)(bias + dyn->d_un.d_ptr);
		else if (dyn->d_tag == DT_STRTAB)
			str = (const void *)(bias + dyn->d_un.d_ptr);
		else if (dyn->d_tag == DT_HASH)
			hash = (const void *)(bias + dyn->d_un.d_ptr);
	}
	if (!sym || !str || !hash)
		return NULL;
	for (Elf32_Word i = 0; i < hash[1]; i++)	/* nchain: the number of symbols */
		if (sym[i].st_shndx != SHN_UNDEF && ELF64_ST_TYPE(sym[i].st_info) == STT_FUNC &&
		    strcmp(str + sym[i].st_name, name) == 0)
			return (void *)(bias + sym[i].st_value);
	return NULL;
}

/* The vDSO's clocks agree with the system calls: each reading falls between two system-call readings around it. */
GT_CASE(vdso_clock_gettime_agrees, "clock_gettime")
{
	int (*vgettime)(clockid_t, struct timespec *) = vdso_sym("__vdso_clock_gettime");
	CHECK(vgettime != NULL);
	CHECK(vdso_sym("clock_gettime") == (void *)vgettime);
	static const clockid_t clocks[] = { CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME,
					    CLOCK_MONOTONIC_RAW, CLOCK_TAI, CLOCK_PROCESS_CPUTIME_ID };
	for (size_t i = 0; i < sizeof clocks / sizeof clocks[0]; i++) {
		struct timespec a, b, c;
		OK(syscall(SYS_clock_gettime, clocks[i], &a));
		EQ(vgettime(clocks[i], &b), 0);
		OK(syscall(SYS_clock_gettime, clocks[i], &c));
		CHECK(b.tv_nsec >= 0 && b.tv_nsec < 1000000000);
		CHECK(ts_ns(a) <= ts_ns(b) && ts_ns(b) <= ts_ns(c));
	}
	/* A clock it does not know is the system call's error. */
	struct timespec t;
	EQ(vgettime(12345, &t), -EINVAL);
}

GT_CASE(vdso_gettimeofday_time_getcpu_agree, "gettimeofday time getcpu clock_getres")
{
	int (*vgtod)(struct timeval *, struct timezone *) = vdso_sym("__vdso_gettimeofday");
	time_t (*vtime)(time_t *) = vdso_sym("__vdso_time");
	long (*vgetcpu)(unsigned *, unsigned *, void *) = vdso_sym("__vdso_getcpu");
	int (*vgetres)(clockid_t, struct timespec *) = vdso_sym("__vdso_clock_getres");
	CHECK(vgtod && vtime && vgetcpu && vgetres);
	struct timeval a, b, c;
	OK(syscall(SYS_gettimeofday, &a, NULL));
	EQ(vgtod(&b, NULL), 0);
	OK(syscall(SYS_gettimeofday, &c, NULL));
	CHECK(b.tv_usec >= 0 && b.tv_usec < 1000000);
	uint64_t ua = a.tv_sec * 1000000ull + a.tv_usec, ub = b.tv_sec * 1000000ull + b.tv_usec,
		 uc = c.tv_sec * 1000000ull + c.tv_usec;
	CHECK(ua <= ub && ub <= uc);
	struct timezone tz = { -1, -1 }, tz2 = { -2, -2 };
	EQ(vgtod(NULL, &tz), 0);
	OK(syscall(SYS_gettimeofday, NULL, &tz2));
	EQ(tz.tz_minuteswest, tz2.tz_minuteswest);
	time_t t1 = syscall(SYS_time, NULL), t2, t3;
	time_t t2r = vtime(&t2);
	t3 = syscall(SYS_time, NULL);
	EQ(t2r, t2);
	CHECK(t1 <= t2 && t2 <= t3);
	unsigned cpu = 99, node = 99, scpu = 98, snode = 98;
	EQ(vgetcpu(&cpu, &node, NULL), 0);
	OK(syscall(SYS_getcpu, &scpu, &snode, NULL));
	EQ(cpu, scpu);
	EQ(node, snode);
	struct timespec r1, r2;
	EQ(vgetres(CLOCK_MONOTONIC, &r1), 0);
	OK(syscall(SYS_clock_getres, CLOCK_MONOTONIC, &r2));
	EQ(ts_ns(r1), ts_ns(r2));
}
