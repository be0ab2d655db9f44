/* Guest cases: terminals — pseudo-terminal pairs, termios modes, line discipline, window size, controlling tty, job-control signals. */
#include "gt.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>

static int master_fd, slave_fd;

/* Opens a pty pair via /dev/ptmx (devpts is mounted by the runner). */
static void open_pty(void)
{
	master_fd = (int)OK(open("/dev/ptmx", O_RDWR | O_NOCTTY));
	int unlock = 0;
	OK(ioctl(master_fd, TIOCSPTLCK, &unlock));
	unsigned n;
	OK(ioctl(master_fd, TIOCGPTN, &n));
	char path[32];
	snprintf(path, sizeof path, "/dev/pts/%u", n);
	slave_fd = (int)OK(open(path, O_RDWR | O_NOCTTY));
}

static long read_timeout(int fd, char *buf, size_t n, int ms)
{
	struct pollfd p = { fd, POLLIN, 0 };
	if (OK(poll(&p, 1, ms)) == 0)
		return 0;
	return OK(read(fd, buf, n));
}

GT_CASE(ptmx_pair, "openat ioctl")
{
	open_pty();
	CHECK(isatty(master_fd));
	CHECK(isatty(slave_fd));
	char *name = ptsname(master_fd);
	CHECK(name != NULL && strncmp(name, "/dev/pts/", 9) == 0);
}

GT_CASE(ptmx_locked_slave_eio, "openat ioctl")
{
	int m = (int)OK(open("/dev/ptmx", O_RDWR | O_NOCTTY));
	unsigned n;
	OK(ioctl(m, TIOCGPTN, &n));
	char path[32];
	snprintf(path, sizeof path, "/dev/pts/%u", n);
	ERR(open(path, O_RDWR | O_NOCTTY), EIO); /* still locked */
	OK(unlockpt(m));
	int s = (int)OK(open(path, O_RDWR | O_NOCTTY));
	OK(close(s));
}

GT_CASE(isatty_enotty, "ioctl")
{
	gt_write_file("f", "x");
	int fd = (int)OK(open("f", O_RDONLY));
	struct termios t;
	ERR(tcgetattr(fd, &t), ENOTTY);
	CHECK(!isatty(fd));
	int p[2];
	OK(pipe(p));
	ERR(ioctl(p[0], TCGETS, &t), ENOTTY);
	ERR(ioctl(-1, TCGETS, &t), EBADF);
}

GT_CASE(termios_defaults, "ioctl")
{
	open_pty();
	struct termios t;
	OK(tcgetattr(slave_fd, &t));
	CHECK(t.c_lflag & ICANON);
	CHECK(t.c_lflag & ECHO);
	CHECK(t.c_lflag & ISIG);
	CHECK(t.c_iflag & ICRNL);
	CHECK(t.c_oflag & ONLCR);
	EQ(t.c_cc[VINTR], 3);
	EQ(t.c_cc[VEOF], 4);
	EQ(t.c_cc[VERASE], 0177);
}

GT_CASE(tcsetattr_roundtrip, "ioctl")
{
	open_pty();
	struct termios t;
	OK(tcgetattr(slave_fd, &t));
	t.c_lflag &= ~(ECHO);
	t.c_cc[VMIN] = 3;
	OK(tcsetattr(slave_fd, TCSANOW, &t));
	struct termios u;
	OK(tcgetattr(slave_fd, &u));
	CHECK(!(u.c_lflag & ECHO));
	EQ(u.c_cc[VMIN], 3);
	ERR(tcsetattr(slave_fd, 42, &t), EINVAL);
	ERR(syscall(SYS_ioctl, slave_fd, TCGETS, GT_BADPTR), EFAULT);
}

GT_CASE(canonical_line_read, "read write")
{
	open_pty();
	EQ(write(master_fd, "hel", 3), 3);
	char buf[32];
	EQ(read_timeout(slave_fd, buf, sizeof buf, 50), 0); /* no full line yet */
	EQ(write(master_fd, "lo\n", 3), 3);
	EQ(read_timeout(slave_fd, buf, sizeof buf, 2000), 6);
	MEMEQ(buf, "hello\n", 6);
}

