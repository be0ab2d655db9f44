/* Host tests of TCP over a lossy loopback: dropped, duplicated and reordered segments, transfers still byte-exact. */
#include <abi/errno.h>
#include <frame/heap.h>
#include <frame/log.h>
#include <frame/string.h>
#include "inet_fixture.h"

/* Move @total bytes from @a to @b, moving the clock whenever nothing moves: true if all arrived intact. */
static bool transfer(struct inet_sock *a, struct inet_sock *b, uint32_t total, uint32_t *rounds)
{
	uint8_t *out = kmalloc(total), *in = kmalloc(total);
	for (uint32_t i = 0; i < total; i++)
		out[i] = (uint8_t)(i ^ (i >> 8) ^ (i >> 16));
	uint32_t sent = 0, got = 0, r = 0;
	while (got < total && r < 200000) {
		r++;
		bool moved = false;
		if (sent < total) {
			ssize_t n = nf_send(a, out + sent, MIN(total - sent, 10000u), 0);
			if (n > 0) {
				sent += (uint32_t)n;
				moved = true;
			}
		}
		ssize_t n = nf_recv(b, in + got, total - got, 0);
		if (n > 0) {
			got += (uint32_t)n;
			moved = true;
		}
		if (!moved)
			nf_advance(MS(50));
	}
	bool ok = got == total && memcmp(in, out, total) == 0;
	if (!ok) {
		struct tcp_sock *ta = tcp_sk(a), *tb = tcp_sk(b);
		uint32_t bad = 0;
		while (bad < got && in[bad] == out[bad])
			bad++;
		console_printf("    transfer: sent %u got %u of %u, first difference at %u, rounds %u; "
			       "a: state %u una %u nxt %u max %u snd.len %u wnd %u cwnd %u rexmt %d rec %d; "
			       "b: rcv.len %u rcv_nxt %u ofo %u adv %u\n",
			       sent, got, total, bad, r, a->state, ta->snd_una - ta->iss, ta->snd_nxt - ta->iss,
			       ta->snd_max - ta->iss, ta->snd.len, ta->snd_wnd, ta->cwnd,
			       ntimer_armed(&ta->t_rexmt), ta->in_recovery, tb->rcv.len, tb->rcv_nxt - tb->irs,
			       tb->ofo.count, tb->rcv_adv - tb->rcv_nxt);
	}
	*rounds = r;
	kfree(out);
	kfree(in);
	return ok;
}

static void faults(uint16_t drop, uint16_t dup, uint16_t reorder)
{
	net_lock();
	struct netif *lo = netif_loopback();
	lo->fault_drop = drop;
	lo->fault_dup = dup;
	lo->fault_reorder = reorder;
	net_unlock();
}

static void run(struct ktest_ctx *ktest_ctx, uint16_t port, uint16_t drop, uint16_t dup,
		uint16_t reorder)
{
	nf_begin();
	struct inet_sock *a, *b;
	nf_tcp_pair(&a, &b, port);
	KASSERT(b != NULL);
	faults(drop, dup, reorder);
	uint32_t rounds;
	KEXPECT(transfer(a, b, 3u << 20, &rounds));
	KEXPECT(transfer(b, a, 1u << 20, &rounds));
	faults(0, 0, 0);
	/* A clean close still works afterwards. */
	nf_close(a);
	char c;
	for (int i = 0; i < 100 && nf_recv(b, &c, 1, 0) == -EAGAIN; i++)
		nf_advance(MS(100));
	KEXPECT_EQ(nf_recv(b, &c, 1, 0), 0);
	nf_close(b);
	nf_end(ktest_ctx);
}

KTEST(inet_fault_loss)
{
	/* 5 % of segments lost: retransmission timer and fast retransmit recover every byte. */
	uint64_t rt0 = net_mib.tcp_retrans_segs;
	run(ktest_ctx, 7100, 50, 0, 0);
	KEXPECT(net_mib.tcp_retrans_segs > rt0);
}

KTEST(inet_fault_duplication)
{
	run(ktest_ctx, 7101, 0, 100, 0);
}

KTEST(inet_fault_reordering)
{
	uint64_t ofo0 = net_mib.tcp_ofo_queue;
	run(ktest_ctx, 7102, 0, 0, 100);
	KEXPECT(net_mib.tcp_ofo_queue > ofo0);
}

KTEST(inet_fault_everything)
{
	run(ktest_ctx, 7103, 30, 30, 30);
}
