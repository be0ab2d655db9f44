/* Host tests of UDP and raw sockets: loopback datagrams, connect/disconnect, ports, broadcast rules, port unreachable to connected sockets, checksums, raw ICMP. */
#include <abi/errno.h>
#include <abi/poll.h>
#include <frame/string.h>
#include "inet_fixture.h"

#define US IP4(10, 0, 2, 15)
#define PEER IP4(10, 0, 2, 2)

KTEST(inet_udp_lo_datagrams)
{
	nf_begin();
	struct inet_sock *a = nf_socket(SOCK_DGRAM, 0), *b = nf_socket(SOCK_DGRAM, 0);
	KEXPECT_EQ(nf_bind(b, LOCALHOST, 7000), 0);
	KEXPECT_EQ(nf_poll(b), POLLOUT | POLLWRNORM | POLLWRBAND);
	/* sendto autobinds an ephemeral port; boundaries are kept. */
	KEXPECT_EQ(nf_sendto(a, "one", 3, LOCALHOST, 7000), 3);
	KEXPECT(a->lport >= inet_port_low);
	KEXPECT_EQ(nf_sendto(a, "two!", 4, LOCALHOST, 7000), 4);
	KEXPECT(nf_poll(b) & POLLIN);
	char buf[16];
	uint32_t from;
	uint16_t port;
	KEXPECT_EQ(nf_recvfrom(b, buf, sizeof(buf), &from, &port), 3);
	KEXPECT_EQ(from, LOCALHOST);
	KEXPECT_EQ(port, a->lport);
	/* A short buffer truncates; MSG_TRUNC tells the real length. */
	KEXPECT_EQ(nf_recv(b, buf, 2, MSG_PEEK | MSG_TRUNC), 4);
	KEXPECT_EQ(nf_recv(b, buf, 2, 0), 2);
	KEXPECT_EQ(nf_recv(b, buf, sizeof(buf), 0), -EAGAIN);
	/* Connected: only the peer's datagrams, send without an address. */
	KEXPECT_EQ(nf_connect(b, LOCALHOST, a->lport), 0);
	KEXPECT_EQ(b->state, TCP_ESTABLISHED);
	struct inet_sock *c = nf_socket(SOCK_DGRAM, 0);
	KEXPECT_EQ(nf_sendto(c, "stranger", 8, LOCALHOST, 7000), 8);
	KEXPECT_EQ(nf_recv(b, buf, sizeof(buf), 0), -EAGAIN);
	KEXPECT_EQ(nf_send(b, "back", 4, 0), 4);
	KEXPECT_EQ(nf_recv(a, buf, sizeof(buf), 0), 4);
	KEXPECT_EQ(nf_send(a, "x", 1, 0), -EDESTADDRREQ);
	/* Nobody at a port: ICMP port unreachable, ECONNREFUSED for a connected sender only. */
	KEXPECT_EQ(nf_connect(c, LOCALHOST, 7999), 0);
	KEXPECT_EQ(nf_send(c, "x", 1, 0), 1);
	KEXPECT(nf_poll(c) & POLLERR);
	KEXPECT_EQ(nf_recv(c, buf, sizeof(buf), 0), -ECONNREFUSED);
	KEXPECT_EQ(nf_recv(c, buf, sizeof(buf), 0), -EAGAIN);
	KEXPECT_EQ(nf_sendto(a, "x", 1, LOCALHOST, 7999), 1);
	KEXPECT_EQ(nf_error(a), 0);
	/* Binding rules: EADDRINUSE unless both reuse. */
	struct inet_sock *d = nf_socket(SOCK_DGRAM, 0);
	KEXPECT_EQ(nf_bind(d, 0, 7000), -EADDRINUSE);
	nf_setsockopt(d, SOL_SOCKET, SO_REUSEADDR, 1);
	nf_setsockopt(b, SOL_SOCKET, SO_REUSEADDR, 1);
	KEXPECT_EQ(nf_bind(d, 0, 7000), 0);
	/* Too big for IPv4. */
	static uint8_t big[65508];
	KEXPECT_EQ(nf_sendto(d, big, sizeof(big), LOCALHOST, 7000), -EMSGSIZE);
	KEXPECT_EQ(nf_sendto(d, big, sizeof(big) - 1, LOCALHOST, 7000), (ssize_t)sizeof(big) - 1);
	nf_close(a);
	nf_close(b);
	nf_close(c);
	nf_close(d);
	nf_end(ktest_ctx);
}

