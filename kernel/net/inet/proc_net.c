/* /proc/net's IPv4 files in Linux's layouts (dev, route, tcp, udp, arp), as busybox netstat, route and ifconfig parse them. */
#include <frame/errno.h>
#include <frame/log.h>
#include <frame/string.h>
#include <kernel/inet.h>
#include "ip.h"
#include "netif.h"
#include "sock.h"
#include "tcp.h"

struct out {
	void (*put)(void *ctx, const char *s, size_t n);
	void *ctx;
};

static void emit(struct out *o, const char *s)
{
	o->put(o->ctx, s, strlen(s));
}

/* Linux's seq_pad: a line of @width characters (the last a newline). */
static void emit_padded(struct out *o, char *line, size_t width)
{
	size_t n = strlen(line);
	while (n + 1 < width)
		line[n++] = ' ';
	line[n++] = '\n';
	line[n] = '\0';
	emit(o, line);
}

/* Addresses as Linux prints them: the network-order word as a native integer, %08X. */
static uint32_t raw_be(uint32_t host_order)
{
	return net32(host_order);
}

static void dev_file(struct out *o)
{
	emit(o, "Inter-|   Receive                                                |  Transmit\n");
	emit(o, " face |bytes    packets errs drop fifo frame compressed multicast|"
		"bytes    packets errs drop fifo colls carrier compressed\n");
	for (struct netif *d = netif_first(); d; d = d->next) {
		const struct netif_stats *s = &d->stats;
		char line[256];
		snprintf(line, sizeof line,
			 "%6s: %7llu %7llu %4llu %4llu %4llu %5llu %10llu %9llu "
			 "%8llu %7llu %4llu %4llu %4llu %5llu %7llu %10llu\n",
			 d->name, (unsigned long long)s->rx_bytes, (unsigned long long)s->rx_packets,
			 (unsigned long long)s->rx_errors, (unsigned long long)s->rx_dropped, 0ull, 0ull,
			 0ull, (unsigned long long)s->rx_multicast, (unsigned long long)s->tx_bytes,
			 (unsigned long long)s->tx_packets, (unsigned long long)s->tx_errors,
			 (unsigned long long)s->tx_dropped, 0ull, 0ull, 0ull, 0ull);
		emit(o, line);
	}
}

static void route_file(struct out *o)
{
	char line[160];
	strlcpy(line, "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT",
		sizeof line);
	emit_padded(o, line, 128);
	/* Linux's fib_route_seq_show: the main table's unicast routes with a device. */
	for (const struct route *r = route_next(NULL); r; r = route_next(r)) {
		if (r->table != RT_TABLE_MAIN || r->type != RTN_UNICAST || !r->dev)
			continue;
		uint32_t mask = r->prefixlen ? 0xffffffffu << (32 - r->prefixlen) : 0;
		unsigned flags = RTF_UP;
		if (r->gateway)
			flags |= RTF_GATEWAY;
		if (r->prefixlen == 32)
			flags |= RTF_HOST;
		snprintf(line, sizeof line, "%s\t%08X\t%08X\t%04X\t0\t0\t%u\t%08X\t%u\t0\t0", r->dev->name,
			 raw_be(r->dst), raw_be(r->gateway), flags, r->priority, raw_be(mask),
			 r->mtu ? r->mtu + 40 : 0);
		emit_padded(o, line, 128);
	}
}

static void sock_line(struct out *o, int slot, const struct inet_sock *sk, unsigned state,
		      uint32_t txq, uint32_t rxq, size_t width)
{
	char line[200];
	snprintf(line, sizeof line,
		 "%4d: %08X:%04X %08X:%04X %02X %08X:%08X 00:00000000 00000000 %5u        0 %llu 1 "
		 "0000000000000000 100 0 0 10 0",
		 slot, raw_be(sk->laddr ? sk->laddr : sk->saddr), sk->lport, raw_be(sk->raddr),
		 sk->rport, state, txq, rxq, sk->uid, (unsigned long long)sk->ino);
	emit_padded(o, line, width);
}

struct tcp_walk {
	struct out *o;
	int slot;
};

static bool tcp_one(struct tcp_sock *tp, void *arg)
{
	struct tcp_walk *w = arg;
	const struct inet_sock *sk = &tp->inet;
	uint32_t rxq = sk->state == TCP_LISTEN ? tp->accq_len : tp->rcv.len;
	uint32_t txq = sk->state == TCP_LISTEN ? 0 : tp->snd.len;
	sock_line(w->o, w->slot++, sk, sk->state, txq, rxq, 150);
	return true;
}

static void tcp_file(struct out *o)
{
	char line[160];
	strlcpy(line, "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
		sizeof line);
	emit_padded(o, line, 150);
	struct tcp_walk w = { o, 0 };
	tcp_for_each(tcp_one, &w);
}

static void udp_file(struct out *o)
{
	char line[160];
	strlcpy(line, "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops",
		sizeof line);
	emit_padded(o, line, 128);
	int slot = 0;
	for (unsigned h = 0; h < PORT_HASH; h++)
		for (struct inet_sock *sk = udp_ports.chain[h]; sk; sk = sk->bind_next)
			sock_line(o, slot++, sk, sk->state, 0, sk->rx_mem, 128);
}

static void arp_file(struct out *o)
{
	emit(o, "IP address       HW type     Flags       HW address            Mask     Device\n");
	struct arp_entry_view v;
	for (size_t i = 0; arp_entry_at(i, &v); i++) {
		if (v.nud & (NUD_INCOMPLETE | NUD_FAILED))
			continue;
		char ip[16], line[128];
		snprintf(ip, sizeof ip, "%u.%u.%u.%u", v.ip >> 24, (v.ip >> 16) & 0xff, (v.ip >> 8) & 0xff,
			 v.ip & 0xff);
		/* ATF_COM (0x2) for a resolved entry, ATF_PERM (0x4) for a permanent one. */
		unsigned flags = 0x2 | (v.nud & NUD_PERMANENT ? 0x4 : 0);
		snprintf(line, sizeof line, "%-16s 0x%-10x0x%-10x%02x:%02x:%02x:%02x:%02x:%02x     *        %s\n",
			 ip, v.hwtype, flags, v.mac[0], v.mac[1], v.mac[2], v.mac[3], v.mac[4], v.mac[5],
			 v.dev ? v.dev->name : "");
		emit(o, line);
	}
}

int inet_proc_net(const char *name, void (*put)(void *ctx, const char *s, size_t n), void *ctx)
{
	struct out o = { put, ctx };
	int err = 0;
	net_lock();
	if (!strcmp(name, "dev"))
		dev_file(&o);
	else if (!strcmp(name, "route"))
		route_file(&o);
	else if (!strcmp(name, "tcp"))
		tcp_file(&o);
	else if (!strcmp(name, "udp"))
		udp_file(&o);
	else if (!strcmp(name, "arp"))
		arp_file(&o);
	else
		err = -ENOENT;
	net_unlock();
	return err;
}
