/*
 * rtnetlink for IPv4 (what `ip link`, `ip addr`, `ip route` send): links,
 * addresses and routes dumped in Linux's message layouts, addresses and
 * routes added and deleted, links set up/down, renamed, given an MTU.
 * Requests are answered under the stack lock into datagrams of at most a
 * page, handed over once the lock is released.
 */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/string.h>
#include <abi/netlink.h>
#include <kernel/inet.h>
#include "ip.h"
#include "netif.h"

/* Linux's NLMSG_GOODSIZE for 4 KiB pages, roughly: what one dump datagram holds. */
#define DGRAM_MAX 4096u
#define MSG_MAX 1024u

struct dgram {
	struct dgram *next;
	size_t len;
	uint8_t data[DGRAM_MAX];
};

/* The replies of one request batch. */
struct out {
	struct dgram *head, *tail;
	bool fresh;		/* the next message starts a datagram */
	int err;
};

/* One message under construction. */
struct msg {
	uint8_t buf[MSG_MAX];
	size_t len;
	bool overflow;
};

static size_t align4(size_t n)
{
	return (n + 3u) & ~(size_t)3u;
}

static void put(struct msg *m, const void *data, size_t len)
{
	size_t at = m->len, end = align4(at + len);
	if (end > sizeof(m->buf)) {
		m->overflow = true;
		return;
	}
	memcpy(m->buf + at, data, len);
	memset(m->buf + at + len, 0, end - at - len);
	m->len = end;
}

static void msg_start(struct msg *m, uint16_t type, uint16_t flags, uint32_t seq, uint32_t pid)
{
	m->len = 0;
	m->overflow = false;
	struct nlmsghdr h = { 0, type, flags, seq, pid };
	put(m, &h, sizeof(h));
}

static void attr(struct msg *m, uint16_t type, const void *data, size_t len)
{
	struct rtattr a = { (uint16_t)(sizeof(a) + len), type };
	size_t at = m->len;
	put(m, &a, sizeof(a));
	/* The payload follows the 4-byte header directly; one aligned put covers both. */
	m->len = at + sizeof(a);
	put(m, data, len);
}

static void attr_u32(struct msg *m, uint16_t type, uint32_t v)
{
	attr(m, type, &v, sizeof(v));
}

static void attr_u8(struct msg *m, uint16_t type, uint8_t v)
{
	attr(m, type, &v, sizeof(v));
}

/* An IPv4 address in network order. */
static void attr_in(struct msg *m, uint16_t type, uint32_t host_order)
{
	uint8_t b[4];
	wr32(b, host_order);
	attr(m, type, b, 4);
}

static void attr_str(struct msg *m, uint16_t type, const char *s)
{
	attr(m, type, s, strlen(s) + 1);
}

/* Close @m (its length) and append it to the current datagram, or a new one. */
static void emit(struct out *o, struct msg *m)
{
	if (m->overflow) {
		o->err = -EMSGSIZE;
		return;
	}
	uint32_t len = (uint32_t)m->len;
	memcpy(m->buf, &len, sizeof(len));
	if (!o->tail || o->fresh || o->tail->len + m->len > DGRAM_MAX) {
		o->fresh = false;
		struct dgram *d = kmalloc(sizeof(*d));
		if (!d) {
			o->err = -ENOMEM;
			return;
		}
		d->next = NULL;
		d->len = 0;
		if (o->tail)
			o->tail->next = d;
		else
			o->head = d;
		o->tail = d;
	}
	memcpy(o->tail->data + o->tail->len, m->buf, m->len);
	o->tail->len += m->len;
}

/*
 * The messages below are built in one static buffer each: every request is
 * handled under the stack lock, so they are never in use twice at once.
 */

/* The end of a dump; it may share the last datagram, as Linux's does. */
static void done(struct out *o, const struct nlmsghdr *req, uint32_t pid)
{
	static struct msg m;
	msg_start(&m, NLMSG_DONE, NLM_F_MULTI, req->nlmsg_seq, pid);
	int32_t zero = 0;
	put(&m, &zero, sizeof(zero));
	emit(o, &m);
}

/* An error or acknowledgement: a datagram of its own (the request's header echoed). */
static void ack(struct out *o, const struct nlmsghdr *req, uint32_t pid, int err)
{
	static struct msg m;
	msg_start(&m, NLMSG_ERROR, 0, req->nlmsg_seq, pid);
	struct nlmsgerr e = { err, *req };
	put(&m, &e, sizeof(e));
	o->fresh = true;
	emit(o, &m);
	o->fresh = true;
}

