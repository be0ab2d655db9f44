/* Guest cases: AF_INET on the loopback device — TCP and UDP calls, their error paths, options, poll/epoll readiness, raw ICMP, interface ioctls. */
#include "gt.h"

#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>

#ifndef SIOCOUTQ
#define SIOCOUTQ TIOCOUTQ
#endif

/* Linux boots with lo down: every case brings it up first (the ioctl busybox ifconfig uses). */
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

static struct sockaddr_in sin_of(const char *ip, int port)
{
	struct sockaddr_in a;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, ip, &a.sin_addr);
	return a;
}

#define SA(p) ((struct sockaddr *)(p))

/* A listener on 127.0.0.1 at an ephemeral port: its fd, the port in *@port. */
static int listener(int backlog, int *port)
{
	int l = (int)OK(socket(AF_INET, SOCK_STREAM, 0));
	struct sockaddr_in a = sin_of("127.0.0.1", 0);
	OK(bind(l, SA(&a), sizeof(a)));
	OK(listen(l, backlog));
	socklen_t len = sizeof(a);
	OK(getsockname(l, SA(&a), &len));
	*port = ntohs(a.sin_port);
	return l;
}

static int connected_pair(int *server)
{
	int port;
	int l = listener(4, &port);
	int c = (int)OK(socket(AF_INET, SOCK_STREAM, 0));
	struct sockaddr_in a = sin_of("127.0.0.1", port);
	OK(connect(c, SA(&a), sizeof(a)));
	*server = (int)OK(accept(l, NULL, NULL));
	close(l);
	return c;
}

/* A port nobody listens on: bound, never listening, so nothing else gets it meanwhile. */
static int closed_port(int *holder)
{
	*holder = (int)OK(socket(AF_INET, SOCK_STREAM, 0));
	struct sockaddr_in a = sin_of("127.0.0.1", 0);
	OK(bind(*holder, SA(&a), sizeof(a)));
	socklen_t len = sizeof(a);
	OK(getsockname(*holder, SA(&a), &len));
	return ntohs(a.sin_port);
}

static void read_all(int fd, void *buf, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, (char *)buf + got, n - got);
		if (r <= 0)
			GT_FAIL("read returned %zd (errno %s) after %zu of %zu bytes", r,
				gt_errno_name(errno), got, n);
		got += (size_t)r;
	}
}

