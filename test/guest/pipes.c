/* Guest cases: pipes and FIFOs — data flow, EOF, EPIPE/SIGPIPE, non-blocking behaviour, capacity, splice/tee. */
#include "gt.h"

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <stdio.h>
#include <sys/uio.h>
#include <sys/wait.h>

GT_CASE(pipe_roundtrip, "pipe read write")
{
	int p[2];
	OK(pipe(p));
	CHECK(p[0] >= 0 && p[1] >= 0 && p[0] != p[1]);
	EQ(write(p[1], "hello", 5), 5);
	char buf[8] = { 0 };
	EQ(read(p[0], buf, sizeof buf), 5);
	STREQ(buf, "hello");
}

GT_CASE(pipe_bad_pointer, "pipe pipe2")
{
	ERR(syscall(SYS_pipe, GT_BADPTR), EFAULT);
	ERR(syscall(SYS_pipe2, GT_KPTR, 0), EFAULT);
}

GT_CASE(pipe2_flags, "pipe2 fcntl")
{
	int p[2];
	OK(pipe2(p, O_CLOEXEC | O_NONBLOCK));
	EQ(fcntl(p[0], F_GETFD), FD_CLOEXEC);
	EQ(fcntl(p[1], F_GETFD), FD_CLOEXEC);
	CHECK(fcntl(p[0], F_GETFL) & O_NONBLOCK);
	EQ(fcntl(p[0], F_GETFL) & O_ACCMODE, O_RDONLY);
	EQ(fcntl(p[1], F_GETFL) & O_ACCMODE, O_WRONLY);
	ERR(pipe2(p, O_APPEND), EINVAL);
}

GT_CASE(pipe_eof_after_close, "pipe read close")
{
	int p[2];
	OK(pipe(p));
	EQ(write(p[1], "ab", 2), 2);
	OK(close(p[1]));
	char buf[4];
	EQ(read(p[0], buf, 4), 2);
	EQ(read(p[0], buf, 4), 0);
}

GT_CASE(pipe_wrong_direction, "pipe read write")
{
	int p[2];
	OK(pipe(p));
	char c;
	ERR(write(p[0], "x", 1), EBADF);
	ERR(read(p[1], &c, 1), EBADF);
}

GT_CASE(pipe_epipe_sigpipe, "pipe write kill")
{
	int p[2];
	OK(pipe(p));
	OK(close(p[0]));
	pid_t pid = gt_fork();
	if (pid == 0) {
		write(p[1], "x", 1);
		_exit(0);
	}
	gt_wait_signal(pid, SIGPIPE);
	signal(SIGPIPE, SIG_IGN);
	ERR(write(p[1], "x", 1), EPIPE);
}

GT_CASE(pipe_nonblock_empty_full, "pipe2 read write")
{
	int p[2];
	OK(pipe2(p, O_NONBLOCK));
	char c;
	ERR(read(p[0], &c, 1), EAGAIN);
	static char big[1 << 16];
	long total = 0;
	for (;;) {
		long n = write(p[1], big, sizeof big);
		if (n < 0) {
			EQ(errno, EAGAIN);
			break;
		}
		total += n;
	}
	EQ(total, 65536);
}

GT_CASE(pipe_capacity_fcntl, "fcntl")
{
	int p[2];
	OK(pipe(p));
	EQ(fcntl(p[0], F_GETPIPE_SZ), 65536);
	EQ(fcntl(p[1], F_SETPIPE_SZ, 4096 * 3), 16384); /* rounded up to a power-of-two number of pages */
	EQ(fcntl(p[0], F_GETPIPE_SZ), 16384);
	gt_write_file("f", "");
	int fd = (int)OK(open("f", O_RDONLY));
	ERR(fcntl(fd, F_GETPIPE_SZ), EBADF);
	/* beyond /proc/sys/fs/pipe-max-size only with CAP_SYS_RESOURCE */
	gt_drop_privs(1000);
	ERR(fcntl(p[0], F_SETPIPE_SZ, 1 << 30), EPERM);
}

GT_CASE(pipe_fionread, "ioctl")
{
	int p[2];
	OK(pipe(p));
	int n = -1;
	OK(ioctl(p[0], FIONREAD, &n));
	EQ(n, 0);
	EQ(write(p[1], "abc", 3), 3);
	OK(ioctl(p[0], FIONREAD, &n));
	EQ(n, 3);
}

