/* UDP (RFC 768): datagram sockets (connected or not, broadcast, corking), input with Linux's socket scoring, ICMP errors for connected sockets. */
#include <abi/errno.h>
#include <abi/poll.h>
#include <abi/termios.h>
#include <frame/heap.h>
#include <frame/string.h>
#include "inet_proto.h"
#include "ip.h"
#include "proto.h"
#include "stack.h"

#define UDP_HLEN 8
#define UDP_CORK 1
/* The largest payload: an IPv4 datagram of 65535 bytes. */
#define UDP_MAX_PAYLOAD (IP_MAX_LEN - IP_HLEN - UDP_HLEN)

struct udp_sock {
	struct inet_sock inet;
	bool cork;
	/* A corked datagram being built (UDP_CORK / MSG_MORE). */
	uint8_t *pending;
	uint32_t pending_len;
	uint32_t pending_dst;
	uint16_t pending_port;
};

static struct udp_sock *usk(struct inet_sock *sk)
{
	return container_of(sk, struct udp_sock, inet);
}

static void udp_destroy(struct inet_sock *sk)
{
	struct udp_sock *u = usk(sk);
	kfree(u->pending);
	kfree(u);
}

struct inet_sock *udp_sock_create(void)
{
	struct udp_sock *u = kzalloc(sizeof(*u));
	if (!u)
		return NULL;
	inet_sock_init(&u->inet, SOCK_DGRAM, IPPROTO_UDP);
	u->inet.ops = &udp_proto_ops;
	u->inet.destroy = udp_destroy;
	return &u->inet;
}

static int udp_bind(struct inet_sock *sk, uint32_t addr, uint16_t port)
{
	return port_bind(&udp_ports, sk, addr, port);
}

static int autobind(struct inet_sock *sk)
{
	if (sk->in_ports)
		return 0;
	int err = port_bind(&udp_ports, sk, sk->laddr, 0);
	return err ? -EAGAIN : 0;	/* Linux: no free port for an implicit bind is EAGAIN */
}

static int udp_connect(struct inet_sock *sk, const struct sockaddr_in *a, bool nonblock)
{
	(void)nonblock;
	if (a->sin_family == AF_UNSPEC) {
		/* Disconnect: the address bind() did not give goes too. */
		sk->raddr = 0;
		sk->rport = 0;
		sk->state = TCP_CLOSE;
		if (!sk->addr_by_user) {
			sk->saddr = 0;
			if (sk->in_ports && !sk->port_by_user) {
				port_remove(&udp_ports, sk);
				sk->lport = 0;
			}
			sk->laddr = 0;
		}
		inet_wake(sk);
		return 0;
	}
	uint32_t daddr = net32(a->sin_addr);
	if (!daddr)
		daddr = INADDR_LOOPBACK;
	uint32_t src;
	uint8_t type;
	int err = inet_route_source(sk, daddr, &src, &type);
	if (err)
		return err;
	if (type == RTN_BROADCAST && !sk->broadcast)
		return -EACCES;
	err = autobind(sk);
	if (err)
		return err;
	if (!sk->saddr)
		sk->saddr = src;
	if (!sk->laddr) {
		/* Linux's ip4_datagram_connect: an unbound address becomes the source used. */
		port_remove(&udp_ports, sk);
		sk->laddr = src;
		port_insert(&udp_ports, sk);
	}
	sk->raddr = daddr;
	sk->rport = net16(a->sin_port);
	sk->state = TCP_ESTABLISHED;
	inet_wake(sk);
	return 0;
}