GT_CASE(inet_tcp_loopback_echo, "socket bind listen connect accept getsockname getpeername sendto recvfrom")
{
	lo_up();
	int port;
	int l = listener(4, &port);
	int c = (int)OK(socket(AF_INET, SOCK_STREAM, 0));
	struct sockaddr_in a = sin_of("127.0.0.1", port), peer, me;
	OK(connect(c, SA(&a), sizeof(a)));
	socklen_t len = sizeof(peer);
	int s = (int)OK(accept(l, SA(&peer), &len));
	EQ(len, sizeof(peer));
	EQ(peer.sin_family, AF_INET);
	EQ(peer.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
	len = sizeof(me);
	OK(getsockname(c, SA(&me), &len));
	EQ(me.sin_port, peer.sin_port);
	len = sizeof(peer);
	OK(getpeername(c, SA(&peer), &len));
	EQ(ntohs(peer.sin_port), port);
	/* A quarter megabyte each way, checked byte by byte. */
	size_t n = 256 * 1024;
	char *out = malloc(n), *in = malloc(n);
	for (size_t i = 0; i < n; i++)
		out[i] = (char)(i * 31 + (i >> 10));
	pid_t pid = gt_fork();
	if (pid == 0) {
		char *buf = malloc(n);
		read_all(s, buf, n);
		gt_write_all(s, buf, n);
		_exit(0);
	}
	gt_write_all(c, out, n);
	read_all(c, in, n);
	MEMEQ(in, out, n);
	gt_wait_exit(pid, 0);
	/* The peer closes: EOF. */
	close(s);
	char x;
	EQ(read(c, &x, 1), 0);
	close(c);
	close(l);
}

GT_CASE(inet_tcp_connect_refused, "connect")
{
	lo_up();
	int holder, port = closed_port(&holder);
	int c = (int)OK(socket(AF_INET, SOCK_STREAM, 0));
	struct sockaddr_in a = sin_of("127.0.0.1", port);
	ERR(connect(c, SA(&a), sizeof(a)), ECONNREFUSED);
	/* The socket may try again (and is refused again). */
	ERR(connect(c, SA(&a), sizeof(a)), ECONNREFUSED);
	struct sockaddr_in peer;
	socklen_t len = sizeof(peer);
	ERR(getpeername(c, SA(&peer), &len), ENOTCONN);
	close(c);
	close(holder);
}

GT_CASE(inet_tcp_nonblocking_connect, "connect poll getsockopt")
{
	lo_up();
	int port;
	int l = listener(4, &port);
	int c = (int)OK(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
	struct sockaddr_in a = sin_of("127.0.0.1", port);
	int r = connect(c, SA(&a), sizeof(a));
	CHECK(r == 0 || errno == EINPROGRESS);
	struct pollfd p = { c, POLLOUT, 0 };
	EQ(poll(&p, 1, 5000), 1);
	EQ(p.revents, POLLOUT);
	int err = -1;
	socklen_t len = sizeof(err);
	OK(getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &len));
	EQ(err, 0);
	/* Linux: the connect() after an asynchronous one completed reports success, the next EISCONN. */
	OK(connect(c, SA(&a), sizeof(a)));
	ERR(connect(c, SA(&a), sizeof(a)), EISCONN);
	close(c);
	/* To a closed port: writable with an error, SO_ERROR is ECONNREFUSED (once). */
	int holder, cport = closed_port(&holder);
	c = (int)OK(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
	a = sin_of("127.0.0.1", cport);
	r = connect(c, SA(&a), sizeof(a));
	CHECK(r == -1 && (errno == EINPROGRESS || errno == ECONNREFUSED));
	if (errno == EINPROGRESS) {
		p = (struct pollfd){ c, POLLOUT, 0 };
		EQ(poll(&p, 1, 5000), 1);
		EQ(p.revents, POLLOUT | POLLERR | POLLHUP);
		OK(getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &len));
		EQ(err, ECONNREFUSED);
		OK(getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &len));
		EQ(err, 0);
	}
	close(c);
	close(holder);
	close(l);
}

GT_CASE(inet_tcp_reset_by_peer, "close recvfrom sendto")
{
	lo_up();
	int s;
	int c = connected_pair(&s);
	/* Closing with unread data resets the connection (RFC 2525). */
	gt_write_all(c, "unread", 6);
	struct pollfd p = { s, POLLIN, 0 };
	EQ(poll(&p, 1, 5000), 1);
	close(s);
	p = (struct pollfd){ c, POLLIN, 0 };
	EQ(poll(&p, 1, 5000), 1);
	EQ(p.revents, POLLIN | POLLERR | POLLHUP);
	char buf[8];
	ERR(read(c, buf, sizeof(buf)), ECONNRESET);
	EQ(read(c, buf, sizeof(buf)), 0);
	ERR(send(c, "x", 1, MSG_NOSIGNAL), EPIPE);
	close(c);
}

static volatile sig_atomic_t sigpipes;
static void on_sigpipe(int sig)
{
	(void)sig;
	sigpipes++;
}

GT_CASE(inet_tcp_epipe_sigpipe, "sendto write shutdown")
{
	lo_up();
	signal(SIGPIPE, on_sigpipe);
	int s;
	int c = connected_pair(&s);
	OK(shutdown(c, SHUT_WR));
	ERR(write(c, "x", 1), EPIPE);
	EQ(sigpipes, 1);
	ERR(send(c, "x", 1, MSG_NOSIGNAL), EPIPE);
	EQ(sigpipes, 1);
	/* Never connected: EPIPE too. */
	int u = (int)OK(socket(AF_INET, SOCK_STREAM, 0));
	ERR(send(u, "x", 1, 0), EPIPE);
	EQ(sigpipes, 2);
	char b;
	ERR(recv(u, &b, 1, 0), ENOTCONN);
	close(u);
	close(c);
	close(s);
}

