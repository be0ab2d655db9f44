/* TCP sockets: connect (blocking and not), listen/accept, send/receive with Linux's blocking, error and signal rules, shutdown/close, poll, SOL_TCP options and TCP_INFO. */
#include <abi/errno.h>
#include <abi/poll.h>
#include <abi/tcp.h>
#include <abi/termios.h>
#include <frame/string.h>
#include <kernel/random.h>
#include "inet_proto.h"
#include "tcp.h"

/* What connect() remembers across calls (Linux's socket->state). */
enum { SS_UNCONNECTED, SS_CONNECTING, SS_CONNECTED };

static struct tcp_sock *tsk(struct inet_sock *sk)
{
	return tcp_sk(sk);
}

struct inet_sock *tcp_sock_create(void)
{
	struct tcp_sock *tp = tcp_alloc();
	if (!tp)
		return NULL;
	tp->inet.ops = &tcp_proto_ops;
	return &tp->inet;
}

/* Send-buffer bytes: SO_SNDBUF when set, else grown with the window (Linux's autotuning, roughly). */
static uint32_t snd_cap(const struct tcp_sock *tp)
{
	if (tp->inet.sndbuf_locked)
		return tp->inet.sndbuf;
	uint32_t want = 2 * MIN(tp->cwnd, MAX(tp->snd_wnd, (uint32_t)tp->mss));
	want = MAX(want, tp->inet.sndbuf);
	want = MAX(want, 65536u);
	return MIN(want, TCP_WMEM_MAX);
}

static int tcp_bind(struct inet_sock *sk, uint32_t addr, uint16_t port)
{
	return port_bind(&tcp_ports, sk, addr, port);
}

/* ---- connect ---- */

static int do_connect(struct tcp_sock *tp, const struct sockaddr_in *a)
{
	struct inet_sock *sk = &tp->inet;
	uint32_t daddr = net32(a->sin_addr);
	uint16_t dport = net16(a->sin_port);
	if (!daddr)
		daddr = INADDR_LOOPBACK;	/* Linux: connecting to 0.0.0.0 means this host */
	uint32_t src;
	uint8_t type;
	int err = inet_route_source(sk, daddr, &src, &type);
	if (err)
		return err;
	if (type == RTN_BROADCAST || ip_is_multicast(daddr))
		return -ENETUNREACH;
	sk->saddr = src;
	sk->laddr = src;
	sk->raddr = daddr;
	sk->rport = dport;
	err = tcp_connect_port(tp);
	if (err) {
		sk->raddr = 0;
		sk->rport = 0;
		if (!sk->addr_by_user)
			sk->laddr = sk->saddr = 0;
		return err;
	}
	tp->iss = tcp_new_iss(sk->laddr, sk->lport, daddr, dport);
	tp->snd_una = tp->snd_nxt = tp->snd_max = tp->iss;
	tp->recover = tp->iss;	/* RFC 6582 3.2 (1) */
	tp->snd_sml = tp->iss;
	tp->snd_base = tp->iss + 1;
	tp->ts_offset = (uint32_t)random_u64();
	uint32_t mtu = ip_route_mtu(daddr);
	tp->pmtu = mtu ? mtu : 576;
	tp->advmss = (uint16_t)(MIN(tp->pmtu, IP_MAX_LEN) - IP_HLEN - TCP_HLEN);
	if (tp->user_mss && tp->user_mss < tp->advmss)
		tp->advmss = tp->user_mss;
	uint32_t space = MAX(sk->rcvbuf, TCP_RMEM_MAX);
	if (tp->window_clamp)
		space = MIN(space, tp->window_clamp);
	tp->rcv_wscale = 0;
	while ((space >> tp->rcv_wscale) > 65535 && tp->rcv_wscale < TCP_MAX_WSCALE)
		tp->rcv_wscale++;
	tp->rcv_nxt = 0;
	tp->retransmits = 0;
	tp->rto_ns = TCP_TIMEOUT_INIT_NS;
	tp->start_ns = net_now();
	sk->err = 0;
	sk->shutdown = 0;
	sk->done = false;
	tcp_set_state(tp, TCP_SYN_SENT);
	tcp_hash(tp);
	NET_INC(tcp_active_opens);
	tcp_send_syn(tp);
	return 0;
}

