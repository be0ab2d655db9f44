/* Host tests of IPv4 input and output over a fake Ethernet device: header checks, fragment reassembly and its limits, fragmentation, ICMP echo and errors, ARP. */
#include <abi/errno.h>
#include <frame/heap.h>
#include <frame/string.h>
#include "inet_fixture.h"

#define US IP4(10, 0, 2, 15)
#define PEER IP4(10, 0, 2, 2)

/* An ICMP echo request from the peer, as IPv4 with a good checksum. */
static struct pkt *echo_request(uint16_t id, uint16_t seq, const char *data)
{
	uint8_t m[64];
	uint32_t n = 8 + (uint32_t)strlen(data);
	memset(m, 0, 8);
	m[0] = ICMP_ECHO;
	wr16(m + 4, id);
	wr16(m + 6, seq);
	memcpy(m + 8, data, strlen(data));
	wr16(m + 2, csum_fold(csum_add(0, m, n)));
	return mk_ip(PEER, US, IPPROTO_ICMP, m, n);
}

KTEST(inet_icmp_echo_reply)
{
	nf_begin();
	struct tap *t = tap_create(US, 24, PEER);
	tap_inject_ip(t, echo_request(0x77, 3, "ping!"));
	struct pkt *r = tap_pop(t);
	KASSERT(r != NULL);
	struct cap c;
	KASSERT(cap_parse(r, &c));
	KEXPECT_EQ(c.proto, IPPROTO_ICMP);
	KEXPECT_EQ(c.saddr, US);
	KEXPECT_EQ(c.daddr, PEER);
	KEXPECT_EQ(c.l4[0], ICMP_ECHOREPLY);
	KEXPECT_EQ(rd16(c.l4 + 4), 0x77);
	KEXPECT_EQ(rd16(c.l4 + 6), 3);
	KEXPECT(memcmp(c.l4 + 8, "ping!", 5) == 0);
	KEXPECT_EQ(csum_fold(csum_add(0, c.l4, 13)), 0);
	/* The destination MAC is the peer's, from the ARP cache. */
	KEXPECT(memcmp(pkt_data(r), t->peer_mac, ETH_ALEN) == 0);
	pkt_free(r);
	/* A broadcast echo is ignored (icmp_echo_ignore_broadcasts). */
	struct pkt *b = echo_request(1, 1, "x");
	wr32(pkt_data(b) + 16, IP4(10, 0, 2, 255));
	wr16(pkt_data(b) + 10, 0);
	wr16(pkt_data(b) + 10, csum_fold(csum_add(0, pkt_data(b), IP_HLEN)));
	tap_inject_ip(t, b);
	KEXPECT(tap_pop(t) == NULL);
	tap_destroy(t);
	nf_end(ktest_ctx);
}

KTEST(inet_ip_header_checks)
{
	nf_begin();
	struct tap *t = tap_create(US, 24, PEER);
	uint64_t hdr0 = net_mib.ip_in_hdr_errors, addr0 = net_mib.ip_in_addr_errors;
	uint64_t csum0 = net_mib.ip_in_csum_errors;
	/* Bad checksum, version, header length, total length; each counted and dropped. */
	struct pkt *p = echo_request(1, 1, "a");
	pkt_data(p)[10] ^= 0x55;
	tap_inject_ip(t, p);
	p = echo_request(1, 1, "a");
	pkt_data(p)[0] = 0x65;
	tap_inject_ip(t, p);
	p = echo_request(1, 1, "a");
	pkt_data(p)[0] = 0x44;
	tap_inject_ip(t, p);
	p = echo_request(1, 1, "a");
	wr16(pkt_data(p) + 2, 200);	/* longer than the frame */
	wr16(pkt_data(p) + 10, 0);
	wr16(pkt_data(p) + 10, csum_fold(csum_add(0, pkt_data(p), IP_HLEN)));
	tap_inject_ip(t, p);
	KEXPECT_EQ(net_mib.ip_in_csum_errors - csum0, 1);
	KEXPECT_EQ(net_mib.ip_in_hdr_errors - hdr0, 4);
	/* Not for us (no forwarding), and a loopback source on the wire: address errors. */
	p = mk_ip(PEER, IP4(10, 0, 2, 99), IPPROTO_UDP, "xxxxxxxx", 8);
	tap_inject_ip(t, p);
	p = mk_ip(LOCALHOST, US, IPPROTO_UDP, "xxxxxxxx", 8);
	tap_inject_ip(t, p);
	KEXPECT_EQ(net_mib.ip_in_addr_errors - addr0, 2);
	/* An unknown protocol: ICMP protocol unreachable. */
	p = mk_ip(PEER, US, 99, "zz", 2);
	tap_inject_ip(t, p);
	struct pkt *r = tap_pop(t);
	struct cap c;
	KASSERT(r && cap_parse(r, &c));
	KEXPECT_EQ(c.l4[0], ICMP_DEST_UNREACH);
	KEXPECT_EQ(c.l4[1], ICMP_PROT_UNREACH);
	pkt_free(r);
	KEXPECT(tap_pop(t) == NULL);
	tap_destroy(t);
	nf_end(ktest_ctx);
}

