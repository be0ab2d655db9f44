/* Host tests of TCP against a scripted peer on a fake Ethernet link: options, RTO and backoff, fast retransmit, windows, RFC 5961 resets, PAWS, keepalive, delayed ACKs, SACK, out-of-order data. */
#include <abi/errno.h>
#include <abi/poll.h>
#include <abi/tcp.h>
#include <frame/heap.h>
#include <frame/string.h>
#include "inet_fixture.h"

#define US IP4(10, 0, 2, 15)
#define PEER IP4(10, 0, 2, 2)
#define PPORT 80

struct conn {
	struct tap *t;
	struct inet_sock *sk;
	uint16_t lport;
	uint32_t snd;		/* the peer's next sequence number */
	uint32_t rcv;		/* what the peer acknowledges (our next) */
	uint32_t tsval;		/* the peer's timestamp clock */
	uint32_t our_ts;	/* our last timestamp the peer saw */
	bool ts;
};

static uint32_t put_ts(uint8_t *o, uint32_t val, uint32_t ecr)
{
	o[0] = TCPOPT_NOP;
	o[1] = TCPOPT_NOP;
	o[2] = TCPOPT_TIMESTAMP;
	o[3] = 10;
	wr32(o + 4, val);
	wr32(o + 8, ecr);
	return 12;
}

/* A segment from the peer (timestamps when negotiated). */
static void peer_send(struct conn *k, uint8_t flags, const void *data, uint32_t len, uint16_t wnd)
{
	uint8_t o[40];
	uint32_t olen = k->ts ? put_ts(o, k->tsval++, k->our_ts) : 0;
	struct pkt *p = mk_tcp(PEER, PPORT, US, k->lport, k->snd, k->rcv, flags, wnd, o, olen, data, len);
	tap_inject_ip(k->t, p);
}

/* Our next segment (skipping ARP); false if there is none. */
static bool our_seg(struct conn *k, struct cap *c, struct pkt **keep)
{
	struct pkt *p;
	if (!tap_pop_tcp(k->t, &p, c))
		return false;
	if (c->tcp.has_ts)
		k->our_ts = c->tcp.tsval;
	*keep = p;
	return true;
}

static uint32_t count_segs(struct conn *k)
{
	uint32_t n = 0;
	struct pkt *p;
	struct cap c;
	while (tap_pop_tcp(k->t, &p, &c)) {
		n++;
		pkt_free(p);
	}
	return n;
}

/* Connect our socket to the peer, which answers with @ts timestamps and window scale @ws (-1: none). */
static void open_conn(struct conn *k, bool ts, int ws, uint16_t mss)
{
	memset(k, 0, sizeof(*k));
	k->t = tap_create(US, 24, PEER);
	k->sk = nf_socket(SOCK_STREAM, 0);
	k->ts = ts;
	k->tsval = 1000;
	nf_connect(k->sk, PEER, PPORT);
	k->lport = k->sk->lport;
	struct cap c;
	struct pkt *p;
	if (!our_seg(k, &c, &p))
		return;
	k->rcv = c.tcp.seq + 1;
	k->snd = 777000;
	pkt_free(p);
	uint8_t o[40];
	uint32_t n = 0;
	o[n++] = TCPOPT_MSS;
	o[n++] = 4;
	wr16(o + n, mss);
	n += 2;
	if (ts) {
		o[n++] = TCPOPT_SACK_PERM;
		o[n++] = 2;
		o[n++] = TCPOPT_TIMESTAMP;
		o[n++] = 10;
		wr32(o + n, k->tsval++);
		wr32(o + n + 4, k->our_ts);
		n += 8;
	}
	if (ws >= 0) {
		o[n++] = TCPOPT_NOP;
		o[n++] = TCPOPT_WINDOW;
		o[n++] = 3;
		o[n++] = (uint8_t)ws;
	}
	struct pkt *sa = mk_tcp(PEER, PPORT, US, k->lport, k->snd, k->rcv, TCPF_SYN | TCPF_ACK, 65535,
				o, n, NULL, 0);
	tap_inject_ip(k->t, sa);
	k->snd++;
	if (our_seg(k, &c, &p))
		pkt_free(p);
}

