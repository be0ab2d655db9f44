/* ICMP: echo and timestamp replies, errors about our packets handed to the transports, and errors we send (RFC 1122 limits, rate-limited). */
#include <frame/clock.h>
#include <frame/errno.h>
#include <frame/string.h>
#include <abi/errno.h>
#include <abi/in.h>
#include "ip.h"
#include "proto.h"

#define ICMP_HLEN 8
/* An error quotes the offending packet up to a 576-byte reply (RFC 1812). */
#define ICMP_ERR_MAX 576u
/* Linux's icmp_msgs_per_sec and icmp_msgs_burst: a global token bucket. */
#define ICMP_RATE_PER_SEC 1000u
#define ICMP_RATE_BURST 50u

static uint32_t tokens = ICMP_RATE_BURST;
static uint64_t tokens_at;

static bool rate_allow(void)
{
	uint64_t now = net_now();
	uint64_t elapsed = now - tokens_at;
	uint64_t add = elapsed * ICMP_RATE_PER_SEC / 1000000000ull;
	if (add) {
		tokens = (uint32_t)MIN((uint64_t)ICMP_RATE_BURST, tokens + add);
		tokens_at = now;
	}
	if (!tokens)
		return false;
	tokens--;
	return true;
}

static bool is_error_type(uint8_t type)
{
	return type == ICMP_DEST_UNREACH || type == ICMP_SOURCE_QUENCH || type == ICMP_REDIRECT ||
	       type == ICMP_TIME_EXCEEDED || type == ICMP_PARAMETERPROB || type >= ICMP_NR_TYPES;
}

static int send_icmp(struct pkt *p, uint32_t src, uint32_t dst, uint8_t tos)
{
	uint8_t *h = pkt_data(p);
	wr16(h + 2, 0);
	wr16(h + 2, csum_fold(csum_add(0, h, p->len)));
	struct ip_tx tx = { .src = src, .dst = dst, .proto = IPPROTO_ICMP, .tos = tos,
			    .broadcast_ok = true };
	NET_INC(icmp_out_msgs);
	return ip_output(p, &tx);
}

void icmp_send_error(const struct pkt *orig, uint8_t type, uint8_t code, uint32_t info)
{
	const uint8_t *ih = orig->head + orig->nh;
	uint32_t ihl = (uint32_t)(ih[0] & 0x0f) * 4;
	uint32_t olen = rd16(ih + 2);
	uint32_t have = orig->off + orig->len - orig->nh;
	if (olen > have)
		olen = have;
	uint32_t src = rd32(ih + 12), dst = rd32(ih + 16);
	/* Never about broadcasts, multicasts, impossible sources or later fragments. */
	if ((orig->flags & (PKT_BCAST | PKT_MCAST)) || ip_is_multicast(dst) || netif_is_broadcast(dst))
		return;
	if (!src || ip_is_lbcast(src) || ip_is_multicast(src) || (rd16(ih + 6) & IP_OFFMASK))
		return;
	/* Never about an ICMP error. */
	if (ih[9] == IPPROTO_ICMP) {
		if (olen < ihl + 1 || is_error_type(ih[ihl]))
			return;
	}
	bool lo = orig->dev && (orig->dev->flags & IFF_LOOPBACK);
	if (!lo && !rate_allow()) {
		NET_INC(icmp_out_rate_limited);
		return;
	}
	uint32_t quote = MIN(olen, ICMP_ERR_MAX - IP_HLEN - ICMP_HLEN);
	struct pkt *p = pkt_alloc(PKT_HEADROOM, ICMP_HLEN + quote);
	if (!p)
		return;
	uint8_t *h = pkt_data(p);
	memset(h, 0, ICMP_HLEN);
	h[0] = type;
	h[1] = code;
	if (type == ICMP_DEST_UNREACH && code == ICMP_FRAG_NEEDED)
		wr16(h + 6, (uint16_t)info);
	else if (type == ICMP_PARAMETERPROB)
		h[4] = (uint8_t)info;
	memcpy(h + ICMP_HLEN, ih, quote);
	/* Answer from the address it was sent to when that is ours. */
	uint32_t from = netif_for_local(dst) ? dst : 0;
	NET_INC(icmp_out_errors);
	if (type == ICMP_DEST_UNREACH)
		NET_INC(icmp_out_dest_unreachs);
	else if (type == ICMP_TIME_EXCEEDED)
		NET_INC(icmp_out_time_excds);
	send_icmp(p, from, src, (uint8_t)((ih[1] & 0x1e) | 0xc0));
}

