/*
 * Private to the IPv4 stack: IPv4 input and output, fragment reassembly,
 * the routing tables (longest-prefix match, Linux's "local" and "main"
 * tables) and ICMP. All under the stack lock; addresses in host byte order.
 */
#ifndef KERNEL_NET_INET_IP_H
#define KERNEL_NET_INET_IP_H

#include <frame/types.h>
#include "netif.h"
#include "pkt.h"

#define IP_HLEN 20
#define IP_MAX_HLEN 60
#define IP_MAX_LEN 65535u
#define IP_DF 0x4000
#define IP_MF 0x2000
#define IP_OFFMASK 0x1fff
#define IP_DEFAULT_TTL 64
/* The least MTU every IPv4 link carries (RFC 791). */
#define IP_MIN_MTU 68

static inline uint32_t ip_mask(uint8_t prefixlen)
{
	return prefixlen ? 0xffffffffu << (32 - prefixlen) : 0;
}
static inline bool ip_is_multicast(uint32_t a)
{
	return (a & 0xf0000000u) == 0xe0000000u;
}
static inline bool ip_is_loopback(uint32_t a)
{
	return (a >> 24) == 127;
}
static inline bool ip_is_zeronet(uint32_t a)
{
	return (a >> 24) == 0;
}
static inline bool ip_is_lbcast(uint32_t a)
{
	return a == 0xffffffffu;
}

/* ---- routes ---- */

/* Route types, scopes, tables and origins: Linux's rtnetlink values. */
#define RTN_UNSPEC 0
#define RTN_UNICAST 1
#define RTN_LOCAL 2
#define RTN_BROADCAST 3
#define RTN_ANYCAST 4
#define RTN_MULTICAST 5
#define RTN_BLACKHOLE 6
#define RTN_UNREACHABLE 7
#define RTN_PROHIBIT 8
#define RTN_THROW 9
#define RTN_MAX 11
#define RT_SCOPE_UNIVERSE 0
#define RT_SCOPE_SITE 200
#define RT_SCOPE_LINK 253
#define RT_SCOPE_HOST 254
#define RT_SCOPE_NOWHERE 255
#define RT_TABLE_UNSPEC 0
#define RT_TABLE_DEFAULT 253
#define RT_TABLE_MAIN 254
#define RT_TABLE_LOCAL 255
#define RTPROT_UNSPEC 0
#define RTPROT_REDIRECT 1
#define RTPROT_KERNEL 2
#define RTPROT_BOOT 3
#define RTPROT_STATIC 4

struct route {
	struct route *next;
	uint32_t dst;
	uint8_t prefixlen;
	uint8_t table, type, scope, protocol, tos;
	uint32_t gateway;	/* 0: directly connected */
	struct netif *dev;	/* NULL only for blackhole/unreachable/prohibit routes */
	uint32_t prefsrc;	/* 0: chosen from the interface */
	uint32_t priority;	/* the metric */
	uint32_t mtu;		/* RTAX_MTU, 0: the interface's */
	uint32_t flags;		/* RTNH_F_* / RTM_F_* as given */
};

/* Where a packet to some destination goes. */
struct route_result {
	struct netif *dev;
	uint32_t nexthop;	/* the gateway or the destination */
	uint32_t src;		/* a suitable source address (0: none) */
	uint8_t type;		/* RTN_UNICAST, RTN_LOCAL, RTN_BROADCAST */
	uint32_t mtu;
};

/*
 * The route to @dst (through @oif only, if not NULL): local table first,
 * then main, longest prefix first and the lowest metric among equals.
 * 0, -ENETUNREACH (no route), -EHOSTUNREACH / -EACCES / -EINVAL for
 * unreachable / prohibit / blackhole routes.
 */
int route_lookup(uint32_t dst, struct netif *oif, struct route_result *out);
/*
 * Add @r (copied). With @replace an existing route with the same key
 * (table, dst/prefix, tos, priority) is changed; otherwise that is -EEXIST.
 * -ENODEV for a route whose device is missing or down, -ENETUNREACH for a
 * gateway not on a connected subnet.
 */
int route_add(const struct route *r, bool replace);
/* Delete the first route matching @r's key and, where set, its gateway/device/type: 0 or -ESRCH. */
int route_del(const struct route *r);
/* Drop every route through @dev (it went down or away). */
void route_flush_dev(struct netif *dev);
/* Iterate (NULL: the first route); for dumps and /proc/net/route. */
const struct route *route_next(const struct route *r);
/* The kernel's own routes for an address that appeared/disappeared. */
void route_ifaddr_up(struct ifaddr *a);
void route_ifaddr_down(struct ifaddr *a);