static void close_conn(struct conn *k)
{
	nf_close(k->sk);
	/* Whatever the stack still says goes unanswered: it gives up by itself. */
	nf_advance(SEC(1000));
	tap_destroy(k->t);
}

KTEST(inet_tcp_syn_options)
{
	nf_begin();
	struct tap *t = tap_create(US, 24, PEER);
	struct inet_sock *sk = nf_socket(SOCK_STREAM, 0);
	KEXPECT_EQ(nf_connect(sk, PEER, PPORT), -EINPROGRESS);
	struct pkt *p;
	struct cap c;
	KASSERT(tap_pop_tcp(t, &p, &c));
	/* Linux's SYN: MSS from the MTU, SACK permitted, timestamps, window scale 7, DF set. */
	KEXPECT_EQ(c.tcp.flags, TCPF_SYN);
	KEXPECT(c.csum_ok);
	KEXPECT(c.tcp.has_mss && c.tcp.mss == 1460);
	KEXPECT(c.tcp.sack_perm);
	KEXPECT(c.tcp.has_ts && c.tcp.tsecr == 0);
	KEXPECT(c.tcp.has_ws && c.tcp.ws == 7);
	KEXPECT(c.frag & IP_DF);
	KEXPECT_EQ(c.ttl, 64);
	KEXPECT_EQ(c.tcp.hlen, 40);
	KEXPECT_EQ(c.tcp.wnd, 64240);	/* Linux's: a whole number of 1460-byte segments */
	uint32_t iss = c.tcp.seq;
	pkt_free(p);
	/* RFC 6298: the SYN is resent after 1 s, then 2, 4, ... (tcp_syn_retries = 6), then ETIMEDOUT. */
	nf_advance(MS(999));
	KEXPECT(!tap_pop_tcp(t, &p, &c));
	nf_advance(MS(2));
	KASSERT(tap_pop_tcp(t, &p, &c));
	KEXPECT_EQ(c.tcp.seq, iss);
	pkt_free(p);
	nf_advance(MS(1990));
	KEXPECT(!tap_pop_tcp(t, &p, &c));
	nf_advance(MS(20));
	KEXPECT(tap_pop_tcp(t, &p, &c));
	pkt_free(p);
	nf_advance(SEC(200));
	KEXPECT_EQ(sk->state, TCP_CLOSE);
	KEXPECT_EQ(nf_error(sk), ETIMEDOUT);
	uint32_t n = 0;
	while (tap_pop_tcp(t, &p, &c)) {
		n++;
		pkt_free(p);
	}
	KEXPECT_EQ(n, 4);	/* retries 3..6 */
	nf_close(sk);
	tap_destroy(t);
	nf_end(ktest_ctx);
}

