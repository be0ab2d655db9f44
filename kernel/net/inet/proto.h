/* Private to the IPv4 stack: what IPv4 and ICMP hand to the transports (TCP, UDP, raw sockets). */
#ifndef KERNEL_NET_INET_PROTO_H
#define KERNEL_NET_INET_PROTO_H

#include "ip.h"
#include "pkt.h"

/* A datagram for us (IPv4 header pulled; saddr/daddr/ttl/tos set). Each takes @p. */
void tcp_input(struct pkt *p);
void udp_input(struct pkt *p);
/* Copies of a datagram (header still at the data start) for the raw sockets of its protocol: true if one took it. */
bool raw_deliver(const struct pkt *p);

/* An ICMP error about a segment/datagram we sent. */
void tcp_icmp_error(const struct icmp_err *e);
void udp_icmp_error(const struct icmp_err *e);
void raw_icmp_error(const struct icmp_err *e);

#endif