static int tcp_connect(struct inet_sock *sk, const struct sockaddr_in *a, bool nonblock)
{
	struct tcp_sock *tp = tsk(sk);
	if (a->sin_family == AF_UNSPEC) {
		/* Linux's tcp_disconnect: abort whatever there is, the socket can be used again. */
		if (sk->state == TCP_LISTEN) {
			bool linger;
			tcp_close(tp, &linger);
		} else if (sk->state != TCP_CLOSE) {
			tcp_abort(tp, 0, true);
		}
		tp->conn_state = SS_UNCONNECTED;
		sk->shutdown = 0;
		sk->done = false;
		sk->err = 0;
		ring_free(&tp->rcv);
		ring_free(&tp->snd);
		tp->fin_queued = false;
		tp->fin_rcvd = false;
		return 0;
	}
	int err;
	switch (tp->conn_state) {
	case SS_CONNECTED:
		if (sk->state != TCP_CLOSE)
			return -EISCONN;
		/* An established connection that ended: Linux still says EISCONN. */
		return -EISCONN;
	case SS_CONNECTING:
		if (sk->state == TCP_SYN_SENT || sk->state == TCP_SYN_RECV) {
			if (nonblock)
				return -EALREADY;
			break;
		}
		goto finished;
	default:
		if (sk->state != TCP_CLOSE)
			return -EISCONN;
		err = do_connect(tp, a);
		if (err)
			return err;
		tp->conn_state = SS_CONNECTING;
		if (nonblock)
			return -EINPROGRESS;
		break;
	}
	uint64_t deadline = inet_deadline(sk->sndtimeo_ns);
	while (sk->state == TCP_SYN_SENT || sk->state == TCP_SYN_RECV) {
		err = inet_wait(sk, deadline);
		if (err == -ETIMEDOUT)
			return -EINPROGRESS;
		if (err)
			return err;
	}
finished:
	if (sk->state == TCP_CLOSE) {
		/* Reset, timed out or unreachable: the error, then the socket is unconnected again. */
		tp->conn_state = SS_UNCONNECTED;
		err = inet_take_error(sk);
		return err ? err : -ECONNABORTED;
	}
	tp->conn_state = SS_CONNECTED;
	return 0;
}

/* ---- listen / accept ---- */

static int tcp_listen(struct inet_sock *sk, int backlog)
{
	struct tcp_sock *tp = tsk(sk);
	if (tp->conn_state != SS_UNCONNECTED || (sk->state != TCP_CLOSE && sk->state != TCP_LISTEN))
		return -EINVAL;
	if ((unsigned)backlog > SOMAXCONN)
		backlog = SOMAXCONN;
	if (sk->state != TCP_LISTEN) {
		if (!sk->in_ports) {
			int err = port_bind(&tcp_ports, sk, sk->laddr, 0);
			if (err)
				return err;
		} else {
			/* Binding with SO_REUSEADDR shares a port that only one may listen on. */
			for (struct inet_sock *o = port_first(&tcp_ports, sk->lport); o; o = o->bind_next) {
				if (o == sk || o->lport != sk->lport || !o->in_ports || o->state != TCP_LISTEN)
					continue;
				if ((o->laddr && sk->laddr && o->laddr != sk->laddr) ||
				    (sk->reuseport && o->reuseport && o->uid == sk->uid))
					continue;
				return -EADDRINUSE;
			}
		}
		tcp_set_state(tp, TCP_LISTEN);
		sk->shutdown = 0;
	}
	tp->backlog = backlog;
	inet_wake(sk);
	return 0;
}

