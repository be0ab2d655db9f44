/* The IPv4 stack's host test fixture: virtual clock, loopback, fake Ethernet device, packet builders, file-less sockets. */
#include <abi/errno.h>
#include <frame/heap.h>
#include <frame/log.h>
#include <frame/string.h>
#include "inet_fixture.h"

static uint64_t now_ns = 1000000000ull;
static bool ready;

static uint64_t fake_now(void)
{
	return now_ns;
}

static const struct net_env fake_env = { fake_now, NULL };

uint64_t nf_now(void)
{
	return now_ns;
}

void nf_begin(void)
{
	net_set_env(&fake_env);
	if (!ready) {
		inet_stack_init();
		ready = true;
	}
	net_lock();
	struct netif *lo = netif_loopback();
	netif_set_flags(lo, lo->flags | IFF_UP);
	net_unlock();
}

void nf_advance(uint64_t ns)
{
	uint64_t target = now_ns + ns;
	for (;;) {
		uint64_t next = ntimer_next();
		if (!next || next > target)
			break;
		if (next > now_ns)
			now_ns = next;
		net_lock();
		net_unlock();
	}
	now_ns = target;
	net_lock();
	net_unlock();
}

static bool dump_one(struct tcp_sock *tp, void *arg)
{
	(void)arg;
	struct inet_sock *sk = &tp->inet;
	console_printf("    left: tcp %u.%u.%u.%u:%u -> :%u state %u orphan %d refs %u timers %d%d%d%d%d%d\n",
		       sk->laddr >> 24, (sk->laddr >> 16) & 255, (sk->laddr >> 8) & 255,
		       sk->laddr & 255, sk->lport, sk->rport, sk->state, sk->orphan, sk->refs,
		       ntimer_armed(&tp->t_rexmt), ntimer_armed(&tp->t_delack),
		       ntimer_armed(&tp->t_keep), ntimer_armed(&tp->t_wait),
		       ntimer_armed(&tp->t_persist), ntimer_armed(&tp->t_cork));
	return true;
}

void nf_end(struct ktest_ctx *ktest_ctx)
{
	/* Whatever is still closing (FIN_WAIT, TIME_WAIT, reassembly) times out. */
	nf_advance(SEC(300));
	net_lock();
	if (tcp_orphans() || tcp_ports.count || ntimer_count())
		tcp_for_each(dump_one, NULL);
	KEXPECT_EQ(tcp_orphans(), 0);
	KEXPECT_EQ(tcp_ports.count, 0);
	KEXPECT_EQ(udp_ports.count, 0);
	KEXPECT_EQ(ntimer_count(), 0);
	KEXPECT_EQ(ip_frag_queues(), 0);
	struct netif *lo = netif_loopback();
	netif_set_flags(lo, lo->flags & ~(uint32_t)IFF_UP);
	while (lo->addrs)
		netif_addr_del(lo, lo->addrs->local, lo->addrs->prefixlen);
	net_unlock();
	KEXPECT_EQ(pkt_live(), 0);
	net_set_env(NULL);
}

/* ---- tap ---- */

static int tap_transmit(struct netif *dev, struct pkt *p)
{
	struct tap *t = container_of(dev, struct tap, dev);
	pkt_csum_finish(p);
	pkt_queue_push(&t->out, p);
	return 0;
}

static const struct netif_ops tap_ops = { .transmit = tap_transmit };

struct tap *tap_create(uint32_t ip, uint8_t prefix, uint32_t peer_ip)
{
	struct tap *t = kzalloc(sizeof(*t));
	strlcpy(t->dev.name, "tap%d", IFNAMSIZ);
	t->dev.type = ARPHRD_ETHER;
	t->dev.flags = IFF_BROADCAST | IFF_MULTICAST;
	t->dev.mtu = 1500;
	t->dev.max_mtu = 9000;
	t->dev.addr_len = ETH_ALEN;
	static const uint8_t mac[ETH_ALEN] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	static const uint8_t peer[ETH_ALEN] = { 0x52, 0x55, 0x0a, 0x00, 0x02, 0x02 };
	memcpy(t->dev.addr, mac, ETH_ALEN);
	memset(t->dev.bcast_addr, 0xff, ETH_ALEN);
	memcpy(t->peer_mac, peer, ETH_ALEN);
	t->peer_ip = peer_ip;
	t->dev.ops = &tap_ops;
	t->dev.carrier = true;
	net_lock();
	netif_register(&t->dev);
	netif_set_flags(&t->dev, t->dev.flags | IFF_UP);
	netif_addr_add(&t->dev, ip, ip, prefix, 0xffffffffu, 0, NULL);
	if (peer_ip)
		arp_set(&t->dev, peer_ip, peer, true);
	net_unlock();
	tap_flush(t);	/* the gratuitous ARP */
	return t;
}

void tap_destroy(struct tap *t)
{
	net_lock();
	if (t->peer_ip)
		arp_delete(t->peer_ip, &t->dev);
	netif_unregister(&t->dev);
	net_unlock();
	tap_flush(t);
	kfree(t);
}

struct pkt *tap_pop(struct tap *t)
{
	return pkt_queue_pop(&t->out);
}