/* ---- request parsing ---- */

#define MAX_ATTR 64

/* The attributes after the fixed part at @off: tb[type] points at the payload, lens[type] its length. */
struct attrs {
	const uint8_t *tb[MAX_ATTR];
	uint16_t len[MAX_ATTR];
};

static int parse_attrs(const uint8_t *msg, size_t msglen, size_t off, struct attrs *a)
{
	memset(a, 0, sizeof(*a));
	while (off + sizeof(struct rtattr) <= msglen) {
		struct rtattr h;
		memcpy(&h, msg + off, sizeof(h));
		if (h.rta_len < sizeof(h) || off + h.rta_len > msglen)
			return -EINVAL;
		uint16_t type = h.rta_type & 0x3fff;	/* without NLA_F_NESTED / NET_BYTEORDER */
		if (type < MAX_ATTR) {
			a->tb[type] = msg + off + sizeof(h);
			a->len[type] = (uint16_t)(h.rta_len - sizeof(h));
		}
		off += align4(h.rta_len);
	}
	return 0;
}

static bool attr_get_u32(const struct attrs *a, int type, uint32_t *v)
{
	if (!a->tb[type] || a->len[type] < 4)
		return false;
	memcpy(v, a->tb[type], 4);
	return true;
}

static bool attr_get_in(const struct attrs *a, int type, uint32_t *host_order)
{
	if (!a->tb[type] || a->len[type] < 4)
		return false;
	*host_order = rd32(a->tb[type]);
	return true;
}

/* A NUL-terminated name attribute, at most IFNAMSIZ bytes with its NUL. */
static bool attr_get_name(const struct attrs *a, int type, char *out, size_t size)
{
	if (!a->tb[type] || !a->len[type])
		return false;
	size_t n = strnlen((const char *)a->tb[type], a->len[type]);
	if (n >= size)
		n = size - 1;
	memcpy(out, a->tb[type], n);
	out[n] = '\0';
	return true;
}

/* ---- links ---- */

static uint8_t operstate(const struct netif *d)
{
	if (d->type == ARPHRD_LOOPBACK)
		return IF_OPER_UNKNOWN;
	return netif_running(d) ? IF_OPER_UP : IF_OPER_DOWN;
}

static void link_msg(struct out *o, const struct netif *d, uint16_t flags, uint32_t seq, uint32_t pid)
{
	static struct msg m;
	msg_start(&m, RTM_NEWLINK, flags, seq, pid);
	struct ifinfomsg ifi = { AF_UNSPEC, 0, d->type, d->index, netif_user_flags(d), 0 };
	put(&m, &ifi, sizeof(ifi));
	attr_str(&m, IFLA_IFNAME, d->name);
	attr_u32(&m, IFLA_TXQLEN, d->txqlen);
	attr_u8(&m, IFLA_OPERSTATE, operstate(d));
	attr_u8(&m, IFLA_LINKMODE, 0);
	attr_u32(&m, IFLA_MTU, d->mtu);
	attr_u32(&m, IFLA_MIN_MTU, d->min_mtu);
	attr_u32(&m, IFLA_MAX_MTU, d->max_mtu);
	attr_u32(&m, IFLA_GROUP, 0);
	attr_u32(&m, IFLA_PROMISCUITY, 0);
	attr_u32(&m, IFLA_NUM_TX_QUEUES, 1);
	attr_u32(&m, IFLA_NUM_RX_QUEUES, 1);
	attr_u8(&m, IFLA_CARRIER, d->carrier);
	attr(&m, IFLA_ADDRESS, d->addr, d->addr_len);
	attr(&m, IFLA_BROADCAST, d->type == ARPHRD_LOOPBACK ? d->addr : d->bcast_addr, d->addr_len);
	struct rtnl_link_stats st;
	memset(&st, 0, sizeof(st));
	st.rx_packets = (uint32_t)d->stats.rx_packets;
	st.tx_packets = (uint32_t)d->stats.tx_packets;
	st.rx_bytes = (uint32_t)d->stats.rx_bytes;
	st.tx_bytes = (uint32_t)d->stats.tx_bytes;
	st.rx_errors = (uint32_t)d->stats.rx_errors;
	st.tx_errors = (uint32_t)d->stats.tx_errors;
	st.rx_dropped = (uint32_t)d->stats.rx_dropped;
	st.tx_dropped = (uint32_t)d->stats.tx_dropped;
	st.multicast = (uint32_t)d->stats.rx_multicast;
	attr(&m, IFLA_STATS, &st, sizeof(st));
	emit(o, &m);
}