static int tcp_accept(struct inet_sock *sk, bool nonblock, struct inet_sock **out)
{
	struct tcp_sock *tp = tsk(sk);
	uint64_t deadline = inet_deadline(sk->rcvtimeo_ns);
	for (;;) {
		if (sk->state != TCP_LISTEN)
			return -EINVAL;
		if (tp->accq_head)
			break;
		if (nonblock)
			return -EAGAIN;
		int err = inet_wait(sk, deadline);
		if (err == -ETIMEDOUT)
			return -EAGAIN;
		if (err)
			return err;
	}
	struct tcp_sock *c = tp->accq_head;
	tp->accq_head = c->q_next;
	if (!tp->accq_head)
		tp->accq_tail = NULL;
	tp->accq_len--;
	c->q_next = NULL;
	c->queued_accept = false;
	c->listener = NULL;
	c->conn_state = SS_CONNECTED;
	inet_sock_put(sk);	/* the child's hold on its listener */
	inet_wake(sk);
	*out = &c->inet;	/* the queue's reference becomes the file's */
	return 0;
}

/* ---- data ---- */

/* Wait until the connection is usable for sending: 0, or -errno (EPIPE for none). */
static int wait_connected(struct tcp_sock *tp, bool nonblock, uint64_t deadline)
{
	struct inet_sock *sk = &tp->inet;
	while (sk->state == TCP_SYN_SENT || sk->state == TCP_SYN_RECV) {
		if (sk->err)
			return inet_take_error(sk);
		if (nonblock)
			return -EAGAIN;
		int err = inet_wait(sk, deadline);
		if (err == -ETIMEDOUT)
			return -EAGAIN;
		if (err)
			return err;
	}
	if (sk->err)
		return inet_take_error(sk);
	if (sk->state != TCP_ESTABLISHED && sk->state != TCP_CLOSE_WAIT)
		return -EPIPE;
	return 0;
}

static ssize_t tcp_send(struct inet_sock *sk, struct sock_send *m, bool nonblock)
{
	struct tcp_sock *tp = tsk(sk);
	if (m->flags & MSG_OOB)
		return -EOPNOTSUPP;	/* urgent data is not supported */
	uint64_t deadline = inet_deadline(sk->sndtimeo_ns);
	const uint8_t *src = m->buf;
	size_t done = 0;
	int err = wait_connected(tp, nonblock, deadline);
	if (err)
		goto error;
	while (done < m->len) {
		if (sk->err) {
			err = inet_take_error(sk);
			goto error;
		}
		if (sk->shutdown & SEND_SHUTDOWN) {
			err = -EPIPE;
			goto error;
		}
		uint32_t cap = snd_cap(tp);
		if (tp->snd.cap < cap && ring_resize(&tp->snd, cap) && !tp->snd.cap) {
			err = -ENOBUFS;
			goto error;
		}
		uint32_t room = ring_room(&tp->snd);
		if (room) {
			uint32_t n = (uint32_t)MIN((size_t)room, m->len - done);
			ring_put(&tp->snd, src + done, n);
			done += n;
			if (done == m->len && (m->flags & MSG_MORE))
				tcp_output(tp);	/* the tail waits like a corked one */
			else if (done == m->len)
				tp->cork ? tcp_output(tp) : tcp_push(tp);
			else
				tcp_output(tp);
			continue;
		}
		tcp_output(tp);
		if (nonblock) {
			err = -EAGAIN;
			goto error;
		}
		err = inet_wait(sk, deadline);
		if (err) {
			if (err == -ETIMEDOUT)
				err = -EAGAIN;
			goto error;
		}
	}
	return (ssize_t)done;
error:
	if (done)
		return (ssize_t)done;
	if (err == -EPIPE)
		return inet_epipe(m->flags);
	return err;
}