uint32_t tap_flush(struct tap *t)
{
	uint32_t n = 0;
	struct pkt *p;
	while ((p = pkt_queue_pop(&t->out))) {
		pkt_free(p);
		n++;
	}
	return n;
}

void tap_inject_frame(struct tap *t, const uint8_t *frame, uint32_t len)
{
	struct pkt *p = pkt_alloc(PKT_HEADROOM, len);
	memcpy(pkt_data(p), frame, len);
	net_lock();
	netif_rx(&t->dev, p);
	net_unlock();
}

void tap_inject_ip(struct tap *t, struct pkt *ip)
{
	uint8_t *h = pkt_push(ip, ETH_HLEN);
	memcpy(h, t->dev.addr, ETH_ALEN);
	memcpy(h + ETH_ALEN, t->peer_mac, ETH_ALEN);
	wr16(h + 12, ETH_P_IP);
	ip->flags = 0;
	net_lock();
	netif_rx(&t->dev, ip);
	net_unlock();
}

/* ---- packets ---- */

struct pkt *mk_ip(uint32_t src, uint32_t dst, uint8_t proto, const void *payload, uint32_t len)
{
	struct pkt *p = pkt_alloc(PKT_HEADROOM, IP_HLEN + len);
	uint8_t *h = pkt_data(p);
	memset(h, 0, IP_HLEN);
	h[0] = 0x45;
	wr16(h + 2, (uint16_t)(IP_HLEN + len));
	wr16(h + 4, 0x1234);
	h[8] = 64;
	h[9] = proto;
	wr32(h + 12, src);
	wr32(h + 16, dst);
	wr16(h + 10, csum_fold(csum_add(0, h, IP_HLEN)));
	if (len)
		memcpy(h + IP_HLEN, payload, len);
	return p;
}

struct pkt *mk_tcp(uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport, uint32_t seq,
		   uint32_t ack, uint8_t flags, uint16_t wnd, const uint8_t *opts, uint32_t optlen,
		   const void *data, uint32_t len)
{
	uint32_t hlen = TCP_HLEN + optlen;
	uint8_t *seg = kzalloc(hlen + len + 1);
	wr16(seg, sport);
	wr16(seg + 2, dport);
	wr32(seg + 4, seq);
	wr32(seg + 8, ack);
	seg[12] = (uint8_t)((hlen / 4) << 4);
	seg[13] = flags;
	wr16(seg + 14, wnd);
	if (optlen)
		memcpy(seg + TCP_HLEN, opts, optlen);
	if (len)
		memcpy(seg + hlen, data, len);
	uint32_t sum = csum_add(csum_pseudo(src, dst, IPPROTO_TCP, hlen + len), seg, hlen + len);
	wr16(seg + 16, csum_fold(sum));
	struct pkt *p = mk_ip(src, dst, IPPROTO_TCP, seg, hlen + len);
	kfree(seg);
	return p;
}

struct pkt *mk_udp(uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport, const void *data,
		   uint32_t len)
{
	uint8_t *d = kzalloc(8 + len + 1);
	wr16(d, sport);
	wr16(d + 2, dport);
	wr16(d + 4, (uint16_t)(8 + len));
	if (len)
		memcpy(d + 8, data, len);
	uint16_t c = csum_fold(csum_add(csum_pseudo(src, dst, IPPROTO_UDP, 8 + len), d, 8 + len));
	wr16(d + 6, c ? c : 0xffff);
	struct pkt *p = mk_ip(src, dst, IPPROTO_UDP, d, 8 + len);
	kfree(d);
	return p;
}

bool cap_parse(struct pkt *p, struct cap *c)
{
	memset(c, 0, sizeof(*c));
	const uint8_t *h = pkt_data(p);
	if (p->len < ETH_HLEN)
		return false;
	c->ethertype = rd16(h + 12);
	if (c->ethertype != ETH_P_IP || p->len < ETH_HLEN + IP_HLEN)
		return false;
	const uint8_t *ip = h + ETH_HLEN;
	uint32_t ihl = (uint32_t)(ip[0] & 15) * 4;
	uint32_t tot = rd16(ip + 2);
	c->saddr = rd32(ip + 12);
	c->daddr = rd32(ip + 16);
	c->proto = ip[9];
	c->ttl = ip[8];
	c->ip_id = rd16(ip + 4);
	c->frag = rd16(ip + 6);
	c->l4 = ip + ihl;
	uint32_t l4len = tot - ihl;
	uint32_t sum = csum_add(csum_pseudo(c->saddr, c->daddr, c->proto, l4len), c->l4, l4len);
	c->csum_ok = csum_fold(sum) == 0;
	c->payload = c->l4;
	c->payload_len = l4len;
	if (c->proto == IPPROTO_TCP) {
		struct pkt seg = { .head = (uint8_t *)c->l4, .len = l4len, .flags = PKT_CSUM_OK };
		if (!tcp_parse(&seg, &c->tcp))
			return false;
		c->payload = c->l4 + c->tcp.hlen;
		c->payload_len = c->tcp.len;
	} else if (c->proto == IPPROTO_UDP) {
		c->payload = c->l4 + 8;
		c->payload_len = l4len - 8;
	}
	return true;
}

