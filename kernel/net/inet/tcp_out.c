/* TCP output: segments with their options, windows (scaled, never shrinking, SWS-avoiding), Nagle/cork, FIN, ACKs, resets and probes. */
#include <frame/string.h>
#include "tcp.h"

/* Data bytes the receive buffer holds at most. */
static uint32_t rcv_cap(const struct tcp_sock *tp)
{
	uint32_t cap = tp->inet.rcvbuf_locked ? tp->inet.rcvbuf / 2 : tp->inet.rcvbuf;
	if (tp->window_clamp && tp->window_clamp < cap)
		cap = tp->window_clamp;
	return cap;
}

uint32_t tcp_rcv_window(const struct tcp_sock *tp)
{
	uint32_t cap = rcv_cap(tp);
	uint32_t held = tp->rcv.len + tp->ofo_mem / 2;
	return held >= cap ? 0 : cap - held;
}

uint32_t tcp_now_ts(const struct tcp_sock *tp)
{
	return (uint32_t)(net_now() / NSEC_PER_MSEC) + tp->ts_offset;
}

void tcp_sync_mss(struct tcp_sock *tp)
{
	/* An IPv4 packet is 65535 bytes at most, whatever the MTU (Linux's IPV4_MAX_PMTU). */
	uint32_t mtu = MIN(tp->pmtu ? tp->pmtu : 576, IP_MAX_LEN);
	uint32_t mss = mtu - IP_HLEN - TCP_HLEN;
	if (tp->peer_mss && tp->peer_mss < mss)
		mss = tp->peer_mss;
	if (tp->user_mss && tp->user_mss < mss)
		mss = tp->user_mss;
	if (tp->ts_ok)
		mss -= 12;
	/* Linux's tcp_bound_to_half_wnd: never more than half the largest window the peer offered. */
	uint32_t cutoff = tp->max_window > TCP_MSS_DEFAULT ? tp->max_window / 2 : tp->max_window;
	if (cutoff && mss > cutoff)
		mss = MAX(cutoff, 68u - TCP_HLEN - (tp->ts_ok ? 12u : 0u));
	if (mss < 48)
		mss = 48;
	tp->mss = (uint16_t)mss;
}

/* The window field to send now; moves rcv_adv, the right edge we promised. */
static uint16_t select_window(struct tcp_sock *tp, bool syn)
{
	uint32_t free = tcp_rcv_window(tp);
	if (syn) {
		/* Linux's tcp_select_initial_window: a whole number of segments. */
		uint32_t unit = tp->advmss;
		if (tp->inet.state == TCP_SYN_RECV && tp->ts_ok)
			unit -= 12;	/* the SYN-ACK counts in segments with timestamps */
		uint32_t w = MIN(free, 65535u);
		if (w > unit)
			w -= w % unit;
		tp->rcv_adv = tp->rcv_nxt + w;
		return (uint16_t)w;
	}
	uint32_t cur = seq_gt(tp->rcv_adv, tp->rcv_nxt) ? tp->rcv_adv - tp->rcv_nxt : 0;
	/* Receiver silly-window avoidance: do not offer a sliver. */
	if (free > cur && free < tp->rcv_mss && free < rcv_cap(tp) / 2)
		free = cur;
	/*
	 * Never less than what was promised, rounded down to the scale unit: the
	 * edge may step back by less than one unit (RFC 7323 2.4), but rounding
	 * up instead would creep past the buffer one unit an ACK.
	 */
	uint32_t ws = tp->rcv_wscale;
	uint32_t scaled = MAX(free, cur) >> ws;
	if (scaled > 65535)
		scaled = 65535;
	uint32_t edge = tp->rcv_nxt + (scaled << ws);
	if (seq_gt(edge, tp->rcv_adv))
		tp->rcv_adv = edge;
	tp->rcv_wup = tp->rcv_nxt;
	return (uint16_t)scaled;
}