static ssize_t tcp_recv(struct inet_sock *sk, struct sock_recv *m, bool nonblock)
{
	struct tcp_sock *tp = tsk(sk);
	if (sk->state == TCP_LISTEN)
		return -ENOTCONN;
	if (m->flags & MSG_OOB)
		return -EINVAL;		/* no urgent data is ever kept */
	bool peek = m->flags & MSG_PEEK;
	size_t target = (m->flags & MSG_WAITALL) ? m->len : MIN((size_t)sk->rcvlowat, m->len);
	if (!target)
		target = 1;
	uint64_t deadline = inet_deadline(sk->rcvtimeo_ns);
	size_t copied = 0;
	uint8_t *dst = m->buf;
	for (;;) {
		uint32_t avail = tp->rcv.len - (peek ? (uint32_t)copied : 0);
		if (peek && copied > tp->rcv.len)
			avail = 0;
		if (avail && copied < m->len) {
			uint32_t n = (uint32_t)MIN((size_t)avail, m->len - copied);
			ring_peek(&tp->rcv, peek ? (uint32_t)copied : 0, dst + copied, n);
			if (!peek)
				ring_drop(&tp->rcv, n);
			copied += n;
		}
		if (copied >= target || copied == m->len)
			break;
		if (peek && copied)
			break;
		int err = 0;
		if (copied) {
			if (sk->err || sk->state == TCP_CLOSE || (sk->shutdown & RCV_SHUTDOWN))
				break;
		} else {
			if (sk->done)
				break;
			if (sk->err)
				return inet_take_error(sk);
			if (sk->shutdown & RCV_SHUTDOWN)
				break;
			if (sk->state == TCP_CLOSE)
				return -ENOTCONN;
		}
		if (nonblock) {
			if (copied)
				break;
			return -EAGAIN;
		}
		if (!peek && copied)
			tcp_rcv_space_update(tp);
		err = inet_wait(sk, deadline);
		if (err) {
			if (copied)
				break;
			return err == -ETIMEDOUT ? -EAGAIN : err;
		}
	}
	if (!peek && copied)
		tcp_rcv_space_update(tp);
	return (ssize_t)copied;
}

/* ---- shutdown, close ---- */

static int tcp_shutdown(struct inet_sock *sk, uint32_t how)
{
	struct tcp_sock *tp = tsk(sk);
	switch (sk->state) {
	case TCP_CLOSE:
		/* Linux: ENOTCONN, and the bits are set all the same. */
		sk->shutdown |= how;
		return -ENOTCONN;
	case TCP_LISTEN:
		if (how & RCV_SHUTDOWN) {
			bool linger;
			tcp_close(tp, &linger);
			sk->shutdown = 0;
			sk->done = false;
		}
		return 0;
	case TCP_SYN_SENT:
		tcp_done(tp);
		sk->shutdown = (uint8_t)how;
		tp->conn_state = SS_UNCONNECTED;
		return 0;
	default:
		break;
	}
	sk->shutdown |= how;
	if (how & SEND_SHUTDOWN) {
		if (sk->state == TCP_ESTABLISHED || sk->state == TCP_SYN_RECV ||
		    sk->state == TCP_CLOSE_WAIT)
			tcp_send_fin_state(tp);
	}
	return 0;
}

static void tcp_release(struct inet_sock *sk)
{
	struct tcp_sock *tp = tsk(sk);
	bool linger;
	tcp_close(tp, &linger);
	if (linger) {
		/* SO_LINGER: close waits until the FIN is acknowledged, or the time is up. */
		uint64_t deadline = inet_deadline((uint64_t)sk->linger_secs * NSEC_PER_SEC);
		while (sk->state == TCP_FIN_WAIT1 || sk->state == TCP_CLOSING ||
		       sk->state == TCP_LAST_ACK) {
			if (inet_wait(sk, deadline))
				break;
		}
	}
	tcp_orphan(tp);
}

/* ---- poll (Linux's tcp_poll) ---- */

static bool writable(const struct tcp_sock *tp)
{
	uint32_t cap = snd_cap(tp);
	uint32_t queued = tp->snd.len;
	return queued < cap && cap - queued >= queued / 2;
}

