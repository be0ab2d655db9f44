/* IPv4 input (header checks, local delivery, reassembly) and output (routing, header, fragmentation). */
#include <frame/errno.h>
#include <frame/string.h>
#include <abi/in.h>
#include "ip.h"
#include "proto.h"

static uint16_t ip_id;

/* ---- input ---- */

/* IP options are walked for well-formedness; source routes are refused (accept_source_route = 0). */
static bool options_ok(const uint8_t *o, uint32_t len)
{
	uint32_t i = 0;
	while (i < len) {
		uint8_t type = o[i];
		if (type == 0)
			break;
		if (type == 1) {
			i++;
			continue;
		}
		if (len - i < 2)
			return false;
		uint8_t olen = o[i + 1];
		if (olen < 2 || olen > len - i)
			return false;
		if (type == 131 || type == 137)	/* LSRR, SSRR */
			return false;
		i += olen;
	}
	return true;
}

static void deliver(struct pkt *p)
{
	/* Raw sockets see every datagram of their protocol, header included. */
	bool raw = raw_deliver(p);
	NET_INC(ip_in_delivers);
	if (!pkt_pull(p, p->ip_hlen)) {
		pkt_free(p);
		return;
	}
	switch (p->proto) {
	case IPPROTO_ICMP:
		icmp_input(p);
		return;
	case IPPROTO_TCP:
		tcp_input(p);
		return;
	case IPPROTO_UDP:
		udp_input(p);
		return;
	default:
		if (!raw) {
			NET_INC(ip_in_unknown_protos);
			icmp_send_error(p, ICMP_DEST_UNREACH, ICMP_PROT_UNREACH, 0);
		}
		pkt_free(p);
	}
}

void ip_input(struct netif *dev, struct pkt *p)
{
	NET_INC(ip_in_receives);
	p->dev = dev;
	const uint8_t *h = pkt_data(p);
	if (p->len < IP_HLEN)
		goto hdr_error;
	uint32_t ihl = (uint32_t)(h[0] & 0x0f) * 4;
	if ((h[0] >> 4) != 4 || ihl < IP_HLEN || p->len < ihl)
		goto hdr_error;
	if (csum_fold(csum_add(0, h, ihl)) != 0) {
		NET_INC(ip_in_csum_errors);
		goto hdr_error;
	}
	uint32_t tot = rd16(h + 2);
	if (tot < ihl || tot > p->len)
		goto hdr_error;
	pkt_trim(p, tot);	/* link-level padding */
	if (ihl > IP_HLEN && !options_ok(h + IP_HLEN, ihl - IP_HLEN))
		goto hdr_error;
	uint32_t src = rd32(h + 12), dst = rd32(h + 16);
	bool lo = dev->flags & IFF_LOOPBACK;
	/* Martians: impossible sources, and loopback addresses off the loopback device. */
	if (ip_is_multicast(src) || ip_is_lbcast(src) || (!lo && (ip_is_loopback(src) || ip_is_loopback(dst))))
		goto addr_error;
	bool bcast = netif_is_broadcast(dst);
	if (!bcast && !netif_for_local(dst))
		goto addr_error;
	if (bcast)
		p->flags |= PKT_BCAST;
	p->saddr = src;
	p->daddr = dst;
	p->proto = h[9];
	p->ttl = h[8];
	p->tos = h[1];
	p->ip_hlen = (uint8_t)ihl;
	p->nh = p->off;
	p->stamp_ns = net_now();
	uint16_t frag = rd16(h + 6);
	if (frag & (IP_MF | IP_OFFMASK)) {
		p = ip_frag_input(p, rd16(h + 4), (uint16_t)((frag & IP_OFFMASK) * 8), frag & IP_MF);
		if (!p)
			return;
		p->nh = p->off;
	}
	deliver(p);
	return;
hdr_error:
	NET_INC(ip_in_hdr_errors);
	pkt_free(p);
	return;
addr_error:
	NET_INC(ip_in_addr_errors);
	pkt_free(p);
}

/* ---- output ---- */

static void write_header(uint8_t *h, uint32_t tot, uint16_t id, uint16_t frag, uint8_t ttl,
			 uint8_t tos, uint8_t proto, uint32_t src, uint32_t dst)
{
	h[0] = 0x45;
	h[1] = tos;
	wr16(h + 2, (uint16_t)tot);
	wr16(h + 4, id);
	wr16(h + 6, frag);
	h[8] = ttl;
	h[9] = proto;
	wr16(h + 10, 0);
	wr32(h + 12, src);
	wr32(h + 16, dst);
	wr16(h + 10, csum_fold(csum_add(0, h, IP_HLEN)));
}