KTEST(inet_tcp_rto_backoff_and_recovery)
{
	nf_begin();
	struct conn k;
	open_conn(&k, true, 7, 1460);
	KEXPECT_EQ(k.sk->state, TCP_ESTABLISHED);
	struct tcp_sock *tp = tcp_sk(k.sk);
	KEXPECT(tp->ts_ok && tp->sack_ok);
	KEXPECT_EQ(tp->snd_wscale, 7);
	KEXPECT_EQ(tp->mss, 1460 - 12);
	KEXPECT_EQ(tp->snd_wnd, 65535);	/* the SYN-ACK's window is not scaled */
	KEXPECT_EQ(nf_send(k.sk, "hello", 5, 0), 5);
	struct cap c;
	struct pkt *p;
	KASSERT(our_seg(&k, &c, &p));
	KEXPECT_EQ(c.tcp.seq, k.rcv);
	KEXPECT_EQ(c.payload_len, 5);
	KEXPECT(c.tcp.flags & TCPF_PSH);
	pkt_free(p);
	/* Lost: resent after the RTO (at least 200 ms), then with the timer doubled. */
	uint64_t rto = tp->rto_ns;
	KEXPECT(rto >= MS(200));
	nf_advance(rto - MS(1));
	KEXPECT_EQ(count_segs(&k), 0);
	nf_advance(MS(2));
	KASSERT(our_seg(&k, &c, &p));
	KEXPECT_EQ(c.tcp.seq, k.rcv);
	KEXPECT_EQ(c.payload_len, 5);
	pkt_free(p);
	KEXPECT_EQ(tp->rto_ns, 2 * rto);
	KEXPECT_EQ(tp->cwnd, tp->mss);
	nf_advance(2 * rto + MS(1));
	KEXPECT_EQ(count_segs(&k), 1);
	/* The ACK comes: the timer stops, the backoff ends. */
	k.rcv += 5;
	peer_send(&k, TCPF_ACK, NULL, 0, 512);
	KEXPECT_EQ(tp->snd_una, k.rcv);
	KEXPECT(!ntimer_armed(&tp->t_rexmt));
	KEXPECT(tp->rto_ns < 2 * rto);
	/* The window is scaled now: 512 << 7. */
	KEXPECT_EQ(tp->snd_wnd, 512u << 7);
	close_conn(&k);
	nf_end(ktest_ctx);
}

KTEST(inet_tcp_fast_retransmit)
{
	nf_begin();
	struct conn k;
	open_conn(&k, true, 7, 1000);
	struct tcp_sock *tp = tcp_sk(k.sk);
	KEXPECT_EQ(tp->mss, 988);
	/* The window the dupacks will repeat (a dupack must not change it, RFC 5681 2). */
	peer_send(&k, TCPF_ACK, NULL, 0, 1000);
	static uint8_t data[988 * 8];
	for (unsigned i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)i;
	KEXPECT_EQ(nf_send(k.sk, data, sizeof(data), 0), (ssize_t)sizeof(data));
	/* Eight segments (the initial window is ten). */
	KEXPECT_EQ(count_segs(&k), 8);
	/* The first is lost: three duplicate ACKs bring it again at once, before any timeout. */
	uint64_t fr0 = net_mib.tcp_fast_retrans;
	for (int i = 0; i < 3; i++)
		peer_send(&k, TCPF_ACK, NULL, 0, 1000);
	struct cap c;
	struct pkt *p;
	KASSERT(our_seg(&k, &c, &p));
	KEXPECT_EQ(c.tcp.seq, k.rcv);
	KEXPECT_EQ(c.payload_len, 988);
	pkt_free(p);
	KEXPECT_EQ(net_mib.tcp_fast_retrans - fr0, 1);
	KEXPECT(tp->in_recovery);
	/* A partial ACK (NewReno): the next hole is resent too. */
	k.rcv += 988;
	peer_send(&k, TCPF_ACK, NULL, 0, 1000);
	KASSERT(our_seg(&k, &c, &p));
	KEXPECT_EQ(c.tcp.seq, k.rcv);
	pkt_free(p);
	/* Everything acknowledged: recovery ends, cwnd is ssthresh-sized. */
	k.rcv += 988 * 7;
	peer_send(&k, TCPF_ACK, NULL, 0, 1000);
	KEXPECT(!tp->in_recovery);
	KEXPECT_EQ(tp->snd_una, tp->snd_max);
	KEXPECT(tp->cwnd <= tp->ssthresh + tp->mss);
	close_conn(&k);
	nf_end(ktest_ctx);
}

