/* Raw IPv4 sockets: every datagram of their protocol with its IPv4 header (ICMP_FILTER for ICMP), sending with or without IP_HDRINCL. */
#include <abi/errno.h>
#include <abi/poll.h>
#include <abi/termios.h>
#include <frame/heap.h>
#include <frame/string.h>
#include "inet_proto.h"
#include "ip.h"
#include "proto.h"
#include "stack.h"

#define ICMP_FILTER 1

struct raw_sock {
	struct inet_sock inet;
	struct raw_sock *next;
	uint32_t icmp_filter;	/* ICMP types (bit per type) not delivered */
};

static struct raw_sock *raws;

static struct raw_sock *rsk(struct inet_sock *sk)
{
	return container_of(sk, struct raw_sock, inet);
}

static void raw_destroy(struct inet_sock *sk)
{
	kfree(rsk(sk));
}

struct inet_sock *raw_sock_create(int protocol)
{
	struct raw_sock *r = kzalloc(sizeof(*r));
	if (!r)
		return NULL;
	inet_sock_init(&r->inet, SOCK_RAW, protocol);
	r->inet.ops = &raw_proto_ops;
	r->inet.destroy = raw_destroy;
	r->inet.hdrincl = protocol == IPPROTO_RAW;
	r->inet.lport = (uint16_t)protocol;	/* what /proc/net/raw shows as the local port */
	r->next = raws;
	raws = r;
	return &r->inet;
}

static int raw_bind(struct inet_sock *sk, uint32_t addr, uint16_t port)
{
	(void)port;
	sk->laddr = addr;
	return 0;
}

static int raw_connect(struct inet_sock *sk, const struct sockaddr_in *a, bool nonblock)
{
	(void)nonblock;
	if (a->sin_family == AF_UNSPEC) {
		sk->raddr = 0;
		sk->state = TCP_CLOSE;
		return 0;
	}
	uint32_t daddr = net32(a->sin_addr);
	uint32_t src;
	uint8_t type;
	int err = inet_route_source(sk, daddr, &src, &type);
	if (err)
		return err;
	if (type == RTN_BROADCAST && !sk->broadcast)
		return -EACCES;
	if (!sk->saddr)
		sk->saddr = src;
	sk->raddr = daddr;
	sk->state = TCP_ESTABLISHED;
	return 0;
}

static ssize_t raw_send(struct inet_sock *sk, struct sock_send *m, bool nonblock)
{
	(void)nonblock;
	uint32_t daddr;
	if (m->to) {
		if (m->tolen < sizeof(struct sockaddr_in))
			return -EINVAL;
		if (m->to->in.sin_family != AF_INET && m->to->in.sin_family != AF_UNSPEC)
			return -EAFNOSUPPORT;
		daddr = net32(m->to->in.sin_addr);
	} else {
		if (sk->state != TCP_ESTABLISHED)
			return -EDESTADDRREQ;
		daddr = sk->raddr;
	}
	if (m->flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (m->len > IP_MAX_LEN)
		return -EMSGSIZE;
	struct netif *oif = sk->bound_dev ? netif_by_index(sk->bound_dev) : NULL;
	if (sk->hdrincl) {
		if (m->len < IP_HLEN)
			return -EINVAL;
		const uint8_t *h = m->buf;
		uint32_t ihl = (uint32_t)(h[0] & 0x0f) * 4;
		if (ihl < IP_HLEN || ihl > m->len)
			return -EINVAL;
		struct pkt *p = pkt_alloc(PKT_HEADROOM, (uint32_t)m->len);
		if (!p)
			return -ENOBUFS;
		memcpy(pkt_data(p), m->buf, m->len);
		/* The destination is the one sendto() named (Linux's raw_send_hdrinc keeps the header's). */
		int err = ip_output_raw(p, oif);
		return err ? err : (ssize_t)m->len;
	}
	uint32_t src;
	uint8_t type;
	int err = inet_route_source(sk, daddr, &src, &type);
	if (err)
		return err;
	if (type == RTN_BROADCAST && !sk->broadcast)
		return -EACCES;
	struct pkt *p = pkt_alloc(PKT_HEADROOM, (uint32_t)m->len);
	if (!p)
		return -ENOBUFS;
	memcpy(pkt_data(p), m->buf, m->len);
	struct ip_tx tx = {
		.src = src, .dst = daddr, .proto = sk->protocol, .ttl = sk->ttl, .tos = sk->tos,
		.df = sk->pmtudisc == IP_PMTUDISC_DO, .dontroute = sk->dontroute,
		.broadcast_ok = sk->broadcast, .oif = oif,
	};
	err = ip_output(p, &tx);
	return err ? err : (ssize_t)m->len;
}

static ssize_t raw_recv(struct inet_sock *sk, struct sock_recv *m, bool nonblock)
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
	inet_fill_addr(&m->from, p->saddr, 0);
	m->fromlen = sizeof(struct sockaddr_in);
	ssize_t ret = (m->flags & MSG_TRUNC) ? (ssize_t)p->len : (ssize_t)n;
	if (!(m->flags & MSG_PEEK)) {
		pkt_queue_pop(&sk->rxq);
		sk->rx_mem -= pkt_truesize(p);
		pkt_free(p);
	}
	return ret;
}