static int send_datagram(struct inet_sock *sk, uint32_t daddr, uint16_t dport, const uint8_t *data,
			 uint32_t len, int flags)
{
	uint32_t src;
	uint8_t type;
	int err = inet_route_source(sk, daddr, &src, &type);
	if (err)
		return err;
	if (type == RTN_BROADCAST && !sk->broadcast)
		return -EACCES;
	struct pkt *p = pkt_alloc(PKT_HEADROOM, UDP_HLEN + len);
	if (!p)
		return -ENOBUFS;
	uint8_t *h = pkt_data(p);
	wr16(h, sk->lport);
	wr16(h + 2, dport);
	wr16(h + 4, (uint16_t)(UDP_HLEN + len));
	memcpy(h + UDP_HLEN, data, len);
	uint32_t ps = csum_pseudo(src, daddr, IPPROTO_UDP, UDP_HLEN + len);
	while (ps >> 16)
		ps = (ps & 0xffffu) + (ps >> 16);
	wr16(h + 6, (uint16_t)ps);
	p->flags |= PKT_CSUM_PARTIAL | PKT_CSUM_UDP;
	p->csum_start = p->off;
	p->csum_off = 6;
	struct ip_tx tx = {
		.src = src, .dst = daddr, .proto = IPPROTO_UDP,
		.ttl = ip_is_multicast(daddr) ? sk->mc_ttl : sk->ttl, .tos = sk->tos,
		.df = sk->pmtudisc == IP_PMTUDISC_DO || sk->pmtudisc == IP_PMTUDISC_PROBE,
		.dontroute = sk->dontroute || (flags & MSG_DONTROUTE), .broadcast_ok = sk->broadcast,
		.oif = sk->bound_dev ? netif_by_index(sk->bound_dev) : NULL,
	};
	err = ip_output(p, &tx);
	if (err)
		return err;
	NET_INC(udp_out_datagrams);
	return 0;
}

static ssize_t udp_send(struct inet_sock *sk, struct sock_send *m, bool nonblock)
{
	(void)nonblock;
	struct udp_sock *u = usk(sk);
	uint32_t daddr;
	uint16_t dport;
	if (m->to) {
		if (m->tolen < sizeof(struct sockaddr_in))
			return -EINVAL;
		if (m->to->in.sin_family != AF_INET && m->to->in.sin_family != AF_UNSPEC)
			return -EAFNOSUPPORT;
		daddr = net32(m->to->in.sin_addr);
		dport = net16(m->to->in.sin_port);
		if (!dport)
			return -EINVAL;
		if (!daddr)
			daddr = INADDR_LOOPBACK;
	} else {
		if (sk->state != TCP_ESTABLISHED)
			return -EDESTADDRREQ;
		daddr = sk->raddr;
		dport = sk->rport;
	}
	if (sk->shutdown & SEND_SHUTDOWN)
		return -EPIPE;
	if (m->flags & MSG_OOB)
		return -EOPNOTSUPP;
	bool more = u->cork || (m->flags & MSG_MORE);
	if (m->len + u->pending_len > UDP_MAX_PAYLOAD)
		return -EMSGSIZE;
	int err = autobind(sk);
	if (err)
		return err;
	if (!more && !u->pending_len) {
		err = send_datagram(sk, daddr, dport, m->buf, (uint32_t)m->len, m->flags);
		return err ? err : (ssize_t)m->len;
	}
	/* Corked: the pieces gather into one datagram, sent when the cork comes off. */
	uint8_t *n = krealloc(u->pending, u->pending_len + m->len + 1);
	if (!n)
		return -ENOBUFS;
	u->pending = n;
	if (!u->pending_len) {
		u->pending_dst = daddr;
		u->pending_port = dport;
	}
	memcpy(u->pending + u->pending_len, m->buf, m->len);
	u->pending_len += (uint32_t)m->len;
	if (!more) {
		err = send_datagram(sk, u->pending_dst, u->pending_port, u->pending, u->pending_len,
				    m->flags);
		u->pending_len = 0;
		if (err)
			return err;
	}
	return (ssize_t)m->len;
}

