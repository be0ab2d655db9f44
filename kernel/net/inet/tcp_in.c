/* TCP input: segment parsing, LISTEN/SYN-SENT/TIME-WAIT handling and RFC 9293's segment-arrives processing (with RFC 5961 and RFC 7323 checks). */
#include <abi/errno.h>
#include <abi/poll.h>
#include <frame/string.h>
#include <kernel/random.h>
#include "proto.h"
#include "tcp.h"

/* How long a ts_recent stays good for PAWS (RFC 7323 5.5: 24 days). */
#define PAWS_IDLE_NS (24ull * 86400ull * NSEC_PER_SEC)
/* Largest congestion window kept (bytes). */
#define CWND_MAX (64u << 20)

bool tcp_parse(const struct pkt *p, struct tcp_seg *s)
{
	memset(s, 0, sizeof(*s));
	if (p->len < TCP_HLEN)
		return false;
	const uint8_t *th = pkt_data(p);
	uint32_t hlen = (uint32_t)(th[12] >> 4) * 4;
	if (hlen < TCP_HLEN || hlen > p->len)
		return false;
	if (!(p->flags & PKT_CSUM_OK)) {
		uint32_t sum = csum_add(csum_pseudo(p->saddr, p->daddr, IPPROTO_TCP, p->len), th, p->len);
		if (csum_fold(sum) != 0) {
			NET_INC(tcp_in_csum_errors);
			return false;
		}
	}
	s->sport = rd16(th);
	s->dport = rd16(th + 2);
	s->seq = rd32(th + 4);
	s->ack = rd32(th + 8);
	s->flags = th[13];
	s->wnd = rd16(th + 14);
	s->hlen = (uint8_t)hlen;
	s->len = p->len - hlen;
	const uint8_t *o = th + TCP_HLEN;
	uint32_t olen = hlen - TCP_HLEN, i = 0;
	/* Options that do not parse end the walk (as Linux: the rest is ignored). */
	while (i < olen) {
		uint8_t kind = o[i];
		if (kind == TCPOPT_EOL)
			break;
		if (kind == TCPOPT_NOP) {
			i++;
			continue;
		}
		if (olen - i < 2)
			break;
		uint8_t l = o[i + 1];
		if (l < 2 || l > olen - i)
			break;
		const uint8_t *v = o + i + 2;
		switch (kind) {
		case TCPOPT_MSS:
			if (l == 4 && (s->flags & TCPF_SYN)) {
				s->has_mss = true;
				s->mss = rd16(v);
			}
			break;
		case TCPOPT_WINDOW:
			if (l == 3 && (s->flags & TCPF_SYN)) {
				s->has_ws = true;
				s->ws = MIN(v[0], (uint8_t)TCP_MAX_WSCALE);
			}
			break;
		case TCPOPT_SACK_PERM:
			if (l == 2 && (s->flags & TCPF_SYN))
				s->sack_perm = true;
			break;
		case TCPOPT_TIMESTAMP:
			if (l == 10) {
				s->has_ts = true;
				s->tsval = rd32(v);
				s->tsecr = rd32(v + 4);
			}
			break;
		case TCPOPT_SACK:
			if (l >= 10 && (l - 2) % 8 == 0) {
				uint32_t n = MIN((uint32_t)(l - 2) / 8, 4u);
				for (uint32_t k = 0; k < n; k++) {
					s->sack[k][0] = rd32(v + 8 * k);
					s->sack[k][1] = rd32(v + 8 * k + 4);
				}
				s->nsack = (uint8_t)n;
			}
			break;
		default:
			break;
		}
		i += l;
	}
	return true;
}

static uint8_t choose_wscale(const struct tcp_sock *tp)
{
	uint32_t space = MAX(tp->inet.rcvbuf, TCP_RMEM_MAX);
	if (tp->window_clamp)
		space = MIN(space, tp->window_clamp);
	uint8_t ws = 0;
	while ((space >> ws) > 65535 && ws < TCP_MAX_WSCALE)
		ws++;
	return ws;
}

void tcp_init_xfer(struct tcp_sock *tp)
{
	tcp_sync_mss(tp);
	tp->cwnd = TCP_INIT_CWND * tp->mss;
	tp->ssthresh = 0x7fffffffu;
	tp->bytes_acked = 0;
	tp->last_recv_ns = net_now();
	tp->rcv_mss = MIN((uint32_t)tp->advmss, TCP_MSS_DEFAULT);
	ring_resize(&tp->rcv, tp->inet.rcvbuf_locked ? tp->inet.rcvbuf / 2 : tp->inet.rcvbuf);
	tcp_reset_keepalive(tp);
}

static void challenge_ack(struct tcp_sock *tp)
{
	NET_INC(tcp_challenge_acks);
	tcp_send_ack(tp);
}