KTEST(inet_tcp_rst_rules_rfc5961)
{
	nf_begin();
	struct conn k;
	open_conn(&k, true, 7, 1460);
	struct tcp_sock *tp = tcp_sk(k.sk);
	uint64_t ch0 = net_mib.tcp_challenge_acks;
	/* A reset in the window but not at the next sequence number: challenge ACK, nothing else. */
	k.snd += 100;
	peer_send(&k, TCPF_RST, NULL, 0, 0);
	k.snd -= 100;
	KEXPECT_EQ(k.sk->state, TCP_ESTABLISHED);
	KEXPECT_EQ(net_mib.tcp_challenge_acks - ch0, 1);
	struct cap c;
	struct pkt *p;
	KASSERT(our_seg(&k, &c, &p));
	KEXPECT_EQ(c.tcp.flags, TCPF_ACK);
	KEXPECT_EQ(c.tcp.ack, k.snd);
	pkt_free(p);
	/* Out of the window: silently dropped. */
	k.snd += 0x40000000u;
	peer_send(&k, TCPF_RST, NULL, 0, 0);
	k.snd -= 0x40000000u;
	KEXPECT_EQ(k.sk->state, TCP_ESTABLISHED);
	KEXPECT_EQ(count_segs(&k), 0);
	/* A SYN on the connection: challenge ACK too. */
	peer_send(&k, TCPF_SYN, NULL, 0, 100);
	KEXPECT_EQ(k.sk->state, TCP_ESTABLISHED);
	KEXPECT_EQ(count_segs(&k), 1);
	/* An ACK for data never sent: an ACK back, dropped. */
	k.rcv += 5000;
	peer_send(&k, TCPF_ACK, "zz", 2, 100);
	k.rcv -= 5000;
	KEXPECT_EQ(count_segs(&k), 1);
	KEXPECT_EQ(tp->rcv.len, 0);
	/* PAWS: an old timestamp is dropped (and answered). */
	k.tsval -= 100000;
	peer_send(&k, TCPF_ACK, "old", 3, 100);
	k.tsval += 100000;
	KEXPECT_EQ(tp->rcv.len, 0);
	KEXPECT_EQ(count_segs(&k), 1);
	/* The exact reset ends it: ECONNRESET. */
	peer_send(&k, TCPF_RST, NULL, 0, 0);
	KEXPECT_EQ(k.sk->state, TCP_CLOSE);
	KEXPECT_EQ(nf_error(k.sk), ECONNRESET);
	close_conn(&k);
	nf_end(ktest_ctx);
}

KTEST(inet_tcp_out_of_order_sack_delack)
{
	nf_begin();
	struct conn k;
	open_conn(&k, true, 7, 1460);
	struct tcp_sock *tp = tcp_sk(k.sk);
	uint32_t base = k.snd;
	/* One segment in order: no ACK at once (delayed), one after 40 ms. */
	peer_send(&k, TCPF_ACK, "aaaa", 4, 1000);
	KEXPECT_EQ(count_segs(&k), 0);
	nf_advance(MS(39));
	KEXPECT_EQ(count_segs(&k), 0);
	nf_advance(MS(2));
	struct cap c;
	struct pkt *p;
	KASSERT(our_seg(&k, &c, &p));
	KEXPECT_EQ(c.tcp.ack, base + 4);
	pkt_free(p);
	k.snd = base + 4;
	/* A gap: the later segment is kept and answered at once with a duplicate ACK and a SACK block. */
	k.snd += 8;
	peer_send(&k, TCPF_ACK, "cccccccc", 8, 1000);
	KASSERT(our_seg(&k, &c, &p));
	KEXPECT_EQ(c.tcp.ack, base + 4);
	KEXPECT_EQ(c.tcp.nsack, 1);
	KEXPECT_EQ(c.tcp.sack[0][0], base + 12);
	KEXPECT_EQ(c.tcp.sack[0][1], base + 20);
	pkt_free(p);
	KEXPECT_EQ(tp->rcv.len, 4);
	/* A second island: two blocks, the newest first. */
	k.snd = base + 24;
	peer_send(&k, TCPF_ACK, "ee", 2, 1000);
	KASSERT(our_seg(&k, &c, &p));
	KEXPECT_EQ(c.tcp.nsack, 2);
	KEXPECT_EQ(c.tcp.sack[0][0], base + 24);
	KEXPECT_EQ(c.tcp.sack[1][0], base + 12);
	pkt_free(p);
	/* The hole fills: everything is delivered in order, one cumulative ACK. */
	k.snd = base + 4;
	peer_send(&k, TCPF_ACK, "bbbbbbbb", 8, 1000);
	KASSERT(our_seg(&k, &c, &p));
	KEXPECT_EQ(c.tcp.ack, base + 20);
	KEXPECT_EQ(c.tcp.nsack, 1);
	pkt_free(p);
	k.snd = base + 20;
	peer_send(&k, TCPF_ACK, "dddd", 4, 1000);
	KASSERT(our_seg(&k, &c, &p));
	KEXPECT_EQ(c.tcp.ack, base + 26);
	KEXPECT_EQ(c.tcp.nsack, 0);
	pkt_free(p);
	char buf[64];
	KEXPECT_EQ(nf_recv(k.sk, buf, sizeof(buf), 0), 26);
	KEXPECT(memcmp(buf, "aaaabbbbbbbbccccccccddddee", 26) == 0);
	/* FIN: the socket reads EOF, CLOSE_WAIT. */
	k.snd = base + 26;
	peer_send(&k, TCPF_ACK | TCPF_FIN, NULL, 0, 1000);
	KEXPECT_EQ(k.sk->state, TCP_CLOSE_WAIT);
	KEXPECT_EQ(nf_recv(k.sk, buf, sizeof(buf), 0), 0);
	close_conn(&k);
	nf_end(ktest_ctx);
}

