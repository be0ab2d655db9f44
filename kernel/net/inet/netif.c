/* Network interfaces: registration, flags and MTU, IPv4 addresses with their kernel routes, and the device end of the data path. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/log.h>
#include <frame/string.h>
#include <kernel/random.h>
#include "ip.h"
#include "netif.h"

static struct netif *netifs;
static int next_index = 1;
static uint32_t generation;

uint32_t netif_generation(void)
{
	return generation;
}

struct netif *netif_first(void)
{
	return netifs;
}

struct netif *netif_by_index(int index)
{
	for (struct netif *d = netifs; d; d = d->next)
		if (d->index == index)
			return d;
	return NULL;
}

struct netif *netif_by_name(const char *name)
{
	for (struct netif *d = netifs; d; d = d->next)
		if (strncmp(d->name, name, IFNAMSIZ) == 0)
			return d;
	return NULL;
}

/* "eth%d" becomes the first free "ethN". */
static int pick_name(struct netif *dev)
{
	char *pct = strchr(dev->name, '%');
	if (!pct)
		return netif_by_name(dev->name) ? -EEXIST : 0;
	if (pct[1] != 'd' || strchr(pct + 1, '%'))
		return -EINVAL;
	size_t plen = (size_t)(pct - dev->name);
	if (plen > IFNAMSIZ - 4)
		return -EINVAL;
	for (unsigned n = 0; n < 1000; n++) {
		char name[IFNAMSIZ];
		memcpy(name, dev->name, plen);
		size_t k = plen;
		if (n >= 100)
			name[k++] = (char)('0' + n / 100);
		if (n >= 10)
			name[k++] = (char)('0' + n / 10 % 10);
		name[k++] = (char)('0' + n % 10);
		name[k] = '\0';
		if (!netif_by_name(name)) {
			strlcpy(dev->name, name, IFNAMSIZ);
			return 0;
		}
	}
	return -ENFILE;
}

int netif_register(struct netif *dev)
{
	int err = pick_name(dev);
	if (err)
		return err;
	dev->index = next_index++;
	dev->flags &= ~(uint32_t)IFF_UP;
	if (!dev->txqlen)
		dev->txqlen = 1000;
	struct netif **pp = &netifs;
	while (*pp)
		pp = &(*pp)->next;
	dev->next = NULL;
	*pp = dev;
	generation++;
	return 0;
}

void netif_unregister(struct netif *dev)
{
	netif_set_flags(dev, dev->flags & ~(uint32_t)IFF_UP);
	while (dev->addrs)
		netif_addr_del(dev, dev->addrs->local, dev->addrs->prefixlen);
	for (struct netif **pp = &netifs; *pp; pp = &(*pp)->next) {
		if (*pp == dev) {
			*pp = dev->next;
			break;
		}
	}
	pkt_free(dev->fault_held);
	dev->fault_held = NULL;
	generation++;
}

uint32_t netif_user_flags(const struct netif *dev)
{
	uint32_t f = dev->flags;
	if ((f & IFF_UP) && dev->carrier)
		f |= IFF_RUNNING | IFF_LOWER_UP;
	else
		f &= ~(uint32_t)(IFF_RUNNING | IFF_LOWER_UP);
	return f;
}

static void bring_up(struct netif *dev)
{
	if (dev->flags & IFF_LOOPBACK)
		netif_addr_add(dev, 0x7f000001u, 0x7f000001u, 8, 0, RT_SCOPE_HOST, NULL);
	for (struct ifaddr *a = dev->addrs; a; a = a->next) {
		route_ifaddr_up(a);
		if (dev->type == ARPHRD_ETHER && dev->carrier)
			arp_announce(dev, a->local);
	}
}

static void bring_down(struct netif *dev)
{
	route_flush_dev(dev);
	if (dev->type == ARPHRD_ETHER)
		arp_flush(dev);
}

int netif_set_flags(struct netif *dev, uint32_t flags)
{
	/* What SIOCSIFFLAGS may change (Linux's dev_change_flags); the rest is the device's. */
	const uint32_t settable = IFF_UP | IFF_DEBUG | IFF_NOTRAILERS | IFF_NOARP | IFF_DYNAMIC |
				  IFF_MULTICAST | IFF_PORTSEL | IFF_AUTOMEDIA | IFF_PROMISC |
				  IFF_ALLMULTI;
	uint32_t old = dev->flags;
	dev->flags = (old & ~settable) | (flags & settable);
	if ((old ^ dev->flags) & IFF_UP) {
		if (dev->flags & IFF_UP) {
			int err = dev->ops && dev->ops->open ? dev->ops->open(dev) : 0;
			if (err) {
				dev->flags = old;
				return err;
			}
			bring_up(dev);
		} else {
			bring_down(dev);
			if (dev->ops && dev->ops->stop)
				dev->ops->stop(dev);
		}
	}
	generation++;
	return 0;
}