/* Linux's tcp_reset: what the application hears of a reset in each state. */
static void reset_by_peer(struct tcp_sock *tp)
{
	int st = tp->inet.state;
	int err = 0;
	if (st == TCP_SYN_SENT)
		err = ECONNREFUSED;
	else if (st == TCP_CLOSE_WAIT)
		err = EPIPE;
	else if (st != TCP_CLOSE && st != TCP_TIME_WAIT && st != TCP_LAST_ACK && st != TCP_CLOSING)
		err = ECONNRESET;
	if (st == TCP_SYN_RECV && tp->listener) {
		tcp_done(tp);
		return;
	}
	if (st == TCP_ESTABLISHED || st == TCP_CLOSE_WAIT)
		NET_INC(tcp_estab_resets);
	if (err)
		tp->inet.err = err;
	tcp_done(tp);
}

static void take_ts(struct tcp_sock *tp, const struct tcp_seg *s)
{
	if (tp->ts_ok && s->has_ts) {
		tp->ts_recent = s->tsval;
		tp->ts_recent_stamp = net_now();
	}
}

/* ---- LISTEN ---- */

static void inherit(struct tcp_sock *c, const struct tcp_sock *l)
{
	const struct inet_sock *ls = &l->inet;
	struct inet_sock *cs = &c->inet;
	cs->ttl = ls->ttl;
	cs->tos = ls->tos;
	cs->keepalive = ls->keepalive;
	cs->sndbuf = ls->sndbuf;
	cs->rcvbuf = ls->rcvbuf;
	cs->sndbuf_locked = ls->sndbuf_locked;
	cs->rcvbuf_locked = ls->rcvbuf_locked;
	cs->linger_on = ls->linger_on;
	cs->linger_secs = ls->linger_secs;
	cs->rcvtimeo_ns = ls->rcvtimeo_ns;
	cs->sndtimeo_ns = ls->sndtimeo_ns;
	cs->bound_dev = ls->bound_dev;
	cs->uid = ls->uid;
	cs->reuseaddr = ls->reuseaddr;
	cs->priority = ls->priority;
	cs->mark = ls->mark;
	cs->rcvlowat = ls->rcvlowat;
	cs->oobinline = ls->oobinline;
	cs->pmtudisc = ls->pmtudisc;
	c->nodelay = l->nodelay;
	c->keepidle = l->keepidle;
	c->keepintvl = l->keepintvl;
	c->keepcnt = l->keepcnt;
	c->user_mss = l->user_mss;
	c->window_clamp = l->window_clamp;
	c->linger2 = l->linger2;
	c->user_timeout_ms = l->user_timeout_ms;
	c->defer_accept = l->defer_accept;
}

static void negotiate(struct tcp_sock *tp, const struct tcp_seg *s)
{
	tp->peer_mss = s->has_mss ? s->mss : TCP_MSS_DEFAULT;
	if (tp->peer_mss < TCP_MIN_MSS)
		tp->peer_mss = TCP_MIN_MSS;
	tp->ws_ok = s->has_ws;
	tp->snd_wscale = s->has_ws ? s->ws : 0;
	tp->rcv_wscale = s->has_ws ? choose_wscale(tp) : 0;
	tp->ts_ok = s->has_ts;
	tp->sack_ok = s->sack_perm;
	if (s->has_ts) {
		tp->ts_recent = s->tsval;
		tp->ts_recent_stamp = net_now();
	}
}

static void route_mss(struct tcp_sock *tp)
{
	uint32_t mtu = ip_route_mtu(tp->inet.raddr);
	tp->pmtu = mtu ? mtu : 576;
	tp->advmss = (uint16_t)(MIN(tp->pmtu, IP_MAX_LEN) - IP_HLEN - TCP_HLEN);
	if (tp->user_mss && tp->user_mss < tp->advmss)
		tp->advmss = tp->user_mss;
}