GT_CASE(canonical_erase, "read write")
{
	open_pty();
	EQ(write(master_fd, "abx\177c\n", 6), 6);
	char buf[32];
	EQ(read_timeout(slave_fd, buf, sizeof buf, 2000), 4);
	MEMEQ(buf, "abc\n", 4);
}

GT_CASE(canonical_eof, "read write")
{
	open_pty();
	EQ(write(master_fd, "ab\004", 3), 3);
	char buf[32];
	EQ(read_timeout(slave_fd, buf, sizeof buf, 2000), 2);
	MEMEQ(buf, "ab", 2);
	EQ(write(master_fd, "\004", 1), 1);
	EQ(read_timeout(slave_fd, buf, sizeof buf, 2000), 0); /* EOF at line start */
}

GT_CASE(icrnl_translates, "read write")
{
	open_pty();
	EQ(write(master_fd, "x\r", 2), 2);
	char buf[8];
	EQ(read_timeout(slave_fd, buf, sizeof buf, 2000), 2);
	MEMEQ(buf, "x\n", 2);
}

GT_CASE(echo_and_onlcr, "read write")
{
	open_pty();
	EQ(write(master_fd, "hi\n", 3), 3);
	char buf[16];
	EQ(read_timeout(master_fd, buf, sizeof buf, 2000), 4); /* echoed, \n -> \r\n */
	MEMEQ(buf, "hi\r\n", 4);
	EQ(write(slave_fd, "out\n", 4), 4);
	EQ(read_timeout(master_fd, buf, sizeof buf, 2000), 5);
	MEMEQ(buf, "out\r\n", 5);
}

GT_CASE(raw_mode_vmin, "read write ioctl")
{
	open_pty();
	struct termios t;
	OK(tcgetattr(slave_fd, &t));
	cfmakeraw(&t);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	OK(tcsetattr(slave_fd, TCSANOW, &t));
	EQ(write(master_fd, "q", 1), 1);
	char c;
	EQ(read_timeout(slave_fd, &c, 1, 2000), 1);
	EQ(c, 'q');
	EQ(write(slave_fd, "\n", 1), 1); /* no output processing in raw mode */
	char buf[4];
	EQ(read_timeout(master_fd, buf, sizeof buf, 2000), 1);
}

GT_CASE(raw_mode_vtime_timeout, "read ioctl")
{
	open_pty();
	struct termios t;
	OK(tcgetattr(slave_fd, &t));
	cfmakeraw(&t);
	t.c_cc[VMIN] = 0;
	t.c_cc[VTIME] = 1; /* 0.1 s */
	OK(tcsetattr(slave_fd, TCSANOW, &t));
	char c;
	long long t0 = gt_now_ns();
	EQ(read(slave_fd, &c, 1), 0);
	CHECK(gt_now_ns() - t0 >= 50000000LL);
}

GT_CASE(winsize_roundtrip_sigwinch, "ioctl")
{
	open_pty();
	struct winsize ws = { .ws_row = 33, .ws_col = 101 };
	OK(ioctl(master_fd, TIOCSWINSZ, &ws));
	struct winsize got;
	OK(ioctl(slave_fd, TIOCGWINSZ, &got));
	EQ(got.ws_row, 33);
	EQ(got.ws_col, 101);
}

GT_CASE(fionread_pending, "ioctl")
{
	open_pty();
	struct termios t;
	OK(tcgetattr(slave_fd, &t));
	cfmakeraw(&t);
	OK(tcsetattr(slave_fd, TCSANOW, &t));
	EQ(write(master_fd, "abc", 3), 3);
	gt_sleep_ms(20);
	int n = 0;
	OK(ioctl(slave_fd, FIONREAD, &n));
	EQ(n, 3);
	OK(tcflush(slave_fd, TCIFLUSH));
	OK(ioctl(slave_fd, FIONREAD, &n));
	EQ(n, 0);
}