static ssize_t udp_recv(struct inet_sock *sk, struct sock_recv *m, bool nonblock)
{
	if (m->flags & MSG_OOB)
		return -EOPNOTSUPP;
	uint64_t deadline = inet_deadline(sk->rcvtimeo_ns);
	while (!sk->rxq.head) {
		if (sk->err)
			return inet_take_error(sk);
		if (sk->shutdown & RCV_SHUTDOWN)
			return 0;
		if (nonblock)
			return -EAGAIN;
		int err = inet_wait(sk, deadline);
		if (err)
			return err == -ETIMEDOUT ? -EAGAIN : err;
	}
	struct pkt *p = sk->rxq.head;
	uint32_t n = (uint32_t)MIN((size_t)p->len, m->len);
	memcpy(m->buf, pkt_data(p), n);
	if (n < p->len)
		m->out_flags |= MSG_TRUNC;
	inet_fill_addr(&m->from, p->saddr, p->sport);
	m->fromlen = sizeof(struct sockaddr_in);
	ssize_t ret = (m->flags & MSG_TRUNC) ? (ssize_t)p->len : (ssize_t)n;
	if (!(m->flags & MSG_PEEK)) {
		pkt_queue_pop(&sk->rxq);
		sk->rx_mem -= pkt_truesize(p);
		pkt_free(p);
	}
	return ret;
}

static int udp_shutdown(struct inet_sock *sk, uint32_t how)
{
	sk->shutdown |= how;
	return sk->state == TCP_ESTABLISHED ? 0 : -ENOTCONN;
}

static void udp_release(struct inet_sock *sk)
{
	port_remove(&udp_ports, sk);
	inet_sock_put(sk);
}

static unsigned udp_poll(struct inet_sock *sk)
{
	unsigned mask = POLLOUT | POLLWRNORM | POLLWRBAND;
	if (sk->rxq.head)
		mask |= POLLIN | POLLRDNORM;
	if (sk->err)
		mask |= POLLERR;
	if (sk->shutdown & RCV_SHUTDOWN)
		mask |= POLLIN | POLLRDNORM | POLLRDHUP;
	if (sk->shutdown == SHUTDOWN_MASK)
		mask |= POLLHUP;
	return mask;
}

static int udp_ioctl(struct inet_sock *sk, unsigned cmd, int *out)
{
	switch (cmd) {
	case FIONREAD:
		/* Linux: the size of the next datagram. */
		*out = sk->rxq.head ? (int)sk->rxq.head->len : 0;
		return 0;
	case TIOCOUTQ:
		*out = 0;
		return 0;
	default:
		return -ENOIOCTLCMD;
	}
}

static int udp_setsockopt(struct inet_sock *sk, int level, int name, const void *val, size_t len)
{
	struct udp_sock *u = usk(sk);
	if (level != SOL_UDP)
		return -ENOPROTOOPT;
	if (len < sizeof(int))
		return -EINVAL;
	int v;
	memcpy(&v, val, sizeof(v));
	if (name != UDP_CORK)
		return -ENOPROTOOPT;
	u->cork = v != 0;
	if (!u->cork && u->pending_len) {
		send_datagram(sk, u->pending_dst, u->pending_port, u->pending, u->pending_len, 0);
		u->pending_len = 0;
	}
	return 0;
}

static int udp_getsockopt(struct inet_sock *sk, int level, int name, void *val, size_t *len)
{
	if (level != SOL_UDP || name != UDP_CORK)
		return -ENOPROTOOPT;
	int v = usk(sk)->cork;
	*len = MIN(*len, sizeof(v));
	memcpy(val, &v, *len);
	return 0;
}

const struct inet_proto_ops udp_proto_ops = {
	.bind = udp_bind,
	.connect = udp_connect,
	.send = udp_send,
	.recv = udp_recv,
	.shutdown = udp_shutdown,
	.release = udp_release,
	.poll = udp_poll,
	.setsockopt = udp_setsockopt,
	.getsockopt = udp_getsockopt,
	.ioctl = udp_ioctl,
};

/* ---- input ---- */

