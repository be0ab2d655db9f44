/* What every AF_INET socket shares: references, waking and waiting, errors, and the port tables with Linux's bind rules. */
#include <frame/errno.h>
#include <frame/string.h>
#include <kernel/poll.h>
#include <kernel/random.h>
#include "inet_proto.h"
#include "ip.h"
#include "sock.h"
#include "stack.h"

struct port_table tcp_ports = { .protocol = IPPROTO_TCP };
struct port_table udp_ports = { .protocol = IPPROTO_UDP };
uint32_t inet_port_low = 32768, inet_port_high = 60999;

void inet_sock_init(struct inet_sock *sk, int type, int protocol)
{
	sk->refs = 1;
	sk->type = (uint8_t)type;
	sk->protocol = (uint8_t)protocol;
	sk->state = TCP_CLOSE;
	sk->sndbuf = INET_WMEM_DEFAULT;
	sk->rcvbuf = INET_RMEM_DEFAULT;
	sk->rcvlowat = 1;
	sk->mc_ttl = 1;
	sk->mc_loop = true;
	sk->mc_all = true;
	sk->pmtudisc = IP_PMTUDISC_WANT;
	wait_queue_init(&sk->wq);
}

void inet_sock_get(struct inet_sock *sk)
{
	sk->refs++;
}

void inet_sock_put(struct inet_sock *sk)
{
	if (--sk->refs)
		return;
	wait_queue_release(&sk->wq);
	pkt_queue_purge(&sk->rxq);
	sk->destroy(sk);
}

void inet_wake(struct inet_sock *sk)
{
	inet_wake_key(sk, 0);
}

void inet_wake_key(struct inet_sock *sk, uint32_t events)
{
	__atomic_add_fetch(&sk->wake_seq, 1, __ATOMIC_RELEASE);
	wait_wake_all_key(&sk->wq, events);
}

int inet_wait(struct inet_sock *sk, uint64_t deadline_ns)
{
	uint32_t seen = sk->wake_seq;
	/* The socket must outlive the sleep even if its file goes meanwhile. */
	inet_sock_get(sk);
	net_unlock();
	int err = poll_wait_event(&sk->wq, __atomic_load_n(&sk->wake_seq, __ATOMIC_ACQUIRE) != seen,
				  deadline_ns);
	net_lock();
	inet_sock_put(sk);
	return err;
}

uint64_t inet_deadline(uint64_t timeout_ns)
{
	if (!timeout_ns)
		return 0;
	uint64_t now = net_now();
	return now + timeout_ns < now ? UINT64_MAX : now + timeout_ns;
}

int inet_take_error(struct inet_sock *sk)
{
	int e = sk->err;
	sk->err = 0;
	return -e;
}

void inet_fill_addr(union sock_addr *out, uint32_t addr, uint16_t port)
{
	memset(out, 0, sizeof(struct sockaddr_in));
	out->in.sin_family = AF_INET;
	out->in.sin_port = net16(port);
	out->in.sin_addr = net32(addr);
}

ssize_t inet_epipe(int flags)
{
	if (!(flags & MSG_NOSIGNAL))
		poll_raise_sigpipe();
	return -EPIPE;
}

int inet_route_source(struct inet_sock *sk, uint32_t dst, uint32_t *src, uint8_t *type)
{
	struct route_result rr;
	struct netif *oif = sk->bound_dev ? netif_by_index(sk->bound_dev) : NULL;
	int err = route_lookup(dst, oif, &rr);
	if (err)
		return err;
	*src = sk->saddr ? sk->saddr : (sk->laddr ? sk->laddr : rr.src);
	*type = rr.type;
	return *src ? 0 : -EADDRNOTAVAIL;
}

/* ---- ports ---- */

static struct inet_sock **chain_of(struct port_table *t, uint16_t port)
{
	return &t->chain[port % PORT_HASH];
}

void port_insert(struct port_table *t, struct inet_sock *sk)
{
	struct inet_sock **c = chain_of(t, sk->lport);
	sk->bind_next = *c;
	*c = sk;
	sk->in_ports = true;
	t->count++;
}

void port_remove(struct port_table *t, struct inet_sock *sk)
{
	if (!sk->in_ports)
		return;
	sk->in_ports = false;
	for (struct inet_sock **pp = chain_of(t, sk->lport); *pp; pp = &(*pp)->bind_next) {
		if (*pp == sk) {
			*pp = sk->bind_next;
			sk->bind_next = NULL;
			t->count--;
			return;
		}
	}
}

struct inet_sock *port_first(struct port_table *t, uint16_t port)
{
	return *chain_of(t, port);
}

static bool addr_overlap(uint32_t a, uint32_t b)
{
	return !a || !b || a == b;
}

bool port_conflict(struct port_table *t, const struct inet_sock *sk, uint32_t addr, uint16_t port)
{
	for (struct inet_sock *o = port_first(t, port); o; o = o->bind_next) {
		if (o == sk || o->lport != port || !o->in_ports)
			continue;
		if (sk->bound_dev && o->bound_dev && sk->bound_dev != o->bound_dev)
			continue;
		if (!addr_overlap(addr, o->laddr))
			continue;
		if (t->protocol == IPPROTO_TCP) {
			/* Linux's inet_bind_conflict: SO_REUSEADDR on both passes unless the other listens. */
			if (sk->reuseaddr && o->reuseaddr && o->state != TCP_LISTEN)
				continue;
			if (sk->reuseport && o->reuseport &&
			    (o->state == TCP_TIME_WAIT || o->uid == sk->uid))
				continue;
		} else {
			if (sk->reuseaddr && o->reuseaddr)
				continue;
			if (sk->reuseport && o->reuseport && o->uid == sk->uid)
				continue;
		}
		return true;
	}
	return false;
}

int port_bind(struct port_table *t, struct inet_sock *sk, uint32_t addr, uint16_t port)
{
	if (sk->in_ports)
		return -EINVAL;
	if (!port) {
		uint32_t span = inet_port_high - inet_port_low + 1;
		uint32_t start = (uint32_t)(random_u64() % span);
		for (uint32_t i = 0; i < span; i++) {
			uint16_t cand = (uint16_t)(inet_port_low + (start + i) % span);
			/* bind(0) wants a port nobody has at all, so later binds keep their rights. */
			bool used = false;
			for (struct inet_sock *o = port_first(t, cand); o && !used; o = o->bind_next)
				used = o->lport == cand && o->in_ports;
			if (!used) {
				port = cand;
				break;
			}
		}
		if (!port)
			return -EADDRINUSE;
	} else if (port_conflict(t, sk, addr, port)) {
		return -EADDRINUSE;
	}
	sk->laddr = addr;
	sk->lport = port;
	port_insert(t, sk);
	return 0;
}