static unsigned tcp_poll(struct inet_sock *sk)
{
	struct tcp_sock *tp = tsk(sk);
	int st = sk->state;
	if (st == TCP_LISTEN)
		return tp->accq_head ? POLLIN | POLLRDNORM : 0;
	unsigned mask = 0;
	if (sk->shutdown == SHUTDOWN_MASK || st == TCP_CLOSE)
		mask |= POLLHUP;
	if (sk->shutdown & RCV_SHUTDOWN)
		mask |= POLLIN | POLLRDNORM | POLLRDHUP;
	if (st != TCP_SYN_SENT && st != TCP_SYN_RECV) {
		if (tp->rcv.len >= (uint32_t)(sk->rcvlowat > 0 ? sk->rcvlowat : 1))
			mask |= POLLIN | POLLRDNORM;
		if (!(sk->shutdown & SEND_SHUTDOWN)) {
			if (writable(tp))
				mask |= POLLOUT | POLLWRNORM;
		} else {
			mask |= POLLOUT | POLLWRNORM;
		}
	}
	if (sk->err)
		mask |= POLLERR;
	return mask;
}

static int tcp_ioctl(struct inet_sock *sk, unsigned cmd, int *out)
{
	struct tcp_sock *tp = tsk(sk);
	if (sk->state == TCP_LISTEN)
		return -EINVAL;
	switch (cmd) {
	case FIONREAD:
		*out = (int)tp->rcv.len;
		return 0;
	case TIOCOUTQ:
		*out = (int)tp->snd.len;
		return 0;
	case SIOCOUTQNSD: {
		uint32_t data_end = tp->snd_base + tp->snd.len;
		*out = seq_gt(data_end, tp->snd_nxt) ? (int)(data_end - tp->snd_nxt) : 0;
		return 0;
	}
	default:
		return -ENOIOCTLCMD;
	}
}

static void tcp_buffers_changed(struct inet_sock *sk)
{
	struct tcp_sock *tp = tsk(sk);
	tcp_reset_keepalive(tp);
	if (tp->rcv.buf) {
		uint32_t cap = sk->rcvbuf_locked ? sk->rcvbuf / 2 : sk->rcvbuf;
		if (cap > tp->rcv.cap)
			ring_resize(&tp->rcv, cap);
	}
}

/* ---- options ---- */

