/* ARP (RFC 826) for Ethernet interfaces: a cache with Linux's neighbour states and timeouts, resolution with queued packets, replies, gratuitous announcements. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/string.h>
#include "ip.h"
#include "netif.h"

#define ARP_HLEN 28
#define ARP_MAX_ENTRIES 512u
#define ARP_QUEUE_MAX 3u
#define ARP_RETRANS_NS (1ull * 1000000000ull)
#define ARP_PROBES 3u
/* Linux's base_reachable_time (30 s) and gc_stale_time (60 s). */
#define ARP_REACHABLE_NS (30ull * 1000000000ull)
#define ARP_STALE_NS (60ull * 1000000000ull)

struct arp_entry {
	struct arp_entry *next;
	struct netif *dev;
	uint32_t ip;
	uint8_t mac[ETH_ALEN];
	uint32_t state;		/* NUD_* */
	uint64_t confirmed;	/* last reply heard (ns) */
	uint64_t used;
	uint32_t probes;
	struct pkt_queue queue;	/* waiting for resolution */
	struct ntimer timer;
};

static struct arp_entry *entries;
static uint32_t nentries;
static const uint8_t bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t zero[ETH_ALEN];

static struct arp_entry *find(uint32_t ip, const struct netif *dev)
{
	for (struct arp_entry *e = entries; e; e = e->next)
		if (e->ip == ip && (!dev || e->dev == dev))
			return e;
	return NULL;
}

static void entry_free(struct arp_entry *e, bool unreachable)
{
	for (struct arp_entry **pp = &entries; *pp; pp = &(*pp)->next) {
		if (*pp == e) {
			*pp = e->next;
			break;
		}
	}
	ntimer_cancel(&e->timer);
	struct pkt *p;
	while ((p = pkt_queue_pop(&e->queue))) {
		/* What waited for a neighbour that never answered: host unreachable to its sender. */
		if (unreachable)
			icmp_send_error(p, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, 0);
		NET_INC(arp_drops);
		pkt_free(p);
	}
	nentries--;
	kfree(e);
}

static void send_arp(struct netif *dev, uint16_t op, const uint8_t *tha, uint32_t tip, uint32_t sip,
		     const uint8_t *dst)
{
	struct pkt *p = pkt_alloc(PKT_HEADROOM, ARP_HLEN);
	if (!p)
		return;
	uint8_t *a = pkt_data(p);
	wr16(a, ARPHRD_ETHER);
	wr16(a + 2, ETH_P_IP);
	a[4] = ETH_ALEN;
	a[5] = 4;
	wr16(a + 6, op);
	memcpy(a + 8, dev->addr, ETH_ALEN);
	wr32(a + 14, sip);
	memcpy(a + 18, tha, ETH_ALEN);
	wr32(a + 24, tip);
	/* Ethernet's minimum frame: the padding is zero. */
	ether_output(dev, p, dst, ETH_P_ARP);
}

static void solicit(struct arp_entry *e, bool unicast)
{
	uint32_t sip = netif_select_source(e->dev, e->ip);
	send_arp(e->dev, ARPOP_REQUEST, zero, e->ip, sip, unicast ? e->mac : bcast);
}

static void on_timer(struct ntimer *t)
{
	struct arp_entry *e = container_of(t, struct arp_entry, timer);
	uint64_t now = net_now();
	if (e->state == NUD_INCOMPLETE || e->state == NUD_PROBE) {
		if (e->probes >= ARP_PROBES) {
			entry_free(e, true);
			return;
		}
		e->probes++;
		solicit(e, e->state == NUD_PROBE);
		ntimer_arm(&e->timer, now + ARP_RETRANS_NS);
		return;
	}
	if (e->state == NUD_REACHABLE && now - e->confirmed >= ARP_REACHABLE_NS) {
		e->state = NUD_STALE;
		ntimer_arm(&e->timer, e->used + ARP_STALE_NS > now ? e->used + ARP_STALE_NS : now + ARP_STALE_NS);
		return;
	}
	if (e->state == NUD_STALE && now - e->used >= ARP_STALE_NS) {
		entry_free(e, false);
		return;
	}
	if (e->state != NUD_PERMANENT)
		ntimer_arm(&e->timer, now + ARP_REACHABLE_NS);
}

