/*
 * Private to the IPv4 stack: TCP (RFC 9293) with the RFC 6298
 * retransmission timer, RFC 5681/6582 congestion control (slow start,
 * congestion avoidance, fast retransmit and NewReno recovery), RFC 7323
 * window scaling, timestamps and PAWS, RFC 2018 SACK blocks sent for
 * out-of-order data, RFC 5961 challenge ACKs, Nagle and TCP_CORK, delayed
 * ACKs, keepalive, TIME_WAIT, listen queues with Linux's limits.
 *
 * All under the stack lock. Sequence numbers compare modulo 2^32 (seq_lt
 * and friends).
 */
#ifndef KERNEL_NET_INET_TCP_H
#define KERNEL_NET_INET_TCP_H

#include <frame/clock.h>
#include <frame/types.h>
#include "ip.h"
#include "ring.h"
#include "sock.h"
#include "stack.h"

#define TCP_HLEN 20
#define TCP_MAX_HLEN 60

/* Header flags. */
#define TCPF_FIN 0x01
#define TCPF_SYN 0x02
#define TCPF_RST 0x04
#define TCPF_PSH 0x08
#define TCPF_ACK 0x10
#define TCPF_URG 0x20
#define TCPF_ECE 0x40
#define TCPF_CWR 0x80

/* Options. */
#define TCPOPT_EOL 0
#define TCPOPT_NOP 1
#define TCPOPT_MSS 2
#define TCPOPT_WINDOW 3
#define TCPOPT_SACK_PERM 4
#define TCPOPT_SACK 5
#define TCPOPT_TIMESTAMP 8

/* Linux's defaults and limits. */
#define TCP_MSS_DEFAULT 536u
#define TCP_MIN_MSS 88u
#define TCP_INIT_CWND 10u
#define TCP_RTO_MIN_NS (200ull * NSEC_PER_MSEC)
#define TCP_RTO_MAX_NS (120ull * NSEC_PER_SEC)
#define TCP_TIMEOUT_INIT_NS (1ull * NSEC_PER_SEC)
#define TCP_DELACK_NS (40ull * NSEC_PER_MSEC)
#define TCP_TIMEWAIT_NS (60ull * NSEC_PER_SEC)
#define TCP_FIN_TIMEOUT_NS (60ull * NSEC_PER_SEC)
#define TCP_KEEPIDLE_DEFAULT 7200u
#define TCP_KEEPINTVL_DEFAULT 75u
#define TCP_KEEPCNT_DEFAULT 9u
#define TCP_SYN_RETRIES 6u
#define TCP_SYNACK_RETRIES 5u
#define TCP_RETRIES2 15u
#define TCP_ORPHAN_RETRIES 8u
/* RFC 6298 5.7: the RTO when the handshake needed a retransmission and gave no sample. */
#define TCP_TIMEOUT_FALLBACK_NS (3ull * NSEC_PER_SEC)
#define TCP_WMEM_DEFAULT 16384u
#define TCP_WMEM_MAX 4194304u
#define TCP_RMEM_DEFAULT 131072u
#define TCP_RMEM_MAX 6291456u
#define TCP_MAX_WSCALE 14u
#define TCP_MAX_TW 16384u
#define TCP_CORK_NS (200ull * NSEC_PER_MSEC)

static inline bool seq_lt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}
static inline bool seq_le(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) <= 0;
}
static inline bool seq_gt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) > 0;
}
static inline bool seq_ge(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) >= 0;
}

/* A parsed segment. */
struct tcp_seg {
	uint32_t seq, ack;
	uint32_t len;		/* payload bytes */
	uint32_t wnd;		/* raw window field */
	uint16_t sport, dport;
	uint8_t flags;
	uint8_t hlen;
	/* Options seen. */
	bool has_mss, has_ws, has_ts, sack_perm;
	uint16_t mss;
	uint8_t ws;
	uint32_t tsval, tsecr;
	uint8_t nsack;
	uint32_t sack[4][2];
};

/* One SACKed range the peer reported (sender scoreboard). */
struct tcp_sack_block {
	uint32_t start, end;
};

struct tcp_sock {
	struct inet_sock inet;