/* A fragment of a UDP datagram: bytes [@off, @off + @len) of @dgram (its UDP header and data). */
static struct pkt *fragment_of(const uint8_t *dgram, uint16_t off, uint16_t len, bool more, uint16_t id)
{
	struct pkt *p = mk_ip(PEER, US, IPPROTO_UDP, dgram + off, len);
	uint8_t *h = pkt_data(p);
	wr16(h + 4, id);
	wr16(h + 6, (uint16_t)((off / 8) | (more ? IP_MF : 0)));
	wr16(h + 10, 0);
	wr16(h + 10, csum_fold(csum_add(0, h, IP_HLEN)));
	return p;
}

static uint8_t *udp_dgram(uint16_t dport, uint32_t n)
{
	uint8_t *d = kmalloc(8 + n);
	wr16(d, 4242);
	wr16(d + 2, dport);
	wr16(d + 4, (uint16_t)(8 + n));
	for (uint32_t i = 0; i < n; i++)
		d[8 + i] = (uint8_t)(i * 13);
	uint16_t c = csum_fold(csum_add(csum_pseudo(PEER, US, IPPROTO_UDP, 8 + n), d, 8 + n));
	wr16(d + 6, c ? c : 0xffff);
	return d;
}

KTEST(inet_ip_reassembly)
{
	nf_begin();
	struct tap *t = tap_create(US, 24, PEER);
	struct inet_sock *u = nf_socket(SOCK_DGRAM, 0);
	KEXPECT_EQ(nf_bind(u, 0, 9000), 0);
	uint8_t *d = udp_dgram(9000, 3992);	/* 4000 bytes: 1480 + 1480 + 1040 */
	/* Out of order, with an exact duplicate: one datagram arrives, intact. */
	tap_inject_ip(t, fragment_of(d, 2960, 1040, false, 1));
	tap_inject_ip(t, fragment_of(d, 0, 1480, true, 1));
	tap_inject_ip(t, fragment_of(d, 0, 1480, true, 1));
	KEXPECT_EQ(ip_frag_queues(), 1);
	tap_inject_ip(t, fragment_of(d, 1480, 1480, true, 1));
	KEXPECT_EQ(ip_frag_queues(), 0);
	uint8_t buf[4096];
	uint32_t from;
	uint16_t port;
	KEXPECT_EQ(nf_recvfrom(u, buf, sizeof(buf), &from, &port), 3992);
	KEXPECT(memcmp(buf, d + 8, 3992) == 0);
	KEXPECT_EQ(from, PEER);
	KEXPECT_EQ(port, 4242);
	/* Overlapping fragments discard the whole datagram (RFC 5722). */
	uint64_t fails0 = net_mib.ip_reasm_fails;
	tap_inject_ip(t, fragment_of(d, 0, 1480, true, 2));
	tap_inject_ip(t, fragment_of(d, 1472, 1488, true, 2));
	KEXPECT_EQ(net_mib.ip_reasm_fails - fails0, 1);
	KEXPECT_EQ(ip_frag_queues(), 0);
	tap_inject_ip(t, fragment_of(d, 2960, 1040, false, 2));
	KEXPECT_EQ(nf_recvfrom(u, buf, sizeof(buf), &from, &port), -EAGAIN);
	/* A datagram that never completes times out after 30 s: ICMP time exceeded (the first fragment came). */
	tap_flush(t);
	tap_inject_ip(t, fragment_of(d, 0, 1480, true, 3));
	KEXPECT_EQ(ip_frag_queues(), 2);	/* and id 2's tail from above */
	nf_advance(SEC(29));
	KEXPECT_EQ(ip_frag_queues(), 2);
	nf_advance(SEC(2));
	KEXPECT_EQ(ip_frag_queues(), 0);
	KEXPECT_EQ(ip_frag_mem(), 0);
	struct pkt *r;
	struct cap c;
	int exceeded = 0;
	while ((r = tap_pop(t))) {
		if (cap_parse(r, &c) && c.proto == IPPROTO_ICMP && c.l4[0] == ICMP_TIME_EXCEEDED &&
		    c.l4[1] == ICMP_EXC_FRAGTIME)
			exceeded++;
		pkt_free(r);
	}
	KEXPECT_EQ(exceeded, 1);	/* only for id 3: id 2's first fragment never came */
	/* Fragments past 64 KiB, and bad middle lengths, are dropped. */
	tap_inject_ip(t, fragment_of(d, 0, 1480, true, 4));
	struct pkt *big = fragment_of(d, 0, 1480, false, 4);
	wr16(pkt_data(big) + 6, (uint16_t)(65000 / 8));
	wr16(pkt_data(big) + 10, 0);
	wr16(pkt_data(big) + 10, csum_fold(csum_add(0, pkt_data(big), IP_HLEN)));
	tap_inject_ip(t, big);
	KEXPECT_EQ(ip_frag_queues(), 1);
	nf_advance(SEC(31));
	tap_flush(t);
	kfree(d);
	nf_close(u);
	tap_destroy(t);
	nf_end(ktest_ctx);
}

