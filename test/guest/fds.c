/* Guest cases: file descriptors — dup family, fcntl, close-on-exec, shared offsets, locks, poll/select/epoll, eventfd. */
#include "gt.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <stdio.h>
#include <sys/wait.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

static int open_tmp(const char *text)
{
	gt_write_file("f", text);
	return (int)OK(open("f", O_RDWR));
}

static int is_open(int fd)
{
	return fcntl(fd, F_GETFD) != -1;
}

GT_CASE(dup_lowest, "dup")
{
	int fd = open_tmp("x");
	OK(close(0));
	EQ(dup(fd), 0);
	int d = (int)OK(dup(fd));
	CHECK(d > fd);
	ERR(dup(-1), EBADF);
	ERR(dup(4000), EBADF);
}

GT_CASE(dup_shares_offset, "dup lseek")
{
	int fd = open_tmp("abcdef");
	int d = (int)OK(dup(fd));
	OK(lseek(fd, 3, SEEK_SET));
	EQ(lseek(d, 0, SEEK_CUR), 3);
	char c;
	EQ(read(d, &c, 1), 1);
	EQ(c, 'd');
	EQ(lseek(fd, 0, SEEK_CUR), 4);
}

GT_CASE(dup2_semantics, "dup2")
{
	int fd = open_tmp("x");
	EQ(dup2(fd, 100), 100);
	CHECK(is_open(100));
	EQ(dup2(fd, fd), fd);
	ERR(dup2(-1, 5), EBADF);
	ERR(dup2(fd, -1), EBADF);
	ERR(dup2(50, 50), EBADF);
	EQ(dup2(fd, 101), 101);
	OK(close(fd));
	EQ(dup2(100, 101), 101); /* closes the old 101 silently */
}

GT_CASE(dup3_flags, "dup3")
{
	int fd = open_tmp("x");
	EQ(dup3(fd, 50, O_CLOEXEC), 50);
	EQ(fcntl(50, F_GETFD), FD_CLOEXEC);
	EQ(dup3(fd, 51, 0), 51);
	EQ(fcntl(51, F_GETFD), 0);
	ERR(dup3(fd, fd, 0), EINVAL);
	ERR(syscall(SYS_dup3, fd, 52, O_NONBLOCK), EINVAL);
}

GT_CASE(fcntl_dupfd, "fcntl")
{
	int fd = open_tmp("x");
	EQ(fcntl(fd, F_DUPFD, 40), 40);
	EQ(fcntl(fd, F_DUPFD, 40), 41);
	int c = (int)OK(fcntl(fd, F_DUPFD_CLOEXEC, 60));
	EQ(c, 60);
	EQ(fcntl(c, F_GETFD), FD_CLOEXEC);
	ERR(fcntl(fd, F_DUPFD, -1), EINVAL);
	ERR(fcntl(fd, F_DUPFD, 1 << 30), EINVAL);
}

GT_CASE(fcntl_getfl_setfl, "fcntl")
{
	gt_write_file("f", "x");
	int fd = (int)OK(open("f", O_WRONLY | O_APPEND));
	int fl = (int)OK(fcntl(fd, F_GETFL));
	EQ(fl & O_ACCMODE, O_WRONLY);
	CHECK(fl & O_APPEND);
	OK(fcntl(fd, F_SETFL, O_NONBLOCK | O_RDWR));
	fl = (int)OK(fcntl(fd, F_GETFL));
	EQ(fl & O_ACCMODE, O_WRONLY); /* access mode cannot change */
	CHECK(fl & O_NONBLOCK);
	CHECK(!(fl & O_APPEND));
}

GT_CASE(fcntl_errors, "fcntl")
{
	ERR(fcntl(-1, F_GETFD), EBADF);
	ERR(fcntl(1234, F_GETFL), EBADF);
	int fd = open_tmp("x");
	ERR(fcntl(fd, 9999), EINVAL);
}

GT_CASE(fcntl_setfd_cloexec, "fcntl")
{
	int fd = open_tmp("x");
	EQ(fcntl(fd, F_GETFD), 0);
	OK(fcntl(fd, F_SETFD, FD_CLOEXEC));
	EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	int d = (int)OK(dup(fd));
	EQ(fcntl(d, F_GETFD), 0); /* the flag belongs to the descriptor, not the file */
}

