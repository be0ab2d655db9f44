/* TCP timers: retransmission (RFC 6298, with SYN and SYN-ACK retries), delayed ACK, keepalive, zero-window persist, cork, TIME_WAIT and FIN_WAIT2. */
#include <abi/errno.h>
#include "tcp.h"

static void tcp_write_timeout(struct tcp_sock *tp)
{
	struct inet_sock *sk = &tp->inet;
	NET_INC(tcp_abort_on_timeout);
	/* Linux reports the soft error a host/net unreachable left behind, else ETIMEDOUT. */
	tcp_abort(tp, sk->err_soft ? sk->err_soft : ETIMEDOUT, false);
}

static void backoff(struct tcp_sock *tp)
{
	tp->backoff++;
	tp->rto_ns = tp->rto_ns * 2 > TCP_RTO_MAX_NS ? TCP_RTO_MAX_NS : tp->rto_ns * 2;
	ntimer_arm_after(&tp->t_rexmt, tp->rto_ns);
}

static void on_rexmt(struct ntimer *t)
{
	struct tcp_sock *tp = container_of(t, struct tcp_sock, t_rexmt);
	struct inet_sock *sk = &tp->inet;
	if (sk->state == TCP_SYN_SENT) {
		uint32_t limit = tp->syncnt ? tp->syncnt : TCP_SYN_RETRIES;
		if (tp->retransmits >= limit) {
			tcp_write_timeout(tp);
			return;
		}
		tp->retransmits++;
		NET_INC(tcp_syn_retrans);
		tcp_send_syn(tp);
		backoff(tp);
		return;
	}
	if (sk->state == TCP_SYN_RECV) {
		if (tp->synack_retries >= TCP_SYNACK_RETRIES) {
			tcp_done(tp);
			return;
		}
		tp->synack_retries++;
		tcp_send_synack(tp);
		backoff(tp);
		return;
	}
	if (!tcp_in_flight(tp))
		return;
	uint64_t now = net_now();
	if (!tp->retrans_stamp)
		tp->retrans_stamp = now;
	/* Linux's tcp_retries2, or tcp_orphan_retries (8) once nobody holds the socket. */
	uint32_t limit = tp->inet.orphan ? TCP_ORPHAN_RETRIES : TCP_RETRIES2;
	bool too_long = tp->user_timeout_ms ?
		now - tp->retrans_stamp >= (uint64_t)tp->user_timeout_ms * NSEC_PER_MSEC :
		tp->retransmits >= limit;
	if (too_long) {
		tcp_write_timeout(tp);
		return;
	}
	NET_INC(tcp_timeouts);
	/* RFC 5681 (5): one segment's window; RFC 6298 5.5-5.6: back the timer off. */
	uint32_t flight = tcp_in_flight(tp);
	if (!tp->retransmits)
		tp->ssthresh = MAX(flight / 2, 2u * tp->mss);
	tp->cwnd = tp->mss;
	tp->bytes_acked = 0;
	tp->dupacks = 0;
	tp->in_recovery = false;
	tp->rtt_timing = false;
	tp->retransmits++;
	tp->nsacked = 0;
	tcp_retransmit_head(tp);
	backoff(tp);
}

static void on_delack(struct ntimer *t)
{
	struct tcp_sock *tp = container_of(t, struct tcp_sock, t_delack);
	tcp_send_ack(tp);
}

static void on_keep(struct ntimer *t)
{
	struct tcp_sock *tp = container_of(t, struct tcp_sock, t_keep);
	struct inet_sock *sk = &tp->inet;
	if (!sk->keepalive || (sk->state != TCP_ESTABLISHED && sk->state != TCP_CLOSE_WAIT &&
			       sk->state != TCP_FIN_WAIT2))
		return;
	uint64_t now = net_now();
	uint64_t idle = now - tp->last_recv_ns;
	uint64_t idle_limit = (uint64_t)tp->keepidle * NSEC_PER_SEC;
	if (tcp_in_flight(tp) || tp->snd.len) {
		/* Data outstanding: the retransmission timer watches the peer. */
		ntimer_arm_after(t, idle_limit);
		return;
	}
	if (idle < idle_limit && !tp->keep_probes) {
		ntimer_arm(t, tp->last_recv_ns + idle_limit);
		return;
	}
	bool dead = tp->user_timeout_ms ?
		idle >= (uint64_t)tp->user_timeout_ms * NSEC_PER_MSEC && tp->keep_probes :
		tp->keep_probes >= tp->keepcnt;
	if (dead) {
		tcp_write_timeout(tp);
		return;
	}
	tp->keep_probes++;
	tcp_send_probe(tp);
	ntimer_arm_after(t, (uint64_t)tp->keepintvl * NSEC_PER_SEC);
}

