/*
 * Private to the IPv4 stack: network interfaces (the loopback device and
 * Ethernet devices such as virtio-net), their IPv4 addresses, Ethernet
 * framing and the ARP cache. All under the stack lock.
 *
 * A driver fills a struct netif (name prefix, type, MTU, link address,
 * ops), registers it, hands every received frame to netif_rx() and reports
 * link changes with netif_carrier(). The stack calls ops->transmit() with
 * whole frames. Interfaces start down, as on Linux: user space (ifconfig,
 * ip, udhcpc) brings them up and gives them addresses.
 */
#ifndef KERNEL_NET_INET_NETIF_H
#define KERNEL_NET_INET_NETIF_H

#include <abi/if.h>
#include <frame/types.h>
#include "pkt.h"
#include "stack.h"

#define ETH_ALEN 6
#define ETH_HLEN 14
#define ETH_P_IP 0x0800
#define ETH_P_ARP 0x0806
#define ETH_DATA_LEN 1500
#define ETH_MIN_FRAME 60	/* without the frame check sequence */

struct netif;

struct netif_ops {
	/* Send one frame (Ethernet: header included; loopback: an IPv4 packet); takes @p. 0 or -errno. */
	int (*transmit)(struct netif *dev, struct pkt *p);
	/* The interface goes up / down (optional). */
	int (*open)(struct netif *dev);
	void (*stop)(struct netif *dev);
	/* In the network task after net_kick(): hand received frames to netif_rx() (optional). */
	void (*poll)(struct netif *dev);
};

struct netif_stats {
	uint64_t rx_packets, rx_bytes, rx_errors, rx_dropped, rx_multicast;
	uint64_t tx_packets, tx_bytes, tx_errors, tx_dropped;
};

/* ifaddr.flags (Linux's IFA_F_*). */
#define IFA_F_SECONDARY 0x01
#define IFA_F_PERMANENT 0x80

/* One IPv4 address of an interface (host byte order). */
struct ifaddr {
	struct ifaddr *next;
	struct netif *dev;
	uint32_t local;		/* the interface's own address */
	uint32_t peer;		/* IFA_ADDRESS: equals local except on point-to-point links */
	uint32_t broadcast;	/* 0: none */
	uint8_t prefixlen;
	uint8_t scope;		/* RT_SCOPE_* */
	uint32_t flags;		/* IFA_F_* */
	char label[IFNAMSIZ];
};

struct netif {
	struct netif *next;
	char name[IFNAMSIZ];
	int index;
	uint16_t type;		/* ARPHRD_ETHER, ARPHRD_LOOPBACK */
	uint32_t flags;		/* IFF_* as set by user space plus the fixed ones (LOOPBACK, BROADCAST, ...) */
	bool carrier;		/* link up (what IFF_RUNNING and IFF_LOWER_UP report while up) */
	uint32_t mtu;
	uint32_t min_mtu, max_mtu;
	uint32_t txqlen;
	uint8_t addr[ETH_ALEN], bcast_addr[ETH_ALEN];
	uint8_t addr_len;
	bool tx_csum;		/* the device fills in transport checksums (offload) */
	struct ifaddr *addrs;
	const struct netif_ops *ops;
	void *priv;		/* the driver's */
	struct netif_stats stats;
	/* Fault injection for tests (net.fault / test hooks): per-mille drop/duplicate/reorder of output. */
	uint16_t fault_drop, fault_dup, fault_reorder;
	struct pkt *fault_held;	/* a packet held back for reordering */
};

/* Register @dev (index assigned; "eth%d"-style names numbered). 0 or -errno. */
int netif_register(struct netif *dev);
/* Take @dev down and out of the list (its addresses and routes go). */
void netif_unregister(struct netif *dev);

struct netif *netif_first(void);
struct netif *netif_by_index(int index);
struct netif *netif_by_name(const char *name);
/* The loopback device (registered at stack start). */
struct netif *netif_loopback(void);

static inline bool netif_up(const struct netif *dev)
{
	return dev->flags & IFF_UP;
}
static inline bool netif_running(const struct netif *dev)
{
	return (dev->flags & IFF_UP) && dev->carrier;
}
/* Flags as SIOCGIFFLAGS and RTM_NEWLINK report them (RUNNING and LOWER_UP from the carrier). */
uint32_t netif_user_flags(const struct netif *dev);

