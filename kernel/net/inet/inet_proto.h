/*
 * Private to the IPv4 stack: what each AF_INET socket type (TCP, UDP,
 * raw) implements below the common socket layer of af_inet.c. Every call
 * comes with the stack lock held; blocking calls sleep through inet_wait().
 * Addresses have been checked for length and family already.
 */
#ifndef KERNEL_NET_INET_INET_PROTO_H
#define KERNEL_NET_INET_INET_PROTO_H

#include <kernel/socket.h>
#include "sock.h"

struct inet_proto_ops {
	/* bind(): the port table part; @port 0 asks for an ephemeral port. */
	int (*bind)(struct inet_sock *sk, uint32_t addr, uint16_t port);
	/* connect() to @a (AF_UNSPEC: disconnect). */
	int (*connect)(struct inet_sock *sk, const struct sockaddr_in *a, bool nonblock);
	int (*listen)(struct inet_sock *sk, int backlog);
	/* The next connection, referenced for a new file. */
	int (*accept)(struct inet_sock *sk, bool nonblock, struct inet_sock **out);
	ssize_t (*send)(struct inet_sock *sk, struct sock_send *m, bool nonblock);
	ssize_t (*recv)(struct inet_sock *sk, struct sock_recv *m, bool nonblock);
	/* shutdown(): @how as RCV_SHUTDOWN/SEND_SHUTDOWN bits. */
	int (*shutdown)(struct inet_sock *sk, uint32_t how);
	/* The file is gone; the protocol keeps what it needs and drops the file's reference. */
	void (*release)(struct inet_sock *sk);
	unsigned (*poll)(struct inet_sock *sk);
	/* The protocol's own option levels: -ENOPROTOOPT for names it does not know. */
	int (*setsockopt)(struct inet_sock *sk, int level, int name, const void *val, size_t len);
	int (*getsockopt)(struct inet_sock *sk, int level, int name, void *val, size_t *len);
	/* SIOCINQ/SIOCOUTQ/SIOCOUTQNSD: the count into *@out, or -errno (-ENOIOCTLCMD: not this one). */
	int (*ioctl)(struct inet_sock *sk, unsigned cmd, int *out);
	/* A changed SO_SNDBUF/SO_RCVBUF. */
	void (*buffers_changed)(struct inet_sock *sk);
};

extern const struct inet_proto_ops tcp_proto_ops, udp_proto_ops, raw_proto_ops;

struct inet_sock *tcp_sock_create(void);
struct inet_sock *udp_sock_create(void);
struct inet_sock *raw_sock_create(int protocol);

/* A sockaddr_in for @addr:@port (host order). */
void inet_fill_addr(union sock_addr *out, uint32_t addr, uint16_t port);
/* Route check shared by connect() of every type: source for @dst and the route type. */
int inet_route_source(struct inet_sock *sk, uint32_t dst, uint32_t *src, uint8_t *type);
/* EPIPE from a stream: SIGPIPE unless MSG_NOSIGNAL. */
ssize_t inet_epipe(int flags);
/* ENOIOCTLCMD: "not mine" for the ioctl op. */
#define ENOIOCTLCMD 515

#endif