KTEST(inet_tcp_keepalive)
{
	nf_begin();
	struct conn k;
	open_conn(&k, false, -1, 1460);
	struct tcp_sock *tp = tcp_sk(k.sk);
	KEXPECT(!tp->ts_ok && !tp->ws_ok);
	KEXPECT_EQ(tp->mss, 1460);
	nf_setsockopt(k.sk, SOL_SOCKET, SO_KEEPALIVE, 1);
	KEXPECT_EQ(nf_setsockopt(k.sk, SOL_TCP, TCP_KEEPIDLE, 10), 0);
	KEXPECT_EQ(nf_setsockopt(k.sk, SOL_TCP, TCP_KEEPINTVL, 2), 0);
	KEXPECT_EQ(nf_setsockopt(k.sk, SOL_TCP, TCP_KEEPCNT, 3), 0);
	nf_advance(SEC(9));
	KEXPECT_EQ(count_segs(&k), 0);
	nf_advance(SEC(2));
	struct cap c;
	struct pkt *p;
	/* A probe: the sequence number before the window, no data. */
	KASSERT(our_seg(&k, &c, &p));
	KEXPECT_EQ(c.tcp.seq, k.rcv - 1);
	KEXPECT_EQ(c.payload_len, 0);
	pkt_free(p);
	/* Answered: the connection lives on. */
	peer_send(&k, TCPF_ACK, NULL, 0, 1000);
	nf_advance(SEC(9));
	KEXPECT_EQ(k.sk->state, TCP_ESTABLISHED);
	/* Unanswered: three probes two seconds apart, then ETIMEDOUT. */
	nf_advance(SEC(30));
	KEXPECT_EQ(k.sk->state, TCP_CLOSE);
	KEXPECT_EQ(nf_error(k.sk), ETIMEDOUT);
	KEXPECT_EQ(count_segs(&k), 3);
	close_conn(&k);
	nf_end(ktest_ctx);
}