GT_CASE(pipe_partial_read, "read")
{
	int p[2];
	OK(pipe(p));
	EQ(write(p[1], "abcdef", 6), 6);
	char buf[4] = { 0 };
	EQ(read(p[0], buf, 3), 3);
	STREQ(buf, "abc");
	EQ(read(p[0], buf, 3), 3);
	STREQ(buf, "def");
}

GT_CASE(pipe_blocking_reader_wakes, "read fork")
{
	int p[2];
	OK(pipe(p));
	pid_t pid = gt_fork();
	if (pid == 0) {
		gt_sleep_ms(30);
		gt_write_all(p[1], "late", 4);
		_exit(0);
	}
	char buf[8] = { 0 };
	EQ(read(p[0], buf, sizeof buf), 4);
	STREQ(buf, "late");
	gt_wait_exit(pid, 0);
}

GT_CASE(pipe_blocking_writer_wakes, "write fork")
{
	int p[2];
	OK(pipe(p));
	static char big[65536 + 100];
	pid_t pid = gt_fork();
	if (pid == 0) {
		gt_write_all(p[1], big, sizeof big); /* blocks until the reader drains */
		_exit(0);
	}
	OK(close(p[1]));
	gt_sleep_ms(30);
	long total = 0, n;
	while ((n = read(p[0], big, 4096)) > 0)
		total += n;
	EQ(total, sizeof big);
	gt_wait_exit(pid, 0);
}

GT_CASE(pipe_atomic_pipe_buf, "write fork")
{
	/* Two writers of PIPE_BUF-sized records must never interleave within a record. */
	int p[2];
	OK(pipe(p));
	for (int k = 0; k < 2; k++) {
		pid_t pid = gt_fork();
		if (pid == 0) {
			char rec[PIPE_BUF];
			memset(rec, 'a' + k, sizeof rec);
			for (int i = 0; i < 40; i++)
				EQ(write(p[1], rec, sizeof rec), PIPE_BUF);
			_exit(0);
		}
	}
	OK(close(p[1]));
	char rec[PIPE_BUF];
	int records = 0;
	for (;;) {
		size_t got = 0;
		while (got < sizeof rec) {
			long n = OK(read(p[0], rec + got, sizeof rec - got));
			if (n == 0)
				break;
			got += (size_t)n;
		}
		if (got == 0)
			break;
		EQ(got, PIPE_BUF);
		for (size_t i = 1; i < sizeof rec; i++)
			EQ(rec[i], rec[0]);
		records++;
	}
	EQ(records, 80);
	int st;
	while (wait(&st) > 0)
		EQ(st, 0);
}

GT_CASE(pipe_poll_hup_err, "poll")
{
	int p[2];
	OK(pipe(p));
	OK(close(p[0]));
	struct pollfd pf = { p[1], POLLOUT, 0 };
	EQ(poll(&pf, 1, 0), 1);
	CHECK(pf.revents & POLLERR);
}

GT_CASE(pipe_fstat, "fstat")
{
	int p[2];
	OK(pipe(p));
	struct stat st;
	OK(fstat(p[0], &st));
	CHECK(S_ISFIFO(st.st_mode));
}

GT_CASE(pipe_read_zero_len, "read")
{
	int p[2];
	OK(pipe(p));
	char c;
	EQ(read(p[0], &c, 0), 0);
}

GT_CASE(pipe_writev_readv, "writev readv")
{
	int p[2];
	OK(pipe(p));
	struct iovec w[2] = { { "12", 2 }, { "345", 3 } };
	EQ(writev(p[1], w, 2), 5);
	char a[3] = { 0 }, b[3] = { 0 };
	struct iovec r[2] = { { a, 2 }, { b, 2 } };
	EQ(readv(p[0], r, 2), 4);
	STREQ(a, "12");
	STREQ(b, "34");
}