/* ---- IPv4 ---- */

/* How a locally made packet is to be sent. */
struct ip_tx {
	uint32_t src, dst;	/* src 0: chosen from the route */
	uint8_t proto;
	uint8_t ttl;		/* 0: the default */
	uint8_t tos;
	bool df;		/* don't fragment: -EMSGSIZE instead */
	bool dontroute;		/* SO_DONTROUTE / MSG_DONTROUTE: only directly connected destinations */
	bool broadcast_ok;	/* SO_BROADCAST: a broadcast destination is allowed */
	bool checksum_done;	/* the transport checksum is filled in */
	struct netif *oif;	/* SO_BINDTODEVICE */
	uint16_t id;		/* 0: the next IP id */
};

/*
 * Route, prefix an IPv4 header to @p (data = transport header and payload)
 * and send it, fragmenting to the MTU unless @tx->df. Takes @p. 0 or
 * -ENETUNREACH / -EHOSTUNREACH / -EACCES / -EMSGSIZE / -ENOBUFS.
 */
int ip_output(struct pkt *p, const struct ip_tx *tx);
/* Send an already complete IPv4 packet (IP_HDRINCL, ICMP replies): routes by its destination. Takes @p. */
int ip_output_raw(struct pkt *p, struct netif *oif);
/* An IPv4 packet from @dev (header at the data start). Takes @p. */
void ip_input(struct netif *dev, struct pkt *p);
/* The MTU towards @dst (the route's, or the interface's), 0 without a route. */
uint32_t ip_route_mtu(uint32_t dst);

/* ---- fragment reassembly (ip_frag.c) ---- */

/* Limits (Linux's ipfrag_high_thresh, ipfrag_time, and a cap on datagrams in flight). */
#define IPFRAG_HIGH_THRESH (4u << 20)
#define IPFRAG_TIME_NS (30ull * 1000000000ull)
#define IPFRAG_MAX_QUEUES 512u
#define IPFRAG_MAX_FRAGS 256u

/* A fragment (IPv4 header pulled, p->saddr/daddr/proto and the offset/MF set). The whole datagram when it completes, else NULL. */
struct pkt *ip_frag_input(struct pkt *p, uint16_t id, uint16_t off_bytes, bool more);
/* Memory held by incomplete datagrams. */
uint32_t ip_frag_mem(void);
uint32_t ip_frag_queues(void);
void ip_frag_flush(void);

/* ---- ICMP (icmp.c) ---- */

#define ICMP_ECHOREPLY 0
#define ICMP_DEST_UNREACH 3
#define ICMP_SOURCE_QUENCH 4
#define ICMP_REDIRECT 5
#define ICMP_ECHO 8
#define ICMP_TIME_EXCEEDED 11
#define ICMP_PARAMETERPROB 12
#define ICMP_TIMESTAMP 13
#define ICMP_NR_TYPES 18
#define ICMP_NET_UNREACH 0
#define ICMP_HOST_UNREACH 1
#define ICMP_PROT_UNREACH 2
#define ICMP_PORT_UNREACH 3
#define ICMP_FRAG_NEEDED 4
#define ICMP_SR_FAILED 5
#define ICMP_NET_UNKNOWN 6
#define ICMP_HOST_UNKNOWN 7
#define ICMP_PKT_FILTERED 13
#define ICMP_EXC_TTL 0
#define ICMP_EXC_FRAGTIME 1

/* A received ICMP message (IPv4 header pulled; p->saddr etc. set). Takes @p. */
void icmp_input(struct pkt *p);
/*
 * Answer @orig (a received packet whose IPv4 header is at orig->nh) with an
 * ICMP error, as RFC 1122 allows (never about ICMP errors, fragments past
 * the first, broadcasts), rate-limited except on loopback. @orig stays the caller's.
 */
void icmp_send_error(const struct pkt *orig, uint8_t type, uint8_t code, uint32_t info);

/* An ICMP error about a packet we sent, for the transport that sent it. */
struct icmp_err {
	uint8_t type, code;
	uint32_t info;		/* the next-hop MTU for FRAG_NEEDED */
	uint32_t saddr, daddr;	/* the quoted packet's: ours, theirs */
	uint8_t proto;
	const uint8_t *th;	/* the quoted transport header */
	uint32_t th_len;	/* bytes of it quoted (8 at least) */
	int errno_val;		/* what it means for a socket (Linux's icmp_err_convert) */
	bool fatal;
};

#endif
