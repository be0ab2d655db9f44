/* The IPv4 routing tables: Linux's local and main tables, longest-prefix lookup, the kernel's own routes for interface addresses. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/string.h>
#include "ip.h"

static struct route *routes;

const struct route *route_next(const struct route *r)
{
	return r ? r->next : routes;
}

static bool matches(const struct route *r, uint32_t dst)
{
	return !((dst ^ r->dst) & ip_mask(r->prefixlen));
}

static const struct route *lookup_table(uint8_t table, uint32_t dst, struct netif *oif)
{
	const struct route *best = NULL;
	for (const struct route *r = routes; r; r = r->next) {
		if (r->table != table || !matches(r, dst))
			continue;
		if (r->dev && !netif_up(r->dev))
			continue;
		if (oif && r->dev && r->dev != oif && r->type != RTN_LOCAL)
			continue;
		if (!best || r->prefixlen > best->prefixlen ||
		    (r->prefixlen == best->prefixlen && r->priority < best->priority))
			best = r;
	}
	return best;
}

/* 255.255.255.255 has no route: it goes out of @oif, or the first broadcast-capable interface. */
static int limited_broadcast(struct netif *oif, struct route_result *out)
{
	struct netif *dev = oif;
	for (struct netif *d = netif_first(); !dev && d; d = d->next)
		if (netif_up(d) && (d->flags & IFF_BROADCAST))
			dev = d;
	if (!dev || !netif_up(dev))
		return -ENETUNREACH;
	out->dev = dev;
	out->nexthop = 0xffffffffu;
	out->src = netif_select_source(dev, 0);
	out->type = RTN_BROADCAST;
	out->mtu = dev->mtu;
	return 0;
}

int route_lookup(uint32_t dst, struct netif *oif, struct route_result *out)
{
	memset(out, 0, sizeof(*out));
	if (ip_is_lbcast(dst))
		return limited_broadcast(oif, out);
	const struct route *r = lookup_table(RT_TABLE_LOCAL, dst, oif);
	if (!r)
		r = lookup_table(RT_TABLE_MAIN, dst, oif);
	if (!r)
		return -ENETUNREACH;
	switch (r->type) {
	case RTN_UNREACHABLE:
		return -EHOSTUNREACH;
	case RTN_PROHIBIT:
		return -EACCES;
	case RTN_BLACKHOLE:
		return -EINVAL;
	case RTN_LOCAL: {
		/* Traffic to one of our own addresses goes through lo, whatever interface has it. */
		struct netif *lo = netif_loopback();
		if (!lo || !netif_up(lo))
			return -ENETUNREACH;
		out->dev = lo;
		out->nexthop = dst;
		out->src = r->prefsrc ? r->prefsrc : dst;
		out->type = RTN_LOCAL;
		out->mtu = lo->mtu;
		return 0;
	}
	default:
		break;
	}
	out->dev = r->dev;
	out->nexthop = r->gateway ? r->gateway : dst;
	out->type = r->type == RTN_BROADCAST ? RTN_BROADCAST : RTN_UNICAST;
	out->src = r->prefsrc ? r->prefsrc : netif_select_source(r->dev, out->nexthop);
	out->mtu = r->mtu && r->mtu < r->dev->mtu ? r->mtu : r->dev->mtu;
	return 0;
}

uint32_t ip_route_mtu(uint32_t dst)
{
	struct route_result rr;
	return route_lookup(dst, NULL, &rr) ? 0 : rr.mtu;
}

static bool same_key(const struct route *a, const struct route *b)
{
	return a->table == b->table && a->dst == b->dst && a->prefixlen == b->prefixlen &&
	       a->tos == b->tos && a->priority == b->priority;
}

/* A gateway must sit on a connected (link-scope) subnet of the route's interface. */
static int check_gateway(const struct route *r)
{
	for (const struct route *c = routes; c; c = c->next) {
		if (c->table != RT_TABLE_MAIN || c->gateway || !c->dev || !matches(c, r->gateway))
			continue;
		if (r->dev && c->dev != r->dev)
			continue;
		return 0;
	}
	return -ENETUNREACH;
}

