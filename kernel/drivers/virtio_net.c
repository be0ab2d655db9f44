/*
 * virtio-net (virtio spec 5.1) on the virtio transport: one receive and one
 * transmit queue of fixed 2 KiB slots in coherent memory (frames are
 * copied in and out), the MAC address from the device (or a random local
 * one), link status, and checksum offload both ways when negotiated. The
 * device is an Ethernet interface "ethN" of the IPv4 stack; interrupts only
 * kick the network task, which moves the frames under the stack lock.
 */
#include <frame/dma.h>
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/log.h>
#include <frame/string.h>
#include <kernel/inet.h>
#include <kernel/random.h>
#include <kernel/virtio.h>
#include "../net/inet/netif.h"

/* Feature bits. */
#define VIRTIO_NET_F_CSUM 0
#define VIRTIO_NET_F_GUEST_CSUM 1
#define VIRTIO_NET_F_MTU 3
#define VIRTIO_NET_F_MAC 5
#define VIRTIO_NET_F_STATUS 16

/* Configuration layout. */
#define CFG_MAC 0
#define CFG_STATUS 6
#define CFG_MTU 10
#define VIRTIO_NET_S_LINK_UP 1

/* struct virtio_net_hdr_v1 (12 bytes with VIRTIO_F_VERSION_1). */
#define HDR_LEN 12
#define HDR_F_NEEDS_CSUM 1
#define HDR_F_DATA_VALID 2
#define HDR_GSO_NONE 0

/* A slot holds the header and one whole frame (no GSO, no mergeable buffers). */
#define SLOT 2048u
#define FRAME_MAX (SLOT - HDR_LEN)
#define RX_SLOTS 128u
#define TX_SLOTS 128u

struct vnet {
	struct virtio_device *vd;
	struct virtq *rxq, *txq;
	struct dma_coherent *rx_mem, *tx_mem;
	unsigned rx_slots, tx_slots;
	/* Transmit slots free for reuse: a stack of indices. */
	unsigned *tx_free;
	unsigned tx_nfree;
	/* Tokens: virtq_get_used() returns one of these; index = token - base. */
	uint8_t *rx_tok, *tx_tok;
	struct netif dev;
	bool rx_csum;
};

static void rx_post(struct vnet *v, unsigned slot)
{
	struct virtq_buf b = { dma_coherent_paddr(v->rx_mem) + (paddr_t)slot * SLOT, SLOT, true };
	(void)virtq_add(v->rxq, &b, 1, &v->rx_tok[slot]);
}

static void tx_reclaim(struct vnet *v)
{
	uint8_t *t;
	while ((t = virtq_get_used(v->txq, NULL)))
		v->tx_free[v->tx_nfree++] = (unsigned)(t - v->tx_tok);
}

static void read_link(struct vnet *v)
{
	bool up = true;
	if (virtio_has_feature(v->vd, VIRTIO_NET_F_STATUS)) {
		uint16_t st = 0;
		if (!virtio_config_read16(v->vd, CFG_STATUS, &st))
			up = st & VIRTIO_NET_S_LINK_UP;
	}
	netif_carrier(&v->dev, up);
}