static struct netif *link_of(const struct ifinfomsg *ifi, const struct attrs *a)
{
	if (ifi->ifi_index > 0)
		return netif_by_index(ifi->ifi_index);
	char name[IFNAMSIZ];
	if (attr_get_name(a, IFLA_IFNAME, name, sizeof(name)))
		return netif_by_name(name);
	return NULL;
}

static int get_link(struct out *o, const struct nlmsghdr *h, const uint8_t *msg, uint32_t pid)
{
	if (h->nlmsg_flags & NLM_F_DUMP) {
		for (struct netif *d = netif_first(); d; d = d->next)
			link_msg(o, d, NLM_F_MULTI, h->nlmsg_seq, pid);
		done(o, h, pid);
		return 0;
	}
	struct ifinfomsg ifi;
	if (h->nlmsg_len < sizeof(*h) + sizeof(ifi))
		return -EINVAL;
	memcpy(&ifi, msg + sizeof(*h), sizeof(ifi));
	struct attrs a;
	if (parse_attrs(msg, h->nlmsg_len, sizeof(*h) + sizeof(ifi), &a))
		return -EINVAL;
	struct netif *d = link_of(&ifi, &a);
	if (!d)
		return -ENODEV;
	link_msg(o, d, 0, h->nlmsg_seq, pid);
	return 0;
}

static int set_link(const struct nlmsghdr *h, const uint8_t *msg)
{
	struct ifinfomsg ifi;
	if (h->nlmsg_len < sizeof(*h) + sizeof(ifi))
		return -EINVAL;
	memcpy(&ifi, msg + sizeof(*h), sizeof(ifi));
	struct attrs a;
	if (parse_attrs(msg, h->nlmsg_len, sizeof(*h) + sizeof(ifi), &a))
		return -EINVAL;
	struct netif *d = ifi.ifi_index > 0 ? netif_by_index(ifi.ifi_index) : NULL;
	if (!d && ifi.ifi_index <= 0)
		d = link_of(&ifi, &a);
	if (!d)
		/* Creating links (a "kind") is not supported. */
		return h->nlmsg_type == RTM_NEWLINK && (h->nlmsg_flags & NLM_F_CREATE) ? -EOPNOTSUPP : -ENODEV;
	int err = 0;
	uint32_t mtu;
	if (attr_get_u32(&a, IFLA_MTU, &mtu))
		err = netif_set_mtu(d, mtu);
	char name[IFNAMSIZ];
	if (!err && ifi.ifi_index > 0 && attr_get_name(&a, IFLA_IFNAME, name, sizeof(name)) &&
	    strcmp(name, d->name))
		err = netif_set_name(d, name);
	if (!err && (ifi.ifi_flags || ifi.ifi_change)) {
		/* Linux's rtnl_dev_combine_flags: a zero change mask means every flag. */
		uint32_t change = ifi.ifi_change ? ifi.ifi_change : 0xffffffffu;
		uint32_t now = netif_user_flags(d);
		err = netif_set_flags(d, (now & ~change) | (ifi.ifi_flags & change));
	}
	return err;
}

/* ---- addresses ---- */

static void addr_msg(struct out *o, const struct ifaddr *ia, uint16_t type, uint16_t flags,
		     uint32_t seq, uint32_t pid)
{
	static struct msg m;
	msg_start(&m, type, flags, seq, pid);
	struct ifaddrmsg ifa = { AF_INET, ia->prefixlen, (uint8_t)ia->flags, ia->scope,
				 (uint32_t)ia->dev->index };
	put(&m, &ifa, sizeof(ifa));
	attr_in(&m, IFA_ADDRESS, ia->peer);
	attr_in(&m, IFA_LOCAL, ia->local);
	if (ia->broadcast)
		attr_in(&m, IFA_BROADCAST, ia->broadcast);
	attr_str(&m, IFA_LABEL, ia->label[0] ? ia->label : ia->dev->name);
	attr_u32(&m, IFA_FLAGS, ia->flags);
	struct ifa_cacheinfo ci = { 0xffffffffu, 0xffffffffu, 0, 0 };
	attr(&m, IFA_CACHEINFO, &ci, sizeof(ci));
	emit(o, &m);
}