GT_CASE(cloexec_across_exec, "execve fcntl")
{
	int keep = open_tmp("x");
	int drop = (int)OK(open("f", O_RDONLY | O_CLOEXEC));
	char cmd[128];
	snprintf(cmd, sizeof cmd, "[ -e /proc/self/fd/%d ] && ! [ -e /proc/self/fd/%d ]", keep, drop);
	pid_t pid = gt_fork();
	if (pid == 0) {
		execl("/bin/busybox", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	gt_wait_exit(pid, 0);
}

GT_CASE(close_errors, "close")
{
	ERR(close(-1), EBADF);
	ERR(close(5000), EBADF);
	int fd = open_tmp("x");
	OK(close(fd));
	ERR(close(fd), EBADF);
}

GT_CASE(close_range_closes, "close_range")
{
	int fd = open_tmp("x");
	for (int i = 30; i < 40; i++)
		OK(dup2(fd, i));
	OK(syscall(SYS_close_range, 32, 35, 0));
	CHECK(is_open(31) && !is_open(32) && !is_open(35) && is_open(36));
	OK(syscall(SYS_close_range, 36, 39, CLOSE_RANGE_CLOEXEC));
	EQ(fcntl(36, F_GETFD), FD_CLOEXEC);
	ERR(syscall(SYS_close_range, 10, 5, 0), EINVAL);
	ERR(syscall(SYS_close_range, 1, 5, 0x80), EINVAL);
}

GT_CASE(emfile_rlimit_nofile, "open dup setrlimit")
{
	struct rlimit rl = { 10, 10 };
	OK(setrlimit(RLIMIT_NOFILE, &rl));
	gt_write_file("f", "x");
	for (;;) {
		int fd = open("f", O_RDONLY);
		if (fd < 0) {
			EQ(errno, EMFILE);
			break;
		}
		CHECK(fd < 10);
	}
	ERR(dup(0), EMFILE);
	ERR(fcntl(0, F_DUPFD, 0), EMFILE);
	ERR(dup2(0, 10), EBADF);
	int p[2];
	ERR(pipe(p), EMFILE);
}

GT_CASE(fork_shares_offset, "fork lseek")
{
	int fd = open_tmp("abcdef");
	pid_t pid = gt_fork();
	if (pid == 0) {
		char c[2];
		EQ(read(fd, c, 2), 2);
		_exit(0);
	}
	gt_wait_exit(pid, 0);
	EQ(lseek(fd, 0, SEEK_CUR), 2);
}

GT_CASE(independent_open_offsets, "open lseek")
{
	int a = open_tmp("abcdef");
	int b = (int)OK(open("f", O_RDONLY));
	OK(lseek(a, 4, SEEK_SET));
	EQ(lseek(b, 0, SEEK_CUR), 0);
}

GT_CASE(flock_conflict, "flock")
{
	int a = open_tmp("x");
	int b = (int)OK(open("f", O_RDONLY));
	OK(flock(a, LOCK_EX));
	ERR(flock(b, LOCK_EX | LOCK_NB), EWOULDBLOCK);
	ERR(flock(b, LOCK_SH | LOCK_NB), EWOULDBLOCK);
	OK(flock(a, LOCK_UN));
	OK(flock(b, LOCK_SH | LOCK_NB));
	ERR(flock(a, 0x40), EINVAL);
	ERR(flock(-1, LOCK_SH), EBADF);
}

GT_CASE(fcntl_record_locks, "fcntl fork")
{
	int fd = open_tmp("0123456789");
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 5 };
	OK(fcntl(fd, F_SETLK, &fl));
	pid_t me = getpid();
	pid_t pid = gt_fork();
	if (pid == 0) {
		struct flock q = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 2, .l_len = 1 };
		OK(fcntl(fd, F_GETLK, &q));
		EQ(q.l_type, F_WRLCK);
		EQ(q.l_pid, me);
		EQ(q.l_start, 0);
		EQ(q.l_len, 5);
		ERR(fcntl(fd, F_SETLK, &q), EAGAIN);
		q.l_start = 6;
		OK(fcntl(fd, F_SETLK, &q));
		_exit(0);
	}
	gt_wait_exit(pid, 0);
	fl.l_type = 42;
	ERR(fcntl(fd, F_SETLK, &fl), EINVAL);
}