static void on_wait(struct ntimer *t)
{
	struct tcp_sock *tp = container_of(t, struct tcp_sock, t_wait);
	/* TIME_WAIT's 2MSL, or an orphan FIN_WAIT2 that waited long enough. */
	tcp_done(tp);
}

static void on_persist(struct ntimer *t)
{
	struct tcp_sock *tp = container_of(t, struct tcp_sock, t_persist);
	uint32_t unsent = tp->snd_base + tp->snd.len - tp->snd_nxt;
	if (!unsent || tcp_in_flight(tp))
		return;
	if (tp->snd_wnd) {
		/* A window too small for the silly-window rules: send what fits after all. */
		tcp_send_window_override(tp);
		return;
	}
	tcp_send_probe(tp);
	if (tp->persist_backoff < 16)
		tp->persist_backoff++;
	uint64_t d = tp->rto_ns << tp->persist_backoff;
	ntimer_arm_after(t, d > TCP_RTO_MAX_NS || d < tp->rto_ns ? TCP_RTO_MAX_NS : d);
}

static void on_cork(struct ntimer *t)
{
	struct tcp_sock *tp = container_of(t, struct tcp_sock, t_cork);
	/* A corked tail waits at most 200 ms (Linux's TCP_CORK ceiling). */
	tcp_push(tp);
}

void tcp_timers_init(struct tcp_sock *tp)
{
	ntimer_init(&tp->t_rexmt, on_rexmt);
	ntimer_init(&tp->t_delack, on_delack);
	ntimer_init(&tp->t_keep, on_keep);
	ntimer_init(&tp->t_wait, on_wait);
	ntimer_init(&tp->t_persist, on_persist);
	ntimer_init(&tp->t_cork, on_cork);
}

void tcp_timers_stop(struct tcp_sock *tp)
{
	ntimer_cancel(&tp->t_rexmt);
	ntimer_cancel(&tp->t_delack);
	ntimer_cancel(&tp->t_keep);
	ntimer_cancel(&tp->t_wait);
	ntimer_cancel(&tp->t_persist);
	ntimer_cancel(&tp->t_cork);
}

void tcp_rearm_rto(struct tcp_sock *tp)
{
	if (tcp_in_flight(tp))
		ntimer_arm_after(&tp->t_rexmt, tp->rto_ns);
	else
		ntimer_cancel(&tp->t_rexmt);
}

void tcp_reset_keepalive(struct tcp_sock *tp)
{
	tp->keep_probes = 0;
	if (tp->inet.keepalive && (tp->inet.state == TCP_ESTABLISHED ||
				   tp->inet.state == TCP_CLOSE_WAIT))
		ntimer_arm_after(&tp->t_keep, (uint64_t)tp->keepidle * NSEC_PER_SEC);
	else
		ntimer_cancel(&tp->t_keep);
}

void tcp_schedule_delack(struct tcp_sock *tp)
{
	if (!ntimer_armed(&tp->t_delack))
		ntimer_arm_after(&tp->t_delack, TCP_DELACK_NS);
}

void tcp_rtt_sample(struct tcp_sock *tp, uint32_t rtt_us)
{
	if (!rtt_us)
		rtt_us = 1;
	if (!tp->srtt_us) {
		tp->srtt_us = rtt_us;
		tp->rttvar_us = rtt_us / 2;
	} else {
		uint32_t delta = tp->srtt_us > rtt_us ? tp->srtt_us - rtt_us : rtt_us - tp->srtt_us;
		tp->rttvar_us = (3 * tp->rttvar_us + delta) / 4;
		tp->srtt_us = (7 * tp->srtt_us + rtt_us) / 8;
	}
	uint64_t var = 4ull * tp->rttvar_us * NSEC_PER_USEC;
	uint64_t rto = (uint64_t)tp->srtt_us * NSEC_PER_USEC + (var > TCP_RTO_MIN_NS ? var : TCP_RTO_MIN_NS);
	tp->rto_ns = rto > TCP_RTO_MAX_NS ? TCP_RTO_MAX_NS : rto;
	tp->backoff = 0;
}
