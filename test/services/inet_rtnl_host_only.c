/* Host tests of rtnetlink (kernel/net/inet/rtnetlink.c): dumps split into page-sized datagrams with NLMSG_DONE, acknowledgements, errors, malformed requests, privileges. */
#include <frame/string.h>
#include <abi/netlink.h>
#include <kernel/inet.h>
#include "inet_fixture.h"

struct got {
	uint8_t data[8][4096];
	size_t len[8];
	int n;
};

static int collect(void *ctx, const void *data, size_t len)
{
	struct got *g = ctx;
	if (g->n >= 8 || len > sizeof(g->data[0]))
		return -ENOBUFS;
	memcpy(g->data[g->n], data, len);
	g->len[g->n++] = len;
	return 0;
}

static size_t req(uint8_t *buf, uint16_t type, uint16_t flags, uint32_t seq, const void *fixed,
		  size_t flen)
{
	struct nlmsghdr h = { (uint32_t)(sizeof(h) + flen), type, (uint16_t)(NLM_F_REQUEST | flags), seq, 0 };
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), fixed, flen);
	return (sizeof(h) + flen + 3) & ~(size_t)3;
}

/* The messages of datagram @i: count of type @type, and whether it ends with NLMSG_DONE. */
static int count_type(const struct got *g, int i, uint16_t type, bool *done, int32_t *err)
{
	int c = 0;
	size_t off = 0;
	while (off + sizeof(struct nlmsghdr) <= g->len[i]) {
		struct nlmsghdr h;
		memcpy(&h, g->data[i] + off, sizeof(h));
		if (h.nlmsg_len < sizeof(h))
			break;
		if (h.nlmsg_type == type)
			c++;
		if (h.nlmsg_type == NLMSG_DONE)
			*done = true;
		if (h.nlmsg_type == NLMSG_ERROR)
			memcpy(err, g->data[i] + off + sizeof(h), sizeof(*err));
		off += (h.nlmsg_len + 3) & ~3u;
	}
	return c;
}

KTEST(inet_rtnl_dumps_and_acks)
{
	nf_begin();
	struct tap *t = tap_create(IP4(192, 168, 7, 1), 24, IP4(192, 168, 7, 2));
	uint8_t buf[512];
	struct got g = { .n = 0 };
	/* A link dump: lo and tap0, then NLMSG_DONE. */
	struct ifinfomsg ifi = { 0, 0, 0, 0, 0, 0 };
	size_t n = req(buf, RTM_GETLINK, NLM_F_DUMP, 7, &ifi, sizeof(ifi));
	KEXPECT_EQ(inet_rtnl_request(buf, n, 1234, false, collect, &g), 0);
	KEXPECT_EQ(g.n, 1);
	bool done = false;
	int32_t err = 1;
	KEXPECT_EQ(count_type(&g, 0, RTM_NEWLINK, &done, &err), 2);
	KEXPECT(done);
	/* Adding an address needs privilege; with it, an ack of 0 and then EEXIST. */
	struct {
		struct ifaddrmsg ifa;
		struct rtattr a;
		uint8_t addr[4];
	} add = { { AF_INET, 24, 0, 0, (uint32_t)t->dev.index }, { 8, IFA_LOCAL }, { 10, 1, 2, 3 } };
	g.n = 0;
	n = req(buf, RTM_NEWADDR, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, 8, &add, sizeof(add));
	KEXPECT_EQ(inet_rtnl_request(buf, n, 1234, false, collect, &g), 0);
	KEXPECT_EQ(g.n, 1);
	count_type(&g, 0, 0, &done, &err);
	KEXPECT_EQ(err, -EPERM);
	g.n = 0;
	KEXPECT_EQ(inet_rtnl_request(buf, n, 1234, true, collect, &g), 0);
	KEXPECT_EQ(inet_rtnl_request(buf, n, 1234, true, collect, &g), 0);
	KEXPECT_EQ(g.n, 2);
	count_type(&g, 0, 0, &done, &err);
	KEXPECT_EQ(err, 0);
	count_type(&g, 1, 0, &done, &err);
	KEXPECT_EQ(err, -EEXIST);
	KEXPECT(netif_for_local(IP4(10, 1, 2, 3)) == &t->dev);
	/* Two requests in one send: both answered, in order. */
	add.addr[3] = 4;
	n = req(buf, RTM_NEWADDR, NLM_F_ACK | NLM_F_CREATE, 9, &add, sizeof(add));
	struct ifaddrmsg all = { AF_INET, 0, 0, 0, 0 };
	n += req(buf + n, RTM_GETADDR, NLM_F_DUMP, 10, &all, sizeof(all));
	g.n = 0;
	KEXPECT_EQ(inet_rtnl_request(buf, n, 1234, true, collect, &g), 0);
	KEXPECT_EQ(g.n, 2);
	done = false;
	KEXPECT_EQ(count_type(&g, 1, RTM_NEWADDR, &done, &err), 4);	/* 127.0.0.1, 192.168.7.1, 10.1.2.3, 10.1.2.4 */
	KEXPECT(done);
	/* A truncated message is ignored; an unknown type is an error reply. */
	g.n = 0;
	KEXPECT_EQ(inet_rtnl_request(buf, 10, 1234, true, collect, &g), 0);
	KEXPECT_EQ(g.n, 0);
	n = req(buf, 99, 0, 11, &all, sizeof(all));
	KEXPECT_EQ(inet_rtnl_request(buf, n, 1234, true, collect, &g), 0);
	KEXPECT_EQ(g.n, 1);
	count_type(&g, 0, 0, &done, &err);
	KEXPECT_EQ(err, -EOPNOTSUPP);
	tap_destroy(t);
	nf_end(ktest_ctx);
}