static void listen_input(struct tcp_sock *l, struct pkt *p, const struct tcp_seg *s)
{
	if (s->flags & TCPF_RST)
		return;
	if (s->flags & TCPF_ACK) {
		tcp_send_reset_for(p, s);
		return;
	}
	if (!(s->flags & TCPF_SYN) || (s->flags & TCPF_FIN))
		return;
	/* Linux's sk_acceptq_is_full: a full accept queue drops the SYN; the client retries. */
	if (l->accq_len > (uint32_t)l->backlog) {
		NET_INC(tcp_listen_overflows);
		NET_INC(tcp_listen_drops);
		return;
	}
	uint32_t synq_max = MAX((uint32_t)l->backlog, 128u);
	if (l->synq_len >= synq_max) {
		NET_INC(tcp_listen_drops);
		return;
	}
	struct tcp_sock *c = tcp_alloc();
	if (!c) {
		NET_INC(tcp_listen_drops);
		return;
	}
	inherit(c, l);
	struct inet_sock *cs = &c->inet;
	cs->ops = l->inet.ops;
	cs->laddr = cs->saddr = p->daddr;
	cs->raddr = p->saddr;
	cs->lport = s->dport;
	cs->rport = s->sport;
	c->irs = s->seq;
	c->rcv_nxt = s->seq + 1;
	c->rcv_wup = c->rcv_nxt;
	negotiate(c, s);
	c->snd_wnd = s->wnd;
	c->max_window = s->wnd;
	c->snd_wl1 = s->seq;
	c->iss = tcp_new_iss(cs->laddr, cs->lport, cs->raddr, cs->rport);
	c->snd_una = c->snd_nxt = c->snd_max = c->iss;
	c->recover = c->iss;	/* RFC 6582 3.2 (1) */
	c->snd_sml = c->iss;
	c->snd_base = c->iss + 1;
	c->ts_offset = (uint32_t)random_u64();
	route_mss(c);
	tcp_sync_mss(c);
	c->start_ns = net_now();
	tcp_set_state(c, TCP_SYN_RECV);
	tcp_hash(c);
	port_insert(&tcp_ports, cs);
	/* The syn queue holds the child; the child holds its listener. */
	c->listener = l;
	inet_sock_get(&l->inet);
	c->q_next = l->synq;
	l->synq = c;
	l->synq_len++;
	NET_INC(tcp_passive_opens);
	tcp_send_synack(c);
}

/* A child's handshake completed: to the accept queue (or stay and wait when it is full). */
static bool child_established(struct tcp_sock *c)
{
	struct tcp_sock *l = c->listener;
	if (l->accq_len > (uint32_t)l->backlog) {
		NET_INC(tcp_listen_overflows);
		NET_INC(tcp_listen_drops);
		return false;
	}
	for (struct tcp_sock **pp = &l->synq; *pp; pp = &(*pp)->q_next) {
		if (*pp == c) {
			*pp = c->q_next;
			l->synq_len--;
			break;
		}
	}
	c->q_next = NULL;
	c->queued_accept = true;
	if (l->accq_tail)
		l->accq_tail->q_next = c;
	else
		l->accq_head = c;
	l->accq_tail = c;
	l->accq_len++;
	inet_wake(&l->inet);
	return true;
}

/* ---- SYN-SENT ---- */

static bool synsent_input(struct tcp_sock *tp, struct pkt *p, const struct tcp_seg *s)
{
	struct inet_sock *sk = &tp->inet;
	bool ack_ok = false;
	if (s->flags & TCPF_ACK) {
		if (seq_le(s->ack, tp->iss) || seq_gt(s->ack, tp->snd_max)) {
			tcp_send_reset_for(p, s);
			return false;
		}
		ack_ok = true;
	}
	if (s->flags & TCPF_RST) {
		if (ack_ok) {
			NET_INC(tcp_attempt_fails);
			reset_by_peer(tp);
		}
		return false;
	}
	if (!(s->flags & TCPF_SYN))
		return false;
	tp->irs = s->seq;
	tp->rcv_nxt = s->seq + 1;
	tp->rcv_wup = tp->rcv_nxt;
	negotiate(tp, s);
	if (!ack_ok) {
		/* Simultaneous open (RFC 9293 3.5, figure 8). */
		tcp_set_state(tp, TCP_SYN_RECV);
		tp->snd_wnd = s->wnd;
		tcp_send_synack(tp);
		return false;
	}
	tp->snd_una = s->ack;
	if (seq_lt(tp->snd_nxt, tp->snd_una))
		tp->snd_nxt = tp->snd_una;
	tp->snd_wnd = s->wnd;	/* a SYN's window is never scaled */
	tp->max_window = tp->snd_wnd;
	tp->snd_wl1 = s->seq;
	tp->snd_wl2 = s->ack;
	if (tp->ts_ok && s->tsecr)
		tcp_rtt_sample(tp, (tcp_now_ts(tp) - s->tsecr) * 1000u);
	else if (!tp->retransmits)
		tcp_rtt_sample(tp, (uint32_t)((net_now() - tp->start_ns) / NSEC_PER_USEC));
	else
		tp->rto_ns = TCP_TIMEOUT_FALLBACK_NS;
	tp->retransmits = 0;
	ntimer_cancel(&tp->t_rexmt);
	tcp_init_xfer(tp);
	tcp_set_state(tp, TCP_ESTABLISHED);
	sk->err_soft = 0;
	tp->ack_now = true;
	inet_wake(sk);
	return true;
}