GT_CASE(inet_tcp_half_close, "shutdown")
{
	lo_up();
	int s;
	int c = connected_pair(&s);
	OK(shutdown(c, SHUT_WR));
	char buf[16];
	EQ(read(s, buf, sizeof(buf)), 0);
	struct pollfd p = { s, POLLIN | POLLRDHUP, 0 };
	EQ(poll(&p, 1, 0), 1);
	EQ(p.revents, POLLIN | POLLRDHUP);
	/* The other direction still works. */
	gt_write_all(s, "reply", 5);
	EQ(read(c, buf, sizeof(buf)), 5);
	MEMEQ(buf, "reply", 5);
	OK(shutdown(s, SHUT_RDWR));
	EQ(read(c, buf, sizeof(buf)), 0);
	ERR(shutdown(c, 7), EINVAL);
	close(c);
	close(s);
}

GT_CASE(inet_tcp_bind_errors, "bind listen")
{
	lo_up();
	int a = (int)OK(socket(AF_INET, SOCK_STREAM, 0)), b = (int)OK(socket(AF_INET, SOCK_STREAM, 0));
	struct sockaddr_in any = sin_of("127.0.0.1", 0);
	OK(bind(a, SA(&any), sizeof(any)));
	socklen_t len = sizeof(any);
	OK(getsockname(a, SA(&any), &len));
	ERR(bind(b, SA(&any), sizeof(any)), EADDRINUSE);
	ERR(bind(a, SA(&any), sizeof(any)), EINVAL);
	/* SO_REUSEADDR on both: bound twice, but only one may listen. */
	int one = 1;
	OK(setsockopt(a, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)));
	OK(setsockopt(b, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)));
	OK(bind(b, SA(&any), sizeof(any)));
	OK(listen(a, 1));
	ERR(listen(b, 1), EADDRINUSE);
	/* Bad addresses. */
	int c = (int)OK(socket(AF_INET, SOCK_STREAM, 0));
	struct sockaddr_in x = sin_of("127.0.0.1", 0);
	ERR(bind(c, SA(&x), 4), EINVAL);
	x.sin_family = AF_UNIX;
	ERR(bind(c, SA(&x), sizeof(x)), EAFNOSUPPORT);
	x = sin_of("10.99.99.99", 0);
	ERR(bind(c, SA(&x), sizeof(x)), EADDRNOTAVAIL);
	ERR(bind(c, GT_BADPTR, sizeof(x)), EFAULT);
	ERR(connect(c, GT_BADPTR, sizeof(x)), EFAULT);
	x = sin_of("127.0.0.1", 1);
	ERR(connect(c, SA(&x), 3), EINVAL);
	close(a);
	close(b);
	close(c);
}