bool tap_pop_tcp(struct tap *t, struct pkt **p, struct cap *c)
{
	while ((*p = tap_pop(t))) {
		if (cap_parse(*p, c) && c->proto == IPPROTO_TCP)
			return true;
		pkt_free(*p);
	}
	return false;
}

/* ---- sockets ---- */

struct inet_sock *nf_socket(int type, int protocol)
{
	net_lock();
	struct inet_sock *sk = type == SOCK_STREAM ? tcp_sock_create() :
			       type == SOCK_DGRAM ? udp_sock_create() : raw_sock_create(protocol);
	sk->privileged = true;
	net_unlock();
	return sk;
}

int nf_bind(struct inet_sock *sk, uint32_t addr, uint16_t port)
{
	net_lock();
	int err = sk->ops->bind(sk, addr, port);
	if (!err) {
		sk->port_by_user = port != 0;
		sk->addr_by_user = addr != 0;
		sk->saddr = addr;
	}
	net_unlock();
	return err;
}

int nf_connect(struct inet_sock *sk, uint32_t addr, uint16_t port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = net16(port), .sin_addr = net32(addr) };
	net_lock();
	int err = sk->ops->connect(sk, &a, true);
	net_unlock();
	return err;
}

int nf_listen(struct inet_sock *sk, int backlog)
{
	net_lock();
	int err = sk->ops->listen(sk, backlog);
	net_unlock();
	return err;
}

int nf_accept(struct inet_sock *sk, struct inet_sock **out)
{
	net_lock();
	int err = sk->ops->accept(sk, true, out);
	net_unlock();
	return err;
}

ssize_t nf_send(struct inet_sock *sk, const void *buf, size_t len, int flags)
{
	struct sock_send m = { .buf = buf, .len = len, .flags = flags | MSG_NOSIGNAL };
	net_lock();
	ssize_t n = sk->ops->send(sk, &m, true);
	net_unlock();
	return n;
}

ssize_t nf_sendto(struct inet_sock *sk, const void *buf, size_t len, uint32_t addr, uint16_t port)
{
	union sock_addr to;
	inet_fill_addr(&to, addr, port);
	struct sock_send m = { .buf = buf, .len = len, .to = &to, .tolen = sizeof(struct sockaddr_in) };
	net_lock();
	ssize_t n = sk->ops->send(sk, &m, true);
	net_unlock();
	return n;
}

ssize_t nf_recv(struct inet_sock *sk, void *buf, size_t len, int flags)
{
	struct sock_recv m = { .buf = buf, .len = len, .flags = flags };
	net_lock();
	ssize_t n = sk->ops->recv(sk, &m, true);
	net_unlock();
	return n;
}

ssize_t nf_recvfrom(struct inet_sock *sk, void *buf, size_t len, uint32_t *addr, uint16_t *port)
{
	struct sock_recv m = { .buf = buf, .len = len };
	net_lock();
	ssize_t n = sk->ops->recv(sk, &m, true);
	net_unlock();
	*addr = net32(m.from.in.sin_addr);
	*port = net16(m.from.in.sin_port);
	return n;
}

int nf_shutdown(struct inet_sock *sk, int how)
{
	net_lock();
	int err = sk->ops->shutdown(sk, (uint32_t)how + 1);
	net_unlock();
	return err;
}

unsigned nf_poll(struct inet_sock *sk)
{
	net_lock();
	unsigned m = sk->ops->poll(sk);
	net_unlock();
	return m;
}

int nf_setsockopt(struct inet_sock *sk, int level, int name, int v)
{
	net_lock();
	int err = -ENOPROTOOPT;
	if (level == SOL_SOCKET && name == SO_REUSEADDR) {
		sk->reuseaddr = v;
		err = 0;
	} else if (level == SOL_SOCKET && name == SO_BROADCAST) {
		sk->broadcast = v;
		err = 0;
	} else if (level == SOL_SOCKET && name == SO_KEEPALIVE) {
		sk->keepalive = v;
		if (sk->ops->buffers_changed)
			sk->ops->buffers_changed(sk);
		err = 0;
	} else if (sk->ops->setsockopt) {
		err = sk->ops->setsockopt(sk, level, name, &v, sizeof(v));
	}
	net_unlock();
	return err;
}

void nf_close(struct inet_sock *sk)
{
	net_lock();
	sk->ops->release(sk);
	net_unlock();
}

int nf_error(struct inet_sock *sk)
{
	net_lock();
	int e = sk->err;
	sk->err = 0;
	net_unlock();
	return e;
}

void nf_tcp_pair(struct inet_sock **client, struct inet_sock **server, uint16_t port)
{
	struct inet_sock *l = nf_socket(SOCK_STREAM, 0);
	nf_bind(l, LOCALHOST, port);
	nf_listen(l, 8);
	*client = nf_socket(SOCK_STREAM, 0);
	nf_connect(*client, LOCALHOST, port);
	*server = NULL;
	nf_accept(l, server);
	nf_close(l);
}