GT_CASE(fcntl_lock_bad_mode, "fcntl")
{
	gt_write_file("f", "x");
	int fd = (int)OK(open("f", O_RDONLY));
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	ERR(fcntl(fd, F_SETLK, &fl), EBADF);
	ERR(syscall(SYS_fcntl, fd, F_SETLK, GT_BADPTR), EFAULT);
}

GT_CASE(poll_regular_file, "poll")
{
	int fd = open_tmp("x");
	struct pollfd p[2] = { { fd, POLLIN | POLLOUT, 0 }, { 999, POLLIN, 0 } };
	EQ(poll(p, 2, 0), 2);
	EQ(p[0].revents, POLLIN | POLLOUT);
	EQ(p[1].revents, POLLNVAL);
}

GT_CASE(poll_timeout_and_errors, "poll ppoll")
{
	int p[2];
	OK(pipe(p));
	struct pollfd pf = { p[0], POLLIN, 0 };
	long long t0 = gt_now_ns();
	EQ(poll(&pf, 1, 50), 0);
	CHECK(gt_now_ns() - t0 >= 45000000LL);
	EQ(pf.revents, 0);
	ERR(syscall(SYS_poll, GT_BADPTR, 1, 0), EFAULT);
	struct timespec bad = { 0, -1 };
	ERR(syscall(SYS_ppoll, &pf, 1, &bad, NULL, 8), EINVAL);
	struct rlimit rl = { 5, 5 };
	OK(setrlimit(RLIMIT_NOFILE, &rl));
	struct pollfd many[6] = { { 0 } };
	ERR(poll(many, 6, 0), EINVAL);
}

GT_CASE(poll_pipe_ready, "poll")
{
	int p[2];
	OK(pipe(p));
	EQ(write(p[1], "x", 1), 1);
	struct pollfd pf[2] = { { p[0], POLLIN, 0 }, { p[1], POLLOUT, 0 } };
	EQ(poll(pf, 2, -1), 2);
	EQ(pf[0].revents, POLLIN);
	EQ(pf[1].revents, POLLOUT);
	OK(close(p[1]));
	char c;
	EQ(read(p[0], &c, 1), 1);
	EQ(poll(pf, 1, 0), 1);
	EQ(pf[0].revents, POLLHUP);
}

GT_CASE(poll_wakes_on_write, "poll fork")
{
	int p[2];
	OK(pipe(p));
	pid_t pid = gt_fork();
	if (pid == 0) {
		gt_sleep_ms(30);
		gt_write_all(p[1], "y", 1);
		_exit(0);
	}
	struct pollfd pf = { p[0], POLLIN, 0 };
	EQ(poll(&pf, 1, 5000), 1);
	EQ(pf.revents, POLLIN);
	gt_wait_exit(pid, 0);
}

GT_CASE(select_basic, "select pselect6")
{
	int p[2];
	OK(pipe(p));
	fd_set r, w;
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(p[0], &r);
	FD_SET(p[1], &w);
	struct timeval tv = { 0, 0 };
	EQ(select(p[1] + 1, &r, &w, NULL, &tv), 1);
	CHECK(!FD_ISSET(p[0], &r));
	CHECK(FD_ISSET(p[1], &w));
	EQ(write(p[1], "x", 1), 1);
	FD_SET(p[0], &r);
	struct timespec ts = { 0, 0 };
	EQ(pselect(p[0] + 1, &r, NULL, NULL, &ts, NULL), 1);
	CHECK(FD_ISSET(p[0], &r));
}

GT_CASE(select_errors, "select")
{
	fd_set r;
	FD_ZERO(&r);
	/* within the initial 64-entry table: Linux ignores bits beyond the table */
	FD_SET(60, &r);
	struct timeval tv = { 0, 0 };
	ERR(select(61, &r, NULL, NULL, &tv), EBADF);
	struct timeval bad = { 0, -5 };
	FD_ZERO(&r);
	ERR(select(1, &r, NULL, NULL, &bad), EINVAL);
	ERR(select(-1, NULL, NULL, NULL, &tv), EINVAL);
}

GT_CASE(select_timeout_updates, "select")
{
	/* raw call: musl's wrapper does not copy the remaining time back */
	struct timeval tv = { 0, 30000 };
	EQ(syscall(SYS_select, 0, NULL, NULL, NULL, &tv), 0);
	EQ(tv.tv_sec, 0);
	EQ(tv.tv_usec, 0);
}