KTEST(inet_tcp_passive_open_and_rst_for_closed_port)
{
	nf_begin();
	struct tap *t = tap_create(US, 24, PEER);
	/* A SYN to a closed port: RST/ACK acknowledging the SYN. */
	struct pkt *syn = mk_tcp(PEER, 40000, US, 8080, 1000, 0, TCPF_SYN, 8192, NULL, 0, NULL, 0);
	tap_inject_ip(t, syn);
	struct pkt *p;
	struct cap c;
	KASSERT(tap_pop_tcp(t, &p, &c));
	KEXPECT_EQ(c.tcp.flags, TCPF_RST | TCPF_ACK);
	KEXPECT_EQ(c.tcp.ack, 1001);
	KEXPECT_EQ(c.tcp.seq, 0);
	pkt_free(p);
	/* A listener: SYN-ACK with only the options the SYN offered, then ESTABLISHED on the ACK. */
	struct inet_sock *l = nf_socket(SOCK_STREAM, 0);
	KEXPECT_EQ(nf_bind(l, 0, 8080), 0);
	KEXPECT_EQ(nf_listen(l, 5), 0);
	uint8_t o[4] = { TCPOPT_MSS, 4, 0x02, 0x18 };	/* 536 */
	syn = mk_tcp(PEER, 40000, US, 8080, 1000, 0, TCPF_SYN, 8192, o, 4, NULL, 0);
	tap_inject_ip(t, syn);
	KASSERT(tap_pop_tcp(t, &p, &c));
	KEXPECT_EQ(c.tcp.flags, TCPF_SYN | TCPF_ACK);
	KEXPECT_EQ(c.tcp.ack, 1001);
	KEXPECT(c.tcp.has_mss && !c.tcp.has_ts && !c.tcp.has_ws && !c.tcp.sack_perm);
	uint32_t iss = c.tcp.seq;
	pkt_free(p);
	/* The SYN-ACK is resent after 1 s if the ACK does not come. */
	nf_advance(MS(1001));
	KASSERT(tap_pop_tcp(t, &p, &c));
	KEXPECT_EQ(c.tcp.flags, TCPF_SYN | TCPF_ACK);
	pkt_free(p);
	struct pkt *ack = mk_tcp(PEER, 40000, US, 8080, 1001, iss + 1, TCPF_ACK, 8192, NULL, 0, "GET", 3);
	tap_inject_ip(t, ack);
	struct inet_sock *s = NULL;
	KEXPECT_EQ(nf_accept(l, &s), 0);
	KASSERT(s != NULL);
	KEXPECT_EQ(tcp_sk(s)->mss, 536);
	char buf[8];
	KEXPECT_EQ(nf_recv(s, buf, sizeof(buf), 0), 3);
	/* A stray ACK to the listener gets a reset. */
	ack = mk_tcp(PEER, 40001, US, 8080, 5, 12345, TCPF_ACK, 8192, NULL, 0, NULL, 0);
	tap_flush(t);
	tap_inject_ip(t, ack);
	KASSERT(tap_pop_tcp(t, &p, &c));
	KEXPECT_EQ(c.tcp.flags, TCPF_RST);
	KEXPECT_EQ(c.tcp.seq, 12345);
	pkt_free(p);
	nf_close(s);
	nf_close(l);
	nf_advance(SEC(1000));
	tap_destroy(t);
	nf_end(ktest_ctx);
}

KTEST(inet_tcp_syn_flood_bounded)
{
	nf_begin();
	struct tap *t = tap_create(US, 24, PEER);
	struct inet_sock *l = nf_socket(SOCK_STREAM, 0);
	KEXPECT_EQ(nf_bind(l, 0, 8081), 0);
	KEXPECT_EQ(nf_listen(l, 16), 0);
	/* Thousands of SYNs nobody completes: the syn queue stays bounded, all time out. */
	for (uint32_t i = 0; i < 2000; i++) {
		struct pkt *syn = mk_tcp(PEER, (uint16_t)(10000 + i), US, 8081, i * 77, 0, TCPF_SYN, 8192,
					 NULL, 0, NULL, 0);
		tap_inject_ip(t, syn);
		tap_flush(t);
	}
	KEXPECT(tcp_sk(l)->synq_len <= 128);
	KEXPECT(net_mib.tcp_listen_drops > 0);
	nf_advance(SEC(120));
	tap_flush(t);
	KEXPECT_EQ(tcp_sk(l)->synq_len, 0);
	KEXPECT_EQ(tcp_count_state(TCP_SYN_RECV), 0);
	nf_close(l);
	tap_destroy(t);
	nf_end(ktest_ctx);
}