/* Linux's icmp_err_convert: what each unreachable code means to a socket, and whether it is fatal. */
static const struct {
	int16_t err;
	bool fatal;
} unreach[16] = {
	{ ENETUNREACH, true }, { EHOSTUNREACH, true }, { ENOPROTOOPT, true },
	{ ECONNREFUSED, true }, { EMSGSIZE, false }, { EOPNOTSUPP, false },
	{ ENETUNREACH, true }, { EHOSTDOWN, true }, { ENONET, true },
	{ ENETUNREACH, true }, { EHOSTUNREACH, true }, { ENETUNREACH, false },
	{ EHOSTUNREACH, false }, { EHOSTUNREACH, true }, { EHOSTUNREACH, true },
	{ EHOSTUNREACH, true },
};

static void error_input(struct pkt *p, const uint8_t *h)
{
	const uint8_t *q = h + ICMP_HLEN;
	uint32_t qlen = p->len - ICMP_HLEN;
	if (qlen < IP_HLEN)
		goto bad;
	uint32_t qihl = (uint32_t)(q[0] & 0x0f) * 4;
	if ((q[0] >> 4) != 4 || qihl < IP_HLEN || qlen < qihl + 8)
		goto bad;
	struct icmp_err e = {
		.type = h[0], .code = h[1], .info = rd32(h + 4),
		.saddr = rd32(q + 12), .daddr = rd32(q + 16), .proto = q[9],
		.th = q + qihl, .th_len = qlen - qihl,
	};
	switch (e.type) {
	case ICMP_DEST_UNREACH:
		NET_INC(icmp_in_dest_unreachs);
		if (e.code > 15)
			return;
		e.errno_val = unreach[e.code].err;
		e.fatal = unreach[e.code].fatal;
		if (e.code == ICMP_FRAG_NEEDED)
			e.info = rd16(h + 6);
		break;
	case ICMP_TIME_EXCEEDED:
		NET_INC(icmp_in_time_excds);
		e.errno_val = EHOSTUNREACH;
		break;
	case ICMP_PARAMETERPROB:
		e.errno_val = EPROTO;
		e.fatal = true;
		break;
	default:
		return;
	}
	/* Only about packets that came from one of our addresses. */
	if (!netif_for_local(e.saddr))
		return;
	raw_icmp_error(&e);
	if (e.proto == IPPROTO_TCP)
		tcp_icmp_error(&e);
	else if (e.proto == IPPROTO_UDP)
		udp_icmp_error(&e);
	return;
bad:
	NET_INC(icmp_in_errors);
}

static void echo_reply(struct pkt *p)
{
	/* Linux ignores broadcast echo requests (icmp_echo_ignore_broadcasts = 1). */
	if (p->flags & (PKT_BCAST | PKT_MCAST) || netif_is_broadcast(p->daddr))
		return;
	struct pkt *r = pkt_alloc(PKT_HEADROOM, p->len);
	if (!r)
		return;
	uint8_t *h = pkt_data(r);
	memcpy(h, pkt_data(p), p->len);
	h[0] = ICMP_ECHOREPLY;
	NET_INC(icmp_out_echo_reps);
	send_icmp(r, p->daddr, p->saddr, p->tos);
}

static void timestamp_reply(struct pkt *p)
{
	if (p->len < 20 || p->flags & (PKT_BCAST | PKT_MCAST) || netif_is_broadcast(p->daddr))
		return;
	struct pkt *r = pkt_alloc(PKT_HEADROOM, 20);
	if (!r)
		return;
	uint8_t *h = pkt_data(r);
	memcpy(h, pkt_data(p), 20);
	h[0] = ICMP_TIMESTAMP + 1;
	h[1] = 0;
	/* Milliseconds since midnight UTC, received and transmitted alike. */
	uint32_t ms = (uint32_t)((clock_realtime_ns() / 1000000ull) % 86400000ull);
	wr32(h + 12, ms);
	wr32(h + 16, ms);
	send_icmp(r, p->daddr, p->saddr, p->tos);
}

void icmp_input(struct pkt *p)
{
	NET_INC(icmp_in_msgs);
	if (p->len < ICMP_HLEN)
		goto error;
	const uint8_t *h = pkt_data(p);
	if (!(p->flags & PKT_CSUM_OK) && csum_fold(csum_add(0, h, p->len)) != 0) {
		NET_INC(icmp_in_csum_errors);
		goto error;
	}
	switch (h[0]) {
	case ICMP_ECHO:
		NET_INC(icmp_in_echos);
		echo_reply(p);
		break;
	case ICMP_ECHOREPLY:
		NET_INC(icmp_in_echo_reps);
		break;
	case ICMP_TIMESTAMP:
		timestamp_reply(p);
		break;
	case ICMP_DEST_UNREACH:
	case ICMP_TIME_EXCEEDED:
	case ICMP_PARAMETERPROB:
		error_input(p, h);
		break;
	default:
		break;
	}
	pkt_free(p);
	return;
error:
	NET_INC(icmp_in_errors);
	pkt_free(p);
}