GT_CASE(epoll_basic, "epoll_create1 epoll_ctl epoll_wait")
{
	int ep = (int)OK(epoll_create1(EPOLL_CLOEXEC));
	EQ(fcntl(ep, F_GETFD), FD_CLOEXEC);
	int p[2];
	OK(pipe(p));
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 77 };
	OK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
	struct epoll_event out[4];
	EQ(epoll_wait(ep, out, 4, 0), 0);
	EQ(write(p[1], "x", 1), 1);
	EQ(epoll_wait(ep, out, 4, 1000), 1);
	EQ(out[0].events, EPOLLIN);
	EQ(out[0].data.u64, 77);
}

GT_CASE(epoll_ctl_errors, "epoll_ctl epoll_create epoll_create1")
{
	int ep = (int)OK(epoll_create1(0));
	int p[2];
	OK(pipe(p));
	struct epoll_event ev = { .events = EPOLLIN };
	OK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
	ERR(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev), EEXIST);
	ERR(epoll_ctl(ep, EPOLL_CTL_MOD, p[1], &ev), ENOENT);
	ERR(epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev), EINVAL);
	ERR(epoll_ctl(ep, EPOLL_CTL_ADD, -1, &ev), EBADF);
	gt_write_file("f", "x");
	int fd = (int)OK(open("f", O_RDONLY));
	ERR(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev), EPERM);
	ERR(epoll_ctl(fd, EPOLL_CTL_ADD, p[0], &ev), EINVAL);
	ERR(epoll_create1(0x1234), EINVAL);
	ERR(syscall(SYS_epoll_create, 0), EINVAL);
	OK(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
	ERR(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL), ENOENT);
}

GT_CASE(epoll_edge_triggered, "epoll_ctl epoll_wait")
{
	int ep = (int)OK(epoll_create1(0));
	int p[2];
	OK(pipe(p));
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET, .data.fd = p[0] };
	OK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
	EQ(write(p[1], "ab", 2), 2);
	struct epoll_event out;
	EQ(epoll_wait(ep, &out, 1, 0), 1);
	EQ(epoll_wait(ep, &out, 1, 0), 0); /* no new data, no new edge */
	EQ(write(p[1], "c", 1), 1);
	EQ(epoll_wait(ep, &out, 1, 0), 1);
	ERR(epoll_wait(ep, &out, 0, 0), EINVAL);
}

GT_CASE(epoll_edge_every_write, "epoll_ctl epoll_wait")
{
	/* Each write is a new edge on a still-readable pipe, eventfd and socket; draining is not needed. */
	int ep = (int)OK(epoll_create1(0));
	int p[2], sv[2];
	OK(pipe(p));
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	int e = (int)OK(eventfd(0, EFD_NONBLOCK));
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET, .data.u32 = 1 };
	OK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
	ev.data.u32 = 2;
	OK(epoll_ctl(ep, EPOLL_CTL_ADD, sv[0], &ev));
	ev.data.u32 = 3;
	OK(epoll_ctl(ep, EPOLL_CTL_ADD, e, &ev));
	struct epoll_event out[4];
	uint64_t one = 1;
	for (int round = 0; round < 3; round++) {
		EQ(write(p[1], "x", 1), 1);
		EQ(epoll_wait(ep, out, 4, 0), 1);
		EQ(out[0].data.u32, 1);
		EQ(write(sv[1], "y", 1), 1);
		EQ(epoll_wait(ep, out, 4, 0), 1);
		EQ(out[0].data.u32, 2);
		EQ(write(e, &one, 8), 8);
		EQ(epoll_wait(ep, out, 4, 0), 1);
		EQ(out[0].data.u32, 3);
		EQ(out[0].events, EPOLLIN);
		EQ(epoll_wait(ep, out, 4, 0), 0);
	}
	/* The peer's shutdown is an edge too, with EPOLLRDHUP when asked for. */
	ev = (struct epoll_event){ .events = EPOLLIN | EPOLLRDHUP | EPOLLET, .data.u32 = 4 };
	OK(epoll_ctl(ep, EPOLL_CTL_MOD, sv[0], &ev));
	EQ(epoll_wait(ep, out, 4, 0), 1);	/* MOD reports what holds now */
	EQ(out[0].events, EPOLLIN);
	EQ(epoll_wait(ep, out, 4, 0), 0);
	OK(shutdown(sv[1], SHUT_WR));
	EQ(epoll_wait(ep, out, 4, 0), 1);
	EQ(out[0].data.u32, 4);
	EQ(out[0].events, EPOLLIN | EPOLLRDHUP);
}

