/*
 * Private to the IPv4 stack: what every AF_INET socket has (addresses,
 * SOL_SOCKET/SOL_IP options, errors, shutdown, the wait queue), the port
 * tables with Linux's bind rules, ephemeral ports, and waiting.
 *
 * Sockets live under the stack lock and are reference counted: the file
 * holds one, the tables hold none (a socket leaves them before its last
 * reference goes), a TCP listener's queues hold one per child. A socket
 * whose file is gone (orphan) may live on (TCP closing, TIME_WAIT).
 *
 * Waiting: every event that may change what a socket reports bumps its
 * wake_seq and wakes its wait queue (inet_wake); a sleeper notes wake_seq,
 * drops the lock and sleeps until it changes (inet_wait).
 */
#ifndef KERNEL_NET_INET_SOCK_H
#define KERNEL_NET_INET_SOCK_H

#include <abi/in.h>
#include <abi/socket.h>
#include <frame/types.h>
#include <frame/wait.h>
#include "pkt.h"

#define RCV_SHUTDOWN 1u
#define SEND_SHUTDOWN 2u
#define SHUTDOWN_MASK 3u

/* Linux's TCP states (the numbers /proc/net/tcp and TCP_INFO show); UDP and raw use ESTABLISHED/CLOSE too. */
enum {
	TCP_ESTABLISHED = 1,
	TCP_SYN_SENT,
	TCP_SYN_RECV,
	TCP_FIN_WAIT1,
	TCP_FIN_WAIT2,
	TCP_TIME_WAIT,
	TCP_CLOSE,
	TCP_CLOSE_WAIT,
	TCP_LAST_ACK,
	TCP_LISTEN,
	TCP_CLOSING,
};

/* Buffer defaults and limits (Linux's net.core and udp/tcp sysctls). */
#define SOCK_MIN_SNDBUF 4608u
#define SOCK_MIN_RCVBUF 2304u
#define INET_WMEM_DEFAULT 212992u
#define INET_RMEM_DEFAULT 212992u
#define INET_MEM_MAX 212992u

struct inet_sock;
struct tcp_sock;
struct inet_proto_ops;
struct sock_send;
struct sock_recv;

struct inet_sock {
	const struct inet_proto_ops *ops;
	uint32_t refs;
	uint8_t type;		/* SOCK_STREAM, SOCK_DGRAM, SOCK_RAW */
	uint8_t protocol;	/* IPPROTO_* */
	uint8_t state;		/* TCP_* */
	uint8_t shutdown;	/* RCV_SHUTDOWN | SEND_SHUTDOWN */
	bool orphan;		/* the file is gone */
	bool done;		/* Linux's SOCK_DONE: the connection ended normally or not */
	int err;		/* pending error (positive errno): SO_ERROR, the next call's result */
	int err_soft;		/* a soft error, reported on timeouts */

	/* Host byte order. laddr/lport: the bound (receive) address; saddr: the source used. */
	uint32_t laddr, saddr, raddr;
	uint16_t lport, rport;
	bool port_by_user;	/* bind() gave the port (a second bind is EINVAL) */
	bool port_autobound;	/* connect()/sendto() picked an ephemeral port */
	bool addr_by_user;	/* bind() gave the address */

	/* SOL_SOCKET */
	bool reuseaddr, reuseport, broadcast, keepalive, dontroute, oobinline, timestamp;
	bool sndbuf_locked, rcvbuf_locked;
	uint32_t sndbuf, rcvbuf;
	int rcvlowat;
	uint32_t priority, mark;
	int32_t linger_on, linger_secs;
	uint64_t rcvtimeo_ns, sndtimeo_ns;	/* 0: none */
	int bound_dev;		/* SO_BINDTODEVICE: an ifindex, 0 none */
	uint32_t uid;		/* the creator's, for SO_REUSEPORT */
	bool privileged;	/* made by root: low ports, raw sockets, SO_MARK */
	uint64_t ino;		/* the socket inode's number (/proc/net) */
	/* SOL_IP */
	uint8_t ttl;		/* 0: the default */
	uint8_t tos, pmtudisc, mc_ttl, minttl;
	bool hdrincl, recverr, pktinfo, recvttl, recvtos, freebind, bind_no_port, mc_loop, mc_all;
	bool nodefrag, transparent;
	uint32_t mc_if;
	int unicast_if;

	struct wait_queue wq;
	uint32_t wake_seq;

	/* Port table chain (every socket with a port), connected-table chain (TCP). */
	struct inet_sock *bind_next;
	struct inet_sock *hash_next;
	bool hashed;
	bool in_ports;		/* in its protocol's port table */

	/* Datagram sockets: the receive queue and its memory. */
	struct pkt_queue rxq;
	uint32_t rx_mem;
	uint32_t drops;
	/* Called when the last reference goes (the protocol's teardown). */
	void (*destroy)(struct inet_sock *sk);
};

void inet_sock_init(struct inet_sock *sk, int type, int protocol);
void inet_sock_get(struct inet_sock *sk);
void inet_sock_put(struct inet_sock *sk);

/* Something about @sk changed: sleepers and pollers look again. */
void inet_wake(struct inet_sock *sk);
/* The same when only @events (POLL*) may have become true: epoll entries interested in none of them stay quiet. */
void inet_wake_key(struct inet_sock *sk, uint32_t events);
/*
 * With the stack lock held: sleep until inet_wake(@sk), a signal
 * (-ERESTARTSYS) or @deadline_ns (0: none; -ETIMEDOUT). The lock is dropped
 * while asleep and held again on return.
 */
int inet_wait(struct inet_sock *sk, uint64_t deadline_ns);
/* The deadline of a timeout in ns (0: none), from now. */
uint64_t inet_deadline(uint64_t timeout_ns);
/* Take the pending error: -errno or 0. */
int inet_take_error(struct inet_sock *sk);

/* ---- ports ---- */

#define PORT_HASH 256u

/* One protocol's port table: every socket with a local port, by port. */
struct port_table {
	struct inet_sock *chain[PORT_HASH];
	uint32_t count;
	uint8_t protocol;
};

extern struct port_table tcp_ports, udp_ports;

/* Linux's ip_local_port_range (net.ipv4.ip_local_port_range). */
extern uint32_t inet_port_low, inet_port_high;

/* Put @sk (laddr/lport set) in / out of @t. */
void port_insert(struct port_table *t, struct inet_sock *sk);
void port_remove(struct port_table *t, struct inet_sock *sk);
/* The sockets with local port @port: the chain's first (follow bind_next, check lport). */
struct inet_sock *port_first(struct port_table *t, uint16_t port);
/* Would binding @sk to @addr:@port clash with a socket there (Linux's bind conflict rules)? */
bool port_conflict(struct port_table *t, const struct inet_sock *sk, uint32_t addr, uint16_t port);
/*
 * bind(): @port 0 picks a free ephemeral port. Sets laddr/lport and inserts.
 * 0, -EADDRINUSE, -EINVAL (already bound).
 */
int port_bind(struct port_table *t, struct inet_sock *sk, uint32_t addr, uint16_t port);

#endif
