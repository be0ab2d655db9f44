/* The interface and routing ioctls of sockets (busybox ifconfig, route, arp): SIOCGIFCONF, SIOC[GS]IF*, SIOCADDRT/SIOCDELRT, SIOC[GSD]ARP. */
#include <abi/errno.h>
#include <frame/errno.h>
#include <frame/string.h>
#include <frame/vm_io.h>
#include <kernel/inet.h>
#include "ip.h"
#include "netif.h"
#include "stack.h"

/* Offsets into ifreq's request union. */
#define IFR_DATA 16

static void put_sin(uint8_t *u, uint32_t addr)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr = net32(addr) };
	memcpy(u, &sin, sizeof(sin));
}

static int get_sin(const uint8_t *u, uint32_t *addr)
{
	struct sockaddr_in sin;
	memcpy(&sin, u, sizeof(sin));
	if (sin.sin_family != AF_INET)
		return -EINVAL;
	*addr = net32(sin.sin_addr);
	return 0;
}

static bool admin(const struct cred *c)
{
	return c->euid == 0;
}

static uint8_t mask_len(uint32_t mask, bool *ok)
{
	uint8_t n = 0;
	while (n < 32 && (mask & (0x80000000u >> n)))
		n++;
	*ok = n == 32 || !(mask << n);
	return n;
}

/* An interface name as given ("eth0" or an alias label "eth0:1"), and the device. */
static struct netif *find_dev(const struct ifreq *r, char *label)
{
	memcpy(label, r->ifr_name, IFNAMSIZ);
	label[IFNAMSIZ - 1] = '\0';
	char name[IFNAMSIZ];
	strlcpy(name, label, sizeof(name));
	char *colon = strchr(name, ':');
	if (colon)
		*colon = '\0';
	return netif_by_name(name);
}

static struct ifaddr *find_label(struct netif *d, const char *label)
{
	bool alias = strchr(label, ':') != NULL;
	for (struct ifaddr *a = d->addrs; a; a = a->next)
		if (alias ? strcmp(a->label, label) == 0 : true)
			return a;
	return NULL;
}

static int ifconf(unsigned long arg)
{
	struct ifconf ic;
	if (copy_from_user(&ic, user_ptr(arg), sizeof(ic)))
		return -EFAULT;
	int used = 0;
	net_lock();
	for (struct ifaddr *a = ifaddr_next(NULL); a; a = ifaddr_next(a)) {
		if (!ic.ifc_ifcu) {
			/* A NULL buffer asks for the size needed. */
			used += (int)sizeof(struct ifreq);
			continue;
		}
		if (ic.ifc_len - used < (int)sizeof(struct ifreq))
			break;
		struct ifreq r;
		memset(&r, 0, sizeof(r));
		strlcpy(r.ifr_name, a->label, IFNAMSIZ);
		put_sin(r.ifr_ifru, a->local);
		if (copy_to_user(user_ptr(ic.ifc_ifcu + (uint64_t)used), &r, sizeof(r))) {
			net_unlock();
			return -EFAULT;
		}
		used += (int)sizeof(struct ifreq);
	}
	net_unlock();
	ic.ifc_len = used;
	return copy_to_user(user_ptr(arg), &ic, sizeof(ic)) ? -EFAULT : 0;
}

