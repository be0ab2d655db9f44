/* Fuzzing the receive path: random and mutated frames into an Ethernet device and the loopback; nothing crashes (ASan/UBSan watch) and memory returns to where it was. */
#include <abi/errno.h>
#include <frame/heap.h>
#include <frame/string.h>
#include <kernel/random.h>
#include "inet_fixture.h"

#define US IP4(10, 0, 2, 15)
#define PEER IP4(10, 0, 2, 2)

static uint64_t rnd(void)
{
	return random_u64();
}

/* A plausible frame to start from: TCP to a listener, UDP to a socket, ICMP, fragments, ARP. */
static uint32_t seed_frame(uint8_t *f, struct tap *t, uint32_t kind, uint32_t iss)
{
	struct pkt *p = NULL;
	uint8_t opts[20] = { TCPOPT_MSS, 4, 5, 0xb4, TCPOPT_SACK_PERM, 2, TCPOPT_TIMESTAMP, 10,
			     1, 2, 3, 4, 0, 0, 0, 0, TCPOPT_NOP, TCPOPT_WINDOW, 3, 7 };
	switch (kind % 6) {
	case 0:
		p = mk_tcp(PEER, (uint16_t)(1000 + kind % 50), US, 80, iss, 0, TCPF_SYN, 8192, opts, 20, NULL, 0);
		break;
	case 1:
		p = mk_tcp(PEER, (uint16_t)(1000 + kind % 50), US, 80, iss + 1, (uint32_t)rnd(), TCPF_ACK,
			   8192, opts + 4, 16, "payload", 7);
		break;
	case 2:
		p = mk_udp(PEER, 53, US, 5353, "datagram", 8);
		break;
	case 3: {
		uint8_t m[16] = { ICMP_DEST_UNREACH, 3, 0, 0, 0, 0, 0, 0, 0x45, 0, 0, 40 };
		p = mk_ip(PEER, US, IPPROTO_ICMP, m, sizeof(m));
		break;
	}
	case 4:
		p = mk_udp(PEER, 53, US, 5353, "fragment-fragment", 17);
		wr16(pkt_data(p) + 6, (uint16_t)(rnd() & 0x3fff));
		break;
	default: {
		uint8_t a[42] = { 0 };
		memset(a, 0xff, 6);
		memcpy(a + 6, t->peer_mac, 6);
		wr16(a + 12, ETH_P_ARP);
		wr16(a + 14, 1);
		wr16(a + 16, ETH_P_IP);
		a[18] = 6;
		a[19] = 4;
		wr16(a + 20, 1);
		memcpy(a + 22, t->peer_mac, 6);
		wr32(a + 28, PEER);
		wr32(a + 38, US);
		memcpy(f, a, sizeof(a));
		return sizeof(a);
	}
	}
	memcpy(f, t->dev.addr, 6);
	memcpy(f + 6, t->peer_mac, 6);
	wr16(f + 12, ETH_P_IP);
	memcpy(f + ETH_HLEN, pkt_data(p), p->len);
	uint32_t n = ETH_HLEN + p->len;
	pkt_free(p);
	return n;
}

/* Flip, overwrite, cut or grow; sometimes repair the IPv4 header checksum so deeper layers see it. */
static uint32_t mutate(uint8_t *f, uint32_t n, uint32_t cap)
{
	uint32_t edits = 1 + (uint32_t)(rnd() % 6);
	for (uint32_t i = 0; i < edits; i++) {
		uint32_t at = (uint32_t)(rnd() % n);
		switch (rnd() % 5) {
		case 0:
			f[at] ^= (uint8_t)(1u << (rnd() % 8));
			break;
		case 1:
			f[at] = (uint8_t)rnd();
			break;
		case 2:
			n = at + 1;
			break;
		case 3:
			if (n < cap) {
				f[n] = (uint8_t)rnd();
				n++;
			}
			break;
		default:
			/* Interesting values in header fields: lengths, offsets, flags. */
			f[at] = (uint8_t[]){ 0, 0xff, 0x7f, 0x80, 5, 15, 0x40, 0x20 }[rnd() % 8];
		}
	}
	if (n >= ETH_HLEN + IP_HLEN && rd16(f + 12) == ETH_P_IP && (rnd() & 1)) {
		uint8_t *ip = f + ETH_HLEN;
		uint32_t ihl = (uint32_t)(ip[0] & 15) * 4;
		if (ihl >= IP_HLEN && ETH_HLEN + ihl <= n) {
			wr16(ip + 10, 0);
			wr16(ip + 10, csum_fold(csum_add(0, ip, ihl)));
		}
	}
	return n;
}

KTEST(inet_fuzz_receive_path)
{
	nf_begin();
	struct tap *t = tap_create(US, 24, PEER);
	struct inet_sock *l = nf_socket(SOCK_STREAM, 0);
	nf_bind(l, 0, 80);
	nf_listen(l, 64);
	struct inet_sock *u = nf_socket(SOCK_DGRAM, 0);
	nf_bind(u, 0, 5353);
	uint64_t pkts0 = pkt_live();
	static uint8_t f[2048];
	for (uint32_t i = 0; i < 60000; i++) {
		uint32_t n;
		if (i % 10 == 0) {
			/* Pure noise. */
			n = (uint32_t)(rnd() % 200);
			for (uint32_t k = 0; k < n; k++)
				f[k] = (uint8_t)rnd();
		} else {
			n = mutate(f, seed_frame(f, t, i, (uint32_t)rnd()), sizeof(f));
		}
		tap_inject_frame(t, f, n);
		if (i % 500 == 0) {
			tap_flush(t);
			nf_advance(MS(700));
			char buf[64];
			while (nf_recv(u, buf, sizeof(buf), 0) > 0)
				;
			struct inet_sock *s;
			while (nf_accept(l, &s) == 0)
				nf_close(s);
		}
	}
	/* Loopback gets garbage too (checksums taken as good there). */
	struct netif *lo = netif_loopback();
	for (uint32_t i = 0; i < 5000; i++) {
		uint32_t n = seed_frame(f, t, i, (uint32_t)rnd());
		n = mutate(f + ETH_HLEN, n - ETH_HLEN, sizeof(f) - ETH_HLEN);
		struct pkt *p = pkt_alloc(PKT_HEADROOM, n);
		memcpy(pkt_data(p), f + ETH_HLEN, n);
		if (n >= 20) {
			wr32(pkt_data(p) + 12, LOCALHOST);
			wr32(pkt_data(p) + 16, LOCALHOST);
		}
		p->flags = PKT_CSUM_OK;
		net_lock();
		netif_rx(lo, p);
		net_unlock();
	}
	tap_flush(t);
	struct inet_sock *s;
	while (nf_accept(l, &s) == 0)
		nf_close(s);
	nf_close(l);
	nf_close(u);
	/* Everything half-made (reassembly, SYN_RECV children, ARP) times out; memory comes back. */
	nf_advance(SEC(600));
	tap_flush(t);
	KEXPECT_EQ(pkt_live(), pkts0);
	KEXPECT_EQ(ip_frag_mem(), 0);
	KEXPECT_EQ(tcp_count_state(TCP_SYN_RECV), 0);
	tap_destroy(t);
	nf_end(ktest_ctx);
}
