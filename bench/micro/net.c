/* TCP and UDP over loopback between two processes: 1-byte round trips, 64 KiB-write bandwidth, connect+accept+close. */
#include "bench.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHUNK (64 * 1024)

enum net_kind { TCP_PING, TCP_STREAM, UDP_PING, TCP_CONNECT };

struct net_case {
	const char *name;
	enum net_kind kind;
	pid_t pid;
	int fd;			/* the connected socket (UDP: ours) */
	struct sockaddr_in there;	/* the listener / the peer's UDP address */
};

static char chunk[CHUNK];

/* Loopback starts down on both kernels (no init script raises it). */
static int lo_up(const char *name)
{
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	struct ifreq r;
	memset(&r, 0, sizeof(r));
	strcpy(r.ifr_name, "lo");
	if (s < 0 || ioctl(s, SIOCGIFFLAGS, &r))
		return bench_fail(name, "SIOCGIFFLAGS lo");
	r.ifr_flags |= IFF_UP;
	if (ioctl(s, SIOCSIFFLAGS, &r))
		return bench_fail(name, "SIOCSIFFLAGS lo");
	close(s);
	return 0;
}

static int bound(int type, struct sockaddr_in *a)
{
	int s = socket(AF_INET, type, 0);
	memset(a, 0, sizeof(*a));
	a->sin_family = AF_INET;
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t len = sizeof(*a);
	if (s < 0 || bind(s, (struct sockaddr *)a, sizeof(*a)) ||
	    getsockname(s, (struct sockaddr *)a, &len))
		return -1;
	return s;
}

static void nodelay(int s)
{
	int one = 1;
	setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

static void child_tcp(int l, enum net_kind kind)
{
	char c;
	if (kind == TCP_CONNECT) {
		/* Accept, say one byte, close; until the parent closes the listener's last user. */
		for (;;) {
			int s = accept(l, NULL, NULL);
			if (s < 0)
				_exit(0);
			c = 'a';
			(void)!write(s, &c, 1);
			close(s);
		}
	}
	int s = accept(l, NULL, NULL);
	if (s < 0)
		_exit(1);
	close(l);
	nodelay(s);
	if (kind == TCP_PING) {
		while (read(s, &c, 1) == 1)
			if (write(s, &c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	uint64_t count;
	while (bench_read_full(s, &count, sizeof(count)) == 0) {
		for (uint64_t i = 0; i < count; i++)
			if (bench_read_full(s, chunk, sizeof(chunk)))
				_exit(1);
		c = 'k';
		if (write(s, &c, 1) != 1)
			_exit(1);
	}
	_exit(0);
}

static int net_setup(struct net_case *c, void **state)
{
	*state = c;
	if (lo_up(c->name))
		return -1;
	if (c->kind == UDP_PING) {
		struct sockaddr_in mine;
		int peer = bound(SOCK_DGRAM, &c->there);
		c->fd = bound(SOCK_DGRAM, &mine);
		if (peer < 0 || c->fd < 0 || connect(c->fd, (struct sockaddr *)&c->there, sizeof(c->there)))
			return bench_fail(c->name, "udp sockets");
		c->pid = fork();
		if (c->pid < 0)
			return bench_fail(c->name, "fork");
		if (c->pid == 0) {
			char b;
			struct sockaddr_in from;
			socklen_t len = sizeof(from);
			while (recvfrom(peer, &b, 1, 0, (struct sockaddr *)&from, &len) == 1) {
				if (sendto(peer, &b, 1, 0, (struct sockaddr *)&from, len) != 1)
					_exit(1);
				len = sizeof(from);
			}
			_exit(1);
		}
		close(peer);
		return 0;
	}
	int l = bound(SOCK_STREAM, &c->there);
	if (l < 0 || listen(l, 64))
		return bench_fail(c->name, "listen");
	c->pid = fork();
	if (c->pid < 0)
		return bench_fail(c->name, "fork");
	if (c->pid == 0)
		child_tcp(l, c->kind);
	close(l);
	c->fd = -1;
	if (c->kind == TCP_CONNECT)
		return 0;
	c->fd = socket(AF_INET, SOCK_STREAM, 0);
	if (c->fd < 0 || connect(c->fd, (struct sockaddr *)&c->there, sizeof(c->there)))
		return bench_fail(c->name, "connect");
	nodelay(c->fd);
	return 0;
}

static int net_loop(void *state, long iters)
{
	struct net_case *c = state;
	char b = 'x';
	switch (c->kind) {
	case TCP_PING:
	case UDP_PING:
		for (long i = 0; i < iters; i++)
			if (write(c->fd, &b, 1) != 1 || read(c->fd, &b, 1) != 1)
				return bench_fail(c->name, "round trip");
		return 0;
	case TCP_STREAM: {
		uint64_t count = (uint64_t)iters;
		if (bench_write_full(c->fd, &count, sizeof(count)))
			return bench_fail(c->name, "write count");
		for (long i = 0; i < iters; i++)
			if (bench_write_full(c->fd, chunk, sizeof(chunk)))
				return bench_fail(c->name, "write");
		if (read(c->fd, &b, 1) != 1)
			return bench_fail(c->name, "ack");
		return 0;
	}
	case TCP_CONNECT:
		for (long i = 0; i < iters; i++) {
			int s = socket(AF_INET, SOCK_STREAM, 0);
			if (s < 0 || connect(s, (struct sockaddr *)&c->there, sizeof(c->there)) ||
			    read(s, &b, 1) != 1)
				return bench_fail(c->name, "connect");
			/* A reset, not a FIN: no TIME_WAIT piles up over thousands of connections. */
			struct linger lg = { 1, 0 };
			setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
			close(s);
		}
		return 0;
	}
	return -1;
}

static void net_teardown(void *state)
{
	struct net_case *c = state;
	if (c->fd >= 0)
		close(c->fd);
	if (c->pid > 0) {
		kill(c->pid, SIGKILL);
		waitpid(c->pid, NULL, 0);
	}
}

#define NET_CASE(id, k, kd, by, desc)                                                   \
	static struct net_case id##_state = { .name = #id, .kind = k };                   \
	static int id##_setup(void **state)                                               \
	{                                                                                 \
		return net_setup(&id##_state, state);                                     \
	}                                                                                 \
	BENCH_CASE(id##_case, .name = #id, .what = desc, .kind = kd, .bytes = by,         \
		   .setup = id##_setup, .loop = net_loop, .teardown = net_teardown)

NET_CASE(tcp_latency, TCP_PING, BENCH_LATENCY, 0,
	 "TCP loopback round trip of 1 byte between two processes (TCP_NODELAY)")
NET_CASE(tcp_bandwidth, TCP_STREAM, BENCH_BANDWIDTH, CHUNK,
	 "TCP loopback to another process, 64 KiB writes")
NET_CASE(udp_latency, UDP_PING, BENCH_LATENCY, 0,
	 "UDP loopback round trip of a 1-byte datagram between two processes")
NET_CASE(tcp_connect_close, TCP_CONNECT, BENCH_LATENCY, 0,
	 "TCP loopback connect, accept, 1 byte, close (reset) per iteration")