/* ---- ACK processing ---- */

static void enter_recovery(struct tcp_sock *tp)
{
	uint32_t flight = tcp_in_flight(tp);
	tp->ssthresh = MAX(flight / 2, 2u * tp->mss);
	tp->recover = tp->snd_max;
	tp->in_recovery = true;
	tp->cwnd = tp->ssthresh + 3u * tp->mss;
	NET_INC(tcp_fast_retrans);
	/* Resend just the first unacknowledged segment, then carry on where we were. */
	uint32_t nxt = tp->snd_nxt;
	uint32_t cwnd = tp->cwnd;
	tp->cwnd = tp->mss;
	tcp_retransmit_head(tp);
	tp->cwnd = cwnd;
	if (seq_gt(nxt, tp->snd_nxt))
		tp->snd_nxt = nxt;
}

static void remember_sacks(struct tcp_sock *tp, const struct tcp_seg *s)
{
	tp->nsacked = 0;
	if (!tp->sack_ok)
		return;
	for (uint8_t i = 0; i < s->nsack; i++) {
		uint32_t a = s->sack[i][0], b = s->sack[i][1];
		/* Only blocks inside what we sent count (RFC 2018; anything else is noise or an attack). */
		if (!seq_lt(a, b) || seq_lt(a, tp->snd_una) || seq_gt(b, tp->snd_max))
			continue;
		tp->sacked[tp->nsacked].start = a;
		tp->sacked[tp->nsacked].end = b;
		tp->nsacked++;
	}
}

/* 0: go on with the segment; 1: drop it (an ACK may have been sent); 2: the socket ended. */
static int ack_input(struct tcp_sock *tp, const struct tcp_seg *s)
{
	struct inet_sock *sk = &tp->inet;
	if (seq_gt(s->ack, tp->snd_max)) {
		/* RFC 5961 5.2: an ACK for data never sent. */
		challenge_ack(tp);
		return 1;
	}
	if (seq_lt(s->ack, tp->snd_una - tp->max_window)) {
		challenge_ack(tp);
		return 1;
	}
	uint32_t old_wnd = tp->snd_wnd;
	if (seq_lt(tp->snd_wl1, s->seq) || (tp->snd_wl1 == s->seq && seq_le(tp->snd_wl2, s->ack))) {
		tp->snd_wnd = s->wnd << tp->snd_wscale;
		tp->snd_wl1 = s->seq;
		tp->snd_wl2 = s->ack;
		if (tp->snd_wnd > tp->max_window)
			tp->max_window = tp->snd_wnd;
		if (tp->snd_wnd) {
			ntimer_cancel(&tp->t_persist);
			tp->persist_backoff = 0;
		}
	}
	if (seq_lt(s->ack, tp->snd_una))
		return 0;
	remember_sacks(tp, s);
	uint32_t acked = s->ack - tp->snd_una;
	if (!acked) {
		/* RFC 5681 2: a duplicate ACK carries nothing and changes no window. */
		if (!s->len && !(s->flags & (TCPF_SYN | TCPF_FIN)) && tp->snd_wnd == old_wnd &&
		    tcp_in_flight(tp)) {
			tp->dupacks++;
			if (tp->dupacks == 3 && !tp->in_recovery && seq_gt(s->ack, tp->recover - 1))
				enter_recovery(tp);
			else if (tp->dupacks > 3 && tp->in_recovery)
				tp->cwnd += tp->mss;
		}
		return 0;
	}
	uint32_t data_end = tp->snd_base + tp->snd.len;
	bool fin_acked = tp->fin_queued && seq_gt(s->ack, data_end);
	uint32_t upto = seq_gt(s->ack, data_end) ? data_end : s->ack;
	if (seq_gt(upto, tp->snd_base)) {
		uint32_t n = upto - tp->snd_base;
		ring_drop(&tp->snd, n);
		tp->snd_base += n;
		tp->bytes_acked_total += n;
	} else if (seq_lt(tp->snd_base, tp->snd_una) || tp->snd_una == tp->iss) {
		/* The SYN itself was acknowledged. */
	}
	tp->snd_una = s->ack;
	if (seq_lt(tp->snd_nxt, tp->snd_una))
		tp->snd_nxt = tp->snd_una;
	/* RTT: timestamps echo every time (RFC 7323 4.1); otherwise Karn's single timed segment. */
	if (tp->ts_ok && s->has_ts && s->tsecr && !tp->retransmits)
		tcp_rtt_sample(tp, (tcp_now_ts(tp) - s->tsecr) * 1000u);
	else if (tp->rtt_timing && seq_gt(s->ack, tp->rtt_seq) && !tp->retransmits)
		tcp_rtt_sample(tp, (uint32_t)((net_now() - tp->rtt_start) / NSEC_PER_USEC));
	if (tp->rtt_timing && seq_gt(s->ack, tp->rtt_seq))
		tp->rtt_timing = false;
	if (tp->retransmits && !tp->srtt_us)
		tp->rto_ns = TCP_TIMEOUT_INIT_NS;
	else if (tp->retransmits || tp->backoff)
		tcp_rtt_sample(tp, tp->srtt_us);
	tp->retransmits = 0;
	tp->backoff = 0;
	tp->retrans_stamp = 0;
	/* Congestion control: NewReno recovery (RFC 6582), else slow start / avoidance (RFC 5681). */
	if (tp->in_recovery) {
		if (seq_ge(s->ack, tp->recover)) {
			tp->in_recovery = false;
			tp->dupacks = 0;
			tp->cwnd = MIN(tp->ssthresh, tcp_in_flight(tp) + tp->mss);
			if (tp->cwnd < tp->mss)
				tp->cwnd = tp->mss;
		} else {
			uint32_t nxt = tp->snd_nxt, cwnd = tp->cwnd;
			tp->cwnd = tp->mss;
			tcp_retransmit_head(tp);
			tp->snd_nxt = seq_gt(nxt, tp->snd_nxt) ? nxt : tp->snd_nxt;
			tp->cwnd = cwnd > acked ? cwnd - acked + tp->mss : tp->mss;
		}
	} else {
		tp->dupacks = 0;
		if (tp->cwnd < tp->ssthresh) {
			tp->cwnd += MIN(acked, (uint32_t)tp->mss);
		} else {
			tp->bytes_acked += acked;
			if (tp->bytes_acked >= tp->cwnd) {
				tp->bytes_acked -= tp->cwnd;
				tp->cwnd += tp->mss;
			}
		}
		if (tp->cwnd > CWND_MAX)
			tp->cwnd = CWND_MAX;
	}
	tcp_rearm_rto(tp);
	inet_wake_key(sk, POLLOUT | POLLWRNORM | POLLWRBAND);
	if (fin_acked) {
		switch (sk->state) {
		case TCP_FIN_WAIT1:
			tcp_set_state(tp, TCP_FIN_WAIT2);
			sk->shutdown |= SEND_SHUTDOWN;
			if (sk->orphan) {
				uint64_t t = tp->linger2 > 0 ? (uint64_t)tp->linger2 * NSEC_PER_SEC :
					     TCP_FIN_TIMEOUT_NS;
				if (tp->linger2 < 0) {
					tcp_abort(tp, 0, true);
					return 2;
				}
				ntimer_arm_after(&tp->t_wait, t);
			}
			break;
		case TCP_CLOSING:
			tcp_time_wait(tp);
			return 2;
		case TCP_LAST_ACK:
			tcp_done(tp);
			return 2;
		default:
			break;
		}
	}
	return 0;
}