/* SACK blocks for the out-of-order queue, the newest block first (RFC 2018 4). */
static uint8_t sack_blocks(const struct tcp_sock *tp, uint32_t out[4][2], uint8_t max)
{
	uint32_t blocks[8][2];
	uint8_t n = 0;
	for (struct pkt *p = tp->ofo.head; p; p = p->next) {
		if (n && p->seq == blocks[n - 1][1]) {
			blocks[n - 1][1] = p->end_seq;
			continue;
		}
		if (n == 8)
			break;
		blocks[n][0] = p->seq;
		blocks[n][1] = p->end_seq;
		n++;
	}
	uint8_t k = 0;
	for (uint8_t i = 0; i < n && k < max; i++)
		if (seq_le(blocks[i][0], tp->last_ofo_seq) && seq_lt(tp->last_ofo_seq, blocks[i][1])) {
			out[k][0] = blocks[i][0];
			out[k][1] = blocks[i][1];
			k++;
		}
	for (uint8_t i = 0; i < n && k < max; i++)
		if (!(seq_le(blocks[i][0], tp->last_ofo_seq) && seq_lt(tp->last_ofo_seq, blocks[i][1]))) {
			out[k][0] = blocks[i][0];
			out[k][1] = blocks[i][1];
			k++;
		}
	return k;
}

/* Options of a SYN or SYN-ACK (Linux's order: MSS, SACK_PERM+TS, NOP+WS): their length. */
static uint32_t syn_options(struct tcp_sock *tp, uint8_t *o, bool synack)
{
	uint32_t n = 0;
	o[n++] = TCPOPT_MSS;
	o[n++] = 4;
	wr16(o + n, tp->advmss);
	n += 2;
	bool sack = synack ? tp->sack_ok : true;
	bool ts = synack ? tp->ts_ok : true;
	bool ws = synack ? tp->ws_ok : true;
	if (ts) {
		if (sack) {
			o[n++] = TCPOPT_SACK_PERM;
			o[n++] = 2;
		} else {
			o[n++] = TCPOPT_NOP;
			o[n++] = TCPOPT_NOP;
		}
		o[n++] = TCPOPT_TIMESTAMP;
		o[n++] = 10;
		wr32(o + n, tcp_now_ts(tp));
		wr32(o + n + 4, synack ? tp->ts_recent : 0);
		n += 8;
	} else if (sack) {
		o[n++] = TCPOPT_NOP;
		o[n++] = TCPOPT_NOP;
		o[n++] = TCPOPT_SACK_PERM;
		o[n++] = 2;
	}
	if (ws) {
		o[n++] = TCPOPT_NOP;
		o[n++] = TCPOPT_WINDOW;
		o[n++] = 3;
		o[n++] = tp->rcv_wscale;
	}
	return n;
}

static uint32_t data_options(struct tcp_sock *tp, uint8_t *o, uint8_t flags)
{
	uint32_t n = 0;
	if (tp->ts_ok) {
		o[n++] = TCPOPT_NOP;
		o[n++] = TCPOPT_NOP;
		o[n++] = TCPOPT_TIMESTAMP;
		o[n++] = 10;
		wr32(o + n, tcp_now_ts(tp));
		wr32(o + n + 4, tp->ts_recent);
		n += 8;
	}
	if (tp->sack_ok && tp->ofo.head && (flags & TCPF_ACK) && !(flags & TCPF_RST)) {
		uint32_t b[4][2];
		uint8_t k = sack_blocks(tp, b, tp->ts_ok ? 3 : 4);
		if (k) {
			o[n++] = TCPOPT_NOP;
			o[n++] = TCPOPT_NOP;
			o[n++] = TCPOPT_SACK;
			o[n++] = (uint8_t)(2 + 8 * k);
			for (uint8_t i = 0; i < k; i++) {
				wr32(o + n, b[i][0]);
				wr32(o + n + 4, b[i][1]);
				n += 8;
			}
		}
	}
	return n;
}

