/* Guest cases: rtnetlink (AF_NETLINK NETLINK_ROUTE) — link/address/route dumps, adding and deleting addresses and routes, errors, and busybox ip on top. */
#include "gt.h"

#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#ifndef ARPHRD_LOOPBACK
#define ARPHRD_LOOPBACK 772
#endif

static void lo_up(void)
{
	int s = (int)OK(socket(AF_INET, SOCK_DGRAM, 0));
	struct ifreq r;
	memset(&r, 0, sizeof(r));
	strcpy(r.ifr_name, "lo");
	OK(ioctl(s, SIOCGIFFLAGS, &r));
	r.ifr_flags |= IFF_UP;
	OK(ioctl(s, SIOCSIFFLAGS, &r));
	close(s);
}

static int rtnl_open(void)
{
	int s = (int)OK(socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE));
	struct sockaddr_nl a = { .nl_family = AF_NETLINK };
	OK(bind(s, (struct sockaddr *)&a, sizeof(a)));
	return s;
}

struct req {
	struct nlmsghdr h;
	char body[256];
};

static void req_init(struct req *r, int type, int flags, const void *fixed, size_t len)
{
	static unsigned seq = 100;
	memset(r, 0, sizeof(*r));
	r->h.nlmsg_type = (unsigned short)type;
	r->h.nlmsg_flags = (unsigned short)(NLM_F_REQUEST | flags);
	r->h.nlmsg_seq = ++seq;
	memcpy(r->body, fixed, len);
	r->h.nlmsg_len = (unsigned)NLMSG_LENGTH(len);
}

static void req_attr(struct req *r, int type, const void *data, size_t len)
{
	struct rtattr *a = (struct rtattr *)((char *)r + NLMSG_ALIGN(r->h.nlmsg_len));
	a->rta_type = (unsigned short)type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	memcpy(RTA_DATA(a), data, len);
	r->h.nlmsg_len = NLMSG_ALIGN(r->h.nlmsg_len) + RTA_ALIGN(a->rta_len);
}

static void req_send(int s, struct req *r)
{
	struct sockaddr_nl k = { .nl_family = AF_NETLINK };
	EQ(sendto(s, r, r->h.nlmsg_len, 0, (struct sockaddr *)&k, sizeof(k)), (ssize_t)r->h.nlmsg_len);
}

static char rbuf[1 << 16];

/* The reply datagram; checks it came from the kernel. */
static ssize_t reply(int s)
{
	struct sockaddr_nl from;
	socklen_t fl = sizeof(from);
	ssize_t n = recvfrom(s, rbuf, sizeof rbuf, 0, (struct sockaddr *)&from, &fl);
	CHECK(n > 0);
	EQ(fl, sizeof(from));
	EQ(from.nl_family, AF_NETLINK);
	EQ(from.nl_pid, 0);
	return n;
}

/* Send @r with NLM_F_ACK and return the acknowledgement's error (0 or -errno). */
static int request_ack(int s, struct req *r)
{
	r->h.nlmsg_flags |= NLM_F_ACK;
	req_send(s, r);
	ssize_t n = reply(s);
	struct nlmsghdr *h = (struct nlmsghdr *)rbuf;
	CHECK(NLMSG_OK(h, (size_t)n));
	EQ(h->nlmsg_type, NLMSG_ERROR);
	EQ(h->nlmsg_seq, r->h.nlmsg_seq);
	struct nlmsgerr *e = NLMSG_DATA(h);
	EQ(e->msg.nlmsg_seq, r->h.nlmsg_seq);
	EQ(e->msg.nlmsg_type, r->h.nlmsg_type);
	return e->error;
}

typedef int (*visit_fn)(struct nlmsghdr *h, void *arg);