/* Stack lock held: one frame (Ethernet header included) into a transmit slot. */
static int vnet_transmit(struct netif *dev, struct pkt *p)
{
	struct vnet *v = dev->priv;
	if (!v->tx_nfree)
		tx_reclaim(v);
	if (!v->tx_nfree || p->len > FRAME_MAX || !p->len) {
		dev->stats.tx_dropped++;
		pkt_free(p);
		return -ENOBUFS;
	}
	unsigned slot = v->tx_free[--v->tx_nfree];
	size_t base = (size_t)slot * SLOT;
	uint8_t hdr[HDR_LEN] = { 0 };
	hdr[1] = HDR_GSO_NONE;
	if (p->flags & PKT_CSUM_PARTIAL) {
		/* Negotiated VIRTIO_NET_F_CSUM (tx_csum): the device sums from csum_start, the field at csum_offset. */
		uint32_t start = p->csum_start - p->off;
		hdr[0] = HDR_F_NEEDS_CSUM;
		hdr[6] = (uint8_t)start;
		hdr[7] = (uint8_t)(start >> 8);
		hdr[8] = (uint8_t)p->csum_off;
		hdr[9] = (uint8_t)(p->csum_off >> 8);
	}
	(void)dma_coherent_write(v->tx_mem, base, hdr, HDR_LEN);
	(void)dma_coherent_write(v->tx_mem, base + HDR_LEN, pkt_data(p), p->len);
	struct virtq_buf b = { dma_coherent_paddr(v->tx_mem) + base, HDR_LEN + p->len, false };
	int err = virtq_add(v->txq, &b, 1, &v->tx_tok[slot]);
	pkt_free(p);
	if (err) {
		v->tx_free[v->tx_nfree++] = slot;
		dev->stats.tx_dropped++;
		return -ENOBUFS;
	}
	virtq_kick(v->txq);
	return 0;
}

/* The network task, stack lock held: every received frame to the stack, slots back to the device. */
static void vnet_poll(struct netif *dev)
{
	struct vnet *v = dev->priv;
	read_link(v);
	tx_reclaim(v);
	bool posted = false;
	for (;;) {
		uint8_t *t;
		uint32_t len;
		while ((t = virtq_get_used(v->rxq, &len))) {
			unsigned slot = (unsigned)(t - v->rx_tok);
			size_t base = (size_t)slot * SLOT;
			if (len < HDR_LEN + ETH_HLEN || len > SLOT) {
				dev->stats.rx_errors++;
				NET_INC(link_errors);
			} else {
				uint8_t hdr[HDR_LEN];
				(void)dma_coherent_read(v->rx_mem, base, hdr, HDR_LEN);
				struct pkt *p = pkt_alloc(0, len - HDR_LEN);
				if (!p) {
					dev->stats.rx_dropped++;
				} else {
					(void)dma_coherent_read(v->rx_mem, base + HDR_LEN, pkt_data(p), p->len);
					/* Validated by the device, or partial from a local sender: nothing to check. */
					if (v->rx_csum && (hdr[0] & (HDR_F_DATA_VALID | HDR_F_NEEDS_CSUM)))
						p->flags |= PKT_CSUM_OK;
					netif_rx(dev, p);
				}
			}
			rx_post(v, slot);
			posted = true;
		}
		if (virtq_enable_cb(v->rxq))
			break;
	}
	if (posted)
		virtq_kick(v->rxq);
}

static int vnet_open(struct netif *dev)
{
	read_link(dev->priv);
	return 0;
}

static const struct netif_ops vnet_ops = {
	.transmit = vnet_transmit,
	.open = vnet_open,
	.poll = vnet_poll,
};

/* Interrupt context: the queues are touched only by the network task. */
static void vnet_interrupt(struct virtq *q, void *arg)
{
	(void)q, (void)arg;
	net_kick();
}