/* SIOCSIFADDR and friends on @d (the label picks an alias address). */
static int set_addr(struct netif *d, const char *label, unsigned cmd, uint32_t v)
{
	struct ifaddr *a = find_label(d, label);
	uint32_t local = a ? a->local : 0, bcast = a ? a->broadcast : 0;
	uint8_t plen = a ? a->prefixlen : 0;
	switch (cmd) {
	case SIOCSIFADDR:
		if (a && a->local == v)
			return 0;
		if (a) {
			netif_addr_del(d, a->local, a->prefixlen);
		}
		if (!v)
			return 0;	/* 0.0.0.0 removes the address */
		/* Linux's devinet_ioctl: the classful netmask and broadcast for a new address. */
		plen = a ? plen : ((v >> 24) < 128 ? 8 : (v >> 24) < 192 ? 16 : 24);
		if (ip_is_loopback(v))
			plen = 8;
		return netif_addr_add(d, v, v, plen, (d->flags & IFF_BROADCAST) ? 0xffffffffu : 0,
				      0, label);
	case SIOCSIFNETMASK: {
		bool ok;
		uint8_t n = mask_len(v, &ok);
		if (!ok)
			return -EINVAL;
		if (!a)
			return -EADDRNOTAVAIL;
		if (n == plen)
			return 0;
		netif_addr_del(d, local, plen);
		uint32_t nb = bcast ? (local | ~ip_mask(n)) : 0;
		return netif_addr_add(d, local, local, n, nb, 0, label);
	}
	case SIOCSIFBRDADDR:
		if (!a)
			return -EADDRNOTAVAIL;
		if (bcast == v)
			return 0;
		netif_addr_del(d, local, plen);
		return netif_addr_add(d, local, local, plen, v, 0, label);
	case SIOCSIFDSTADDR:
		if (!a)
			return -EADDRNOTAVAIL;
		a->peer = v;
		return 0;
	default:
		return -EINVAL;
	}
}

static int ifreq_ioctl(const struct cred *c, unsigned cmd, unsigned long arg)
{
	struct ifreq r;
	if (copy_from_user(&r, user_ptr(arg), sizeof(r)))
		return -EFAULT;
	char label[IFNAMSIZ];
	bool setter = cmd == SIOCSIFFLAGS || cmd == SIOCSIFADDR || cmd == SIOCSIFNETMASK ||
		      cmd == SIOCSIFBRDADDR || cmd == SIOCSIFDSTADDR || cmd == SIOCSIFMTU ||
		      cmd == SIOCSIFNAME || cmd == SIOCSIFTXQLEN || cmd == SIOCSIFHWADDR ||
		      cmd == SIOCDIFADDR || cmd == SIOCSIFMETRIC || cmd == SIOCSIFMAP;
	if (setter && !admin(c))
		return -EPERM;
	net_lock();
	int err = 0;
	int32_t iv;
	struct netif *d = NULL;
	if (cmd == SIOCGIFNAME) {
		memcpy(&iv, r.ifr_ifru, sizeof(iv));
		d = netif_by_index(iv);
		if (!d)
			err = -ENODEV;
		else
			strlcpy(r.ifr_name, d->name, IFNAMSIZ);
		goto out;
	}
	d = find_dev(&r, label);
	if (!d) {
		err = -ENODEV;
		goto out;
	}
	struct ifaddr *a = find_label(d, label);
	switch (cmd) {
	case SIOCGIFFLAGS: {
		uint16_t fl = (uint16_t)netif_user_flags(d);
		memcpy(r.ifr_ifru, &fl, sizeof(fl));
		break;
	}
	case SIOCSIFFLAGS: {
		uint16_t fl;
		memcpy(&fl, r.ifr_ifru, sizeof(fl));
		/* Only the low 16 bits travel in ifreq; the rest of the flags stay. */
		err = netif_set_flags(d, (d->flags & ~0xffffu) | fl);
		break;
	}
	case SIOCGIFADDR:
	case SIOCGIFNETMASK:
	case SIOCGIFBRDADDR:
	case SIOCGIFDSTADDR:
		if (!a) {
			err = -EADDRNOTAVAIL;
			break;
		}
		put_sin(r.ifr_ifru, cmd == SIOCGIFADDR ? a->local :
				   cmd == SIOCGIFNETMASK ? ip_mask(a->prefixlen) :
				   cmd == SIOCGIFBRDADDR ? a->broadcast : a->peer);
		break;
	case SIOCSIFADDR:
	case SIOCSIFNETMASK:
	case SIOCSIFBRDADDR:
	case SIOCSIFDSTADDR: {
		uint32_t v;
		err = get_sin(r.ifr_ifru, &v);
		if (!err)
			err = set_addr(d, label, cmd, v);
		break;
	}
	case SIOCDIFADDR: {
		uint32_t v;
		err = get_sin(r.ifr_ifru, &v);
		if (!err)
			err = netif_addr_del(d, v, 0xff);
		break;
	}
	case SIOCGIFMTU:
		iv = (int32_t)d->mtu;
		memcpy(r.ifr_ifru, &iv, sizeof(iv));
		break;
	case SIOCSIFMTU:
		memcpy(&iv, r.ifr_ifru, sizeof(iv));
		err = iv < 0 ? -EINVAL : netif_set_mtu(d, (uint32_t)iv);
		break;
	case SIOCGIFINDEX:
		iv = d->index;
		memcpy(r.ifr_ifru, &iv, sizeof(iv));
		break;
	case SIOCGIFMETRIC:
		iv = 0;
		memcpy(r.ifr_ifru, &iv, sizeof(iv));
		break;
	case SIOCSIFMETRIC:
		err = -EOPNOTSUPP;
		break;
	case SIOCGIFTXQLEN:
		iv = (int32_t)d->txqlen;
		memcpy(r.ifr_ifru, &iv, sizeof(iv));
		break;
	case SIOCSIFTXQLEN:
		memcpy(&iv, r.ifr_ifru, sizeof(iv));
		if (iv < 0)
			err = -EINVAL;
		else
			d->txqlen = (uint32_t)iv;
		break;
	case SIOCGIFHWADDR: {
		struct sockaddr sa;
		memset(&sa, 0, sizeof(sa));
		sa.sa_family = d->type;
		memcpy(sa.sa_data, d->addr, MIN((size_t)d->addr_len, sizeof(sa.sa_data)));
		memcpy(r.ifr_ifru, &sa, sizeof(sa));
		break;
	}
	case SIOCSIFHWADDR:
		err = -EOPNOTSUPP;
		break;
	case SIOCGIFMAP:
		memset(r.ifr_ifru, 0, sizeof(r.ifr_ifru));
		break;
	case SIOCSIFMAP:
		err = -EOPNOTSUPP;
		break;
	case SIOCSIFNAME: {
		char nn[IFNAMSIZ];
		memcpy(nn, r.ifr_ifru, IFNAMSIZ);
		nn[IFNAMSIZ - 1] = '\0';
		err = netif_set_name(d, nn);
		break;
	}
	default:
		err = -ENOTTY;
	}
out:
	net_unlock();
	if (err)
		return err;
	bool getter = !setter;
	return getter && copy_to_user(user_ptr(arg), &r, sizeof(r)) ? -EFAULT : 0;
}