/* Cut @p (an IPv4 packet with a plain 20-byte header) into fragments of at most @mtu bytes. Takes @p. */
static int fragment(struct pkt *p, struct netif *dev, uint32_t nexthop, uint32_t mtu)
{
	pkt_csum_finish(p);
	const uint8_t *h = pkt_data(p);
	if ((h[0] & 0x0f) != 5) {
		/* Only our own plain headers are cut; a raw header with options must fit. */
		NET_INC(ip_frag_fails);
		pkt_free(p);
		return -EMSGSIZE;
	}
	uint32_t payload = p->len - IP_HLEN;
	uint32_t chunk = ALIGN_DOWN(mtu - IP_HLEN, 8u);
	uint16_t id = rd16(h + 4);
	uint8_t ttl = h[8], tos = h[1], proto = h[9];
	uint32_t src = rd32(h + 12), dst = rd32(h + 16);
	int err = 0;
	for (uint32_t off = 0; off < payload; off += chunk) {
		uint32_t n = MIN(chunk, payload - off);
		struct pkt *f = pkt_alloc(PKT_HEADROOM, IP_HLEN + n);
		if (!f) {
			NET_INC(ip_frag_fails);
			err = -ENOBUFS;
			break;
		}
		uint16_t fl = (uint16_t)(off / 8) | (off + n < payload ? IP_MF : 0);
		write_header(pkt_data(f), IP_HLEN + n, id, fl, ttl, tos, proto, src, dst);
		memcpy(pkt_data(f) + IP_HLEN, h + IP_HLEN + off, n);
		NET_INC(ip_frag_creates);
		err = netif_output(dev, f, nexthop);
		if (err)
			break;
	}
	if (!err)
		NET_INC(ip_frag_oks);
	pkt_free(p);
	return err;
}

static int send_routed(struct pkt *p, const struct route_result *rr, bool df)
{
	if (p->len <= rr->mtu)
		return netif_output(rr->dev, p, rr->nexthop);
	if (df || rr->mtu < IP_HLEN + 8) {
		NET_INC(ip_frag_fails);
		pkt_free(p);
		return -EMSGSIZE;
	}
	return fragment(p, rr->dev, rr->nexthop, rr->mtu);
}

int ip_output(struct pkt *p, const struct ip_tx *tx)
{
	NET_INC(ip_out_requests);
	struct route_result rr;
	int err = route_lookup(tx->dst, tx->oif, &rr);
	if (!err && rr.type == RTN_BROADCAST && !tx->broadcast_ok)
		err = -EACCES;
	if (!err && tx->dontroute && rr.nexthop != tx->dst)
		err = -ENETUNREACH;
	if (err) {
		if (err == -ENETUNREACH)
			NET_INC(ip_out_no_routes);
		pkt_free(p);
		return err;
	}
	uint32_t tot = p->len + IP_HLEN;
	if (tot > IP_MAX_LEN) {
		pkt_free(p);
		return -EMSGSIZE;
	}
	uint8_t *h = pkt_push(p, IP_HLEN);
	if (!h) {
		pkt_free(p);
		return -ENOBUFS;
	}
	uint16_t id = tx->id ? tx->id : ++ip_id;
	bool df = tx->df;
	write_header(h, tot, id, df ? IP_DF : 0, tx->ttl ? tx->ttl : IP_DEFAULT_TTL, tx->tos,
		     tx->proto, tx->src ? tx->src : rr.src, tx->dst);
	return send_routed(p, &rr, df);
}

int ip_output_raw(struct pkt *p, struct netif *oif)
{
	NET_INC(ip_out_requests);
	uint8_t *h = pkt_data(p);
	struct route_result rr;
	int err = route_lookup(rd32(h + 16), oif, &rr);
	if (err) {
		pkt_free(p);
		return err;
	}
	/* The caller's header: fill in what Linux fills in for IP_HDRINCL (length, id, checksum, source). */
	wr16(h + 2, (uint16_t)p->len);
	if (!rd16(h + 4))
		wr16(h + 4, ++ip_id);
	if (!rd32(h + 12))
		wr32(h + 12, rr.src);
	uint32_t ihl = (uint32_t)(h[0] & 0x0f) * 4;
	wr16(h + 10, 0);
	wr16(h + 10, csum_fold(csum_add(0, h, ihl)));
	return send_routed(p, &rr, rd16(h + 6) & IP_DF);
}