/* Dump @type and call @fn on every record until NLMSG_DONE; the number of records. */
static int dump(int s, int type, const void *fixed, size_t len, visit_fn fn, void *arg)
{
	struct req r;
	req_init(&r, type, NLM_F_DUMP, fixed, len);
	req_send(s, &r);
	int records = 0;
	for (;;) {
		ssize_t n = reply(s);
		for (struct nlmsghdr *h = (struct nlmsghdr *)rbuf; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
			EQ(h->nlmsg_seq, r.h.nlmsg_seq);
			if (h->nlmsg_type == NLMSG_DONE)
				return records;
			CHECK(h->nlmsg_type != NLMSG_ERROR);
			CHECK(h->nlmsg_flags & NLM_F_MULTI);
			records++;
			fn(h, arg);
		}
	}
}

struct link_seen {
	int lo_index, lo_type, lo_flags, lo_mtu;
};

static int see_link(struct nlmsghdr *h, void *arg)
{
	struct link_seen *ls = arg;
	EQ(h->nlmsg_type, RTM_NEWLINK);
	struct ifinfomsg *ifi = NLMSG_DATA(h);
	int len = (int)IFLA_PAYLOAD(h);
	const char *name = NULL;
	int mtu = -1;
	for (struct rtattr *a = IFLA_RTA(ifi); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (a->rta_type == IFLA_IFNAME)
			name = RTA_DATA(a);
		if (a->rta_type == IFLA_MTU)
			memcpy(&mtu, RTA_DATA(a), 4);
	}
	CHECK(name != NULL);
	if (strcmp(name, "lo") == 0) {
		ls->lo_index = ifi->ifi_index;
		ls->lo_type = ifi->ifi_type;
		ls->lo_flags = (int)ifi->ifi_flags;
		ls->lo_mtu = mtu;
	}
	return 0;
}

GT_CASE(rtnl_link_dump, "socket bind getsockname sendto recvfrom")
{
	int s = rtnl_open();
	struct sockaddr_nl me;
	socklen_t ml = sizeof(me);
	OK(getsockname(s, (struct sockaddr *)&me, &ml));
	EQ(ml, sizeof(me));
	EQ(me.nl_family, AF_NETLINK);
	CHECK(me.nl_pid != 0);
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct link_seen ls = { 0, 0, 0, 0 };
	CHECK(dump(s, RTM_GETLINK, &ifi, sizeof(ifi), see_link, &ls) >= 1);
	EQ(ls.lo_index, (int)if_nametoindex("lo"));
	EQ(ls.lo_type, ARPHRD_LOOPBACK);
	CHECK(ls.lo_flags & IFF_LOOPBACK);
	EQ(ls.lo_mtu, 65536);
	/* One link by index, not a dump: a single record, then nothing. */
	struct req r;
	ifi.ifi_index = ls.lo_index;
	req_init(&r, RTM_GETLINK, 0, &ifi, sizeof(ifi));
	req_send(s, &r);
	ssize_t n = reply(s);
	struct nlmsghdr *h = (struct nlmsghdr *)rbuf;
	CHECK(NLMSG_OK(h, (size_t)n));
	EQ(h->nlmsg_type, RTM_NEWLINK);
	EQ(((struct ifinfomsg *)NLMSG_DATA(h))->ifi_index, ls.lo_index);
	ERR(recv(s, rbuf, sizeof rbuf, MSG_DONTWAIT), EAGAIN);
	/* A missing link is an error reply. */
	ifi.ifi_index = 99999;
	req_init(&r, RTM_GETLINK, 0, &ifi, sizeof(ifi));
	EQ(request_ack(s, &r), -ENODEV);
	close(s);
}

GT_CASE(rtnl_peek_trunc, "recvfrom")
{
	int s = rtnl_open();
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct req r;
	req_init(&r, RTM_GETLINK, NLM_F_DUMP, &ifi, sizeof(ifi));
	req_send(s, &r);
	/* MSG_PEEK|MSG_TRUNC sizes the datagram without taking it, as libnetlink does. */
	char small[16];
	ssize_t full = recv(s, small, sizeof small, MSG_PEEK | MSG_TRUNC);
	CHECK(full > (ssize_t)sizeof small);
	EQ(recv(s, rbuf, sizeof rbuf, 0), full);
	close(s);
}

struct addr_seen {
	int index;
	int found;
	char label[IFNAMSIZ];
};