GT_CASE(epoll_edge_writable, "epoll_ctl epoll_wait")
{
	/* A writer's edge: reported once, again only after the full pipe is read. */
	int ep = (int)OK(epoll_create1(0));
	int p[2];
	OK(pipe2(p, O_NONBLOCK));
	struct epoll_event ev = { .events = EPOLLOUT | EPOLLET, .data.u32 = 9 };
	OK(epoll_ctl(ep, EPOLL_CTL_ADD, p[1], &ev));
	struct epoll_event out[2];
	EQ(epoll_wait(ep, out, 2, 0), 1);
	EQ(out[0].events, EPOLLOUT);
	EQ(epoll_wait(ep, out, 2, 0), 0);
	char buf[4096];
	memset(buf, 'z', sizeof buf);
	while (write(p[1], buf, sizeof buf) > 0)
		;
	EQ(errno, EAGAIN);
	EQ(epoll_wait(ep, out, 2, 0), 0);
	while (read(p[0], buf, sizeof buf) > 0)
		;
	EQ(epoll_wait(ep, out, 2, 0), 1);
	EQ(out[0].events, EPOLLOUT);
	/* The reader closing is an error edge. */
	OK(close(p[0]));
	EQ(epoll_wait(ep, out, 2, 0), 1);
	EQ(out[0].events, EPOLLOUT | EPOLLERR);
}

GT_CASE(epoll_oneshot_rearm, "epoll_ctl epoll_wait")
{
	int ep = (int)OK(epoll_create1(0));
	int p[2];
	OK(pipe(p));
	struct epoll_event ev = { .events = EPOLLIN | EPOLLONESHOT, .data.u32 = 5 };
	OK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
	struct epoll_event out[2];
	EQ(write(p[1], "a", 1), 1);
	EQ(epoll_wait(ep, out, 2, 0), 1);
	/* Disabled: neither the level nor a new write reports, yet the entry is there. */
	EQ(epoll_wait(ep, out, 2, 0), 0);
	EQ(write(p[1], "b", 1), 1);
	EQ(epoll_wait(ep, out, 2, 0), 0);
	ERR(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev), EEXIST);
	ev.data.u32 = 6;
	OK(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev));
	EQ(epoll_wait(ep, out, 2, 0), 1);
	EQ(out[0].data.u32, 6);
	EQ(epoll_wait(ep, out, 2, 0), 0);
}

GT_CASE(epoll_level_round_robin, "epoll_wait")
{
	/* Level-triggered entries that reported go to the back: maxevents 1 takes turns. */
	int ep = (int)OK(epoll_create1(0));
	int a[2], b[2];
	OK(pipe(a));
	OK(pipe(b));
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = 1 };
	OK(epoll_ctl(ep, EPOLL_CTL_ADD, a[0], &ev));
	ev.data.u32 = 2;
	OK(epoll_ctl(ep, EPOLL_CTL_ADD, b[0], &ev));
	EQ(write(a[1], "a", 1), 1);
	EQ(write(b[1], "b", 1), 1);
	struct epoll_event out;
	EQ(epoll_wait(ep, &out, 1, 0), 1);
	uint32_t first = out.data.u32;
	EQ(epoll_wait(ep, &out, 1, 0), 1);
	CHECK(out.data.u32 != first);
	EQ(epoll_wait(ep, &out, 1, 0), 1);
	EQ(out.data.u32, first);
	/* Drained entries leave: only the other one reports. */
	char c;
	EQ(read(first == 1 ? a[0] : b[0], &c, 1), 1);
	EQ(epoll_wait(ep, &out, 1, 0), 1);
	CHECK(out.data.u32 != first);
	EQ(epoll_wait(ep, &out, 1, 0), 1);
	CHECK(out.data.u32 != first);
}