/* ---- data ---- */

static void ofo_insert(struct tcp_sock *tp, struct pkt *p)
{
	struct pkt_queue *q = &tp->ofo;
	struct pkt **pp = &q->head, *prev = NULL;
	while (*pp && seq_lt((*pp)->seq, p->seq)) {
		prev = *pp;
		pp = &(*pp)->next;
	}
	/* Trim against the neighbours; a segment wholly covered is a duplicate. */
	if (prev && seq_ge(prev->end_seq, p->end_seq)) {
		if ((p->tcp_flags & TCPF_FIN) && prev->end_seq == p->end_seq)
			prev->tcp_flags |= TCPF_FIN;
		pkt_free(p);
		return;
	}
	if (prev && seq_gt(prev->end_seq, p->seq)) {
		uint32_t cut = prev->end_seq - p->seq;
		pkt_pull(p, cut);
		p->seq += cut;
	}
	while (*pp && seq_le((*pp)->end_seq, p->end_seq)) {
		struct pkt *dead = *pp;
		*pp = dead->next;
		if (q->tail == dead)
			q->tail = prev;
		if ((dead->tcp_flags & TCPF_FIN) && dead->end_seq == p->end_seq)
			p->tcp_flags |= TCPF_FIN;
		q->count--;
		q->bytes -= dead->len;
		tp->ofo_mem -= pkt_truesize(dead);
		pkt_free(dead);
	}
	if (*pp && seq_gt(p->end_seq, (*pp)->seq)) {
		uint32_t keep = (*pp)->seq - p->seq;
		pkt_trim(p, keep);
		p->end_seq = p->seq + keep;
		p->tcp_flags &= (uint8_t)~TCPF_FIN;
	}
	p->next = *pp;
	*pp = p;
	if (!p->next)
		q->tail = p;
	q->count++;
	q->bytes += p->len;
	tp->ofo_mem += pkt_truesize(p);
	NET_INC(tcp_ofo_queue);
}