int route_add(const struct route *r, bool replace)
{
	if (r->prefixlen > 32)
		return -EINVAL;
	bool needs_dev = r->type == RTN_UNICAST || r->type == RTN_LOCAL || r->type == RTN_BROADCAST;
	if (needs_dev && !r->dev && !r->gateway)
		return -ENODEV;
	struct route n = *r;
	n.dst &= ip_mask(n.prefixlen);
	if (n.gateway) {
		if (check_gateway(&n))
			return -ENETUNREACH;
		if (!n.dev) {
			struct route_result rr;
			if (route_lookup(n.gateway, NULL, &rr) || rr.type != RTN_UNICAST)
				return -ENETUNREACH;
			n.dev = rr.dev;
		}
	}
	if (n.dev && !netif_up(n.dev))
		return -ENETDOWN;
	for (struct route *o = routes; o; o = o->next) {
		if (!same_key(o, &n))
			continue;
		if (!replace)
			return -EEXIST;
		struct route *keep = o->next;
		*o = n;
		o->next = keep;
		return 0;
	}
	struct route *m = kmalloc(sizeof(*m));
	if (!m)
		return -ENOBUFS;
	*m = n;
	/* Kept sorted by table, then longest prefix first: dumps come out as Linux lists them. */
	struct route **pp = &routes;
	while (*pp && ((*pp)->table < m->table ||
		       ((*pp)->table == m->table && (*pp)->prefixlen >= m->prefixlen)))
		pp = &(*pp)->next;
	m->next = *pp;
	*pp = m;
	return 0;
}

int route_del(const struct route *r)
{
	uint32_t dst = r->dst & ip_mask(r->prefixlen);
	for (struct route **pp = &routes; *pp; pp = &(*pp)->next) {
		struct route *o = *pp;
		if (o->dst != dst || o->prefixlen != r->prefixlen)
			continue;
		if (r->table && o->table != r->table)
			continue;
		if (r->gateway && o->gateway != r->gateway)
			continue;
		if (r->dev && o->dev != r->dev)
			continue;
		if (r->priority && o->priority != r->priority)
			continue;
		if (r->type && o->type != r->type)
			continue;
		if (r->protocol && o->protocol != r->protocol)
			continue;
		*pp = o->next;
		kfree(o);
		return 0;
	}
	return -ESRCH;
}

void route_flush_dev(struct netif *dev)
{
	struct route **pp = &routes;
	while (*pp) {
		struct route *o = *pp;
		if (o->dev == dev) {
			*pp = o->next;
			kfree(o);
		} else {
			pp = &o->next;
		}
	}
}

static void kernel_route(struct ifaddr *a, uint8_t table, uint8_t type, uint32_t dst,
			 uint8_t prefixlen, uint8_t scope, bool add)
{
	struct route r = {
		.dst = dst, .prefixlen = prefixlen, .table = table, .type = type, .scope = scope,
		.protocol = RTPROT_KERNEL, .dev = a->dev, .prefsrc = a->local,
	};
	if (add) {
		route_add(&r, false);
		return;
	}
	/* Only the route this address made goes. */
	r.dst &= ip_mask(prefixlen);
	for (struct route **pp = &routes; *pp; pp = &(*pp)->next) {
		struct route *o = *pp;
		if (o->table == table && o->type == type && o->dst == r.dst &&
		    o->prefixlen == prefixlen && o->dev == a->dev && o->prefsrc == a->local &&
		    o->protocol == RTPROT_KERNEL) {
			*pp = o->next;
			kfree(o);
			return;
		}
	}
}

/* Linux's fib_add_ifaddr / fib_del_ifaddr: the local, prefix and broadcast routes of an address. */
static void ifaddr_routes(struct ifaddr *a, bool add)
{
	bool lo = a->dev->flags & IFF_LOOPBACK;
	kernel_route(a, RT_TABLE_LOCAL, RTN_LOCAL, a->local, 32, RT_SCOPE_HOST, add);
	if (a->flags & IFA_F_SECONDARY)
		return;
	uint32_t prefix = a->peer & ip_mask(a->prefixlen);
	uint32_t net_bcast = prefix | ~ip_mask(a->prefixlen);
	if (a->broadcast && a->broadcast != 0xffffffffu && a->broadcast != net_bcast)
		kernel_route(a, RT_TABLE_LOCAL, RTN_BROADCAST, a->broadcast, 32, RT_SCOPE_LINK, add);
	if (!ip_is_zeronet(prefix) && (prefix != a->local || a->prefixlen < 32)) {
		if (lo)
			kernel_route(a, RT_TABLE_LOCAL, RTN_LOCAL, prefix, a->prefixlen, RT_SCOPE_HOST,
				     add);
		else
			kernel_route(a, RT_TABLE_MAIN, RTN_UNICAST, prefix, a->prefixlen,
				     RT_SCOPE_LINK, add);
		/* The subnet's broadcast address, whatever the address's own broadcast says. */
		if (a->prefixlen < 31)
			kernel_route(a, RT_TABLE_LOCAL, RTN_BROADCAST, net_bcast, 32, RT_SCOPE_LINK, add);
	}
}

void route_ifaddr_up(struct ifaddr *a)
{
	ifaddr_routes(a, true);
}

void route_ifaddr_down(struct ifaddr *a)
{
	ifaddr_routes(a, false);
}