int netif_set_mtu(struct netif *dev, uint32_t mtu)
{
	uint32_t lo = dev->min_mtu ? dev->min_mtu : IP_MIN_MTU;
	uint32_t hi = dev->max_mtu ? dev->max_mtu : dev->mtu;
	if (mtu < lo || mtu > hi)
		return -EINVAL;
	dev->mtu = mtu;
	generation++;
	return 0;
}

int netif_set_name(struct netif *dev, const char *name)
{
	if (!name[0] || strnlen(name, IFNAMSIZ) >= IFNAMSIZ || strchr(name, '/') ||
	    strchr(name, ':') || strchr(name, ' '))
		return -EINVAL;
	if (netif_up(dev))
		return -EBUSY;
	struct netif *other = netif_by_name(name);
	if (other)
		return other == dev ? 0 : -EEXIST;
	strlcpy(dev->name, name, IFNAMSIZ);
	for (struct ifaddr *a = dev->addrs; a; a = a->next)
		strlcpy(a->label, name, IFNAMSIZ);
	generation++;
	return 0;
}

void netif_carrier(struct netif *dev, bool up)
{
	if (dev->carrier == up)
		return;
	dev->carrier = up;
	generation++;
	if (up && netif_up(dev) && dev->type == ARPHRD_ETHER)
		for (struct ifaddr *a = dev->addrs; a; a = a->next)
			arp_announce(dev, a->local);
}

/* ---- addresses ---- */

int netif_addr_add(struct netif *dev, uint32_t local, uint32_t peer, uint8_t prefixlen,
		   uint32_t broadcast, uint8_t scope, const char *label)
{
	if (prefixlen > 32)
		return -EINVAL;
	for (struct ifaddr *a = dev->addrs; a; a = a->next)
		if (a->local == local && a->prefixlen == prefixlen)
			return -EEXIST;
	struct ifaddr *a = kzalloc(sizeof(*a));
	if (!a)
		return -ENOMEM;
	a->dev = dev;
	a->local = local;
	a->peer = peer ? peer : local;
	a->prefixlen = prefixlen;
	if (broadcast == 0xffffffffu && prefixlen < 31)
		broadcast = local | ~ip_mask(prefixlen);
	a->broadcast = broadcast;
	a->scope = ip_is_loopback(local) ? RT_SCOPE_HOST : scope;
	strlcpy(a->label, label && label[0] ? label : dev->name, IFNAMSIZ);
	/* A second address in a subnet the interface has already is secondary (Linux's IFA_F_SECONDARY). */
	for (struct ifaddr *o = dev->addrs; o; o = o->next)
		if (o->prefixlen == prefixlen && !((o->local ^ local) & ip_mask(prefixlen)))
			a->flags |= IFA_F_SECONDARY;
	a->flags |= IFA_F_PERMANENT;	/* no lifetimes */
	struct ifaddr **pp = &dev->addrs;
	while (*pp)
		pp = &(*pp)->next;
	*pp = a;
	generation++;
	if (netif_up(dev)) {
		route_ifaddr_up(a);
		if (dev->type == ARPHRD_ETHER && dev->carrier)
			arp_announce(dev, local);
	}
	return 0;
}

int netif_addr_del(struct netif *dev, uint32_t local, uint8_t prefixlen)
{
	for (struct ifaddr **pp = &dev->addrs; *pp; pp = &(*pp)->next) {
		struct ifaddr *a = *pp;
		if (a->local != local || (prefixlen != 0xff && a->prefixlen != prefixlen))
			continue;
		*pp = a->next;
		if (netif_up(dev))
			route_ifaddr_down(a);
		/* A secondary of the same subnet becomes primary, as with Linux's promote_secondaries. */
		for (struct ifaddr *o = dev->addrs; o; o = o->next)
			if ((o->flags & IFA_F_SECONDARY) && o->prefixlen == a->prefixlen &&
			    !((o->local ^ a->local) & ip_mask(a->prefixlen)) &&
			    !(a->flags & IFA_F_SECONDARY)) {
				o->flags &= ~(uint32_t)IFA_F_SECONDARY;
				if (netif_up(dev))
					route_ifaddr_up(o);
				break;
			}
		kfree(a);
		generation++;
		return 0;
	}
	return -EADDRNOTAVAIL;
}

struct ifaddr *netif_primary(struct netif *dev)
{
	return dev->addrs;
}