static void tcp_info_fill(struct tcp_sock *tp, struct tcp_info *ti)
{
	struct inet_sock *sk = &tp->inet;
	uint64_t now = net_now();
	memset(ti, 0, sizeof(*ti));
	ti->tcpi_state = sk->state;
	ti->tcpi_ca_state = tp->in_recovery ? TCP_CA_Recovery : (tp->retransmits ? TCP_CA_Loss : TCP_CA_Open);
	ti->tcpi_retransmits = tp->retransmits;
	ti->tcpi_probes = (uint8_t)tp->keep_probes;
	ti->tcpi_backoff = tp->backoff;
	ti->tcpi_options = (tp->ts_ok ? TCPI_OPT_TIMESTAMPS : 0) | (tp->sack_ok ? TCPI_OPT_SACK : 0) |
			   (tp->ws_ok ? TCPI_OPT_WSCALE : 0);
	if (tp->ws_ok) {
		ti->tcpi_snd_wscale = tp->snd_wscale & 15;
		ti->tcpi_rcv_wscale = tp->rcv_wscale & 15;
	}
	ti->tcpi_rto = (uint32_t)(tp->rto_ns / NSEC_PER_USEC);
	ti->tcpi_ato = (uint32_t)(TCP_DELACK_NS / NSEC_PER_USEC);
	ti->tcpi_snd_mss = tp->mss;
	ti->tcpi_rcv_mss = tp->rcv_mss;
	ti->tcpi_unacked = tcp_in_flight(tp) ? (tcp_in_flight(tp) + tp->mss - 1) / tp->mss : 0;
	ti->tcpi_lost = tp->lost_out;
	ti->tcpi_last_data_sent = (uint32_t)((now - tp->last_send_ns) / NSEC_PER_MSEC);
	ti->tcpi_last_data_recv = (uint32_t)((now - tp->last_recv_ns) / NSEC_PER_MSEC);
	ti->tcpi_last_ack_recv = ti->tcpi_last_data_recv;
	ti->tcpi_pmtu = tp->pmtu;
	ti->tcpi_rcv_ssthresh = tcp_rcv_window(tp);
	ti->tcpi_rtt = tp->srtt_us;
	ti->tcpi_rttvar = tp->rttvar_us;
	ti->tcpi_snd_ssthresh = tp->ssthresh >= 0x7fffffffu ? 0x7fffffffu : tp->ssthresh / tp->mss;
	ti->tcpi_snd_cwnd = tp->mss ? tp->cwnd / tp->mss : 0;
	ti->tcpi_advmss = tp->advmss;
	ti->tcpi_reordering = 3;
	ti->tcpi_rcv_space = tp->rcv.cap;
	ti->tcpi_total_retrans = tp->total_retrans;
	ti->tcpi_bytes_acked = tp->bytes_acked_total;
	ti->tcpi_bytes_received = tp->bytes_received;
	ti->tcpi_segs_out = tp->segs_out;
	ti->tcpi_segs_in = tp->segs_in;
	uint32_t data_end = tp->snd_base + tp->snd.len;
	ti->tcpi_notsent_bytes = seq_gt(data_end, tp->snd_nxt) ? data_end - tp->snd_nxt : 0;
	ti->tcpi_data_segs_in = tp->data_segs_in;
	ti->tcpi_data_segs_out = tp->data_segs_out;
	ti->tcpi_snd_wnd = tp->snd_wnd;
}

