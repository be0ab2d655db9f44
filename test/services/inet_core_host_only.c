/* Host tests of the IPv4 stack's core: checksums, byte rings, the timer heap, interfaces and the routing tables. */
#include <abi/errno.h>
#include <frame/string.h>
#include "inet_fixture.h"
#include "../../kernel/net/inet/ring.h"

KTEST(inet_checksum_rfc1071)
{
	/* RFC 1071's example: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2. */
	static const uint8_t d[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
	KEXPECT_EQ(csum_fold(csum_add(0, d, sizeof(d))), (uint16_t)~0xddf2);
	/* Odd lengths pad with a zero byte; pieces at even offsets sum like the whole. */
	uint32_t whole = csum_add(0, d, 7);
	uint32_t parts = csum_add(csum_add(0, d, 4), d + 4, 3);
	KEXPECT_EQ(csum_fold(whole), csum_fold(parts));
	static const uint8_t odd[] = { 0xab };
	KEXPECT_EQ(csum_fold(csum_add(0, odd, 1)), (uint16_t)~0xab00);
	/* A packet with its checksum in place sums to zero. */
	struct pkt *p = mk_ip(IP4(10, 0, 0, 1), IP4(10, 0, 0, 2), 17, "hi", 2);
	KEXPECT_EQ(csum_fold(csum_add(0, pkt_data(p), IP_HLEN)), 0);
	pkt_free(p);
	KEXPECT_EQ(pkt_live(), 0);
}

KTEST(inet_ring_wraps)
{
	struct ring r = { 0 };
	KASSERT(ring_resize(&r, 8) == 0);
	KEXPECT_EQ(ring_put(&r, "abcdef", 6), 6);
	ring_drop(&r, 4);
	KEXPECT_EQ(ring_put(&r, "ghijklmn", 8), 6);	/* only the room */
	char out[8];
	ring_peek(&r, 0, out, 8);
	KEXPECT(memcmp(out, "efghijkl", 8) == 0);
	ring_drop(&r, 3);
	KASSERT(ring_resize(&r, 16) == 0);	/* keeps the data across the wrap */
	ring_peek(&r, 0, out, 5);
	KEXPECT(memcmp(out, "hijkl", 5) == 0);
	KEXPECT_EQ(r.len, 5);
	ring_free(&r);
}

static int fired[4];
static void on_fire(struct ntimer *t)
{
	fired[t->deadline % 4]++;
}

KTEST(inet_timer_heap_order)
{
	nf_begin();
	struct ntimer t[100];
	uint64_t base = nf_now();
	for (int i = 0; i < 100; i++) {
		ntimer_init(&t[i], on_fire);
		net_lock();
		/* Deadlines out of order; some moved, some cancelled. */
		ntimer_arm(&t[i], base + (uint64_t)((i * 37) % 100 + 1) * 1000);
		net_unlock();
	}
	net_lock();
	for (int i = 0; i < 100; i += 10)
		ntimer_cancel(&t[i]);
	ntimer_arm(&t[1], base + 500 * 1000);
	KEXPECT_EQ(ntimer_count(), 90);
	uint64_t prev = 0;
	bool sorted = true;
	/* The heap gives deadlines in order. */
	while (ntimer_count()) {
		uint64_t next = ntimer_next();
		if (next < prev)
			sorted = false;
		prev = next;
		for (int i = 0; i < 100; i++)
			if (ntimer_armed(&t[i]) && t[i].deadline == next) {
				ntimer_cancel(&t[i]);
				break;
			}
	}
	net_unlock();
	KEXPECT(sorted);
	memset(fired, 0, sizeof(fired));
	net_lock();
	ntimer_arm(&t[0], base + 1000);
	ntimer_arm(&t[2], base + 2000);
	net_unlock();
	nf_advance(1500);
	KEXPECT_EQ(fired[0] + fired[1] + fired[2] + fired[3], 1);
	nf_advance(1000);
	KEXPECT_EQ(fired[0] + fired[1] + fired[2] + fired[3], 2);
	nf_end(ktest_ctx);
}

KTEST(inet_lo_comes_up_with_127)
{
	nf_begin();
	net_lock();
	struct netif *lo = netif_loopback();
	KEXPECT(lo != NULL);
	KEXPECT(strcmp(lo->name, "lo") == 0);
	KEXPECT_EQ(lo->index, 1);
	KEXPECT_EQ(lo->mtu, 65536);
	KEXPECT(netif_user_flags(lo) & IFF_RUNNING);
	KEXPECT(lo->addrs && lo->addrs->local == LOCALHOST && lo->addrs->prefixlen == 8);
	/* All of 127.0.0.0/8 is local, through lo. */
	struct route_result rr;
	KEXPECT_EQ(route_lookup(IP4(127, 1, 2, 3), NULL, &rr), 0);
	KEXPECT_EQ(rr.type, RTN_LOCAL);
	KEXPECT(rr.dev == lo);
	KEXPECT_EQ(rr.src, LOCALHOST);	/* the local route's preferred source, as Linux */
	KEXPECT(netif_for_local(IP4(127, 9, 9, 9)) == lo);
	KEXPECT_EQ(route_lookup(IP4(8, 8, 8, 8), NULL, &rr), -ENETUNREACH);
	/* Down: no routes, nothing is local; the address stays, as on Linux. */
	netif_set_flags(lo, lo->flags & ~(uint32_t)IFF_UP);
	KEXPECT_EQ(route_lookup(LOCALHOST, NULL, &rr), -ENETUNREACH);
	KEXPECT(netif_for_local(LOCALHOST) == NULL);
	KEXPECT(lo->addrs != NULL);
	netif_set_flags(lo, lo->flags | IFF_UP);
	KEXPECT_EQ(route_lookup(LOCALHOST, NULL, &rr), 0);
	net_unlock();
	nf_end(ktest_ctx);
}

KTEST(inet_route_longest_prefix)
{
	nf_begin();
	struct tap *t = tap_create(IP4(10, 0, 2, 15), 24, IP4(10, 0, 2, 2));
	net_lock();
	struct route_result rr;
	/* The kernel's prefix route: on-link, source from the interface. */
	KEXPECT_EQ(route_lookup(IP4(10, 0, 2, 77), NULL, &rr), 0);
	KEXPECT(rr.dev == &t->dev);
	KEXPECT_EQ(rr.nexthop, IP4(10, 0, 2, 77));
	KEXPECT_EQ(rr.src, IP4(10, 0, 2, 15));
	KEXPECT_EQ(route_lookup(IP4(1, 2, 3, 4), NULL, &rr), -ENETUNREACH);
	/* A default route, a more specific one, and one more specific still. */
	struct route def = { .table = RT_TABLE_MAIN, .type = RTN_UNICAST, .protocol = RTPROT_BOOT,
			     .gateway = IP4(10, 0, 2, 2) };
	KEXPECT_EQ(route_add(&def, false), 0);
	KEXPECT_EQ(route_add(&def, false), -EEXIST);
	struct route r16 = def;
	r16.dst = IP4(192, 168, 0, 0);
	r16.prefixlen = 16;
	r16.gateway = IP4(10, 0, 2, 3);
	KEXPECT_EQ(route_add(&r16, false), 0);
	struct route r24 = r16;
	r24.dst = IP4(192, 168, 7, 0);
	r24.prefixlen = 24;
	r24.gateway = IP4(10, 0, 2, 4);
	KEXPECT_EQ(route_add(&r24, false), 0);
	struct route bad = def;
	bad.dst = IP4(172, 16, 0, 0);
	bad.prefixlen = 12;
	bad.gateway = IP4(99, 0, 0, 1);	/* not on any connected subnet */
	KEXPECT_EQ(route_add(&bad, false), -ENETUNREACH);
	KEXPECT_EQ(route_lookup(IP4(1, 2, 3, 4), NULL, &rr), 0);
	KEXPECT_EQ(rr.nexthop, IP4(10, 0, 2, 2));
	KEXPECT_EQ(route_lookup(IP4(192, 168, 1, 1), NULL, &rr), 0);
	KEXPECT_EQ(rr.nexthop, IP4(10, 0, 2, 3));
	KEXPECT_EQ(route_lookup(IP4(192, 168, 7, 9), NULL, &rr), 0);
	KEXPECT_EQ(rr.nexthop, IP4(10, 0, 2, 4));
	/* The connected subnet beats the default; the own address is local. */
	KEXPECT_EQ(route_lookup(IP4(10, 0, 2, 9), NULL, &rr), 0);
	KEXPECT_EQ(rr.nexthop, IP4(10, 0, 2, 9));
	KEXPECT_EQ(route_lookup(IP4(10, 0, 2, 15), NULL, &rr), 0);
	KEXPECT_EQ(rr.type, RTN_LOCAL);
	KEXPECT(rr.dev == netif_loopback());
	KEXPECT_EQ(route_lookup(IP4(10, 0, 2, 255), NULL, &rr), 0);
	KEXPECT_EQ(rr.type, RTN_BROADCAST);
	/* Unreachable routes answer EHOSTUNREACH; deleting works by key. */
	struct route un = { .table = RT_TABLE_MAIN, .type = RTN_UNREACHABLE, .dst = IP4(192, 168, 7, 128),
			    .prefixlen = 25 };
	KEXPECT_EQ(route_add(&un, false), 0);
	KEXPECT_EQ(route_lookup(IP4(192, 168, 7, 200), NULL, &rr), -EHOSTUNREACH);
	KEXPECT_EQ(route_del(&un), 0);
	KEXPECT_EQ(route_del(&un), -ESRCH);
	KEXPECT_EQ(route_del(&r24), 0);
	KEXPECT_EQ(route_lookup(IP4(192, 168, 7, 9), NULL, &rr), 0);
	KEXPECT_EQ(rr.nexthop, IP4(10, 0, 2, 3));
	/* The interface going down takes every route through it, static ones too. */
	netif_set_flags(&t->dev, t->dev.flags & ~(uint32_t)IFF_UP);
	KEXPECT_EQ(route_lookup(IP4(1, 2, 3, 4), NULL, &rr), -ENETUNREACH);
	KEXPECT_EQ(route_lookup(IP4(10, 0, 2, 15), NULL, &rr), -ENETUNREACH);
	net_unlock();
	tap_destroy(t);
	nf_end(ktest_ctx);
}

KTEST(inet_addresses_primary_secondary)
{
	nf_begin();
	struct tap *t = tap_create(IP4(10, 0, 2, 15), 24, 0);
	net_lock();
	KEXPECT_EQ(netif_addr_add(&t->dev, IP4(10, 0, 2, 15), 0, 24, 0, 0, NULL), -EEXIST);
	KEXPECT_EQ(netif_addr_add(&t->dev, IP4(10, 0, 2, 16), 0, 24, 0xffffffffu, 0, NULL), 0);
	struct ifaddr *second = t->dev.addrs->next;
	KEXPECT(second && (second->flags & IFA_F_SECONDARY));
	KEXPECT_EQ(second->broadcast, IP4(10, 0, 2, 255));
	KEXPECT(netif_for_local(IP4(10, 0, 2, 16)) == &t->dev);
	KEXPECT_EQ(netif_select_source(&t->dev, IP4(10, 0, 2, 99)), IP4(10, 0, 2, 15));
	/* The primary goes: the secondary is promoted and keeps the subnet route. */
	KEXPECT_EQ(netif_addr_del(&t->dev, IP4(10, 0, 2, 15), 24), 0);
	KEXPECT(!(t->dev.addrs->flags & IFA_F_SECONDARY));
	struct route_result rr;
	KEXPECT_EQ(route_lookup(IP4(10, 0, 2, 99), NULL, &rr), 0);
	KEXPECT_EQ(rr.src, IP4(10, 0, 2, 16));
	KEXPECT_EQ(netif_addr_del(&t->dev, IP4(10, 0, 2, 15), 24), -EADDRNOTAVAIL);
	net_unlock();
	tap_destroy(t);
	nf_end(ktest_ctx);
}