static int vnet_probe(struct virtio_device *vd)
{
	struct vnet *v = kzalloc(sizeof(*v));
	if (!v)
		return -ENOMEM;
	v->vd = vd;
	virtq_callback cbs[2] = { vnet_interrupt, vnet_interrupt };
	void *args[2] = { v, v };
	struct virtq *qs[2];
	int err = virtio_setup_queues(vd, 2, cbs, args, qs);
	if (err)
		goto fail;
	v->rxq = qs[0];
	v->txq = qs[1];
	/* Sent slots are reclaimed when more are needed and at each poll: no interrupt per frame. */
	virtq_disable_cb(v->txq);
	v->rx_slots = MIN(RX_SLOTS, virtq_size(v->rxq));
	v->tx_slots = MIN(TX_SLOTS, virtq_size(v->txq));
	err = dma_coherent_alloc((size_t)v->rx_slots * SLOT, &v->rx_mem);
	if (!err)
		err = dma_coherent_alloc((size_t)v->tx_slots * SLOT, &v->tx_mem);
	if (err)
		goto fail;
	v->tx_free = kcalloc(v->tx_slots, sizeof(*v->tx_free));
	v->rx_tok = kzalloc(v->rx_slots);
	v->tx_tok = kzalloc(v->tx_slots);
	if (!v->tx_free || !v->rx_tok || !v->tx_tok) {
		err = -ENOMEM;
		goto fail;
	}
	for (unsigned i = 0; i < v->tx_slots; i++)
		v->tx_free[v->tx_nfree++] = i;
	struct netif *d = &v->dev;
	strlcpy(d->name, "eth%d", IFNAMSIZ);
	d->type = ARPHRD_ETHER;
	d->flags = IFF_BROADCAST | IFF_MULTICAST;
	d->mtu = ETH_DATA_LEN;
	d->min_mtu = 68;
	d->max_mtu = FRAME_MAX - ETH_HLEN;
	if (virtio_has_feature(vd, VIRTIO_NET_F_MTU)) {
		uint16_t mtu = 0;
		if (!virtio_config_read16(vd, CFG_MTU, &mtu) && mtu >= 68 && mtu < d->max_mtu)
			d->max_mtu = mtu;
		if (d->mtu > d->max_mtu)
			d->mtu = d->max_mtu;
	}
	d->addr_len = ETH_ALEN;
	memset(d->bcast_addr, 0xff, ETH_ALEN);
	if (virtio_has_feature(vd, VIRTIO_NET_F_MAC)) {
		for (unsigned i = 0; i < ETH_ALEN; i++)
			(void)virtio_config_read8(vd, CFG_MAC + i, &d->addr[i]);
	} else {
		/* Linux's eth_random_addr: locally administered, unicast. */
		random_bytes(d->addr, ETH_ALEN);
		d->addr[0] = (uint8_t)((d->addr[0] & 0xfe) | 0x02);
	}
	d->tx_csum = virtio_has_feature(vd, VIRTIO_NET_F_CSUM);
	v->rx_csum = virtio_has_feature(vd, VIRTIO_NET_F_GUEST_CSUM);
	d->ops = &vnet_ops;
	d->priv = v;
	for (unsigned i = 0; i < v->rx_slots; i++)
		rx_post(v, i);
	virtio_set_drvdata(vd, v);
	virtio_device_ready(vd);
	virtq_kick(v->rxq);
	net_lock();
	err = netif_register(d);
	if (!err)
		read_link(v);
	net_unlock();
	/* Frames that came before the interface existed are taken now. */
	net_kick();
	if (err)
		goto fail;
	pr_info("%s: virtio-net at %s, %02x:%02x:%02x:%02x:%02x:%02x%s\n", d->name, virtio_location(vd),
		d->addr[0], d->addr[1], d->addr[2], d->addr[3], d->addr[4], d->addr[5],
		d->tx_csum ? ", checksum offload" : "");
	return 0;
fail:
	dma_coherent_free(v->rx_mem);
	dma_coherent_free(v->tx_mem);
	kfree(v->tx_free);
	kfree(v->rx_tok);
	kfree(v->tx_tok);
	kfree(v);
	return err;
}

static const struct virtio_driver vnet_driver = {
	.name = "virtio-net",
	.device_type = VIRTIO_ID_NET,
	.features = 1ull << VIRTIO_NET_F_CSUM | 1ull << VIRTIO_NET_F_GUEST_CSUM |
		    1ull << VIRTIO_NET_F_MTU | 1ull << VIRTIO_NET_F_MAC | 1ull << VIRTIO_NET_F_STATUS,
	.probe = vnet_probe,
};

int virtio_net_register(void)
{
	return virtio_register_driver(&vnet_driver);
}