static int tcp_setsockopt(struct inet_sock *sk, int level, int name, const void *val, size_t len)
{
	struct tcp_sock *tp = tsk(sk);
	if (level != SOL_TCP)
		return -ENOPROTOOPT;
	if (name == TCP_CONGESTION) {
		char alg[16] = "";
		memcpy(alg, val, MIN(len, sizeof(alg) - 1));
		return strcmp(alg, "reno") == 0 || strcmp(alg, "cubic") == 0 ? 0 : -ENOENT;
	}
	if (len < sizeof(int))
		return -EINVAL;
	int v;
	memcpy(&v, val, sizeof(v));
	switch (name) {
	case TCP_NODELAY:
		tp->nodelay = v != 0;
		if (tp->nodelay)
			tcp_push(tp);
		return 0;
	case TCP_CORK:
		tp->cork = v != 0;
		if (!tp->cork)
			tcp_push(tp);
		return 0;
	case TCP_MAXSEG:
		if (v && (v < (int)TCP_MIN_MSS || v > 65535))
			return -EINVAL;
		tp->user_mss = (uint16_t)v;
		return 0;
	case TCP_KEEPIDLE:
		if (v < 1 || v > 32767)
			return -EINVAL;
		tp->keepidle = (uint32_t)v;
		tcp_reset_keepalive(tp);
		return 0;
	case TCP_KEEPINTVL:
		if (v < 1 || v > 32767)
			return -EINVAL;
		tp->keepintvl = (uint32_t)v;
		return 0;
	case TCP_KEEPCNT:
		if (v < 1 || v > 127)
			return -EINVAL;
		tp->keepcnt = (uint32_t)v;
		return 0;
	case TCP_SYNCNT:
		if (v < 1 || v > 127)
			return -EINVAL;
		tp->syncnt = (uint32_t)v;
		return 0;
	case TCP_LINGER2:
		tp->linger2 = v < 0 ? -1 : (v > 120 ? 120 : v);
		return 0;
	case TCP_DEFER_ACCEPT:
		tp->defer_accept = v > 0;
		return 0;
	case TCP_WINDOW_CLAMP:
		if (v && v < (int)(SOCK_MIN_RCVBUF / 2))
			v = SOCK_MIN_RCVBUF / 2;
		if (v < 0)
			return -EINVAL;
		tp->window_clamp = (uint32_t)v;
		return 0;
	case TCP_QUICKACK:
		if (v) {
			tp->quickack = 16;
			if (ntimer_armed(&tp->t_delack))
				tcp_send_ack(tp);
		} else {
			tp->quickack = 0;
		}
		tp->quickack_opt = v != 0;
		return 0;
	case TCP_USER_TIMEOUT:
		if (v < 0)
			return -EINVAL;
		tp->user_timeout_ms = (uint32_t)v;
		return 0;
	case TCP_NOTSENT_LOWAT:
	case TCP_THIN_LINEAR_TIMEOUTS:
	case TCP_THIN_DUPACK:
		return 0;
	case TCP_FASTOPEN:
	case TCP_FASTOPEN_CONNECT:
		/* No TCP Fast Open: accepted as Linux with the feature off in that direction. */
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

static int tcp_getsockopt(struct inet_sock *sk, int level, int name, void *val, size_t *len)
{
	struct tcp_sock *tp = tsk(sk);
	if (level != SOL_TCP)
		return -ENOPROTOOPT;
	int v;
	switch (name) {
	case TCP_INFO: {
		struct tcp_info ti;
		tcp_info_fill(tp, &ti);
		*len = MIN(*len, sizeof(ti));
		memcpy(val, &ti, *len);
		return 0;
	}
	case TCP_CONGESTION: {
		static const char name_buf[16] = "reno";
		*len = MIN(*len, sizeof(name_buf));
		memcpy(val, name_buf, *len);
		return 0;
	}
	case TCP_NODELAY: v = tp->nodelay; break;
	case TCP_CORK: v = tp->cork; break;
	case TCP_MAXSEG:
		v = sk->state == TCP_CLOSE || sk->state == TCP_LISTEN ?
			(tp->user_mss ? tp->user_mss : (int)TCP_MSS_DEFAULT) : tp->mss;
		break;
	case TCP_KEEPIDLE: v = (int)tp->keepidle; break;
	case TCP_KEEPINTVL: v = (int)tp->keepintvl; break;
	case TCP_KEEPCNT: v = (int)tp->keepcnt; break;
	case TCP_SYNCNT: v = (int)(tp->syncnt ? tp->syncnt : TCP_SYN_RETRIES); break;
	case TCP_LINGER2: v = tp->linger2 ? tp->linger2 : 60; break;
	case TCP_DEFER_ACCEPT: v = tp->defer_accept; break;
	case TCP_WINDOW_CLAMP: v = (int)tp->window_clamp; break;
	case TCP_QUICKACK: v = tp->quickack != 0 || !ntimer_armed(&tp->t_delack); break;
	case TCP_USER_TIMEOUT: v = (int)tp->user_timeout_ms; break;
	case TCP_NOTSENT_LOWAT: case TCP_THIN_LINEAR_TIMEOUTS: case TCP_THIN_DUPACK:
	case TCP_FASTOPEN: case TCP_FASTOPEN_CONNECT:
		v = 0;
		break;
	default:
		return -ENOPROTOOPT;
	}
	*len = MIN(*len, sizeof(v));
	memcpy(val, &v, *len);
	return 0;
}

const struct inet_proto_ops tcp_proto_ops = {
	.bind = tcp_bind,
	.connect = tcp_connect,
	.listen = tcp_listen,
	.accept = tcp_accept,
	.send = tcp_send,
	.recv = tcp_recv,
	.shutdown = tcp_shutdown,
	.release = tcp_release,
	.poll = tcp_poll,
	.setsockopt = tcp_setsockopt,
	.getsockopt = tcp_getsockopt,
	.ioctl = tcp_ioctl,
	.buffers_changed = tcp_buffers_changed,
};
