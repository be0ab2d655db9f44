/*
 * Private to the IPv4 stack: packet buffers (one contiguous allocation with
 * room in front for headers), FIFO queues of them, and big-endian field
 * access. Headers are read and written byte by byte through rd16/wr16...,
 * never through casts of the buffer, so alignment and byte order never
 * matter.
 */
#ifndef KERNEL_NET_INET_PKT_H
#define KERNEL_NET_INET_PKT_H

#include <frame/types.h>

struct netif;

/* Room every locally built packet keeps in front: link + IPv4 + TCP headers with options. */
#define PKT_HEADROOM 144u
/* The largest packet buffer the stack allocates (an IPv4 datagram plus headroom). */
#define PKT_MAX_SIZE (65536u + PKT_HEADROOM)

/* pkt.flags */
#define PKT_CSUM_OK 0x1u	/* transport checksum known good (loopback, device offload) */
#define PKT_BCAST 0x2u		/* came as a link-level broadcast */
#define PKT_MCAST 0x4u		/* came as a link-level multicast */
#define PKT_OTHERHOST 0x8u	/* came for another link address (promiscuous) */
#define PKT_CSUM_PARTIAL 0x10u	/* transport checksum still to fill in (csum_start/csum_off) */
#define PKT_CSUM_UDP 0x20u	/* ... and a result of 0 is sent as 0xffff */

struct pkt {
	struct pkt *next;	/* queue link */
	struct netif *dev;	/* receiving device (input) */
	uint8_t *head;		/* the allocation, PKT_MAX_SIZE at most */
	uint32_t size;		/* bytes at head */
	uint32_t off;		/* data starts at head + off */
	uint32_t len;		/* bytes of data */
	uint32_t flags;		/* PKT_* */
	/* Input meta-data the layers fill in for the layers above. */
	uint32_t saddr, daddr;	/* IPv4 source and destination, host order */
	uint16_t sport, dport;	/* transport ports, host order */
	uint8_t ttl, tos, proto;
	uint8_t ip_hlen;	/* IPv4 header bytes (after ip_input: pulled off the data) */
	uint32_t nh;		/* offset of the IPv4 header from head (ICMP errors quote it) */
	/* TCP out-of-order queue: the sequence range of the payload. */
	uint32_t seq, end_seq;
	uint8_t tcp_flags;
	uint64_t stamp_ns;	/* arrival time (reassembly, SO_TIMESTAMP) */
	/* Output with PKT_CSUM_PARTIAL: the summed range starts csum_start bytes from head, the field is csum_off bytes into it and holds the pseudo-header sum. */
	uint32_t csum_start;
	uint16_t csum_off;
};

/* A FIFO of packets; all zero is empty. */
struct pkt_queue {
	struct pkt *head, *tail;
	uint32_t count;
	uint32_t bytes;		/* sum of pkt.len */
};

/*
 * A packet with @headroom free bytes in front and @len bytes of data (not
 * cleared) after them; NULL when out of memory or too large.
 */
struct pkt *pkt_alloc(uint32_t headroom, uint32_t len);
/* A copy of @p's data with @headroom in front and the same meta-data; NULL when out of memory. */
struct pkt *pkt_clone(const struct pkt *p, uint32_t headroom);
void pkt_free(struct pkt *p);

static inline uint8_t *pkt_data(const struct pkt *p)
{
	return p->head + p->off;
}

/* Grow the data @n bytes to the front (a header): its start, or NULL without room. */
uint8_t *pkt_push(struct pkt *p, uint32_t n);
/* Drop @n bytes from the front: false (nothing changed) if fewer are there. */
bool pkt_pull(struct pkt *p, uint32_t n);
/* Keep the first @len bytes (no-op when already shorter). */
void pkt_trim(struct pkt *p, uint32_t len);
/* Memory a queued packet costs its socket (Linux's truesize). */
uint32_t pkt_truesize(const struct pkt *p);

void pkt_queue_push(struct pkt_queue *q, struct pkt *p);
struct pkt *pkt_queue_pop(struct pkt_queue *q);
void pkt_queue_purge(struct pkt_queue *q);

/* Fill in a PKT_CSUM_PARTIAL checksum in software (a device that cannot). */
void pkt_csum_finish(struct pkt *p);

/* Packets alive now (for the tests' leak checks and /proc/net/sockstat). */
uint64_t pkt_live(void);

/* ---- big-endian fields ---- */

static inline uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)((uint16_t)p[0] << 8 | p[1]);
}

static inline uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void wr32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Host-order value to and from network order held in a uint16_t/uint32_t (sockaddr fields). */
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
static inline uint16_t net16(uint16_t v)
{
	return v;
}

static inline uint32_t net32(uint32_t v)
{
	return v;
}
#else
static inline uint16_t net16(uint16_t v)
{
	return __builtin_bswap16(v);
}

static inline uint32_t net32(uint32_t v)
{
	return __builtin_bswap32(v);
}
#endif

/* ---- the Internet checksum (RFC 1071) ---- */

/*
 * Add @len bytes at @p to the running sum @sum. Pieces of one sum must each
 * start at an even offset of the summed data (only the last may be odd).
 */
uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len);
/* Fold to 16 bits and complement: the value to store. */
uint16_t csum_fold(uint32_t sum);
/* The pseudo-header sum for a transport checksum over @len bytes of protocol @proto. */
uint32_t csum_pseudo(uint32_t saddr, uint32_t daddr, uint8_t proto, uint32_t len);

#endif
