/* Ethernet framing: received frames to IPv4/ARP by EtherType and link address, headers for sent ones. */
#include <frame/string.h>
#include "ip.h"
#include "netif.h"

static const uint8_t bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

void ether_input(struct netif *dev, struct pkt *p)
{
	if (p->len < ETH_HLEN) {
		dev->stats.rx_errors++;
		NET_INC(link_errors);
		pkt_free(p);
		return;
	}
	const uint8_t *h = pkt_data(p);
	if (memcmp(h, bcast, ETH_ALEN) == 0)
		p->flags |= PKT_BCAST;
	else if (h[0] & 1)
		p->flags |= PKT_MCAST;
	else if (memcmp(h, dev->addr, ETH_ALEN) != 0)
		p->flags |= PKT_OTHERHOST;
	if (p->flags & PKT_MCAST)
		dev->stats.rx_multicast++;
	uint16_t type = rd16(h + 12);
	if (p->flags & PKT_OTHERHOST) {
		pkt_free(p);
		return;
	}
	pkt_pull(p, ETH_HLEN);
	switch (type) {
	case ETH_P_IP:
		ip_input(dev, p);
		return;
	case ETH_P_ARP:
		arp_input(dev, p);
		return;
	default:
		pkt_free(p);
	}
}

int ether_output(struct netif *dev, struct pkt *p, const uint8_t *dst, uint16_t type)
{
	uint8_t *h = pkt_push(p, ETH_HLEN);
	if (!h) {
		pkt_free(p);
		return -1;
	}
	memcpy(h, dst, ETH_ALEN);
	memcpy(h + ETH_ALEN, dev->addr, ETH_ALEN);
	wr16(h + 12, type);
	return netif_transmit(dev, p);
}