static struct arp_entry *create(struct netif *dev, uint32_t ip)
{
	if (nentries >= ARP_MAX_ENTRIES) {
		/* Full: the oldest unused non-permanent entry goes. */
		struct arp_entry *victim = NULL;
		for (struct arp_entry *e = entries; e; e = e->next)
			if (e->state != NUD_PERMANENT && (!victim || e->used < victim->used))
				victim = e;
		if (!victim)
			return NULL;
		entry_free(victim, false);
	}
	struct arp_entry *e = kzalloc(sizeof(*e));
	if (!e)
		return NULL;
	e->dev = dev;
	e->ip = ip;
	e->used = net_now();
	ntimer_init(&e->timer, on_timer);
	e->next = entries;
	entries = e;
	nentries++;
	return e;
}

static void confirm(struct arp_entry *e, const uint8_t *mac)
{
	if (e->state == NUD_PERMANENT)
		return;
	memcpy(e->mac, mac, ETH_ALEN);
	e->state = NUD_REACHABLE;
	e->confirmed = net_now();
	e->probes = 0;
	ntimer_arm(&e->timer, e->confirmed + ARP_REACHABLE_NS);
	struct pkt *p;
	while ((p = pkt_queue_pop(&e->queue)))
		ether_output(e->dev, p, e->mac, ETH_P_IP);
}

/* The link address for @ip if it needs no resolution (broadcast, multicast). */
static bool fixed_mac(struct netif *dev, uint32_t ip, uint8_t *mac)
{
	if (ip == 0xffffffffu) {
		memcpy(mac, bcast, ETH_ALEN);
		return true;
	}
	for (struct ifaddr *a = dev->addrs; a; a = a->next) {
		if (a->broadcast && a->broadcast == ip) {
			memcpy(mac, bcast, ETH_ALEN);
			return true;
		}
	}
	if (ip_is_multicast(ip)) {
		/* RFC 1112 6.4: 01:00:5e and the group's low 23 bits. */
		mac[0] = 0x01;
		mac[1] = 0x00;
		mac[2] = 0x5e;
		mac[3] = (uint8_t)((ip >> 16) & 0x7f);
		mac[4] = (uint8_t)(ip >> 8);
		mac[5] = (uint8_t)ip;
		return true;
	}
	return false;
}

int arp_output(struct netif *dev, struct pkt *p, uint32_t nexthop)
{
	p->nh = p->off;
	uint8_t mac[ETH_ALEN];
	if (fixed_mac(dev, nexthop, mac) || (dev->flags & IFF_NOARP)) {
		if (dev->flags & IFF_NOARP && !fixed_mac(dev, nexthop, mac))
			memcpy(mac, dev->bcast_addr, ETH_ALEN);
		return ether_output(dev, p, mac, ETH_P_IP);
	}
	struct arp_entry *e = find(nexthop, dev);
	uint64_t now = net_now();
	if (e && e->state != NUD_INCOMPLETE) {
		e->used = now;
		if (e->state == NUD_STALE) {
			/* Linux's DELAY/PROBE: keep using the old address while asking again, directly. */
			e->state = NUD_PROBE;
			e->probes = 0;
			solicit(e, true);
			ntimer_arm(&e->timer, now + ARP_RETRANS_NS);
		}
		return ether_output(dev, p, e->mac, ETH_P_IP);
	}
	if (!e) {
		e = create(dev, nexthop);
		if (!e) {
			pkt_free(p);
			return -ENOBUFS;
		}
		e->state = NUD_INCOMPLETE;
		e->probes = 1;
		solicit(e, false);
		ntimer_arm(&e->timer, now + ARP_RETRANS_NS);
	}
	if (e->queue.count >= ARP_QUEUE_MAX) {
		NET_INC(arp_drops);
		pkt_free(pkt_queue_pop(&e->queue));
	}
	pkt_queue_push(&e->queue, p);
	return 0;
}