KTEST(inet_ip_reassembly_memory_limit)
{
	nf_begin();
	struct tap *t = tap_create(US, 24, PEER);
	uint8_t *d = udp_dgram(9001, 1472);
	/* Thousands of datagrams that never complete: memory and count stay bounded. */
	for (uint16_t id = 0; id < 3000; id++)
		tap_inject_ip(t, fragment_of(d, 0, 1480, true, id));
	KEXPECT(ip_frag_queues() <= IPFRAG_MAX_QUEUES);
	KEXPECT(ip_frag_mem() <= IPFRAG_HIGH_THRESH);
	nf_advance(SEC(31));
	KEXPECT_EQ(ip_frag_queues(), 0);
	tap_flush(t);
	kfree(d);
	tap_destroy(t);
	nf_end(ktest_ctx);
}

KTEST(inet_ip_fragments_big_datagram)
{
	nf_begin();
	struct tap *t = tap_create(US, 24, PEER);
	struct inet_sock *u = nf_socket(SOCK_DGRAM, 0);
	static uint8_t big[5000];
	for (unsigned i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)i;
	KEXPECT_EQ(nf_sendto(u, big, sizeof(big), PEER, 53), (ssize_t)sizeof(big));
	/* 5008 bytes of UDP over a 1500-byte MTU: 1480 + 1480 + 1480 + 568, MF on all but the last. */
	uint32_t offs[8], n = 0;
	struct pkt *r;
	struct cap c;
	uint8_t got[5008];
	while ((r = tap_pop(t)) && n < 8) {
		KASSERT(cap_parse(r, &c));
		uint32_t off = (uint32_t)(c.frag & IP_OFFMASK) * 8;
		uint32_t len = rd16(pkt_data(r) + ETH_HLEN + 2) - IP_HLEN;
		offs[n++] = off;
		memcpy(got + off, c.l4, len);
		KEXPECT_EQ(!!(c.frag & IP_MF), off + len < 5008);
		pkt_free(r);
	}
	KEXPECT_EQ(n, 4);
	KEXPECT_EQ(offs[3], 4440);
	KEXPECT(memcmp(got + 8, big, sizeof(big)) == 0);
	KEXPECT_EQ(csum_fold(csum_add(csum_pseudo(US, PEER, IPPROTO_UDP, 5008), got, 5008)), 0);
	/* IP_MTU_DISCOVER=DO: too big is EMSGSIZE instead. */
	net_lock();
	u->pmtudisc = IP_PMTUDISC_DO;
	net_unlock();
	KEXPECT_EQ(nf_sendto(u, big, sizeof(big), PEER, 53), -EMSGSIZE);
	nf_close(u);
	tap_destroy(t);
	nf_end(ktest_ctx);
}