static void fill_checksum(struct pkt *p, uint32_t src, uint32_t dst)
{
	/* Left to the device or the loopback (CHECKSUM_PARTIAL): the field holds the pseudo-header sum. */
	uint8_t *th = pkt_data(p);
	uint32_t ps = csum_pseudo(src, dst, IPPROTO_TCP, p->len);
	while (ps >> 16)
		ps = (ps & 0xffffu) + (ps >> 16);
	wr16(th + 16, (uint16_t)ps);
	p->flags |= PKT_CSUM_PARTIAL;
	p->csum_start = p->off;
	p->csum_off = 16;
}

static int send_packet(struct tcp_sock *tp, struct pkt *p)
{
	struct inet_sock *sk = &tp->inet;
	struct ip_tx tx = {
		.src = sk->saddr, .dst = sk->raddr, .proto = IPPROTO_TCP, .ttl = sk->ttl,
		.tos = sk->tos, .df = sk->pmtudisc != IP_PMTUDISC_DONT, .dontroute = sk->dontroute,
		.oif = sk->bound_dev ? netif_by_index(sk->bound_dev) : NULL,
	};
	NET_INC(tcp_out_segs);
	tp->segs_out++;
	tp->last_send_ns = net_now();
	return ip_output(p, &tx);
}

/* Build and send one segment: @len data bytes from sequence @seq. */
static int transmit(struct tcp_sock *tp, uint32_t seq, uint32_t len, uint8_t flags)
{
	struct inet_sock *sk = &tp->inet;
	uint8_t opts[40];
	bool syn = flags & TCPF_SYN;
	uint32_t olen = syn ? syn_options(tp, opts, flags & TCPF_ACK) : data_options(tp, opts, flags);
	olen = ALIGN_UP(olen, 4u);
	uint32_t hlen = TCP_HLEN + olen;
	struct pkt *p = pkt_alloc(PKT_HEADROOM, hlen + len);
	if (!p)
		return -1;
	uint8_t *th = pkt_data(p);
	memset(th, 0, hlen);
	wr16(th, sk->lport);
	wr16(th + 2, sk->rport);
	wr32(th + 4, seq);
	wr32(th + 8, (flags & TCPF_ACK) ? tp->rcv_nxt : 0);
	th[12] = (uint8_t)((hlen / 4) << 4);
	th[13] = flags;
	wr16(th + 14, (flags & TCPF_RST) ? 0 : select_window(tp, syn));
	memcpy(th + TCP_HLEN, opts, olen);
	if (len)
		ring_peek(&tp->snd, seq - tp->snd_base, th + hlen, len);
	fill_checksum(p, sk->saddr, sk->raddr);
	if (flags & TCPF_ACK) {
		tp->last_ack_sent = tp->rcv_nxt;
		tp->ack_now = false;
		ntimer_cancel(&tp->t_delack);
	}
	if (flags & TCPF_RST)
		NET_INC(tcp_out_rsts);
	if (len) {
		tp->data_segs_out++;
		if (seq_lt(seq, tp->snd_max)) {
			NET_INC(tcp_retrans_segs);
			tp->total_retrans++;
		}
	}
	return send_packet(tp, p);
}

void tcp_send_ack(struct tcp_sock *tp)
{
	if (tp->inet.state == TCP_CLOSE || tp->inet.state == TCP_LISTEN ||
	    tp->inet.state == TCP_SYN_SENT)
		return;
	transmit(tp, tp->snd_nxt, 0, TCPF_ACK);
}

void tcp_send_syn(struct tcp_sock *tp)
{
	transmit(tp, tp->iss, 0, TCPF_SYN);
	tp->snd_nxt = tp->iss + 1;
	if (seq_gt(tp->snd_nxt, tp->snd_max))
		tp->snd_max = tp->snd_nxt;
	if (!ntimer_armed(&tp->t_rexmt))
		ntimer_arm_after(&tp->t_rexmt, tp->rto_ns);
}