KTEST(inet_udp_wire_checksums_broadcast)
{
	nf_begin();
	struct tap *t = tap_create(US, 24, PEER);
	struct inet_sock *u = nf_socket(SOCK_DGRAM, 0);
	KEXPECT_EQ(nf_bind(u, 0, 68), 0);
	/* A datagram with a bad checksum is dropped and counted; checksum 0 means none. */
	uint64_t cs0 = net_mib.udp_in_csum_errors;
	struct pkt *p = mk_udp(PEER, 67, US, 68, "good", 4);
	tap_inject_ip(t, p);
	p = mk_udp(PEER, 67, US, 68, "bad!", 4);
	pkt_data(p)[IP_HLEN + 8] ^= 1;
	tap_inject_ip(t, p);
	p = mk_udp(PEER, 67, US, 68, "none", 4);
	wr16(pkt_data(p) + IP_HLEN + 6, 0);
	tap_inject_ip(t, p);
	KEXPECT_EQ(net_mib.udp_in_csum_errors - cs0, 1);
	char buf[8];
	KEXPECT_EQ(nf_recv(u, buf, sizeof(buf), 0), 4);
	KEXPECT(memcmp(buf, "good", 4) == 0);
	KEXPECT_EQ(nf_recv(u, buf, sizeof(buf), 0), 4);
	KEXPECT(memcmp(buf, "none", 4) == 0);
	/* A broadcast reaches a wildcard socket; nobody answers an unwanted one with ICMP. */
	p = mk_udp(PEER, 67, 0xffffffffu, 68, "bcast", 5);
	tap_inject_ip(t, p);
	KEXPECT_EQ(nf_recv(u, buf, sizeof(buf), 0), 5);
	p = mk_udp(PEER, 67, IP4(10, 0, 2, 255), 999, "noone", 5);
	tap_inject_ip(t, p);
	KEXPECT(tap_pop(t) == NULL);
	/* Sending to a broadcast address needs SO_BROADCAST. */
	KEXPECT_EQ(nf_sendto(u, "b", 1, IP4(10, 0, 2, 255), 67), -EACCES);
	nf_setsockopt(u, SOL_SOCKET, SO_BROADCAST, 1);
	KEXPECT_EQ(nf_sendto(u, "b", 1, IP4(10, 0, 2, 255), 67), 1);
	struct pkt *r = tap_pop(t);
	struct cap c;
	KASSERT(r && cap_parse(r, &c));
	KEXPECT_EQ(pkt_data(r)[0], 0xff);	/* to the link broadcast */
	KEXPECT(c.csum_ok);
	pkt_free(r);
	/* Our checksum is right on the wire (filled in by software for this device). */
	KEXPECT_EQ(nf_sendto(u, "abc", 3, PEER, 67), 3);
	r = tap_pop(t);
	KASSERT(r && cap_parse(r, &c));
	KEXPECT(c.csum_ok);
	KEXPECT_EQ(c.payload_len, 3);
	pkt_free(r);
	nf_close(u);
	tap_destroy(t);
	nf_end(ktest_ctx);
}

KTEST(inet_raw_icmp_ping)
{
	nf_begin();
	struct inet_sock *r = nf_socket(SOCK_RAW, IPPROTO_ICMP);
	/* An echo request to 127.0.0.1: the raw socket sees both it and the reply, headers included. */
	uint8_t m[12] = { ICMP_ECHO, 0, 0, 0, 0x12, 0x34, 0, 1, 'p', 'i', 'n', 'g' };
	wr16(m + 2, csum_fold(csum_add(0, m, sizeof(m))));
	KEXPECT_EQ(nf_sendto(r, m, sizeof(m), LOCALHOST, 0), 12);
	uint8_t buf[128];
	uint32_t from;
	uint16_t port;
	KEXPECT_EQ(nf_recvfrom(r, buf, sizeof(buf), &from, &port), 32);
	KEXPECT_EQ(buf[20], ICMP_ECHO);
	KEXPECT_EQ(nf_recvfrom(r, buf, sizeof(buf), &from, &port), 32);
	KEXPECT_EQ(buf[0] >> 4, 4);
	KEXPECT_EQ(buf[20], ICMP_ECHOREPLY);
	KEXPECT_EQ(rd16(buf + 24), 0x1234);
	KEXPECT_EQ(from, LOCALHOST);
	KEXPECT(memcmp(buf + 28, "ping", 4) == 0);
	KEXPECT_EQ(nf_recv(r, buf, sizeof(buf), 0), -EAGAIN);
	nf_close(r);
	nf_end(ktest_ctx);
}