struct ifaddr *ifaddr_next(struct ifaddr *a)
{
	if (a && a->next)
		return a->next;
	struct netif *d = a ? a->dev->next : netifs;
	for (; d; d = d->next)
		if (d->addrs)
			return d->addrs;
	return NULL;
}

struct netif *netif_for_local(uint32_t addr)
{
	for (struct netif *d = netifs; d; d = d->next) {
		if (!netif_up(d))
			continue;
		for (struct ifaddr *a = d->addrs; a; a = a->next) {
			if (a->local == addr)
				return d;
			/* lo answers for all of 127.0.0.0/8 (its prefix route is a local one). */
			if ((d->flags & IFF_LOOPBACK) && a->prefixlen &&
			    !((a->local ^ addr) & ip_mask(a->prefixlen)))
				return d;
		}
	}
	return NULL;
}

bool netif_is_broadcast(uint32_t addr)
{
	if (addr == 0xffffffffu)
		return true;
	for (struct netif *d = netifs; d; d = d->next) {
		if (!netif_up(d))
			continue;
		for (struct ifaddr *a = d->addrs; a; a = a->next) {
			if (a->broadcast && a->broadcast == addr)
				return true;
			/* The subnet broadcast has a route even without IFA_BROADCAST (Linux). */
			if (a->prefixlen < 31 && addr == (a->local | ~ip_mask(a->prefixlen)))
				return true;
		}
	}
	return false;
}

uint32_t netif_select_source(struct netif *dev, uint32_t dst)
{
	struct ifaddr *best = NULL;
	for (struct ifaddr *a = dev->addrs; a; a = a->next) {
		if (a->flags & IFA_F_SECONDARY)
			continue;
		if (!((a->local ^ dst) & ip_mask(a->prefixlen)))
			return a->local;
		if (!best)
			best = a;
	}
	if (best)
		return best->local;
	/* Linux falls back to any universe-scope address of another interface. */
	for (struct netif *d = netifs; d; d = d->next)
		for (struct ifaddr *a = d->addrs; a; a = a->next)
			if (a->scope == RT_SCOPE_UNIVERSE && netif_up(d))
				return a->local;
	return 0;
}

/* ---- data path ---- */

void net_poll_devices(void)
{
	for (struct netif *d = netifs; d; d = d->next)
		if (d->ops && d->ops->poll)
			d->ops->poll(d);
}

void netif_rx(struct netif *dev, struct pkt *p)
{
	p->dev = dev;
	dev->stats.rx_packets++;
	dev->stats.rx_bytes += p->len;
	if (!netif_up(dev)) {
		dev->stats.rx_dropped++;
		pkt_free(p);
		return;
	}
	if (dev->type == ARPHRD_ETHER)
		ether_input(dev, p);
	else
		ip_input(dev, p);
}

static uint32_t fault_roll(void)
{
	return (uint32_t)(random_u64() % 1000u);
}

int netif_transmit(struct netif *dev, struct pkt *p)
{
	if (!netif_running(dev)) {
		dev->stats.tx_dropped++;
		pkt_free(p);
		return -ENETDOWN;
	}
	if (!dev->tx_csum)
		pkt_csum_finish(p);
	if (dev->fault_drop | dev->fault_dup | dev->fault_reorder) {
		/* Test hooks: lose, repeat or hold back a frame; what transports must survive. */
		if (dev->fault_drop && fault_roll() < dev->fault_drop) {
			dev->stats.tx_dropped++;
			pkt_free(p);
			return 0;
		}
		if (dev->fault_dup && fault_roll() < dev->fault_dup) {
			struct pkt *c = pkt_clone(p, 0);
			if (c && dev->ops->transmit(dev, c) == 0)
				dev->stats.tx_packets++;
		}
		if (dev->fault_reorder && !dev->fault_held && fault_roll() < dev->fault_reorder) {
			dev->fault_held = p;
			return 0;
		}
	}
	uint32_t len = p->len;
	int err = dev->ops->transmit(dev, p);
	if (err) {
		dev->stats.tx_dropped++;
	} else {
		dev->stats.tx_packets++;
		dev->stats.tx_bytes += len;
	}
	if (dev->fault_held) {
		/* The held frame goes after the one that overtook it. */
		struct pkt *h = dev->fault_held;
		dev->fault_held = NULL;
		if (dev->ops->transmit(dev, h) == 0)
			dev->stats.tx_packets++;
	}
	return err;
}

int netif_output(struct netif *dev, struct pkt *p, uint32_t nexthop)
{
	if (dev->type == ARPHRD_ETHER)
		return arp_output(dev, p, nexthop);
	return netif_transmit(dev, p);
}