void tcp_send_synack(struct tcp_sock *tp)
{
	transmit(tp, tp->iss, 0, TCPF_SYN | TCPF_ACK);
	tp->snd_nxt = tp->iss + 1;
	if (seq_gt(tp->snd_nxt, tp->snd_max))
		tp->snd_max = tp->snd_nxt;
	if (!ntimer_armed(&tp->t_rexmt))
		ntimer_arm_after(&tp->t_rexmt, tp->rto_ns);
}

void tcp_send_active_rst(struct tcp_sock *tp)
{
	/* Linux's tcp_acceptable_seq: snd_nxt unless the peer's window ended before it. */
	uint32_t seq = tp->snd_nxt;
	if (seq_gt(seq, tp->snd_una + tp->snd_wnd) && tp->snd_wnd)
		seq = tp->snd_una + tp->snd_wnd;
	transmit(tp, seq, 0, TCPF_RST | TCPF_ACK);
}

void tcp_send_probe(struct tcp_sock *tp)
{
	/* An already acknowledged sequence number: the peer must answer with an ACK. */
	transmit(tp, tp->snd_una - 1, 0, TCPF_ACK);
}

void tcp_send_reset_for(const struct pkt *in, const struct tcp_seg *s)
{
	if (s->flags & TCPF_RST)
		return;
	if (in->flags & (PKT_BCAST | PKT_MCAST) || ip_is_multicast(in->daddr) ||
	    netif_is_broadcast(in->daddr))
		return;
	struct pkt *p = pkt_alloc(PKT_HEADROOM, TCP_HLEN);
	if (!p)
		return;
	uint8_t *th = pkt_data(p);
	memset(th, 0, TCP_HLEN);
	wr16(th, s->dport);
	wr16(th + 2, s->sport);
	if (s->flags & TCPF_ACK) {
		wr32(th + 4, s->ack);
		th[13] = TCPF_RST;
	} else {
		uint32_t ack = s->seq + s->len + ((s->flags & TCPF_SYN) ? 1 : 0) +
			       ((s->flags & TCPF_FIN) ? 1 : 0);
		wr32(th + 8, ack);
		th[13] = TCPF_RST | TCPF_ACK;
	}
	th[12] = (TCP_HLEN / 4) << 4;
	fill_checksum(p, in->daddr, in->saddr);
	NET_INC(tcp_out_rsts);
	NET_INC(tcp_out_segs);
	struct ip_tx tx = { .src = in->daddr, .dst = in->saddr, .proto = IPPROTO_TCP, .df = true };
	ip_output(p, &tx);
}

static bool can_send_fin_now(const struct tcp_sock *tp)
{
	int st = tp->inet.state;
	return st == TCP_FIN_WAIT1 || st == TCP_LAST_ACK || st == TCP_CLOSING;
}