GT_CASE(pipe_proc_fd_link, "readlink")
{
	int p[2];
	OK(pipe(p));
	char path[64], buf[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", p[0]);
	long n = OK(readlink(path, buf, sizeof buf - 1));
	buf[n] = 0;
	CHECK(strncmp(buf, "pipe:[", 6) == 0);
}

GT_CASE(fifo_rendezvous, "mknodat openat read write")
{
	OK(mkfifo("fifo", 0600));
	pid_t pid = gt_fork();
	if (pid == 0) {
		int w = (int)OK(open("fifo", O_WRONLY));
		gt_write_all(w, "via fifo", 8);
		_exit(0);
	}
	int r = (int)OK(open("fifo", O_RDONLY));
	char buf[16] = { 0 };
	EQ(read(r, buf, sizeof buf), 8);
	STREQ(buf, "via fifo");
	EQ(read(r, buf, sizeof buf), 0);
	gt_wait_exit(pid, 0);
}

GT_CASE(fifo_nonblock_open, "openat")
{
	OK(mkfifo("fifo", 0600));
	ERR(open("fifo", O_WRONLY | O_NONBLOCK), ENXIO);
	int r = (int)OK(open("fifo", O_RDONLY | O_NONBLOCK));
	int w = (int)OK(open("fifo", O_WRONLY | O_NONBLOCK));
	char c;
	ERR(read(r, &c, 1), EAGAIN);
	EQ(write(w, "z", 1), 1);
	EQ(read(r, &c, 1), 1);
	EQ(c, 'z');
	OK(close(w));
	EQ(read(r, &c, 1), 0);
}

GT_CASE(fifo_rdwr_open, "openat")
{
	OK(mkfifo("fifo", 0600));
	int fd = (int)OK(open("fifo", O_RDWR)); /* Linux allows this without blocking */
	EQ(write(fd, "q", 1), 1);
	char c;
	EQ(read(fd, &c, 1), 1);
	EQ(c, 'q');
}

GT_CASE(fifo_mkfifo_errors, "mknodat")
{
	OK(mkfifo("fifo", 0600));
	ERR(mkfifo("fifo", 0600), EEXIST);
	ERR(mkfifo("missing/fifo", 0600), ENOENT);
	struct stat st;
	OK(stat("fifo", &st));
	CHECK(S_ISFIFO(st.st_mode));
	EQ(st.st_mode & 0777, 0600);
}

GT_CASE(fifo_lseek_espipe, "lseek")
{
	OK(mkfifo("fifo", 0600));
	int fd = (int)OK(open("fifo", O_RDWR));
	ERR(lseek(fd, 0, SEEK_SET), ESPIPE);
}

GT_CASE(splice_pipe_to_file, "splice")
{
	int p[2];
	OK(pipe(p));
	gt_write_file("f", "");
	int fd = (int)OK(open("f", O_WRONLY));
	EQ(write(p[1], "spliced", 7), 7);
	EQ(splice(p[0], NULL, fd, NULL, 7, 0), 7);
	OK(close(fd));
	char buf[16];
	gt_read_file("f", buf, sizeof buf);
	STREQ(buf, "spliced");
	int q[2];
	OK(pipe(q));
	ERR(splice(-1, NULL, q[1], NULL, 1, 0), EBADF);
}

GT_CASE(splice_einval_no_pipe, "splice")
{
	gt_write_file("a", "abc");
	gt_write_file("b", "");
	int a = (int)OK(open("a", O_RDONLY));
	int b = (int)OK(open("b", O_WRONLY));
	ERR(splice(a, NULL, b, NULL, 3, 0), EINVAL);
}

GT_CASE(tee_duplicates, "tee")
{
	int p[2], q[2];
	OK(pipe(p));
	OK(pipe(q));
	EQ(write(p[1], "dup", 3), 3);
	EQ(tee(p[0], q[1], 3, 0), 3);
	char a[4] = { 0 }, b[4] = { 0 };
	EQ(read(p[0], a, 3), 3);
	EQ(read(q[0], b, 3), 3);
	STREQ(a, "dup");
	STREQ(b, "dup");
	ERR(tee(p[0], p[1], 1, 0), EINVAL);
}

GT_CASE(vmsplice_to_pipe, "vmsplice")
{
	int p[2];
	OK(pipe(p));
	char data[] = "vm";
	struct iovec iov = { data, 2 };
	EQ(vmsplice(p[1], &iov, 1, 0), 2);
	char buf[3] = { 0 };
	EQ(read(p[0], buf, 2), 2);
	STREQ(buf, "vm");
}