static int get_addr(struct out *o, const struct nlmsghdr *h, const uint8_t *msg, uint32_t pid)
{
	if (!(h->nlmsg_flags & NLM_F_DUMP))
		return -EOPNOTSUPP;
	uint8_t family = AF_UNSPEC;
	int index = 0;
	if (h->nlmsg_len >= sizeof(*h) + sizeof(struct ifaddrmsg)) {
		struct ifaddrmsg ifa;
		memcpy(&ifa, msg + sizeof(*h), sizeof(ifa));
		family = ifa.ifa_family;
		index = (int)ifa.ifa_index;
	} else if (h->nlmsg_len >= sizeof(*h) + 1) {
		family = msg[sizeof(*h)];
	}
	if (family == AF_UNSPEC || family == AF_INET) {
		for (struct ifaddr *ia = ifaddr_next(NULL); ia; ia = ifaddr_next(ia))
			if (!index || ia->dev->index == index)
				addr_msg(o, ia, RTM_NEWADDR, NLM_F_MULTI, h->nlmsg_seq, pid);
	}
	done(o, h, pid);
	return 0;
}

static int change_addr(const struct nlmsghdr *h, const uint8_t *msg)
{
	struct ifaddrmsg ifa;
	if (h->nlmsg_len < sizeof(*h) + sizeof(ifa))
		return -EINVAL;
	memcpy(&ifa, msg + sizeof(*h), sizeof(ifa));
	struct attrs a;
	if (parse_attrs(msg, h->nlmsg_len, sizeof(*h) + sizeof(ifa), &a))
		return -EINVAL;
	if (ifa.ifa_family != AF_INET)
		return -EAFNOSUPPORT;
	if (ifa.ifa_prefixlen > 32)
		return -EINVAL;
	struct netif *d = netif_by_index((int)ifa.ifa_index);
	if (!d)
		return -ENODEV;
	uint32_t local = 0, peer = 0, bcast = 0;
	bool has_local = attr_get_in(&a, IFA_LOCAL, &local);
	bool has_peer = attr_get_in(&a, IFA_ADDRESS, &peer);
	if (!has_local && !has_peer)
		return -EINVAL;
	if (!has_local)
		local = peer;
	if (!has_peer)
		peer = local;
	if (h->nlmsg_type == RTM_DELADDR)
		return netif_addr_del(d, local, ifa.ifa_prefixlen);
	attr_get_in(&a, IFA_BROADCAST, &bcast);
	char label[IFNAMSIZ];
	if (!attr_get_name(&a, IFA_LABEL, label, sizeof(label)))
		strlcpy(label, d->name, sizeof(label));
	int err = netif_addr_add(d, local, peer, ifa.ifa_prefixlen, bcast, ifa.ifa_scope, label);
	/* An existing address without NLM_F_EXCL is left as it is (Linux changes its lifetimes only). */
	if (err == -EEXIST && !(h->nlmsg_flags & NLM_F_EXCL))
		err = 0;
	return err;
}

/* ---- routes ---- */

static void route_msg(struct out *o, const struct route *r, uint16_t flags, uint32_t seq, uint32_t pid)
{
	static struct msg m;
	msg_start(&m, RTM_NEWROUTE, flags, seq, pid);
	struct rtmsg rt = { AF_INET, r->prefixlen, 0, r->tos,
			    r->table,
			    r->protocol, r->scope, r->type, 0 };
	put(&m, &rt, sizeof(rt));
	attr_u32(&m, RTA_TABLE, r->table);
	if (r->prefixlen)
		attr_in(&m, RTA_DST, r->dst);
	if (r->priority)
		attr_u32(&m, RTA_PRIORITY, r->priority);
	if (r->prefsrc)
		attr_in(&m, RTA_PREFSRC, r->prefsrc);
	if (r->gateway)
		attr_in(&m, RTA_GATEWAY, r->gateway);
	if (r->dev)
		attr_u32(&m, RTA_OIF, (uint32_t)r->dev->index);
	emit(o, &m);
}

static int get_route(struct out *o, const struct nlmsghdr *h, const uint8_t *msg, uint32_t pid)
{
	if (!(h->nlmsg_flags & NLM_F_DUMP))
		return -EOPNOTSUPP;
	uint8_t family = h->nlmsg_len > sizeof(*h) ? msg[sizeof(*h)] : AF_UNSPEC;
	if (family == AF_UNSPEC || family == AF_INET)
		for (const struct route *r = route_next(NULL); r; r = route_next(r))
			route_msg(o, r, NLM_F_MULTI, h->nlmsg_seq, pid);
	done(o, h, pid);
	return 0;
}