/* The sending loop behind tcp_output and tcp_push; @push lets a corked or Nagled tail go. */
static void output(struct tcp_sock *tp, bool push)
{
	struct inet_sock *sk = &tp->inet;
	int st = sk->state;
	if (st != TCP_ESTABLISHED && st != TCP_CLOSE_WAIT && st != TCP_FIN_WAIT1 &&
	    st != TCP_LAST_ACK && st != TCP_CLOSING)
		return;
	bool sent = false;
	for (;;) {
		uint32_t data_end = tp->snd_base + tp->snd.len;
		bool fin_pending = tp->fin_queued && can_send_fin_now(tp) &&
				   seq_le(tp->snd_nxt, data_end);
		if (seq_lt(tp->snd_nxt, data_end)) {
			uint32_t wnd = MIN(tp->snd_wnd, tp->cwnd);
			uint32_t win_end = tp->snd_una + wnd;
			bool retrans = seq_lt(tp->snd_nxt, tp->snd_max);
			uint32_t avail = data_end - tp->snd_nxt;
			uint32_t room = seq_gt(win_end, tp->snd_nxt) ? win_end - tp->snd_nxt : 0;
			uint32_t len = MIN(MIN(avail, room), (uint32_t)tp->mss);
			bool sws = !retrans && len < tp->mss && len < avail && len < tp->max_window / 2 &&
				   !tp->force_send;
			if (!len || sws) {
				/* The window is closed or too small to be worth it: the persist timer
				 * probes it or, later, sends what fits (RFC 9293 3.8.6.2.1's override). */
				if (!tcp_in_flight(tp) && !ntimer_armed(&tp->t_persist)) {
					tp->persist_backoff = 0;
					ntimer_arm_after(&tp->t_persist, tp->rto_ns);
				}
				break;
			}
			if (!retrans && len < tp->mss && len == avail && !push) {
				if (tp->cork) {
					if (!ntimer_armed(&tp->t_cork))
						ntimer_arm_after(&tp->t_cork, TCP_CORK_NS);
					break;
				}
				/* Minshall's Nagle (Linux's): hold a small segment while an earlier small one is unacknowledged; a FIN goes at once. */
				if (!tp->nodelay && tcp_in_flight(tp) && seq_gt(tp->snd_sml, tp->snd_una) &&
				    !(tp->fin_queued && can_send_fin_now(tp)))
					break;
			}
			uint8_t flags = TCPF_ACK;
			uint32_t end = tp->snd_nxt + len;
			bool fin = false;
			if (end == data_end) {
				flags |= TCPF_PSH;
				if (tp->fin_queued && can_send_fin_now(tp)) {
					flags |= TCPF_FIN;
					fin = true;
				}
			}
			if (!retrans && !tp->ts_ok && !tp->rtt_timing) {
				tp->rtt_timing = true;
				tp->rtt_seq = tp->snd_nxt;
				tp->rtt_start = net_now();
			}
			transmit(tp, tp->snd_nxt, len, flags);
			if (len < tp->mss)
				tp->snd_sml = end;
			tp->snd_nxt = end + (fin ? 1 : 0);
			if (seq_gt(tp->snd_nxt, tp->snd_max))
				tp->snd_max = tp->snd_nxt;
			sent = true;
			continue;
		}
		if (fin_pending && tp->snd_nxt == data_end) {
			transmit(tp, data_end, 0, TCPF_FIN | TCPF_ACK);
			tp->snd_nxt = data_end + 1;
			if (seq_gt(tp->snd_nxt, tp->snd_max))
				tp->snd_max = tp->snd_nxt;
			sent = true;
		}
		break;
	}
	if (sent && !ntimer_armed(&tp->t_rexmt))
		ntimer_arm_after(&tp->t_rexmt, tp->rto_ns);
	if (tp->ack_now)
		tcp_send_ack(tp);
}

void tcp_output(struct tcp_sock *tp)
{
	output(tp, false);
}

void tcp_push(struct tcp_sock *tp)
{
	ntimer_cancel(&tp->t_cork);
	output(tp, true);
}

void tcp_send_window_override(struct tcp_sock *tp)
{
	tp->force_send = true;
	output(tp, true);
	tp->force_send = false;
}

void tcp_retransmit_head(struct tcp_sock *tp)
{
	tp->snd_nxt = tp->snd_una;
	output(tp, true);
}

void tcp_rcv_space_update(struct tcp_sock *tp)
{
	int st = tp->inet.state;
	if (st != TCP_ESTABLISHED && st != TCP_FIN_WAIT1 && st != TCP_FIN_WAIT2)
		return;
	uint32_t now = seq_gt(tp->rcv_adv, tp->rcv_nxt) ? tp->rcv_adv - tp->rcv_nxt : 0;
	uint32_t cap = rcv_cap(tp);
	/* Linux's tcp_cleanup_rbuf: announce when the window at least doubled from at most half. */
	if (2 * now <= cap) {
		uint32_t next = tcp_rcv_window(tp);
		if (next >= tp->rcv_mss && next >= 2 * now)
			tcp_send_ack(tp);
	}
}