GT_CASE(inet_tcp_backlog_full, "listen connect accept poll")
{
	lo_up();
	int port;
	int l = listener(1, &port);
	struct sockaddr_in a = sin_of("127.0.0.1", port);
	int c[3];
	/* Backlog 1 takes two connections; the third's SYN is dropped until there is room. */
	for (int i = 0; i < 3; i++) {
		c[i] = (int)OK(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
		int r = connect(c[i], SA(&a), sizeof(a));
		CHECK(r == 0 || errno == EINPROGRESS);
	}
	struct pollfd p = { c[1], POLLOUT, 0 };
	EQ(poll(&p, 1, 5000), 1);
	p = (struct pollfd){ c[2], POLLOUT, 0 };
	EQ(poll(&p, 1, 300), 0);
	int s0 = (int)OK(accept(l, NULL, NULL));
	/* The SYN's retransmission (after a second) gets in now. */
	p = (struct pollfd){ c[2], POLLOUT, 0 };
	EQ(poll(&p, 1, 10000), 1);
	EQ(p.revents, POLLOUT);
	int s1 = (int)OK(accept(l, NULL, NULL));
	int s2 = (int)OK(accept(l, NULL, NULL));
	for (int i = 0; i < 3; i++)
		close(c[i]);
	close(s0);
	close(s1);
	close(s2);
	close(l);
}

GT_CASE(inet_tcp_timeouts, "setsockopt recvfrom accept")
{
	lo_up();
	int s;
	int c = connected_pair(&s);
	struct timeval tv = { 0, 100000 };
	OK(setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	struct timeval got;
	socklen_t len = sizeof(got);
	OK(getsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &got, &len));
	EQ(got.tv_usec, 100000);
	long long t0 = gt_now_ns();
	char b;
	ERR(read(c, &b, 1), EAGAIN);
	CHECK(gt_now_ns() - t0 >= 90000000LL);
	tv.tv_usec = 2000000;
	ERR(setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), EDOM);
	/* accept() times out the same way. */
	int port;
	int l = listener(1, &port);
	tv = (struct timeval){ 0, 50000 };
	OK(setsockopt(l, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	ERR(accept(l, NULL, NULL), EAGAIN);
	/* Non-blocking calls: EAGAIN at once. */
	ERR(recv(s, &b, 1, MSG_DONTWAIT), EAGAIN);
	int nl = (int)OK(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
	close(nl);
	OK(fcntl(l, F_SETFL, O_NONBLOCK));
	ERR(accept(l, NULL, NULL), EAGAIN);
	close(l);
	close(c);
	close(s);
}

GT_CASE(inet_tcp_options, "setsockopt getsockopt")
{
	lo_up();
	int s;
	int c = connected_pair(&s);
	int v;
	socklen_t len = sizeof(v);
	OK(getsockopt(c, SOL_SOCKET, SO_TYPE, &v, &len));
	EQ(v, SOCK_STREAM);
	OK(getsockopt(c, SOL_SOCKET, SO_DOMAIN, &v, &len));
	EQ(v, AF_INET);
	OK(getsockopt(c, SOL_SOCKET, SO_PROTOCOL, &v, &len));
	EQ(v, IPPROTO_TCP);
	OK(getsockopt(c, SOL_SOCKET, SO_ACCEPTCONN, &v, &len));
	EQ(v, 0);
	OK(getsockopt(c, IPPROTO_TCP, TCP_NODELAY, &v, &len));
	EQ(v, 0);
	v = 1;
	OK(setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &v, sizeof(v)));
	OK(getsockopt(c, IPPROTO_TCP, TCP_NODELAY, &v, &len));
	EQ(v, 1);
	/* Linux doubles SO_SNDBUF/SO_RCVBUF requests. */
	v = 10000;
	OK(setsockopt(c, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)));
	OK(getsockopt(c, SOL_SOCKET, SO_SNDBUF, &v, &len));
	EQ(v, 20000);
	v = 1;
	OK(setsockopt(c, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v)));
	OK(getsockopt(c, SOL_SOCKET, SO_RCVBUF, &v, &len));
	EQ(v, 2304);
	OK(getsockopt(c, IPPROTO_TCP, TCP_KEEPIDLE, &v, &len));
	EQ(v, 7200);
	v = 30;
	OK(setsockopt(c, IPPROTO_TCP, TCP_KEEPIDLE, &v, sizeof(v)));
	v = 0;
	ERR(setsockopt(c, IPPROTO_TCP, TCP_KEEPIDLE, &v, sizeof(v)), EINVAL);
	OK(getsockopt(c, IPPROTO_TCP, TCP_KEEPINTVL, &v, &len));
	EQ(v, 75);
	OK(getsockopt(c, IPPROTO_TCP, TCP_KEEPCNT, &v, &len));
	EQ(v, 9);
	v = 1;
	OK(setsockopt(c, SOL_SOCKET, SO_KEEPALIVE, &v, sizeof(v)));
	OK(getsockopt(c, SOL_SOCKET, SO_KEEPALIVE, &v, &len));
	EQ(v, 1);
	ERR(setsockopt(c, SOL_SOCKET, SO_KEEPALIVE, &v, 2), EINVAL);
	struct linger lg = { 1, 5 };
	OK(setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)));
	socklen_t llen = sizeof(lg);
	memset(&lg, 0, sizeof(lg));
	OK(getsockopt(c, SOL_SOCKET, SO_LINGER, &lg, &llen));
	EQ(lg.l_onoff, 1);
	EQ(lg.l_linger, 5);
	OK(getsockopt(c, IPPROTO_IP, IP_TTL, &v, &len));
	EQ(v, 64);
	v = 0;
	ERR(setsockopt(c, IPPROTO_IP, IP_TTL, &v, sizeof(v)), EINVAL);
	v = 33;
	OK(setsockopt(c, IPPROTO_IP, IP_TTL, &v, sizeof(v)));
	OK(getsockopt(c, IPPROTO_IP, IP_TTL, &v, &len));
	EQ(v, 33);
	v = 0x10;
	OK(setsockopt(c, IPPROTO_IP, IP_TOS, &v, sizeof(v)));
	OK(getsockopt(c, IPPROTO_IP, IP_TOS, &v, &len));
	EQ(v, 0x10);
	ERR(setsockopt(c, SOL_SOCKET, 9999, &v, sizeof(v)), ENOPROTOOPT);
	ERR(getsockopt(c, IPPROTO_TCP, 9999, &v, &len), ENOPROTOOPT);
	struct tcp_info ti;
	socklen_t tlen = sizeof(ti);
	OK(getsockopt(c, IPPROTO_TCP, TCP_INFO, &ti, &tlen));
	EQ(ti.tcpi_state, 1);	/* TCP_ESTABLISHED */
	CHECK(ti.tcpi_options & 1);	/* timestamps */
	/* Loopback: 65483 bytes a segment, bounded by half the peer's first window (65483, a multiple of the MSS). */
	EQ(ti.tcpi_snd_mss, 32741);
	char cc[16];
	socklen_t cclen = sizeof(cc);
	OK(getsockopt(c, IPPROTO_TCP, TCP_CONGESTION, cc, &cclen));
	ERR(getsockopt(c, SOL_SOCKET, SO_TYPE, &v, (socklen_t *)GT_BADPTR), EFAULT);
	int l;
	int port;
	l = listener(1, &port);
	OK(getsockopt(l, SOL_SOCKET, SO_ACCEPTCONN, &v, &len));
	EQ(v, 1);
	close(l);
	close(c);
	close(s);
}