static int change_route(const struct nlmsghdr *h, const uint8_t *msg)
{
	struct rtmsg rt;
	if (h->nlmsg_len < sizeof(*h) + sizeof(rt))
		return -EINVAL;
	memcpy(&rt, msg + sizeof(*h), sizeof(rt));
	struct attrs a;
	if (parse_attrs(msg, h->nlmsg_len, sizeof(*h) + sizeof(rt), &a))
		return -EINVAL;
	if (rt.rtm_family != AF_INET)
		return -EAFNOSUPPORT;
	if (rt.rtm_dst_len > 32)
		return -EINVAL;
	bool del = h->nlmsg_type == RTM_DELROUTE;
	struct route r;
	memset(&r, 0, sizeof(r));
	r.prefixlen = rt.rtm_dst_len;
	r.tos = rt.rtm_tos;
	r.table = rt.rtm_table;
	uint32_t table;
	if (attr_get_u32(&a, RTA_TABLE, &table))
		r.table = (uint8_t)table;
	if (!r.table && !del)
		r.table = RT_TABLE_MAIN;
	r.type = rt.rtm_type;
	if (!r.type && !del)
		r.type = RTN_UNICAST;
	r.scope = rt.rtm_scope;
	r.protocol = rt.rtm_protocol;
	attr_get_in(&a, RTA_DST, &r.dst);
	if (r.prefixlen < 32)
		r.dst &= r.prefixlen ? 0xffffffffu << (32 - r.prefixlen) : 0;
	attr_get_in(&a, RTA_GATEWAY, &r.gateway);
	attr_get_in(&a, RTA_PREFSRC, &r.prefsrc);
	attr_get_u32(&a, RTA_PRIORITY, &r.priority);
	uint32_t oif;
	if (attr_get_u32(&a, RTA_OIF, &oif)) {
		r.dev = netif_by_index((int)oif);
		if (!r.dev)
			return -ENODEV;
	}
	if (del)
		return route_del(&r);
	return route_add(&r, h->nlmsg_flags & NLM_F_REPLACE);
}

/* ---- dispatch ---- */

static int one_request(struct out *o, const struct nlmsghdr *h, const uint8_t *msg, uint32_t pid,
		       bool privileged)
{
	switch (h->nlmsg_type) {
	case RTM_GETLINK:
		return get_link(o, h, msg, pid);
	case RTM_GETADDR:
		return get_addr(o, h, msg, pid);
	case RTM_GETROUTE:
		return get_route(o, h, msg, pid);
	case RTM_NEWLINK:
	case RTM_SETLINK:
		return privileged ? set_link(h, msg) : -EPERM;
	case RTM_DELLINK:
		return privileged ? -EOPNOTSUPP : -EPERM;
	case RTM_NEWADDR:
	case RTM_DELADDR:
		return privileged ? change_addr(h, msg) : -EPERM;
	case RTM_NEWROUTE:
	case RTM_DELROUTE:
		return privileged ? change_route(h, msg) : -EPERM;
	default:
		return -EOPNOTSUPP;
	}
}

int inet_rtnl_request(const void *req, size_t len, uint32_t pid, bool privileged,
		      int (*reply)(void *ctx, const void *data, size_t len), void *ctx)
{
	const uint8_t *p = req;
	struct out o = { NULL, NULL, false, 0 };
	net_lock();
	size_t off = 0;
	while (off + sizeof(struct nlmsghdr) <= len) {
		struct nlmsghdr h;
		memcpy(&h, p + off, sizeof(h));
		if (h.nlmsg_len < sizeof(h) || off + h.nlmsg_len > len)
			break;
		const uint8_t *msg = p + off;
		off += align4(h.nlmsg_len);
		if (!(h.nlmsg_flags & NLM_F_REQUEST) || h.nlmsg_type < 16)
			continue;	/* control messages and replies are ignored, as Linux does */
		int err = one_request(&o, &h, msg, pid, privileged);
		if (err || (h.nlmsg_flags & NLM_F_ACK))
			ack(&o, &h, pid, err);
	}
	net_unlock();
	int err = o.err;
	while (o.head) {
		struct dgram *d = o.head;
		o.head = d->next;
		if (!err && d->len)
			err = reply(ctx, d->data, d->len);
		kfree(d);
	}
	return err == -ENOBUFS ? 0 : err;
}