static bool fin_input(struct tcp_sock *tp);

/* In-order bytes to the receive buffer, then whatever the out-of-order queue now continues. */
static bool deliver_in_order(struct tcp_sock *tp, const uint8_t *data, uint32_t n, bool fin)
{
	uint32_t put = ring_put(&tp->rcv, data, n);
	tp->rcv_nxt += put;
	tp->bytes_received += put;
	if (fin && put == n && fin_input(tp))
		return true;
	while (tp->ofo.head && seq_le(tp->ofo.head->seq, tp->rcv_nxt)) {
		struct pkt *h = pkt_queue_pop(&tp->ofo);
		tp->ofo_mem -= pkt_truesize(h);
		bool hfin = h->tcp_flags & TCPF_FIN;
		if (seq_gt(h->end_seq, tp->rcv_nxt)) {
			uint32_t skip = tp->rcv_nxt - h->seq;
			uint32_t k = ring_put(&tp->rcv, pkt_data(h) + skip, h->end_seq - tp->rcv_nxt);
			tp->rcv_nxt += k;
			tp->bytes_received += k;
		}
		bool at_end = h->end_seq == tp->rcv_nxt;
		pkt_free(h);
		if (hfin && at_end && fin_input(tp))
			return true;
	}
	return false;
}

/* The peer's FIN, in order: 0 carry on; true: the socket changed state so much the caller stops. */
static bool fin_input(struct tcp_sock *tp)
{
	struct inet_sock *sk = &tp->inet;
	tp->rcv_nxt++;
	tp->fin_rcvd = true;
	sk->shutdown |= RCV_SHUTDOWN;
	sk->done = true;
	tp->ack_now = true;
	pkt_queue_purge(&tp->ofo);
	tp->ofo_mem = 0;
	switch (sk->state) {
	case TCP_SYN_RECV:
	case TCP_ESTABLISHED:
		tcp_set_state(tp, TCP_CLOSE_WAIT);
		break;
	case TCP_FIN_WAIT1:
		tcp_set_state(tp, TCP_CLOSING);
		break;
	case TCP_FIN_WAIT2:
		tcp_send_ack(tp);
		tcp_time_wait(tp);
		return true;
	default:
		break;
	}
	inet_wake(sk);
	return false;
}

/* Returns true when the socket ended (caller stops). */
static bool data_input(struct tcp_sock *tp, struct pkt *p, const struct tcp_seg *s)
{
	struct inet_sock *sk = &tp->inet;
	bool fin = s->flags & TCPF_FIN;
	uint32_t seq = s->seq, len = s->len;
	if (!len && !fin)
		return false;
	int st = sk->state;
	if (st == TCP_CLOSE_WAIT || st == TCP_CLOSING || st == TCP_LAST_ACK) {
		/* The peer said FIN already: anything new is noise; a repeat gets an ACK. */
		tp->ack_now = true;
		return false;
	}
	/* Data after close() on a half-open connection: RFC 9293 says reset (Linux's TCPAbortOnData). */
	if (sk->orphan && (st == TCP_FIN_WAIT1 || st == TCP_FIN_WAIT2) && len &&
	    seq_gt(seq + len, tp->rcv_nxt)) {
		NET_INC(tcp_abort_on_data);
		tcp_abort(tp, 0, true);
		return true;
	}
	const uint8_t *data = pkt_data(p);
	if (seq_lt(seq, tp->rcv_nxt)) {
		uint32_t skip = tp->rcv_nxt - seq;
		if (skip >= len) {
			/* All old: a retransmission we already have (maybe its FIN is new). */
			tp->ack_now = true;
			if (fin && seq + len == tp->rcv_nxt)
				return fin_input(tp);
			return false;
		}
		data += skip;
		seq += skip;
		len -= skip;
	}
	/* What the buffer can take (never less than the window we announced). */
	uint32_t limit = tp->rcv_nxt + ring_room(&tp->rcv);
	if (seq_gt(seq + len, limit)) {
		uint32_t keep = seq_gt(limit, seq) ? limit - seq : 0;
		len = keep;
		fin = false;
		tp->ack_now = true;
	}
	tp->data_segs_in++;
	tp->last_recv_ns = net_now();
	if (seq == tp->rcv_nxt) {
		bool had_ofo = tp->ofo.head != NULL;
		if (deliver_in_order(tp, data, len, fin))
			return true;
		inet_wake_key(sk, POLLIN | POLLRDNORM);
		if (had_ofo || tp->ofo.head)
			tp->ack_now = true;
		else if (tp->rcv_nxt - tp->last_ack_sent >= 2 * tp->rcv_mss)
			tp->ack_now = true;
		else if (tp->quickack) {
			tp->quickack--;
			tp->ack_now = true;
		} else if (!tp->ack_now) {
			tcp_schedule_delack(tp);
		}
		return false;
	}
	/* Out of order: keep it (within the window and the memory) and say so at once (dupack, SACK). */
	tp->ack_now = true;
	if (!len && !fin)
		return false;
	if (tp->ofo_mem + pkt_truesize(p) > (sk->rcvbuf_locked ? sk->rcvbuf : sk->rcvbuf * 2)) {
		NET_INC(tcp_ofo_drop);
		return false;
	}
	struct pkt *q = pkt_alloc(0, len);
	if (!q)
		return false;
	memcpy(pkt_data(q), data, len);
	q->seq = seq;
	q->end_seq = seq + len;
	q->tcp_flags = fin ? TCPF_FIN : 0;
	tp->last_ofo_seq = seq;
	ofo_insert(tp, q);
	return false;
}