GT_CASE(inet_tcp_poll_masks, "poll epoll_wait")
{
	lo_up();
	/* Linux's tcp_poll: an unconnected socket is writable and hung up. */
	int u = (int)OK(socket(AF_INET, SOCK_STREAM, 0));
	struct pollfd p = { u, POLLIN | POLLOUT | POLLRDHUP, 0 };
	EQ(poll(&p, 1, 0), 1);
	EQ(p.revents, POLLOUT | POLLHUP);
	close(u);
	int port;
	int l = listener(2, &port);
	p = (struct pollfd){ l, POLLIN | POLLOUT, 0 };
	EQ(poll(&p, 1, 0), 0);
	int s;
	int c = connected_pair(&s);
	p = (struct pollfd){ c, POLLIN | POLLOUT | POLLRDHUP, 0 };
	EQ(poll(&p, 1, 0), 1);
	EQ(p.revents, POLLOUT);
	int ep = (int)OK(epoll_create1(0));
	struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP | EPOLLET, .data.u32 = 7 };
	OK(epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev));
	struct epoll_event out[2];
	EQ(epoll_wait(ep, out, 2, 0), 0);
	gt_write_all(s, "a", 1);
	EQ(epoll_wait(ep, out, 2, 1000), 1);
	EQ(out[0].events, EPOLLIN);
	EQ(out[0].data.u32, 7);
	EQ(epoll_wait(ep, out, 2, 0), 0);	/* edge-triggered: nothing new */
	close(s);
	EQ(epoll_wait(ep, out, 2, 1000), 1);
	EQ(out[0].events, EPOLLIN | EPOLLRDHUP);
	char b;
	EQ(read(c, &b, 1), 1);
	EQ(read(c, &b, 1), 0);
	close(ep);
	close(c);
	close(l);
}