	/* Send sequence space (RFC 9293 3.3.1). */
	uint32_t iss, snd_una, snd_nxt, snd_max, snd_wnd, snd_wl1, snd_wl2, max_window;
	uint32_t snd_base;	/* sequence number of snd.buf's first byte */
	struct ring snd;	/* unacknowledged and unsent data */
	bool fin_queued;	/* a FIN follows the data (close/shutdown) */
	uint32_t snd_sml;	/* end of the last small segment sent (Nagle) */
	bool force_send;	/* ignore sender SWS avoidance once */
	uint8_t snd_wscale, rcv_wscale;
	uint16_t mss;		/* current send MSS, options excluded */
	uint16_t advmss;	/* the MSS we announce */
	uint16_t peer_mss;	/* the MSS the peer announced */
	uint16_t user_mss;	/* TCP_MAXSEG */
	uint32_t pmtu;

	/* Receive sequence space. */
	uint32_t irs, rcv_nxt, rcv_adv;	/* rcv_adv: right edge we announced */
	uint32_t rcv_wup;		/* rcv_nxt when we last announced */
	struct ring rcv;		/* in-order data not yet read */
	struct pkt_queue ofo;		/* out-of-order segments, by seq */
	uint32_t ofo_mem;
	uint32_t rcv_mss;		/* largest segment seen (delayed-ACK rule) */
	bool fin_rcvd;

	/* RTT and retransmission timer (RFC 6298), microseconds. */
	uint32_t srtt_us, rttvar_us;
	uint64_t rto_ns;
	uint8_t backoff;		/* RTO doublings since the last good ACK */
	uint8_t retransmits;		/* consecutive timeouts */
	uint32_t rtt_seq;		/* Karn: the segment being timed without timestamps */
	uint64_t rtt_start;
	bool rtt_timing;
	uint64_t retrans_stamp;		/* first retransmission of this episode (for ETIMEDOUT) */

	/* Congestion control (bytes). */
	uint32_t cwnd, ssthresh, bytes_acked;
	uint32_t dupacks;
	uint32_t recover;		/* NewReno: snd_max when recovery began */
	bool in_recovery;
	uint32_t total_retrans;
	uint32_t lost_out;

	/* Options negotiated. */
	bool ts_ok, sack_ok, ws_ok;
	uint32_t ts_recent, ts_offset;
	uint64_t ts_recent_stamp;	/* when ts_recent was taken (ns) */
	uint32_t last_ack_sent;
	struct tcp_sack_block sacked[4];
	uint8_t nsacked;
	uint32_t last_ofo_seq;		/* start of the newest out-of-order block (first SACK block) */

	/* ACKs. */
	bool ack_now;			/* send an ACK at the next chance */
	uint32_t quickack;		/* ACK this many segments at once */
	bool pingpong;

	/* Socket options. */
	bool nodelay, cork, defer_accept, quickack_opt;
	uint8_t conn_state;			/* connect()'s view: unconnected, connecting, connected */
	uint32_t keepidle, keepintvl, keepcnt;	/* seconds, seconds, count */
	uint32_t syncnt;
	int32_t linger2;			/* TCP_LINGER2 (s), -1 none */
	uint32_t user_timeout_ms;
	uint32_t keep_probes;
	uint32_t window_clamp;
	uint64_t last_recv_ns;			/* keepalive idle measure */
	uint64_t last_send_ns;
	uint64_t start_ns;

	/* Timers. */
	struct ntimer t_rexmt, t_delack, t_keep, t_wait, t_persist, t_cork;
	uint8_t persist_backoff;

	/* Listen: children not yet established (syn queue) and not yet accepted (accept queue). */
	struct tcp_sock *listener;		/* referenced while a child is queued */
	struct tcp_sock *q_next;
	struct tcp_sock *synq, *accq_head, *accq_tail;
	uint32_t synq_len, accq_len;
	int backlog;
	bool queued_accept;			/* on the accept queue (else on the syn queue) */
	uint8_t synack_retries;

	/* Statistics (TCP_INFO). */
	uint32_t segs_in, segs_out, data_segs_in, data_segs_out;
	uint64_t bytes_acked_total, bytes_received;
	uint32_t rcv_space;
};

static inline struct tcp_sock *tcp_sk(struct inet_sock *sk)
{
	return container_of(sk, struct tcp_sock, inet);
}

/* ---- connections (tcp_conn.c) ---- */