static int route_ioctl(const struct cred *c, unsigned cmd, unsigned long arg)
{
	if (!admin(c))
		return -EPERM;
	struct rtentry rt;
	if (copy_from_user(&rt, user_ptr(arg), sizeof(rt)))
		return -EFAULT;
	struct sockaddr_in dst, gw, mask;
	memcpy(&dst, &rt.rt_dst, sizeof(dst));
	memcpy(&gw, &rt.rt_gateway, sizeof(gw));
	memcpy(&mask, &rt.rt_genmask, sizeof(mask));
	if (dst.sin_family != AF_INET)
		return -EAFNOSUPPORT;
	char devname[IFNAMSIZ] = "";
	if (rt.rt_dev) {
		ssize_t n = strncpy_from_user(devname, user_ptr(rt.rt_dev), sizeof(devname));
		if (n < 0)
			return -EFAULT;
		devname[IFNAMSIZ - 1] = '\0';
	}
	struct route r = { .table = RT_TABLE_MAIN, .type = RTN_UNICAST, .protocol = RTPROT_BOOT,
			   .scope = RT_SCOPE_UNIVERSE };
	r.dst = net32(dst.sin_addr);
	bool ok = true;
	r.prefixlen = (rt.rt_flags & RTF_HOST) ? 32 : mask_len(net32(mask.sin_addr), &ok);
	if (!ok)
		return -EINVAL;
	if (rt.rt_flags & RTF_GATEWAY) {
		if (gw.sin_family != AF_INET)
			return -EAFNOSUPPORT;
		r.gateway = net32(gw.sin_addr);
	} else {
		r.scope = RT_SCOPE_LINK;
	}
	if (rt.rt_metric > 0)
		r.priority = (uint32_t)(rt.rt_metric - 1);
	if (rt.rt_flags & RTF_REJECT)
		r.type = RTN_UNREACHABLE;
	if (rt.rt_flags & RTF_MTU)
		r.mtu = (uint32_t)rt.rt_mtu;
	net_lock();
	int err = 0;
	if (devname[0]) {
		char *colon = strchr(devname, ':');
		if (colon)
			*colon = '\0';
		r.dev = netif_by_name(devname);
		if (!r.dev)
			err = -ENODEV;
	}
	if (!err) {
		if (cmd == SIOCADDRT) {
			err = route_add(&r, false);
		} else {
			r.type = 0;
			r.protocol = 0;
			r.priority = rt.rt_metric > 0 ? r.priority : 0;
			err = route_del(&r);
		}
	}
	net_unlock();
	return err;
}