static int see_addr(struct nlmsghdr *h, void *arg)
{
	struct addr_seen *as = arg;
	EQ(h->nlmsg_type, RTM_NEWADDR);
	struct ifaddrmsg *ifa = NLMSG_DATA(h);
	int len = (int)IFA_PAYLOAD(h);
	uint32_t local = 0;
	const char *label = "";
	for (struct rtattr *a = IFA_RTA(ifa); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (a->rta_type == IFA_LOCAL)
			memcpy(&local, RTA_DATA(a), 4);
		if (a->rta_type == IFA_LABEL)
			label = RTA_DATA(a);
	}
	if (ifa->ifa_family == AF_INET && local == inet_addr("10.9.8.7") && ifa->ifa_prefixlen == 24 &&
	    (int)ifa->ifa_index == as->index) {
		as->found++;
		snprintf(as->label, sizeof as->label, "%s", label);
	}
	return 0;
}

struct route_seen {
	int index;
	int found;
};

static int see_route(struct nlmsghdr *h, void *arg)
{
	struct route_seen *rs = arg;
	EQ(h->nlmsg_type, RTM_NEWROUTE);
	struct rtmsg *rt = NLMSG_DATA(h);
	int len = (int)RTM_PAYLOAD(h);
	uint32_t dst = 0, table = rt->rtm_table;
	int oif = 0;
	for (struct rtattr *a = RTM_RTA(rt); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (a->rta_type == RTA_DST)
			memcpy(&dst, RTA_DATA(a), 4);
		if (a->rta_type == RTA_OIF)
			memcpy(&oif, RTA_DATA(a), 4);
		if (a->rta_type == RTA_TABLE)
			memcpy(&table, RTA_DATA(a), 4);
	}
	if (rt->rtm_family == AF_INET && rt->rtm_dst_len == 16 && dst == inet_addr("10.77.0.0") &&
	    oif == rs->index && table == RT_TABLE_MAIN && rt->rtm_type == RTN_UNICAST)
		rs->found++;
	return 0;
}

GT_CASE(rtnl_address_and_route, "sendto recvfrom")
{
	lo_up();
	int s = rtnl_open();
	int lo = (int)if_nametoindex("lo");
	/* ip addr add 10.9.8.7/24 dev lo */
	struct ifaddrmsg ifa = { .ifa_family = AF_INET, .ifa_prefixlen = 24, .ifa_index = (unsigned)lo };
	uint32_t a = inet_addr("10.9.8.7");
	struct req r;
	req_init(&r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, &ifa, sizeof(ifa));
	req_attr(&r, IFA_LOCAL, &a, 4);
	req_attr(&r, IFA_ADDRESS, &a, 4);
	struct req again = r;
	EQ(request_ack(s, &r), 0);
	EQ(request_ack(s, &again), -EEXIST);
	struct addr_seen as = { lo, 0, "" };
	struct ifaddrmsg all = { .ifa_family = AF_INET };
	dump(s, RTM_GETADDR, &all, sizeof(all), see_addr, &as);
	EQ(as.found, 1);
	CHECK(strcmp(as.label, "lo") == 0);
	/* ip route add 10.77.0.0/16 dev lo */
	struct rtmsg rt = { .rtm_family = AF_INET, .rtm_dst_len = 16, .rtm_table = RT_TABLE_MAIN,
			    .rtm_protocol = RTPROT_BOOT, .rtm_scope = RT_SCOPE_LINK, .rtm_type = RTN_UNICAST };
	uint32_t dst = inet_addr("10.77.0.0");
	req_init(&r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, &rt, sizeof(rt));
	req_attr(&r, RTA_DST, &dst, 4);
	req_attr(&r, RTA_OIF, &lo, 4);
	struct req del = r;
	EQ(request_ack(s, &r), 0);
	struct route_seen rs = { lo, 0 };
	struct rtmsg any = { .rtm_family = AF_INET };
	dump(s, RTM_GETROUTE, &any, sizeof(any), see_route, &rs);
	EQ(rs.found, 1);
	/* /proc/net/route agrees (10.77.0.0 as the network-order word in hex). */
	static char pr[1 << 16];
	gt_read_file("/proc/net/route", pr, sizeof pr);
	CHECK(strstr(pr, "lo\t00004D0A\t00000000\t0001\t") != NULL);
	del.h.nlmsg_type = RTM_DELROUTE;
	del.h.nlmsg_flags = NLM_F_REQUEST;
	EQ(request_ack(s, &del), 0);
	EQ(request_ack(s, &del), -ESRCH);
	rs.found = 0;
	dump(s, RTM_GETROUTE, &any, sizeof(any), see_route, &rs);
	EQ(rs.found, 0);
	again.h.nlmsg_type = RTM_DELADDR;
	again.h.nlmsg_flags = NLM_F_REQUEST;
	EQ(request_ack(s, &again), 0);
	EQ(request_ack(s, &again), -EADDRNOTAVAIL);
	as.found = 0;
	dump(s, RTM_GETADDR, &all, sizeof(all), see_addr, &as);
	EQ(as.found, 0);
	close(s);
}