GT_CASE(inet_tcp_fionread_peek_waitall, "ioctl recvfrom")
{
	lo_up();
	int s;
	int c = connected_pair(&s);
	gt_write_all(c, "0123456789", 10);
	struct pollfd p = { s, POLLIN, 0 };
	EQ(poll(&p, 1, 5000), 1);
	int n = -1;
	OK(ioctl(s, FIONREAD, &n));
	EQ(n, 10);
	char buf[16];
	EQ(recv(s, buf, 4, MSG_PEEK), 4);
	MEMEQ(buf, "0123", 4);
	EQ(recv(s, buf, 4, 0), 4);
	MEMEQ(buf, "0123", 4);
	pid_t pid = gt_fork();
	if (pid == 0) {
		gt_sleep_ms(50);
		gt_write_all(c, "abcd", 4);
		_exit(0);
	}
	/* MSG_WAITALL waits for all ten. */
	EQ(recv(s, buf, 10, MSG_WAITALL), 10);
	MEMEQ(buf, "456789abcd", 10);
	gt_wait_exit(pid, 0);
	OK(ioctl(c, SIOCOUTQ, &n));
	CHECK(n >= 0);
	ERR(recv(s, buf, 1, MSG_OOB), EINVAL);
	close(c);
	close(s);
}