GT_CASE(controlling_tty_setsid, "setsid ioctl")
{
	open_pty();
	pid_t pid = gt_fork();
	if (pid == 0) {
		OK(setsid());
		OK(ioctl(slave_fd, TIOCSCTTY, 0));
		EQ(tcgetpgrp(slave_fd), getpid());
		EQ(tcgetsid(slave_fd), getpid());
		int fd = (int)OK(open("/dev/tty", O_RDWR));
		OK(close(fd));
		_exit(0);
	}
	gt_wait_exit(pid, 0);
}

GT_CASE(dev_tty_without_ctty_enxio, "openat")
{
	pid_t pid = gt_fork();
	if (pid == 0) {
		OK(setsid());
		ERR(open("/dev/tty", O_RDWR), ENXIO);
		_exit(0);
	}
	gt_wait_exit(pid, 0);
}

GT_CASE(tcsetpgrp_errors, "ioctl")
{
	open_pty();
	pid_t me = getpgrp();
	ERR(tcsetpgrp(slave_fd, me), ENOTTY); /* not our controlling terminal */
	pid_t pid = gt_fork();
	if (pid == 0) {
		OK(setsid());
		OK(ioctl(slave_fd, TIOCSCTTY, 0));
		ERR(tcsetpgrp(slave_fd, 999999), ESRCH);
		ERR(tcsetpgrp(slave_fd, getpgid(getppid())), EPERM); /* a group of another session */
		ERR(tcsetpgrp(slave_fd, -1), EINVAL);
		_exit(0);
	}
	gt_wait_exit(pid, 0);
}

GT_CASE(ctrl_c_sends_sigint, "ioctl write")
{
	open_pty();
	pid_t pid = gt_fork();
	if (pid == 0) {
		setsid();
		ioctl(slave_fd, TIOCSCTTY, 0);
		for (;;)
			pause();
	}
	gt_sleep_ms(50);
	EQ(write(master_fd, "\003", 1), 1);
	gt_wait_signal(pid, SIGINT);
}

GT_CASE(background_read_sigttin, "ioctl read")
{
	open_pty();
	pid_t pid = gt_fork();
	if (pid == 0) {
		OK(setsid());
		OK(ioctl(slave_fd, TIOCSCTTY, 0));
		pid_t bg = gt_fork();
		if (bg == 0) {
			OK(setpgid(0, 0));
			char c;
			read(slave_fd, &c, 1); /* background group reading: stopped by SIGTTIN */
			_exit(1);
		}
		int st;
		EQ(waitpid(bg, &st, WUNTRACED), bg);
		CHECK(WIFSTOPPED(st));
		EQ(WSTOPSIG(st), SIGTTIN);
		kill(bg, SIGKILL);
		waitpid(bg, &st, 0);
		_exit(0);
	}
	gt_wait_exit(pid, 0);
}

GT_CASE(master_close_hangup, "read close")
{
	open_pty();
	OK(close(master_fd));
	char c;
	long r = read(slave_fd, &c, 1);
	CHECK(r == 0 || (r == -1 && errno == EIO));
	ERR(write(slave_fd, "x", 1), EIO);
}

GT_CASE(slave_close_master_eio, "read close")
{
	open_pty();
	OK(close(slave_fd));
	char c;
	ERR(read(master_fd, &c, 1), EIO);
}

GT_CASE(tcdrain_and_flow, "ioctl")
{
	open_pty();
	OK(tcdrain(slave_fd));
	OK(tcflow(slave_fd, TCOON));
	ERR(tcflow(slave_fd, 42), EINVAL);
	OK(tcsendbreak(slave_fd, 0));
}

GT_CASE(speed_settings, "ioctl")
{
	open_pty();
	struct termios t;
	OK(tcgetattr(slave_fd, &t));
	OK(cfsetospeed(&t, B9600));
	OK(cfsetispeed(&t, B9600));
	OK(tcsetattr(slave_fd, TCSANOW, &t));
	OK(tcgetattr(slave_fd, &t));
	EQ(cfgetospeed(&t), B9600);
}
