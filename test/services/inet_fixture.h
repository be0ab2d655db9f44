/*
 * Host tests of the IPv4 stack: a virtual clock the tests move, the loopback
 * device brought up, a fake Ethernet device ("tap") whose sent frames the
 * test reads and whose received frames it writes (a scripted peer), packet
 * builders with correct checksums, and socket calls without files.
 * Every test begins with nf_begin() and ends with nf_end(), which checks
 * that nothing is left: packets, timers, ports, sockets.
 */
#ifndef TEST_SERVICES_INET_FIXTURE_H
#define TEST_SERVICES_INET_FIXTURE_H

#include <frame/ktest.h>
#include <frame/types.h>
#include <kernel/socket.h>
#include "../../kernel/net/inet/inet_proto.h"
#include "../../kernel/net/inet/ip.h"
#include "../../kernel/net/inet/netif.h"
#include "../../kernel/net/inet/tcp.h"

#define IP4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))
#define LOCALHOST IP4(127, 0, 0, 1)
#define MS(x) ((uint64_t)(x) * 1000000ull)
#define SEC(x) ((uint64_t)(x) * 1000000000ull)

void nf_begin(void);
/* Close time out, then check nothing is left behind. */
void nf_end(struct ktest_ctx *ktest_ctx);
/* Move the virtual clock @ns forward, firing timers at their deadlines on the way. */
void nf_advance(uint64_t ns);
uint64_t nf_now(void);

/* ---- the fake Ethernet device ---- */

struct tap {
	struct netif dev;
	struct pkt_queue out;		/* frames the stack sent */
	uint8_t peer_mac[ETH_ALEN];
	uint32_t peer_ip;
};

/* tap0-style device @ip/@prefix, up with carrier, the peer @peer_ip known by ARP. */
struct tap *tap_create(uint32_t ip, uint8_t prefix, uint32_t peer_ip);
void tap_destroy(struct tap *t);
/* The next frame the stack sent (the caller frees it), or NULL. */
struct pkt *tap_pop(struct tap *t);
/* Drop every captured frame; returns how many there were. */
uint32_t tap_flush(struct tap *t);
/* Give the stack @ip (an IPv4 packet) as if the peer sent it over the wire. */
void tap_inject_ip(struct tap *t, struct pkt *ip);
/* Give the stack a raw frame of @len bytes. */
void tap_inject_frame(struct tap *t, const uint8_t *frame, uint32_t len);

/* ---- packets ---- */

/* An IPv4 packet with @len payload bytes (data at the IPv4 header), header checksum right. */
struct pkt *mk_ip(uint32_t src, uint32_t dst, uint8_t proto, const void *payload, uint32_t len);
/* A TCP segment in an IPv4 packet, checksums right; @opts of @optlen bytes (multiple of 4). */
struct pkt *mk_tcp(uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport, uint32_t seq,
		   uint32_t ack, uint8_t flags, uint16_t wnd, const uint8_t *opts, uint32_t optlen,
		   const void *data, uint32_t len);
struct pkt *mk_udp(uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport, const void *data,
		   uint32_t len);

/* A frame the tap captured, taken apart. */
struct cap {
	uint16_t ethertype;
	uint32_t saddr, daddr;
	uint8_t proto, ttl;
	uint16_t ip_id, frag;
	struct tcp_seg tcp;		/* when proto is TCP */
	const uint8_t *l4;		/* transport header */
	const uint8_t *payload;
	uint32_t payload_len;
	bool csum_ok;			/* transport checksum verified */
};
/* Parse @p (an Ethernet frame from tap_pop): false if it is no IPv4 packet. */
bool cap_parse(struct pkt *p, struct cap *c);
/* Pop frames until a TCP one (skipping ARP); false if none. The caller frees *@p. */
bool tap_pop_tcp(struct tap *t, struct pkt **p, struct cap *c);

/* ---- sockets without files (each call takes the stack lock) ---- */

struct inet_sock *nf_socket(int type, int protocol);
int nf_bind(struct inet_sock *sk, uint32_t addr, uint16_t port);
int nf_connect(struct inet_sock *sk, uint32_t addr, uint16_t port);
int nf_listen(struct inet_sock *sk, int backlog);
int nf_accept(struct inet_sock *sk, struct inet_sock **out);
ssize_t nf_send(struct inet_sock *sk, const void *buf, size_t len, int flags);
ssize_t nf_sendto(struct inet_sock *sk, const void *buf, size_t len, uint32_t addr, uint16_t port);
ssize_t nf_recv(struct inet_sock *sk, void *buf, size_t len, int flags);
/* recvfrom: the sender's address and port into *@addr and *@port. */
ssize_t nf_recvfrom(struct inet_sock *sk, void *buf, size_t len, uint32_t *addr, uint16_t *port);
int nf_shutdown(struct inet_sock *sk, int how);
unsigned nf_poll(struct inet_sock *sk);
int nf_setsockopt(struct inet_sock *sk, int level, int name, int v);
void nf_close(struct inet_sock *sk);
/* Pending error (what SO_ERROR gives), taken. */
int nf_error(struct inet_sock *sk);
/* A connected TCP pair over lo: client and accepted server side, the listener closed. */
void nf_tcp_pair(struct inet_sock **client, struct inet_sock **server, uint16_t port);

#endif