GT_CASE(epoll_nested, "epoll_ctl epoll_wait poll")
{
	int inner = (int)OK(epoll_create1(0)), outer = (int)OK(epoll_create1(0));
	int p[2];
	OK(pipe(p));
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = 1 };
	OK(epoll_ctl(inner, EPOLL_CTL_ADD, p[0], &ev));
	ev = (struct epoll_event){ .events = EPOLLIN | EPOLLET, .data.u32 = 2 };
	OK(epoll_ctl(outer, EPOLL_CTL_ADD, inner, &ev));
	ERR(epoll_ctl(inner, EPOLL_CTL_ADD, outer, &ev), ELOOP);
	struct pollfd pf = { inner, POLLIN | POLLOUT, 0 };
	EQ(poll(&pf, 1, 0), 0);
	struct epoll_event out[2];
	EQ(epoll_wait(outer, out, 2, 0), 0);
	EQ(write(p[1], "x", 1), 1);
	EQ(poll(&pf, 1, 0), 1);
	EQ(pf.revents, POLLIN);
	EQ(epoll_wait(outer, out, 2, 0), 1);
	EQ(out[0].data.u32, 2);
	EQ(out[0].events, EPOLLIN);
	EQ(epoll_wait(outer, out, 2, 0), 0);
	/* A blocking wait on the outer one ends with a write from another process. */
	pid_t pid = gt_fork();
	if (pid == 0) {
		gt_sleep_ms(20);
		EQ(write(p[1], "y", 1), 1);
		_exit(0);
	}
	EQ(epoll_wait(outer, out, 2, -1), 1);
	EQ(out[0].data.u32, 2);
	gt_wait_exit(pid, 0);
	EQ(epoll_wait(inner, out, 2, 0), 1);
	EQ(out[0].data.u32, 1);
}

GT_CASE(epoll_entry_outlives_descriptor, "epoll_ctl epoll_wait dup close")
{
	/* The entry belongs to the open file: closing one descriptor of it while a dup lives keeps it. */
	int ep = (int)OK(epoll_create1(0));
	int p[2];
	OK(pipe(p));
	int d = (int)OK(dup(p[0]));
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = 42 };
	OK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
	OK(close(p[0]));
	EQ(write(p[1], "x", 1), 1);
	struct epoll_event out[2];
	EQ(epoll_wait(ep, out, 2, 0), 1);
	EQ(out[0].data.u32, 42);
	ERR(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL), EBADF);
	ERR(epoll_ctl(ep, EPOLL_CTL_DEL, d, NULL), ENOENT);
	/* The last descriptor going takes the entry with it. */
	OK(close(d));
	EQ(epoll_wait(ep, out, 2, 0), 0);
}

GT_CASE(epoll_timerfd_signalfd, "epoll_wait timerfd_create timerfd_settime signalfd4")
{
	int ep = (int)OK(epoll_create1(0));
	int t = (int)OK(timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK));
	sigset_t m;
	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);
	OK(sigprocmask(SIG_BLOCK, &m, NULL));
	int s = (int)OK(signalfd(-1, &m, SFD_NONBLOCK));
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET, .data.u32 = 1 };
	OK(epoll_ctl(ep, EPOLL_CTL_ADD, t, &ev));
	ev.data.u32 = 2;
	OK(epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev));
	struct epoll_event out[2];
	EQ(epoll_wait(ep, out, 2, 0), 0);
	struct itimerspec its = { { 0, 0 }, { 0, 1000000 } };
	OK(timerfd_settime(t, 0, &its, NULL));
	EQ(epoll_wait(ep, out, 2, -1), 1);
	EQ(out[0].data.u32, 1);
	EQ(epoll_wait(ep, out, 2, 0), 0);
	OK(kill(getpid(), SIGUSR1));
	EQ(epoll_wait(ep, out, 2, -1), 1);
	EQ(out[0].data.u32, 2);
	EQ(out[0].events, EPOLLIN);
	struct signalfd_siginfo si;
	EQ(read(s, &si, sizeof si), (ssize_t)sizeof si);
	EQ(si.ssi_signo, SIGUSR1);
	uint64_t n;
	EQ(read(t, &n, 8), 8);
	EQ(n, 1);
	EQ(epoll_wait(ep, out, 2, 0), 0);
}

GT_CASE(epoll_pty_edges, "epoll_wait")
{
	int m = (int)OK(posix_openpt(O_RDWR | O_NOCTTY));
	OK(grantpt(m));
	OK(unlockpt(m));
	int sl = (int)OK(open(ptsname(m), O_RDWR | O_NOCTTY));
	int ep = (int)OK(epoll_create1(0));
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET, .data.u32 = 7 };
	OK(epoll_ctl(ep, EPOLL_CTL_ADD, m, &ev));
	struct epoll_event out[2];
	EQ(epoll_wait(ep, out, 2, 0), 0);
	EQ(write(sl, "a", 1), 1);
	EQ(epoll_wait(ep, out, 2, -1), 1);
	EQ(out[0].data.u32, 7);
	char c;
	EQ(read(m, &c, 1), 1);
	EQ(c, 'a');
	EQ(write(sl, "b", 1), 1);
	EQ(epoll_wait(ep, out, 2, -1), 1);
	EQ(out[0].events, EPOLLIN);
	EQ(read(m, &c, 1), 1);
	EQ(c, 'b');
}