GT_CASE(inet_udp_loopback, "socket bind sendto recvfrom connect")
{
	lo_up();
	int a = (int)OK(socket(AF_INET, SOCK_DGRAM, 0)), b = (int)OK(socket(AF_INET, SOCK_DGRAM, 0));
	struct sockaddr_in ba = sin_of("127.0.0.1", 0), from;
	OK(bind(b, SA(&ba), sizeof(ba)));
	socklen_t len = sizeof(ba);
	OK(getsockname(b, SA(&ba), &len));
	EQ(sendto(a, "first", 5, 0, SA(&ba), sizeof(ba)), 5);
	EQ(sendto(a, "second", 6, 0, SA(&ba), sizeof(ba)), 6);
	char buf[16];
	len = sizeof(from);
	EQ(recvfrom(b, buf, sizeof(buf), 0, SA(&from), &len), 5);
	MEMEQ(buf, "first", 5);
	EQ(from.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
	/* Truncation: the rest of the datagram is gone; MSG_TRUNC gives its length. */
	EQ(recv(b, buf, 3, MSG_TRUNC), 6);
	ERR(recv(b, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	/* Connected to a port nobody has: the next call reports ECONNREFUSED. */
	int holder = (int)OK(socket(AF_INET, SOCK_DGRAM, 0));
	struct sockaddr_in h = sin_of("127.0.0.1", 0);
	OK(bind(holder, SA(&h), sizeof(h)));
	len = sizeof(h);
	OK(getsockname(holder, SA(&h), &len));
	close(holder);
	OK(connect(a, SA(&h), sizeof(h)));
	EQ(send(a, "x", 1, 0), 1);
	struct pollfd p = { a, POLLIN, 0 };
	EQ(poll(&p, 1, 2000), 1);
	CHECK(p.revents & POLLERR);
	ERR(recv(a, buf, sizeof(buf), 0), ECONNREFUSED);
	/* Disconnect with AF_UNSPEC. */
	struct sockaddr un = { .sa_family = AF_UNSPEC };
	OK(connect(a, &un, sizeof(un)));
	ERR(send(a, "x", 1, 0), EDESTADDRREQ);
	ERR(sendto(a, "x", 1, 0, SA(&ba), 4), EINVAL);
	int v;
	socklen_t vlen = sizeof(v);
	OK(getsockopt(a, SOL_SOCKET, SO_TYPE, &v, &vlen));
	EQ(v, SOCK_DGRAM);
	ERR(listen(a, 1), EOPNOTSUPP);
	ERR(accept(a, NULL, NULL), EOPNOTSUPP);
	close(a);
	close(b);
}

GT_CASE(inet_udp_broadcast_needs_option, "sendto setsockopt")
{
	lo_up();
	int a = (int)OK(socket(AF_INET, SOCK_DGRAM, 0));
	struct sockaddr_in bc = sin_of("127.255.255.255", 9);
	ERR(sendto(a, "x", 1, 0, SA(&bc), sizeof(bc)), EACCES);
	int one = 1;
	OK(setsockopt(a, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one)));
	EQ(sendto(a, "x", 1, 0, SA(&bc), sizeof(bc)), 1);
	close(a);
}

GT_CASE(inet_socket_errors, "socket socketpair")
{
	ERR(socket(AF_INET, SOCK_STREAM, IPPROTO_UDP), EPROTONOSUPPORT);
	ERR(socket(AF_INET, SOCK_DGRAM, IPPROTO_TCP), EPROTONOSUPPORT);
	ERR(socket(AF_INET, SOCK_SEQPACKET, 0), ESOCKTNOSUPPORT);
	ERR(socket(AF_INET, SOCK_RAW, 0), EPROTONOSUPPORT);
	ERR(socket(AF_INET, SOCK_STREAM, -1), EINVAL);
	int sv[2];
	ERR(socketpair(AF_INET, SOCK_STREAM, 0, sv), EOPNOTSUPP);
	int s = (int)OK(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
	EQ(fcntl(s, F_GETFD), FD_CLOEXEC);
	close(s);
}

GT_CASE(inet_raw_icmp_echo, "socket sendto recvfrom")
{
	lo_up();
	int r = (int)OK(socket(AF_INET, SOCK_RAW, IPPROTO_ICMP));
	unsigned char m[16] = { 8, 0, 0, 0, 0x42, 0x42, 0, 1, 'c', 'a', 'd', 'r', 'e', '!', 0, 0 };
	unsigned sum = 0;
	for (int i = 0; i < 16; i += 2)
		sum += (unsigned)(m[i] << 8 | m[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	m[2] = (unsigned char)(~sum >> 8);
	m[3] = (unsigned char)~sum;
	struct sockaddr_in to = sin_of("127.0.0.1", 0);
	EQ(sendto(r, m, sizeof(m), 0, SA(&to), sizeof(to)), 16);
	/* The raw socket sees the request it sent, then the kernel's reply, IPv4 header first. */
	unsigned char buf[128];
	int replies = 0;
	for (int i = 0; i < 2; i++) {
		struct pollfd p = { r, POLLIN, 0 };
		EQ(poll(&p, 1, 2000), 1);
		EQ(recv(r, buf, sizeof(buf), 0), 36);
		EQ(buf[0] >> 4, 4);
		if (buf[20] == 0) {
			replies++;
			MEMEQ(buf + 28, "cadre!", 6);
		}
	}
	EQ(replies, 1);
	close(r);
}

GT_CASE(inet_ifreq_ioctls, "ioctl")
{
	lo_up();
	int s = (int)OK(socket(AF_INET, SOCK_DGRAM, 0));
	struct ifreq r;
	memset(&r, 0, sizeof(r));
	strcpy(r.ifr_name, "lo");
	OK(ioctl(s, SIOCGIFFLAGS, &r));
	CHECK(r.ifr_flags & IFF_UP);
	CHECK(r.ifr_flags & IFF_LOOPBACK);
	CHECK(r.ifr_flags & IFF_RUNNING);
	OK(ioctl(s, SIOCGIFINDEX, &r));
	EQ(r.ifr_ifindex, 1);
	OK(ioctl(s, SIOCGIFMTU, &r));
	EQ(r.ifr_mtu, 65536);
	OK(ioctl(s, SIOCGIFADDR, &r));
	EQ(((struct sockaddr_in *)&r.ifr_addr)->sin_addr.s_addr, htonl(INADDR_LOOPBACK));
	OK(ioctl(s, SIOCGIFNETMASK, &r));
	EQ(((struct sockaddr_in *)&r.ifr_netmask)->sin_addr.s_addr, htonl(0xff000000));
	OK(ioctl(s, SIOCGIFHWADDR, &r));
	EQ(r.ifr_hwaddr.sa_family, 772);	/* ARPHRD_LOOPBACK */
	r.ifr_ifindex = 1;
	OK(ioctl(s, SIOCGIFNAME, &r));
	STREQ(r.ifr_name, "lo");
	strcpy(r.ifr_name, "nosuch0");
	ERR(ioctl(s, SIOCGIFFLAGS, &r), ENODEV);
	/* SIOCGIFCONF lists lo's address. */
	struct ifreq list[8];
	struct ifconf ic = { .ifc_len = sizeof(list), .ifc_req = list };
	OK(ioctl(s, SIOCGIFCONF, &ic));
	CHECK(ic.ifc_len >= (int)sizeof(struct ifreq));
	STREQ(list[0].ifr_name, "lo");
	ERR(ioctl(s, SIOCGIFFLAGS, GT_BADPTR), EFAULT);
	close(s);
}

GT_CASE(inet_proc_net_tables, "socket bind listen connect")
{
	/* /proc/net in Linux's layout, as netstat, route and ifconfig read it. */
	lo_up();
	static char buf[1 << 18];
	int port;
	int l = listener(2, &port);
	int s;
	int c = connected_pair(&s);
	struct sockaddr_in ca;
	socklen_t len = sizeof(ca);
	OK(getsockname(c, SA(&ca), &len));
	gt_read_file("/proc/net/tcp", buf, sizeof buf);
	CHECK(strncmp(buf, "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt"
		      "   uid  timeout inode", 88) == 0);
	char want[80];
	snprintf(want, sizeof want, ": 0100007F:%04X 00000000:0000 0A ", port);
	CHECK(strstr(buf, want) != NULL);
	snprintf(want, sizeof want, ": 0100007F:%04X 0100007F:", ntohs(ca.sin_port));
	char *line = strstr(buf, want);
	CHECK(line != NULL);
	CHECK(strncmp(line + strlen(want) + 4, " 01 ", 4) == 0);	/* ESTABLISHED */
	int u = (int)OK(socket(AF_INET, SOCK_DGRAM, 0));
	struct sockaddr_in ua = sin_of("127.0.0.1", 0);
	OK(bind(u, SA(&ua), sizeof(ua)));
	len = sizeof(ua);
	OK(getsockname(u, SA(&ua), &len));
	gt_read_file("/proc/net/udp", buf, sizeof buf);
	CHECK(strncmp(buf, "   sl  local_address rem_address   st tx_queue rx_queue", 55) == 0);
	snprintf(want, sizeof want, ": 0100007F:%04X 00000000:0000 07 ", ntohs(ua.sin_port));
	CHECK(strstr(buf, want) != NULL);
	gt_read_file("/proc/net/dev", buf, sizeof buf);
	CHECK(strncmp(buf, "Inter-|   Receive", 17) == 0);
	CHECK(strstr(buf, "\n    lo:") != NULL);
	gt_read_file("/proc/net/route", buf, sizeof buf);
	CHECK(strncmp(buf, "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT", 68) == 0);
	close(u);
	close(c);
	close(s);
	close(l);
}