struct tcp_sock *tcp_alloc(void);
void tcp_set_state(struct tcp_sock *tp, int state);
/* Into the connected table (4-tuple set). */
void tcp_hash(struct tcp_sock *tp);
void tcp_unhash(struct tcp_sock *tp);
/* The connection for a segment, or the listener of its port; NULL. Not referenced. */
struct tcp_sock *tcp_lookup(uint32_t saddr, uint16_t sport, uint32_t daddr, uint16_t dport);
struct tcp_sock *tcp_lookup_listener(uint32_t daddr, uint16_t dport, int ifindex);
/* Pick a local port for connect(): unique 4-tuple (Linux's __inet_hash_connect). 0 or -EADDRNOTAVAIL. */
int tcp_connect_port(struct tcp_sock *tp);
uint32_t tcp_new_iss(uint32_t saddr, uint16_t sport, uint32_t daddr, uint16_t dport);
/* The connection is over (CLOSE): timers stop, tables let go; an orphan is freed. */
void tcp_done(struct tcp_sock *tp);
/* Abort with @err: RST to the peer when @send_rst, pending error, done. */
void tcp_abort(struct tcp_sock *tp, int err, bool send_rst);
/* Enter TIME_WAIT (or end at once when too many wait). */
void tcp_time_wait(struct tcp_sock *tp);
/* close() of the file: Linux's tcp_close. */
void tcp_close(struct tcp_sock *tp, bool *linger_wait);
/* After tcp_close(): the file's reference becomes the stack's until the connection ends. */
void tcp_orphan(struct tcp_sock *tp);
/* shutdown(SHUT_WR) and close: queue the FIN and move state. */
void tcp_send_fin_state(struct tcp_sock *tp);
/* Count of sockets in each state, for /proc/net/sockstat. */
uint32_t tcp_count_state(int state);
/* Visit every TCP socket (for /proc/net/tcp): @fn returns false to stop. */
void tcp_for_each(bool (*fn)(struct tcp_sock *tp, void *arg), void *arg);
uint32_t tcp_orphans(void);

/* ---- input (tcp_in.c) ---- */

/* Parse a segment's header and options: false if malformed (counted). */
bool tcp_parse(const struct pkt *p, struct tcp_seg *s);
/* Seed the congestion and RTT state of a new connection. */
void tcp_init_xfer(struct tcp_sock *tp);

/* ---- output (tcp_out.c) ---- */

/* Send what the windows, Nagle and cork allow; the FIN when it is due. */
void tcp_output(struct tcp_sock *tp);
/* Push even a small tail now (uncork, MSG_MORE off). */
void tcp_push(struct tcp_sock *tp);
void tcp_send_ack(struct tcp_sock *tp);
void tcp_send_syn(struct tcp_sock *tp);
void tcp_send_synack(struct tcp_sock *tp);
/* RST for the connection (in its state). */
void tcp_send_active_rst(struct tcp_sock *tp);
/* RST in answer to a segment nobody takes (RFC 9293 3.10.7.1). */
void tcp_send_reset_for(const struct pkt *p, const struct tcp_seg *s);
/* A keepalive or zero-window probe: an old sequence number, no data. */
void tcp_send_probe(struct tcp_sock *tp);
/* Send what a small window allows, silly or not (the persist timer's override). */
void tcp_send_window_override(struct tcp_sock *tp);
/* Retransmit the first unacknowledged segment. */
void tcp_retransmit_head(struct tcp_sock *tp);
/* The receive window we would announce now (unscaled bytes). */
uint32_t tcp_rcv_window(const struct tcp_sock *tp);
/* After the application read: send a window update when it opened enough. */
void tcp_rcv_space_update(struct tcp_sock *tp);
/* The MSS for sending with the current options and path MTU. */
void tcp_sync_mss(struct tcp_sock *tp);
uint32_t tcp_now_ts(const struct tcp_sock *tp);
/* Bytes in flight (sent, not acknowledged; SYN/FIN counted). */
static inline uint32_t tcp_in_flight(const struct tcp_sock *tp)
{
	return tp->snd_max - tp->snd_una;
}

/* ---- timers (tcp_timer.c) ---- */

void tcp_timers_init(struct tcp_sock *tp);
void tcp_timers_stop(struct tcp_sock *tp);
void tcp_rearm_rto(struct tcp_sock *tp);
void tcp_reset_keepalive(struct tcp_sock *tp);
void tcp_schedule_delack(struct tcp_sock *tp);
/* RFC 6298 update with a measured round trip of @rtt_us. */
void tcp_rtt_sample(struct tcp_sock *tp, uint32_t rtt_us);

#endif