GT_CASE(epoll_exclusive_without_waiters, "epoll_ctl epoll_wait")
{
	/* EPOLLEXCLUSIVE wakes one waiter or more; with nobody asleep, every instance sees the event. */
	int e = (int)OK(eventfd(0, EFD_NONBLOCK));
	int a = (int)OK(epoll_create1(0)), b = (int)OK(epoll_create1(0));
	struct epoll_event ev = { .events = EPOLLIN | EPOLLEXCLUSIVE, .data.u32 = 1 };
	OK(epoll_ctl(a, EPOLL_CTL_ADD, e, &ev));
	OK(epoll_ctl(b, EPOLL_CTL_ADD, e, &ev));
	ERR(epoll_ctl(a, EPOLL_CTL_MOD, e, &ev), EINVAL);
	ev.events = EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT;
	int c = (int)OK(epoll_create1(0));
	ERR(epoll_ctl(c, EPOLL_CTL_ADD, e, &ev), EINVAL);
	uint64_t one = 1;
	EQ(write(e, &one, 8), 8);
	struct epoll_event out;
	EQ(epoll_wait(a, &out, 1, 0), 1);
	EQ(epoll_wait(b, &out, 1, 0), 1);
}

GT_CASE(epoll_pwait_timeout, "epoll_pwait")
{
	int ep = (int)OK(epoll_create1(0));
	struct epoll_event out;
	long long t0 = gt_now_ns();
	EQ(epoll_pwait(ep, &out, 1, 40, NULL), 0);
	CHECK(gt_now_ns() - t0 >= 35000000LL);
}

GT_CASE(eventfd_counter, "eventfd2 read write")
{
	int fd = (int)OK(eventfd(3, EFD_NONBLOCK));
	uint64_t v = 4;
	EQ(write(fd, &v, 8), 8);
	EQ(read(fd, &v, 8), 8);
	EQ(v, 7);
	ERR(read(fd, &v, 8), EAGAIN);
	ERR(read(fd, &v, 4), EINVAL);
	v = UINT64_MAX;
	ERR(write(fd, &v, 8), EINVAL);
}

GT_CASE(eventfd_semaphore, "eventfd2")
{
	int fd = (int)OK(eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK));
	uint64_t v;
	EQ(read(fd, &v, 8), 8);
	EQ(v, 1);
	EQ(read(fd, &v, 8), 8);
	EQ(v, 1);
	ERR(read(fd, &v, 8), EAGAIN);
	ERR(eventfd(0, 0x12345), EINVAL);
}

GT_CASE(ioctl_fionbio_fioclex, "ioctl")
{
	int fd = open_tmp("x");
	int on = 1;
	OK(ioctl(fd, FIONBIO, &on));
	CHECK(fcntl(fd, F_GETFL) & O_NONBLOCK);
	OK(ioctl(fd, FIOCLEX));
	EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	OK(ioctl(fd, FIONCLEX));
	EQ(fcntl(fd, F_GETFD), 0);
	ERR(ioctl(-1, FIOCLEX), EBADF);
}

GT_CASE(dev_null_zero_full, "open read write")
{
	int n = (int)OK(open("/dev/null", O_RDWR));
	char buf[8] = "abcdefg";
	EQ(write(n, buf, 8), 8);
	EQ(read(n, buf, 8), 0);
	int z = (int)OK(open("/dev/zero", O_RDONLY));
	EQ(read(z, buf, 8), 8);
	EQ(buf[0] | buf[7], 0);
	int f = (int)OK(open("/dev/full", O_WRONLY));
	ERR(write(f, buf, 1), ENOSPC);
}

GT_CASE(proc_self_fd_lists, "openat getdents64")
{
	int fd = open_tmp("x");
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	struct stat st;
	OK(stat(path, &st));
	OK(close(fd));
	ERR(stat(path, &st), ENOENT);
}