static bool is_ours(struct netif *dev, uint32_t ip)
{
	for (struct ifaddr *a = dev->addrs; a; a = a->next)
		if (a->local == ip)
			return true;
	return false;
}

void arp_input(struct netif *dev, struct pkt *p)
{
	const uint8_t *a = pkt_data(p);
	if (p->len < ARP_HLEN || rd16(a) != ARPHRD_ETHER || rd16(a + 2) != ETH_P_IP ||
	    a[4] != ETH_ALEN || a[5] != 4) {
		NET_INC(arp_drops);
		pkt_free(p);
		return;
	}
	uint16_t op = rd16(a + 6);
	const uint8_t *sha = a + 8;
	uint32_t sip = rd32(a + 14), tip = rd32(a + 24);
	/* Nonsense senders are ignored: multicast or broadcast link addresses, impossible IPs. */
	if ((sha[0] & 1) || ip_is_multicast(sip) || ip_is_loopback(sip) || ip_is_lbcast(sip) ||
	    (op != ARPOP_REQUEST && op != ARPOP_REPLY) || (dev->flags & IFF_NOARP)) {
		NET_INC(arp_drops);
		pkt_free(p);
		return;
	}
	bool for_us = is_ours(dev, tip);
	struct arp_entry *e = sip ? find(sip, dev) : NULL;
	if (e)
		confirm(e, sha);
	else if (for_us && sip && (e = create(dev, sip)))
		confirm(e, sha);
	if (for_us && op == ARPOP_REQUEST)
		send_arp(dev, ARPOP_REPLY, sha, sip, tip, sha);
	pkt_free(p);
}

void arp_announce(struct netif *dev, uint32_t addr)
{
	send_arp(dev, ARPOP_REQUEST, zero, addr, addr, bcast);
}

void arp_flush(struct netif *dev)
{
	struct arp_entry *e = entries;
	while (e) {
		struct arp_entry *next = e->next;
		if (e->dev == dev && e->state != NUD_PERMANENT)
			entry_free(e, false);
		e = next;
	}
}

int arp_set(struct netif *dev, uint32_t ip, const uint8_t *mac, bool permanent)
{
	struct arp_entry *e = find(ip, dev);
	if (!e)
		e = create(dev, ip);
	if (!e)
		return -ENOMEM;
	e->state = NUD_STALE;
	confirm(e, mac);
	if (permanent) {
		e->state = NUD_PERMANENT;
		ntimer_cancel(&e->timer);
	}
	return 0;
}

int arp_delete(uint32_t ip, struct netif *dev)
{
	struct arp_entry *e = find(ip, dev);
	if (!e)
		return -ENXIO;
	entry_free(e, false);
	return 0;
}

int arp_get(uint32_t ip, struct netif *dev, uint8_t *mac, uint32_t *nud)
{
	struct arp_entry *e = find(ip, dev);
	if (!e || e->state == NUD_INCOMPLETE)
		return -ENXIO;
	memcpy(mac, e->mac, ETH_ALEN);
	*nud = e->state;
	return 0;
}

bool arp_entry_at(size_t i, struct arp_entry_view *out)
{
	for (struct arp_entry *e = entries; e; e = e->next) {
		if (i--)
			continue;
		out->ip = e->ip;
		memcpy(out->mac, e->mac, ETH_ALEN);
		out->hwtype = ARPHRD_ETHER;
		out->nud = e->state;
		out->dev = e->dev;
		return true;
	}
	return false;
}