/* ---- synchronized states ---- */

static void conn_input(struct tcp_sock *tp, struct pkt *p, const struct tcp_seg *s)
{
	struct inet_sock *sk = &tp->inet;
	uint32_t seglen = s->len + ((s->flags & TCPF_SYN) ? 1 : 0) + ((s->flags & TCPF_FIN) ? 1 : 0);
	/* RFC 7323 5.3: PAWS. */
	if (tp->ts_ok && s->has_ts && !(s->flags & TCPF_RST) && seq_lt(s->tsval, tp->ts_recent) &&
	    net_now() - tp->ts_recent_stamp < PAWS_IDLE_NS) {
		NET_INC(tcp_paws_estab);
		tcp_send_ack(tp);
		return;
	}
	/* A repeated SYN to a child still waiting for its ACK: resend the SYN-ACK. */
	if (sk->state == TCP_SYN_RECV && (s->flags & TCPF_SYN) && !(s->flags & TCPF_ACK) &&
	    s->seq == tp->irs) {
		tcp_send_synack(tp);
		return;
	}
	/* Sequence check (Linux's tcp_sequence). */
	uint32_t wnd = seq_gt(tp->rcv_adv, tp->rcv_nxt) ? tp->rcv_adv - tp->rcv_nxt : 0;
	if (seq_lt(s->seq + seglen, tp->rcv_wup) || seq_gt(s->seq, tp->rcv_nxt + wnd)) {
		NET_INC(tcp_dropped_outside_window);
		if (!(s->flags & TCPF_RST))
			tcp_send_ack(tp);
		return;
	}
	if (s->flags & TCPF_RST) {
		/* RFC 5961 3.2: only the exact next sequence number resets; others in the window are challenged. */
		if (s->seq == tp->rcv_nxt || (sk->state == TCP_SYN_RECV && s->seq == tp->irs + 1))
			reset_by_peer(tp);
		else
			challenge_ack(tp);
		return;
	}
	if (s->flags & TCPF_SYN) {
		/* RFC 5961 4: a SYN on a synchronized connection gets a challenge ACK. */
		challenge_ack(tp);
		return;
	}
	if (!(s->flags & TCPF_ACK))
		return;
	take_ts(tp, s);
	/* The peer is alive: keepalive starts over (Linux's lrcvtime, probes_out). */
	tp->last_recv_ns = net_now();
	tp->keep_probes = 0;
	if (sk->state == TCP_SYN_RECV) {
		if (seq_le(s->ack, tp->snd_una) || seq_gt(s->ack, tp->snd_max)) {
			tcp_send_reset_for(p, s);
			return;
		}
		if (tp->listener && !child_established(tp))
			return;	/* accept queue full: the ACK is dropped, the client will retransmit */
		tp->snd_una = s->ack;
		tp->snd_wnd = s->wnd << tp->snd_wscale;
		tp->max_window = tp->snd_wnd;
		tp->snd_wl1 = s->seq;
		tp->snd_wl2 = s->ack;
		if (tp->ts_ok && s->tsecr)
			tcp_rtt_sample(tp, (tcp_now_ts(tp) - s->tsecr) * 1000u);
		else if (!tp->synack_retries)
			tcp_rtt_sample(tp, (uint32_t)((net_now() - tp->start_ns) / NSEC_PER_USEC));
		else
			tp->rto_ns = TCP_TIMEOUT_FALLBACK_NS;
		ntimer_cancel(&tp->t_rexmt);
		tp->retransmits = 0;
		tcp_init_xfer(tp);
		tcp_set_state(tp, TCP_ESTABLISHED);
		inet_wake(sk);
	} else {
		int r = ack_input(tp, s);
		if (r == 2)
			return;
		if (r == 1)
			return;
	}
	if (data_input(tp, p, s))
		return;
	if (sk->state == TCP_CLOSE)
		return;
	tcp_output(tp);
	if (tp->ack_now)
		tcp_send_ack(tp);
}

