/* TCP connections: allocation, the connected and port tables, ephemeral ports for connect, ISNs, and the ways a connection ends (done, abort, TIME_WAIT, close). */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/string.h>
#include <kernel/random.h>
#include "tcp.h"

#define EHASH 1024u

static struct inet_sock *ehash[EHASH];
static uint32_t state_count[TCP_CLOSING + 1];
static uint32_t orphans;
static uint64_t iss_secret;

static uint32_t hash4(uint32_t laddr, uint16_t lport, uint32_t raddr, uint16_t rport)
{
	uint64_t h = ((uint64_t)laddr << 32 | raddr) * 0x9e3779b97f4a7c15ull;
	h ^= ((uint64_t)lport << 16 | rport) * 0xc2b2ae3d27d4eb4full;
	h ^= h >> 29;
	return (uint32_t)h;
}

uint32_t tcp_count_state(int state)
{
	return state > 0 && state <= TCP_CLOSING ? state_count[state] : 0;
}

uint32_t tcp_orphans(void)
{
	return orphans;
}

static void tcp_destroy(struct inet_sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	tcp_timers_stop(tp);
	ring_free(&tp->snd);
	ring_free(&tp->rcv);
	pkt_queue_purge(&tp->ofo);
	state_count[sk->state]--;
	kfree(tp);
}

struct tcp_sock *tcp_alloc(void)
{
	struct tcp_sock *tp = kzalloc(sizeof(*tp));
	if (!tp)
		return NULL;
	inet_sock_init(&tp->inet, SOCK_STREAM, IPPROTO_TCP);
	tp->inet.destroy = tcp_destroy;
	tp->inet.sndbuf = TCP_WMEM_DEFAULT;
	tp->inet.rcvbuf = TCP_RMEM_DEFAULT;
	state_count[TCP_CLOSE]++;
	tp->keepidle = TCP_KEEPIDLE_DEFAULT;
	tp->keepintvl = TCP_KEEPINTVL_DEFAULT;
	tp->keepcnt = TCP_KEEPCNT_DEFAULT;
	tp->mss = TCP_MSS_DEFAULT;
	tp->advmss = TCP_MSS_DEFAULT;
	tp->rto_ns = TCP_TIMEOUT_INIT_NS;
	tp->ssthresh = 0x7fffffffu;
	tcp_timers_init(tp);
	return tp;
}

void tcp_set_state(struct tcp_sock *tp, int state)
{
	struct inet_sock *sk = &tp->inet;
	if (sk->state == state)
		return;
	state_count[sk->state]--;
	state_count[state]++;
	sk->state = (uint8_t)state;
	inet_wake(sk);
}

/* ---- tables ---- */

void tcp_hash(struct tcp_sock *tp)
{
	struct inet_sock *sk = &tp->inet;
	if (sk->hashed)
		return;
	struct inet_sock **c = &ehash[hash4(sk->laddr, sk->lport, sk->raddr, sk->rport) % EHASH];
	sk->hash_next = *c;
	*c = sk;
	sk->hashed = true;
}

void tcp_unhash(struct tcp_sock *tp)
{
	struct inet_sock *sk = &tp->inet;
	if (!sk->hashed)
		return;
	struct inet_sock **pp = &ehash[hash4(sk->laddr, sk->lport, sk->raddr, sk->rport) % EHASH];
	for (; *pp; pp = &(*pp)->hash_next) {
		if (*pp == sk) {
			*pp = sk->hash_next;
			break;
		}
	}
	sk->hash_next = NULL;
	sk->hashed = false;
}

static struct inet_sock *ehash_find(uint32_t laddr, uint16_t lport, uint32_t raddr,
				    uint16_t rport)
{
	for (struct inet_sock *s = ehash[hash4(laddr, lport, raddr, rport) % EHASH]; s;
	     s = s->hash_next)
		if (s->lport == lport && s->rport == rport && s->laddr == laddr && s->raddr == raddr)
			return s;
	return NULL;
}

struct tcp_sock *tcp_lookup_listener(uint32_t daddr, uint16_t dport, int ifindex)
{
	/* The most specific listener: a bound address beats the wildcard (Linux's compute_score). */
	struct inet_sock *best = NULL;
	int best_score = -1;
	for (struct inet_sock *s = port_first(&tcp_ports, dport); s; s = s->bind_next) {
		if (s->lport != dport || s->state != TCP_LISTEN)
			continue;
		if (s->laddr && s->laddr != daddr)
			continue;
		if (s->bound_dev && s->bound_dev != ifindex)
			continue;
		int score = (s->laddr ? 4 : 2) + (s->bound_dev ? 1 : 0);
		if (score > best_score) {
			best = s;
			best_score = score;
		}
	}
	return best ? tcp_sk(best) : NULL;
}

struct tcp_sock *tcp_lookup(uint32_t saddr, uint16_t sport, uint32_t daddr, uint16_t dport)
{
	struct inet_sock *s = ehash_find(daddr, dport, saddr, sport);
	return s ? tcp_sk(s) : NULL;
}