static int arp_ioctl(const struct cred *c, unsigned cmd, unsigned long arg)
{
	if (cmd != SIOCGARP && !admin(c))
		return -EPERM;
	struct arpreq ar;
	if (copy_from_user(&ar, user_ptr(arg), sizeof(ar)))
		return -EFAULT;
	struct sockaddr_in pa;
	memcpy(&pa, &ar.arp_pa, sizeof(pa));
	if (pa.sin_family != AF_INET)
		return -EPFNOSUPPORT;
	uint32_t ip = net32(pa.sin_addr);
	char devname[IFNAMSIZ];
	memcpy(devname, ar.arp_dev, IFNAMSIZ);
	devname[IFNAMSIZ - 1] = '\0';
	net_lock();
	struct netif *d = devname[0] ? netif_by_name(devname) : NULL;
	int err = 0;
	if (devname[0] && !d)
		err = -ENODEV;
	if (!err && !d && cmd == SIOCSARP) {
		struct route_result rr;
		if (route_lookup(ip, NULL, &rr) == 0)
			d = rr.dev;
		else
			err = -ENETUNREACH;
	}
	if (!err) {
		switch (cmd) {
		case SIOCSARP:
			if (d->type != ARPHRD_ETHER)
				err = -EINVAL;
			else
				err = arp_set(d, ip, (const uint8_t *)ar.arp_ha.sa_data,
					      ar.arp_flags & ATF_PERM);
			break;
		case SIOCDARP:
			err = arp_delete(ip, d);
			break;
		default: {
			uint8_t mac[ETH_ALEN];
			uint32_t nud;
			err = arp_get(ip, d, mac, &nud);
			if (!err) {
				memcpy(ar.arp_ha.sa_data, mac, ETH_ALEN);
				ar.arp_ha.sa_family = ARPHRD_ETHER;
				ar.arp_flags = ATF_COM | (nud == NUD_PERMANENT ? ATF_PERM : 0);
			}
		}
		}
	}
	net_unlock();
	if (!err && cmd == SIOCGARP && copy_to_user(user_ptr(arg), &ar, sizeof(ar)))
		return -EFAULT;
	return err;
}

long inet_dev_ioctl(const struct cred *c, unsigned cmd, unsigned long arg)
{
	switch (cmd) {
	case SIOCGIFCONF:
		return ifconf(arg);
	case SIOCADDRT:
	case SIOCDELRT:
		return route_ioctl(c, cmd, arg);
	case SIOCSARP:
	case SIOCDARP:
	case SIOCGARP:
		return arp_ioctl(c, cmd, arg);
	case SIOCGIFNAME: case SIOCGIFFLAGS: case SIOCSIFFLAGS: case SIOCGIFADDR:
	case SIOCSIFADDR: case SIOCGIFDSTADDR: case SIOCSIFDSTADDR: case SIOCGIFBRDADDR:
	case SIOCSIFBRDADDR: case SIOCGIFNETMASK: case SIOCSIFNETMASK: case SIOCGIFMETRIC:
	case SIOCSIFMETRIC: case SIOCGIFMTU: case SIOCSIFMTU: case SIOCSIFNAME:
	case SIOCSIFHWADDR: case SIOCGIFHWADDR: case SIOCGIFINDEX: case SIOCDIFADDR:
	case SIOCGIFTXQLEN: case SIOCSIFTXQLEN: case SIOCGIFMAP: case SIOCSIFMAP:
		return ifreq_ioctl(c, cmd, arg);
	default:
		return -ENOTTY;
	}
}