/* ---- TIME-WAIT ---- */

/* true: the segment may open a new connection through the listener. */
static bool timewait_input(struct tcp_sock *tw, const struct tcp_seg *s)
{
	if (s->flags & TCPF_RST) {
		/* TIME_WAIT assassination: Linux lets it happen (tcp_rfc1337 = 0). */
		tcp_done(tw);
		return false;
	}
	if ((s->flags & TCPF_SYN) && !(s->flags & TCPF_ACK)) {
		bool newer = seq_gt(s->seq, tw->rcv_nxt) ||
			     (tw->ts_ok && s->has_ts && seq_gt(s->tsval, tw->ts_recent));
		if (newer) {
			tcp_done(tw);
			return true;
		}
	}
	if (s->flags & TCPF_FIN) {
		/* The peer did not hear our last ACK: again, and the wait starts over. */
		ntimer_arm_after(&tw->t_wait, TCP_TIMEWAIT_NS);
	}
	if (s->len || (s->flags & (TCPF_FIN | TCPF_SYN)))
		tcp_send_ack(tw);
	return false;
}

void tcp_input(struct pkt *p)
{
	NET_INC(tcp_in_segs);
	struct tcp_seg s;
	if ((p->flags & (PKT_BCAST | PKT_MCAST)) || !tcp_parse(p, &s)) {
		NET_INC(tcp_in_errs);
		pkt_free(p);
		return;
	}
	pkt_pull(p, s.hlen);
	struct tcp_sock *tp = tcp_lookup(p->saddr, s.sport, p->daddr, s.dport);
	if (tp && tp->inet.state == TCP_TIME_WAIT) {
		if (!timewait_input(tp, &s)) {
			pkt_free(p);
			return;
		}
		tp = NULL;
	}
	if (!tp) {
		struct tcp_sock *l = tcp_lookup_listener(p->daddr, s.dport, p->dev ? p->dev->index : 0);
		if (l) {
			l->segs_in++;
			listen_input(l, p, &s);
		} else {
			tcp_send_reset_for(p, &s);
		}
		pkt_free(p);
		return;
	}
	tp->segs_in++;
	/* Keep the socket across processing: a reset may end it mid-way. */
	inet_sock_get(&tp->inet);
	if (tp->inet.state == TCP_SYN_SENT) {
		if (synsent_input(tp, p, &s)) {
			/* Data or FIN riding on the SYN-ACK, then our ACK. */
			if (!data_input(tp, p, &s) && tp->inet.state != TCP_CLOSE) {
				tcp_output(tp);
				if (tp->ack_now)
					tcp_send_ack(tp);
			}
		}
	} else if (tp->inet.state != TCP_CLOSE && tp->inet.state != TCP_LISTEN) {
		conn_input(tp, p, &s);
	}
	inet_sock_put(&tp->inet);
	pkt_free(p);
}

void tcp_icmp_error(const struct icmp_err *e)
{
	uint16_t sport = rd16(e->th), dport = rd16(e->th + 2);
	uint32_t seq = rd32(e->th + 4);
	struct tcp_sock *tp = tcp_lookup(e->daddr, dport, e->saddr, sport);
	if (!tp || tp->inet.state == TCP_TIME_WAIT || tp->inet.state == TCP_LISTEN)
		return;
	/* RFC 5927 4.1: only about a segment in flight. */
	if (seq_lt(seq, tp->snd_una) || seq_ge(seq, tp->snd_max + 1))
		return;
	struct inet_sock *sk = &tp->inet;
	if (e->type == ICMP_DEST_UNREACH && e->code == ICMP_FRAG_NEEDED) {
		/* Path MTU discovery (RFC 1191): a smaller MTU on the way; resend in smaller pieces. */
		if (e->info >= IP_MIN_MTU && e->info < tp->pmtu && sk->pmtudisc != IP_PMTUDISC_DONT) {
			tp->pmtu = e->info;
			tcp_sync_mss(tp);
			tcp_retransmit_head(tp);
		}
		return;
	}
	if (sk->state == TCP_SYN_SENT || sk->state == TCP_SYN_RECV) {
		/* Linux's tcp_v4_err: a connection attempt dies of any unreachable. */
		sk->err = e->errno_val;
		if (sk->state == TCP_SYN_SENT)
			NET_INC(tcp_attempt_fails);
		tcp_done(tp);
		return;
	}
	if (sk->recverr && e->fatal) {
		sk->err = e->errno_val;
		inet_wake(sk);
	} else {
		sk->err_soft = e->errno_val;
	}
}