void tcp_for_each(bool (*fn)(struct tcp_sock *tp, void *arg), void *arg)
{
	/* Listeners and bound sockets first (from the port table), then the connected ones not in it. */
	for (uint32_t i = 0; i < PORT_HASH; i++)
		for (struct inet_sock *s = tcp_ports.chain[i]; s; s = s->bind_next)
			if (!s->hashed && !fn(tcp_sk(s), arg))
				return;
	for (uint32_t i = 0; i < EHASH; i++)
		for (struct inet_sock *s = ehash[i]; s; s = s->hash_next)
			if (!fn(tcp_sk(s), arg))
				return;
}

/* May a connect() reuse the 4-tuple of this TIME_WAIT socket (Linux's tcp_tw_reuse = 2: loopback only)? */
static bool tw_reusable(struct tcp_sock *tw)
{
	if (tw->inet.state != TCP_TIME_WAIT || !tw->ts_ok || !tw->ts_recent_stamp)
		return false;
	if (!ip_is_loopback(tw->inet.laddr) && !netif_for_local(tw->inet.raddr))
		return false;
	return net_now() - tw->ts_recent_stamp > NSEC_PER_SEC;
}

/* Is laddr:lport -> raddr:rport free for a new connection (a reusable TIME_WAIT is ended)? */
static bool tuple_free(struct tcp_sock *tp, uint16_t lport)
{
	struct inet_sock *sk = &tp->inet;
	struct inet_sock *o = ehash_find(sk->saddr, lport, sk->raddr, sk->rport);
	if (!o)
		return true;
	if (!tw_reusable(tcp_sk(o)))
		return false;
	tcp_done(tcp_sk(o));
	return true;
}

int tcp_connect_port(struct tcp_sock *tp)
{
	struct inet_sock *sk = &tp->inet;
	if (sk->in_ports)
		return tuple_free(tp, sk->lport) ? 0 : -EADDRNOTAVAIL;
	uint32_t span = inet_port_high - inet_port_low + 1;
	uint32_t start = (uint32_t)(random_u64() % span);
	for (uint32_t i = 0; i < span; i++) {
		uint16_t cand = (uint16_t)(inet_port_low + (start + i) % span);
		/* Ports others bind()ed or listen on stay theirs; connect-chosen ones are shared by 4-tuple. */
		bool taken = false;
		for (struct inet_sock *o = port_first(&tcp_ports, cand); o && !taken; o = o->bind_next)
			if (o->lport == cand && o->in_ports &&
			    (!o->port_autobound || o->state == TCP_LISTEN))
				taken = true;
		if (taken || !tuple_free(tp, cand))
			continue;
		sk->lport = cand;
		sk->port_autobound = true;
		port_insert(&tcp_ports, sk);
		return 0;
	}
	return -EADDRNOTAVAIL;
}

uint32_t tcp_new_iss(uint32_t saddr, uint16_t sport, uint32_t daddr, uint16_t dport)
{
	/* RFC 6528: a 4-microsecond clock plus a keyed hash of the 4-tuple. */
	if (!iss_secret)
		iss_secret = random_u64() | 1;
	uint64_t h = hash4(saddr ^ (uint32_t)iss_secret, sport, daddr ^ (uint32_t)(iss_secret >> 32),
			   dport) * iss_secret;
	return (uint32_t)(net_now() / 4000u) + (uint32_t)(h >> 32);
}

/* ---- endings ---- */

/* A port bind() gave stays with a socket that has a file (it may connect again); others go back. */
static void drop_port(struct tcp_sock *tp, bool always)
{
	struct inet_sock *sk = &tp->inet;
	if (sk->in_ports && (always || !sk->port_by_user)) {
		port_remove(&tcp_ports, sk);
		sk->port_autobound = false;
	}
}

static void unlink_from_listener(struct tcp_sock *tp)
{
	struct tcp_sock *l = tp->listener;
	if (!l || tp->queued_accept)
		return;
	/* Only the syn queue forgets a dying child; the accept queue keeps it for accept(). */
	for (struct tcp_sock **pp = &l->synq; *pp; pp = &(*pp)->q_next) {
		if (*pp == tp) {
			*pp = tp->q_next;
			l->synq_len--;
			break;
		}
	}
	tp->q_next = NULL;
	tp->listener = NULL;
	inet_sock_put(&l->inet);
	/* The syn queue's reference was the child's only one. */
	tp->inet.orphan = true;
	orphans++;
}

void tcp_done(struct tcp_sock *tp)
{
	struct inet_sock *sk = &tp->inet;
	tcp_timers_stop(tp);
	tcp_unhash(tp);
	drop_port(tp, sk->orphan);
	tcp_set_state(tp, TCP_CLOSE);
	sk->shutdown = SHUTDOWN_MASK;
	inet_wake(sk);
	unlink_from_listener(tp);
	if (sk->orphan) {
		/* Nobody holds the connection any more: the stack's reference goes. */
		drop_port(tp, true);
		sk->orphan = false;
		orphans--;
		inet_sock_put(sk);
	}
}