GT_CASE(rtnl_errors, "socket sendto")
{
	ERR(socket(AF_NETLINK, SOCK_STREAM, NETLINK_ROUTE), ESOCKTNOSUPPORT);
	ERR(socket(AF_NETLINK, SOCK_RAW, 200), EPROTONOSUPPORT);
	pid_t pid = gt_fork();
	if (pid == 0) {
		/* Changes need CAP_NET_ADMIN; reading does not. */
		gt_drop_privs(65534);
		int s = rtnl_open();
		struct ifaddrmsg ifa = { .ifa_family = AF_INET, .ifa_prefixlen = 24,
					 .ifa_index = if_nametoindex("lo") };
		uint32_t a = inet_addr("10.9.8.9");
		struct req r;
		req_init(&r, RTM_NEWADDR, NLM_F_CREATE, &ifa, sizeof(ifa));
		req_attr(&r, IFA_LOCAL, &a, 4);
		EQ(request_ack(s, &r), -EPERM);
		struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
		struct link_seen ls = { 0, 0, 0, 0 };
		CHECK(dump(s, RTM_GETLINK, &ifi, sizeof(ifi), see_link, &ls) >= 1);
		_exit(0);
	}
	gt_wait_exit(pid, 0);
}

/* Run a busybox command line; its output (stdout and stderr) in @out. */
static int run(const char *cmd, char *out, size_t size)
{
	char line[256];
	snprintf(line, sizeof line, "%s 2>&1", cmd);
	FILE *p = popen(line, "r");
	CHECK(p != NULL);
	size_t n = fread(out, 1, size - 1, p);
	out[n] = 0;
	int st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

GT_CASE(rtnl_busybox_ip, "sendto recvfrom")
{
	lo_up();
	static char out[1 << 14];
	EQ(run("ip addr add 10.9.9.1/24 dev lo", out, sizeof out), 0);
	EQ(run("ip -4 addr show dev lo", out, sizeof out), 0);
	CHECK(strstr(out, "inet 10.9.9.1/24 ") != NULL);
	CHECK(strstr(out, "lo: <LOOPBACK,UP") != NULL);
	EQ(run("ip route add 10.66.0.0/16 dev lo", out, sizeof out), 0);
	EQ(run("ip route show", out, sizeof out), 0);
	CHECK(strstr(out, "10.66.0.0/16 dev lo") != NULL);
	EQ(run("ip link show lo", out, sizeof out), 0);
	CHECK(strstr(out, "mtu 65536") != NULL);
	CHECK(strstr(out, "link/loopback 00:00:00:00:00:00") != NULL);
	EQ(run("ip route del 10.66.0.0/16 dev lo", out, sizeof out), 0);
	EQ(run("ip addr del 10.9.9.1/24 dev lo", out, sizeof out), 0);
	EQ(run("ip -4 addr show dev lo", out, sizeof out), 0);
	CHECK(strstr(out, "10.9.9.1") == NULL);
}