KTEST(inet_arp_resolve_and_reply)
{
	nf_begin();
	struct tap *t = tap_create(US, 24, 0);
	struct inet_sock *u = nf_socket(SOCK_DGRAM, 0);
	/* A datagram to an unknown neighbour waits for ARP; the request is broadcast. */
	KEXPECT_EQ(nf_sendto(u, "q", 1, IP4(10, 0, 2, 3), 53), 1);
	struct pkt *r = tap_pop(t);
	KASSERT(r != NULL);
	const uint8_t *f = pkt_data(r);
	KEXPECT_EQ(rd16(f + 12), ETH_P_ARP);
	KEXPECT_EQ(f[0], 0xff);
	KEXPECT_EQ(rd16(f + 14 + 6), ARPOP_REQUEST);
	KEXPECT_EQ(rd32(f + 14 + 24), IP4(10, 0, 2, 3));
	KEXPECT_EQ(rd32(f + 14 + 14), US);
	pkt_free(r);
	KEXPECT(tap_pop(t) == NULL);
	/* The reply releases the queued datagram. */
	uint8_t rep[42] = { 0 };
	memcpy(rep, t->dev.addr, 6);
	static const uint8_t mac3[6] = { 2, 0, 0, 0, 0, 3 };
	memcpy(rep + 6, mac3, 6);
	wr16(rep + 12, ETH_P_ARP);
	wr16(rep + 14, ARPHRD_ETHER);
	wr16(rep + 16, ETH_P_IP);
	rep[18] = 6;
	rep[19] = 4;
	wr16(rep + 20, ARPOP_REPLY);
	memcpy(rep + 22, mac3, 6);
	wr32(rep + 28, IP4(10, 0, 2, 3));
	memcpy(rep + 32, t->dev.addr, 6);
	wr32(rep + 38, US);
	tap_inject_frame(t, rep, sizeof(rep));
	r = tap_pop(t);
	struct cap c;
	KASSERT(r && cap_parse(r, &c));
	KEXPECT(memcmp(pkt_data(r), mac3, 6) == 0);
	KEXPECT_EQ(c.proto, IPPROTO_UDP);
	pkt_free(r);
	/* A request for our address is answered. */
	uint8_t req[42];
	memcpy(req, rep, sizeof(req));
	memset(req, 0xff, 6);
	wr16(req + 20, ARPOP_REQUEST);
	memset(req + 32, 0, 6);
	tap_inject_frame(t, req, sizeof(req));
	r = tap_pop(t);
	KASSERT(r != NULL);
	KEXPECT_EQ(rd16(pkt_data(r) + 20), ARPOP_REPLY);
	KEXPECT(memcmp(pkt_data(r), mac3, 6) == 0);
	pkt_free(r);
	/* An unanswered neighbour: three requests a second apart, then the datagram is dropped. */
	KEXPECT_EQ(nf_sendto(u, "q", 1, IP4(10, 0, 2, 4), 53), 1);
	nf_advance(SEC(5));
	uint32_t requests = 0;
	while ((r = tap_pop(t))) {
		if (rd16(pkt_data(r) + 12) == ETH_P_ARP)
			requests++;
		pkt_free(r);
	}
	KEXPECT_EQ(requests, 3);
	struct arp_entry_view v;
	KEXPECT(arp_entry_at(0, &v) && v.ip == IP4(10, 0, 2, 3));
	KEXPECT(!arp_entry_at(1, &v));
	nf_close(u);
	tap_destroy(t);
	nf_end(ktest_ctx);
}