static int raw_shutdown(struct inet_sock *sk, uint32_t how)
{
	sk->shutdown |= how;
	return sk->state == TCP_ESTABLISHED ? 0 : -ENOTCONN;
}

static void raw_release(struct inet_sock *sk)
{
	struct raw_sock *r = rsk(sk);
	for (struct raw_sock **pp = &raws; *pp; pp = &(*pp)->next) {
		if (*pp == r) {
			*pp = r->next;
			break;
		}
	}
	inet_sock_put(sk);
}

static unsigned raw_poll(struct inet_sock *sk)
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

static int raw_ioctl(struct inet_sock *sk, unsigned cmd, int *out)
{
	if (cmd == FIONREAD) {
		*out = sk->rxq.head ? (int)sk->rxq.head->len : 0;
		return 0;
	}
	if (cmd == TIOCOUTQ) {
		*out = 0;
		return 0;
	}
	return -ENOIOCTLCMD;
}

static int raw_setsockopt(struct inet_sock *sk, int level, int name, const void *val, size_t len)
{
	if (level != SOL_RAW || name != ICMP_FILTER)
		return -ENOPROTOOPT;
	if (sk->protocol != IPPROTO_ICMP)
		return -EOPNOTSUPP;
	uint32_t f = 0;
	memcpy(&f, val, MIN(len, sizeof(f)));
	rsk(sk)->icmp_filter = f;
	return 0;
}

static int raw_getsockopt(struct inet_sock *sk, int level, int name, void *val, size_t *len)
{
	if (level != SOL_RAW || name != ICMP_FILTER)
		return -ENOPROTOOPT;
	if (sk->protocol != IPPROTO_ICMP)
		return -EOPNOTSUPP;
	uint32_t f = rsk(sk)->icmp_filter;
	*len = MIN(*len, sizeof(f));
	memcpy(val, &f, *len);
	return 0;
}

const struct inet_proto_ops raw_proto_ops = {
	.bind = raw_bind,
	.connect = raw_connect,
	.send = raw_send,
	.recv = raw_recv,
	.shutdown = raw_shutdown,
	.release = raw_release,
	.poll = raw_poll,
	.setsockopt = raw_setsockopt,
	.getsockopt = raw_getsockopt,
	.ioctl = raw_ioctl,
};

bool raw_deliver(const struct pkt *p)
{
	bool taken = false;
	for (struct raw_sock *r = raws; r; r = r->next) {
		struct inet_sock *s = &r->inet;
		if (s->protocol != p->proto)
			continue;
		if (s->laddr && s->laddr != p->daddr)
			continue;
		if (s->raddr && s->raddr != p->saddr)
			continue;
		if (s->bound_dev && (!p->dev || s->bound_dev != p->dev->index))
			continue;
		if (s->protocol == IPPROTO_ICMP && p->len > p->ip_hlen) {
			uint8_t type = pkt_data(p)[p->ip_hlen];
			if (type < 32 && (r->icmp_filter & (1u << type)))
				continue;
		}
		taken = true;
		struct pkt *c = pkt_clone(p, 0);
		if (!c)
			continue;
		if (s->rx_mem + pkt_truesize(c) > s->rcvbuf) {
			s->drops++;
			pkt_free(c);
			continue;
		}
		s->rx_mem += pkt_truesize(c);
		pkt_queue_push(&s->rxq, c);
		inet_wake(s);
	}
	return taken;
}

void raw_icmp_error(const struct icmp_err *e)
{
	/* Raw sockets hear of errors only with IP_RECVERR, about their own protocol. */
	for (struct raw_sock *r = raws; r; r = r->next) {
		struct inet_sock *s = &r->inet;
		if (s->protocol == e->proto && s->recverr && (!s->raddr || s->raddr == e->daddr)) {
			s->err = e->errno_val;
			inet_wake(s);
		}
	}
}