/* Linux's compute_score: -1 for no match, higher for more exact ones. */
static int score(const struct inet_sock *s, const struct pkt *p)
{
	if (s->laddr && s->laddr != p->daddr && !(p->flags & PKT_BCAST))
		return -1;
	if (s->raddr && (s->raddr != p->saddr || s->rport != p->sport))
		return -1;
	if (s->bound_dev && (!p->dev || s->bound_dev != p->dev->index))
		return -1;
	if (s->shutdown & RCV_SHUTDOWN)
		return -1;
	return (s->laddr ? 4 : 0) + (s->raddr ? 4 : 0) + (s->bound_dev ? 4 : 0);
}

static bool queue_to(struct inet_sock *s, struct pkt *p)
{
	if (s->rx_mem + pkt_truesize(p) > s->rcvbuf) {
		NET_INC(udp_rcvbuf_errors);
		NET_INC(udp_in_errors);
		s->drops++;
		return false;
	}
	if (s->minttl && p->ttl < s->minttl)
		return false;
	s->rx_mem += pkt_truesize(p);
	pkt_queue_push(&s->rxq, p);
	NET_INC(udp_in_datagrams);
	inet_wake(s);
	return true;
}

void udp_input(struct pkt *p)
{
	if (p->len < UDP_HLEN)
		goto bad;
	const uint8_t *h = pkt_data(p);
	uint32_t ulen = rd16(h + 4);
	if (ulen < UDP_HLEN || ulen > p->len)
		goto bad;
	pkt_trim(p, ulen);
	uint16_t csum = rd16(h + 6);
	if (csum && !(p->flags & PKT_CSUM_OK)) {
		uint32_t sum = csum_add(csum_pseudo(p->saddr, p->daddr, IPPROTO_UDP, ulen), h, ulen);
		if (csum_fold(sum) != 0) {
			NET_INC(udp_in_csum_errors);
			goto bad;
		}
	}
	p->sport = rd16(h);
	p->dport = rd16(h + 2);
	pkt_pull(p, UDP_HLEN);
	bool multi = (p->flags & PKT_BCAST) || ip_is_multicast(p->daddr);
	struct inet_sock *best = NULL;
	int best_score = -1;
	bool delivered = false;
	for (struct inet_sock *s = port_first(&udp_ports, p->dport); s; s = s->bind_next) {
		if (s->lport != p->dport || !s->in_ports)
			continue;
		int sc = score(s, p);
		if (sc < 0)
			continue;
		if (multi) {
			/* Every matching socket gets its own copy of a broadcast. */
			struct pkt *c = pkt_clone(p, 0);
			if (c && !queue_to(s, c))
				pkt_free(c);
			delivered = true;
			continue;
		}
		if (sc > best_score) {
			best = s;
			best_score = sc;
		}
	}
	if (best) {
		if (!queue_to(best, p))
			pkt_free(p);
		return;
	}
	if (!delivered) {
		NET_INC(udp_no_ports);
		if (!multi) {
			/* The ICMP error quotes the datagram as it came: header back in front. */
			pkt_push(p, UDP_HLEN);
			icmp_send_error(p, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0);
		}
	}
	pkt_free(p);
	return;
bad:
	NET_INC(udp_in_errors);
	pkt_free(p);
}

void udp_icmp_error(const struct icmp_err *e)
{
	uint16_t sport = rd16(e->th), dport = rd16(e->th + 2);
	for (struct inet_sock *s = port_first(&udp_ports, sport); s; s = s->bind_next) {
		if (s->lport != sport || !s->in_ports)
			continue;
		if (s->laddr && s->laddr != e->saddr)
			continue;
		if (s->raddr && (s->raddr != e->daddr || s->rport != dport))
			continue;
		/* Linux's __udp4_lib_err: only a connected socket (or IP_RECVERR) hears of it, and only of hard errors. */
		if (!s->recverr && (!e->fatal || s->state != TCP_ESTABLISHED))
			return;
		s->err = e->errno_val;
		inet_wake(s);
		return;
	}
}