void tcp_abort(struct tcp_sock *tp, int err, bool send_rst)
{
	struct inet_sock *sk = &tp->inet;
	int st = sk->state;
	if (send_rst && (st == TCP_ESTABLISHED || st == TCP_CLOSE_WAIT || st == TCP_FIN_WAIT1 ||
			 st == TCP_FIN_WAIT2 || st == TCP_SYN_RECV))
		tcp_send_active_rst(tp);
	if (st == TCP_ESTABLISHED || st == TCP_CLOSE_WAIT)
		NET_INC(tcp_estab_resets);
	if (err)
		sk->err = err;
	tcp_done(tp);
}

void tcp_time_wait(struct tcp_sock *tp)
{
	if (state_count[TCP_TIME_WAIT] >= TCP_MAX_TW) {
		NET_INC(tcp_time_wait_overflow);
		tcp_done(tp);
		return;
	}
	tcp_timers_stop(tp);
	/* What a TIME_WAIT socket keeps is its sequence state; the buffers go. */
	ring_free(&tp->snd);
	pkt_queue_purge(&tp->ofo);
	tp->ofo_mem = 0;
	if (tp->inet.orphan)
		ring_free(&tp->rcv);
	tcp_set_state(tp, TCP_TIME_WAIT);
	tp->inet.shutdown = SHUTDOWN_MASK;
	tp->inet.done = true;
	ntimer_arm_after(&tp->t_wait, TCP_TIMEWAIT_NS);
	inet_wake(&tp->inet);
}

void tcp_send_fin_state(struct tcp_sock *tp)
{
	switch (tp->inet.state) {
	case TCP_ESTABLISHED:
	case TCP_SYN_RECV:
		tcp_set_state(tp, TCP_FIN_WAIT1);
		break;
	case TCP_CLOSE_WAIT:
		tcp_set_state(tp, TCP_LAST_ACK);
		break;
	default:
		return;
	}
	tp->fin_queued = true;
	tcp_push(tp);
}

/* A listener going away takes its children along: established ones are reset. */
static void listen_stop(struct tcp_sock *l)
{
	while (l->synq) {
		struct tcp_sock *c = l->synq;
		tcp_done(c);	/* unlinks and frees it */
	}
	while (l->accq_head) {
		struct tcp_sock *c = l->accq_head;
		l->accq_head = c->q_next;
		l->accq_len--;
		c->q_next = NULL;
		c->listener = NULL;
		c->queued_accept = false;
		inet_sock_put(&l->inet);
		/* The queue's reference becomes the orphan's, dropped by tcp_done. */
		c->inet.orphan = true;
		orphans++;
		if (c->inet.state == TCP_CLOSE)
			tcp_done(c);
		else
			tcp_abort(c, 0, true);
	}
	l->accq_tail = NULL;
}

void tcp_close(struct tcp_sock *tp, bool *linger_wait)
{
	struct inet_sock *sk = &tp->inet;
	*linger_wait = false;
	sk->shutdown = SHUTDOWN_MASK;
	if (sk->state == TCP_LISTEN) {
		tcp_set_state(tp, TCP_CLOSE);
		listen_stop(tp);
		sk->done = true;
		return;
	}
	uint32_t unread = tp->rcv.len;
	if (sk->state == TCP_CLOSE) {
		/* Nothing to tell anyone. */
	} else if (unread) {
		/* RFC 2525 2.17: data the application never read is reported as a reset. */
		NET_INC(tcp_abort_on_close);
		tcp_abort(tp, 0, true);
	} else if (sk->linger_on && sk->linger_secs == 0) {
		NET_INC(tcp_abort_on_data);
		tcp_abort(tp, 0, true);
	} else if (sk->state == TCP_SYN_SENT) {
		tcp_done(tp);
	} else {
		tcp_send_fin_state(tp);
		if (sk->linger_on && sk->linger_secs > 0)
			*linger_wait = true;
	}
}

void tcp_orphan(struct tcp_sock *tp)
{
	struct inet_sock *sk = &tp->inet;
	if (sk->state == TCP_CLOSE) {
		drop_port(tp, true);
		inet_sock_put(sk);
		return;
	}
	sk->orphan = true;
	orphans++;
	if (sk->state == TCP_FIN_WAIT2) {
		/* An orphan waits for the peer's FIN only tcp_fin_timeout (or TCP_LINGER2). */
		if (tp->linger2 < 0) {
			tcp_abort(tp, 0, true);
			return;
		}
		uint64_t t = tp->linger2 ? (uint64_t)tp->linger2 * NSEC_PER_SEC : TCP_FIN_TIMEOUT_NS;
		ntimer_arm_after(&tp->t_wait, t);
	}
}