/* SIOCSIFFLAGS: change the flags user space may change; IFF_UP brings the interface up or down. */
int netif_set_flags(struct netif *dev, uint32_t flags);
int netif_set_mtu(struct netif *dev, uint32_t mtu);
int netif_set_name(struct netif *dev, const char *name);
/* The driver's link report. */
void netif_carrier(struct netif *dev, bool up);

/*
 * Add an address: @local/@prefixlen with @broadcast (0: none; 0xffffffff
 * asks for the subnet's). Adds the local, broadcast and prefix routes as
 * Linux does while the interface is up. -EEXIST if @dev has it already.
 */
int netif_addr_add(struct netif *dev, uint32_t local, uint32_t peer, uint8_t prefixlen,
		   uint32_t broadcast, uint8_t scope, const char *label);
int netif_addr_del(struct netif *dev, uint32_t local, uint8_t prefixlen);
/* The first (primary) address of @dev, or NULL. */
struct ifaddr *netif_primary(struct netif *dev);
/* Next address after @a anywhere (NULL @a: the first); for dumps. */
struct ifaddr *ifaddr_next(struct ifaddr *a);
/* Some interface that is up owns @addr. */
struct netif *netif_for_local(uint32_t addr);
/* @addr is a (limited or directed) broadcast address of an interface that is up. */
bool netif_is_broadcast(uint32_t addr);
/* A source address for sending to @dst out of @dev (the primary in its subnet first). 0: none. */
uint32_t netif_select_source(struct netif *dev, uint32_t dst);

/* Counted generation of the interface/address lists (rtnetlink dumps resume by it). */
uint32_t netif_generation(void);

/* ---- the data path ---- */

/* A frame from @dev's driver (Ethernet: with its header). Takes @p. */
void netif_rx(struct netif *dev, struct pkt *p);
/* Send the IPv4 packet @p out of @dev towards @nexthop (the destination or gateway). Takes @p. */
int netif_output(struct netif *dev, struct pkt *p, uint32_t nexthop);
/* Send a frame through the device, with the fault hooks applied. Takes @p. */
int netif_transmit(struct netif *dev, struct pkt *p);

/* ---- the loopback device ---- */

int loopback_init(void);

/* ---- Ethernet and ARP (ether.c, arp.c) ---- */

/* An Ethernet frame of @dev (header at the data start). Takes @p. */
void ether_input(struct netif *dev, struct pkt *p);
/* Prepend an Ethernet header to @dst of @type and send. Takes @p. */
int ether_output(struct netif *dev, struct pkt *p, const uint8_t *dst, uint16_t type);

/* ARP states (Linux's NUD_* as /proc/net/arp's flags show them). */
#define NUD_INCOMPLETE 0x01
#define NUD_REACHABLE 0x02
#define NUD_STALE 0x04
#define NUD_DELAY 0x08
#define NUD_PROBE 0x10
#define NUD_FAILED 0x20
#define NUD_NOARP 0x40
#define NUD_PERMANENT 0x80

/* ARP: resolve @nexthop on @dev and send @p to it (queued while resolving). Takes @p. */
int arp_output(struct netif *dev, struct pkt *p, uint32_t nexthop);
void arp_input(struct netif *dev, struct pkt *p);
/* A gratuitous ARP request for @addr (address added, interface up). */
void arp_announce(struct netif *dev, uint32_t addr);
/* Forget @dev's entries (interface down or gone). */
void arp_flush(struct netif *dev);
/* SIOCSARP / SIOCDARP / SIOCGARP. */
int arp_set(struct netif *dev, uint32_t ip, const uint8_t *mac, bool permanent);
int arp_delete(uint32_t ip, struct netif *dev);
int arp_get(uint32_t ip, struct netif *dev, uint8_t *mac, uint32_t *nud);

struct arp_entry_view {
	uint32_t ip;
	uint8_t mac[ETH_ALEN];
	uint16_t hwtype;
	uint32_t nud;
	struct netif *dev;
};
/* The @i-th entry (for /proc/net/arp and RTM_GETNEIGH dumps): false past the end. */
bool arp_entry_at(size_t i, struct arp_entry_view *out);

#endif
