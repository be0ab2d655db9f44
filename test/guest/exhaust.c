/* Guest cases: resources filled to their limit — a sized tmpfs to ENOSPC, a pipe, a stream socket's buffers — and given back. */
#include "gt.h"

#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/statfs.h>
#include <sys/stat.h>

/* Write @fd full: bytes written until @stop_errno (one page at a time). */
static size_t fill(int fd, int stop_errno, size_t max)
{
	static char page[4096];
	memset(page, 'x', sizeof page);
	size_t total = 0;
	for (;;) {
		ssize_t n = write(fd, page, sizeof page);
		if (n < 0) {
			EQ(errno, stop_errno);
			return total;
		}
		total += (size_t)n;
		CHECK(total <= max);
	}
}

/* Read @fd until EAGAIN: the bytes read. */
static size_t drain(int fd)
{
	char buf[4096];
	size_t total = 0;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n < 0) {
			EQ(errno, EAGAIN);
			return total;
		}
		CHECK(n > 0);
		total += (size_t)n;
	}
}

GT_CASE(tmpfs_size_filled_enospc, "mount write statfs unlink")
{
	OK(mkdir("m", 0755));
	OK(mount("none", "m", "tmpfs", 0, "size=1m"));
	int fd = (int)OK(open("m/f", O_CREAT | O_WRONLY, 0644));
	size_t n = fill(fd, ENOSPC, 1u << 20);
	EQ(n, 1u << 20);
	struct statfs sf;
	OK(fstatfs(fd, &sf));
	EQ(sf.f_bfree, 0);
	OK(close(fd));
	/* Full for another file too; the space comes back with the first. */
	fd = (int)OK(open("m/g", O_CREAT | O_WRONLY, 0644));
	ERR(write(fd, "y", 1), ENOSPC);
	OK(unlink("m/f"));
	EQ(write(fd, "y", 1), 1);
	OK(close(fd));
	OK(umount2("m", 0));
}

GT_CASE(pipe_filled_then_drained, "pipe2 write read")
{
	int p[2];
	OK(pipe2(p, O_NONBLOCK));
	size_t n = fill(p[1], EAGAIN, 1u << 24);
	EQ(n, (size_t)fcntl(p[1], F_GETPIPE_SZ));
	EQ(drain(p[0]), n);
	EQ(write(p[1], "z", 1), 1);
	close(p[0]);
	close(p[1]);
}

GT_CASE(unix_stream_buffers_filled_then_drained, "socketpair write read")
{
	int sv[2];
	OK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv));
	size_t n = fill(sv[0], EAGAIN, 1u << 26);
	CHECK(n > 0);
	EQ(drain(sv[1]), n);
	EQ(write(sv[0], "z", 1), 1);
	close(sv[0]);
	close(sv[1]);
}

/* Linux boots with lo down: up first (the ioctl busybox ifconfig uses). */
static void lo_up(void)
{
	int s = (int)OK(socket(AF_INET, SOCK_DGRAM, 0));
	struct ifreq r;
	memset(&r, 0, sizeof(r));
	strcpy(r.ifr_name, "lo");
	OK(ioctl(s, SIOCGIFFLAGS, &r));
	r.ifr_flags |= IFF_UP;
	OK(ioctl(s, SIOCSIFFLAGS, &r));
	close(s);
}

GT_CASE(tcp_loopback_buffers_filled_then_drained, "socket connect write read")
{
	lo_up();
	int l = (int)OK(socket(AF_INET, SOCK_STREAM, 0));
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof a;
	OK(bind(l, (struct sockaddr *)&a, sizeof a));
	OK(listen(l, 1));
	OK(getsockname(l, (struct sockaddr *)&a, &alen));
	int c = (int)OK(socket(AF_INET, SOCK_STREAM, 0));
	OK(connect(c, (struct sockaddr *)&a, sizeof a));
	int s = (int)OK(accept(l, NULL, NULL));
	OK(fcntl(c, F_SETFL, O_NONBLOCK));
	OK(fcntl(s, F_SETFL, O_NONBLOCK));
	size_t n = fill(c, EAGAIN, 1u << 26);
	CHECK(n > 0);
	/* What still sits in the sender's queue follows as the window opens: blocking reads until all came. */
	OK(fcntl(s, F_SETFL, 0));
	size_t got = 0;
	char buf[4096];
	while (got < n) {
		ssize_t r = read(s, buf, sizeof buf);
		CHECK(r > 0);
		got += (size_t)r;
	}
	EQ(got, n);
	OK(fcntl(s, F_SETFL, O_NONBLOCK));
	EQ(drain(s), 0);
	EQ(write(c, "z", 1), 1);
	close(c);
	close(s);
	close(l);
}
