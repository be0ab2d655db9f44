/* AF_INET sockets: creation, the socket calls' common part (addresses, bind, names, shutdown, SOL_SOCKET and SOL_IP options) and the socket file. */
#include <abi/errno.h>
#include <abi/fcntl.h>
#include <abi/stat.h>
#include <abi/termios.h>
#include <abi/time.h>
#include <frame/clock.h>
#include <frame/errno.h>
#include <frame/string.h>
#include <frame/vm_io.h>
#include <kernel/anon_inode.h>
#include <kernel/inet.h>
#include <kernel/poll.h>
#include <kernel/proc.h>
#include "inet_proto.h"
#include "ip.h"
#include "stack.h"

extern const struct file_ops inet_file_ops;
extern const struct sock_ops inet_sock_ops;

static struct inet_sock *isk(struct file *f)
{
	return f->private_data;
}

static bool nonblocking(struct file *f, int flags)
{
	return (f->flags & O_NONBLOCK) || (flags & MSG_DONTWAIT);
}

/* ---- creation ---- */

int inet_create(const struct cred *c, int type, int protocol, uint32_t flags, struct file **out)
{
	if (protocol < 0 || protocol >= 263)
		return -EINVAL;
	bool root = c->euid == 0;
	struct inet_sock *sk;
	net_lock();
	switch (type) {
	case SOCK_STREAM:
		sk = protocol == 0 || protocol == IPPROTO_TCP ? tcp_sock_create() : NULL;
		if (!sk && protocol != 0 && protocol != IPPROTO_TCP) {
			net_unlock();
			return -EPROTONOSUPPORT;
		}
		break;
	case SOCK_DGRAM:
		if (protocol == IPPROTO_ICMP) {
			/* Ping sockets need net.ipv4.ping_group_range, "1 0" (nobody) by default. */
			net_unlock();
			return -EACCES;
		}
		if (protocol != 0 && protocol != IPPROTO_UDP) {
			net_unlock();
			return -EPROTONOSUPPORT;
		}
		sk = udp_sock_create();
		break;
	case SOCK_RAW:
		if (protocol == 0 || protocol > 255) {
			net_unlock();
			return -EPROTONOSUPPORT;
		}
		if (!root) {
			net_unlock();
			return -EPERM;
		}
		sk = raw_sock_create(protocol);
		break;
	default:
		net_unlock();
		return -ESOCKTNOSUPPORT;
	}
	if (!sk) {
		net_unlock();
		return -ENOMEM;
	}
	sk->uid = c->euid;
	sk->privileged = root;
	net_unlock();
	int err = anon_file_create(c, S_IFSOCK | 0777, O_RDWR | (flags & O_NONBLOCK), &inet_file_ops,
				   sk, out);
	net_lock();
	if (err) {
		sk->ops->release(sk);
	} else {
		sk->ino = (*out)->path.inode->ino;
	}
	net_unlock();
	return err;
}

const struct sock_ops *inet_sock_ops_of(const struct file *f)
{
	return f->ops == &inet_file_ops ? &inet_sock_ops : NULL;
}

/* ---- addresses ---- */

/* Linux's checks on a user's sockaddr_in: length first, then family (AF_UNSPEC with INADDR_ANY passes for bind). */
static int get_sin(const union sock_addr *a, size_t len, bool unspec_any_ok, struct sockaddr_in *out)
{
	if (len < sizeof(struct sockaddr_in))
		return -EINVAL;
	if (a->in.sin_family != AF_INET &&
	    !(unspec_any_ok && a->in.sin_family == AF_UNSPEC && a->in.sin_addr == 0))
		return -EAFNOSUPPORT;
	*out = a->in;
	return 0;
}

static int inet_bind(struct file *f, const struct vfs_ctx *ctx, const union sock_addr *a, size_t len)
{
	(void)ctx;
	struct inet_sock *sk = isk(f);
	struct sockaddr_in sin;
	int err = get_sin(a, len, true, &sin);
	if (err)
		return err;
	uint32_t addr = net32(sin.sin_addr);
	uint16_t port = net16(sin.sin_port);
	net_lock();
	bool ok = !addr || ip_is_multicast(addr) || netif_is_broadcast(addr) ||
		  netif_for_local(addr) || sk->freebind || sk->transparent;
	if (!ok)
		err = -EADDRNOTAVAIL;
	else if (port && port < 1024 && !sk->privileged)
		err = -EACCES;
	else if (sk->state != TCP_CLOSE || sk->in_ports || (sk->type == SOCK_RAW && sk->laddr))
		err = -EINVAL;
	else
		err = sk->ops->bind(sk, addr, port);
	if (!err) {
		sk->port_by_user = port != 0;
		sk->addr_by_user = addr != 0;
		/* A broadcast or multicast bind receives them; the source comes from the route. */
		sk->saddr = ip_is_multicast(addr) || netif_is_broadcast(addr) ? 0 : addr;
	}
	net_unlock();
	return err;
}

static int inet_listen(struct file *f, int backlog)
{
	struct inet_sock *sk = isk(f);
	if (!sk->ops->listen)
		return -EOPNOTSUPP;
	net_lock();
	int err = sk->ops->listen(sk, backlog);
	net_unlock();
	return err;
}

static int inet_connect(struct file *f, const struct vfs_ctx *ctx, const union sock_addr *a,
			size_t len)
{
	(void)ctx;
	struct inet_sock *sk = isk(f);
	struct sockaddr_in sin;
	if (len >= sizeof(a->sa.sa_family) && a->sa.sa_family == AF_UNSPEC) {
		memset(&sin, 0, sizeof(sin));
	} else {
		int err = get_sin(a, len, false, &sin);
		if (err)
			return err;
	}
	net_lock();
	int err = sk->ops->connect(sk, &sin, f->flags & O_NONBLOCK);
	net_unlock();
	return err;
}

static int inet_accept(struct file *f, uint32_t flags, struct file **out, union sock_addr *peer,
		       size_t *alen)
{
	struct inet_sock *sk = isk(f);
	if (!sk->ops->accept)
		return -EOPNOTSUPP;
	net_lock();
	struct inet_sock *c;
	int err = sk->ops->accept(sk, f->flags & O_NONBLOCK, &c);
	if (err) {
		net_unlock();
		return err;
	}
	inet_fill_addr(peer, c->raddr, c->rport);
	*alen = sizeof(struct sockaddr_in);
	net_unlock();
	static const struct cred root;
	struct process *p = process_current();
	err = anon_file_create(p ? &p->cred : &root, S_IFSOCK | 0777, O_RDWR | (flags & O_NONBLOCK),
			       &inet_file_ops, c, out);
	net_lock();
	if (err)
		c->ops->release(c);
	else
		c->ino = (*out)->path.inode->ino;
	net_unlock();
	return err;
}

static int inet_shutdown(struct file *f, int how)
{
	struct inet_sock *sk = isk(f);
	if (how < SHUT_RD || how > SHUT_RDWR)
		return -EINVAL;
	net_lock();
	int err = sk->ops->shutdown(sk, (uint32_t)how + 1);
	inet_wake(sk);
	net_unlock();
	return err;
}

static int inet_name(struct file *f, bool peer, union sock_addr *out, size_t *alen)
{
	struct inet_sock *sk = isk(f);
	int err = 0;
	net_lock();
	if (peer) {
		/* Linux's inet_getname: no peer port, or a TCP socket not (yet) connected. */
		bool unconnected = !sk->rport && sk->type != SOCK_RAW;
		if (sk->type == SOCK_STREAM && (sk->state == TCP_CLOSE || sk->state == TCP_SYN_SENT ||
						sk->state == TCP_LISTEN))
			unconnected = true;
		if (sk->type == SOCK_RAW && sk->state != TCP_ESTABLISHED)
			unconnected = true;
		if (unconnected)
			err = -ENOTCONN;
		else
			inet_fill_addr(out, sk->raddr, sk->rport);
	} else {
		inet_fill_addr(out, sk->laddr ? sk->laddr : sk->saddr,
			       sk->type == SOCK_RAW ? 0 : sk->lport);
	}
	*alen = sizeof(struct sockaddr_in);
	net_unlock();
	return err;
}

static ssize_t inet_send(struct file *f, struct sock_send *m)
{
	struct inet_sock *sk = isk(f);
	net_lock();
	ssize_t n = sk->ops->send(sk, m, nonblocking(f, m->flags));
	net_unlock();
	return n;
}

static ssize_t inet_recv(struct file *f, struct sock_recv *m)
{
	struct inet_sock *sk = isk(f);
	net_lock();
	ssize_t n = sk->ops->recv(sk, m, nonblocking(f, m->flags));
	net_unlock();
	return n;
}

static int inet_type(struct file *f)
{
	return isk(f)->type;
}

/* ---- options ---- */

static int get_int(const void *val, size_t len, int *out)
{
	if (len < sizeof(int))
		return -EINVAL;
	memcpy(out, val, sizeof(int));
	return 0;
}

/* A timeval option (SO_RCVTIMEO_OLD/SO_SNDTIMEO_OLD) as nanoseconds, 0 meaning none. */
static int get_timeo(const void *val, size_t len, uint64_t *out)
{
	struct timeval tv;
	if (len < sizeof(tv))
		return -EINVAL;
	memcpy(&tv, val, sizeof(tv));
	if (tv.tv_usec < 0 || tv.tv_usec >= 1000000)
		return -EDOM;
	if (tv.tv_sec < 0) {
		/* Linux takes a negative time as "do not wait at all": the smallest timeout. */
		*out = 1;
		return 0;
	}
	*out = (uint64_t)tv.tv_sec * NSEC_PER_SEC + (uint64_t)tv.tv_usec * 1000u;
	return 0;
}

static void put_timeo(uint64_t ns, void *val, size_t *len)
{
	struct timeval tv = { (int64_t)(ns / NSEC_PER_SEC), (int64_t)(ns % NSEC_PER_SEC / 1000u) };
	*len = MIN(*len, sizeof(tv));
	memcpy(val, &tv, *len);
}

static int set_buf(struct inet_sock *sk, bool snd, int v)
{
	uint32_t uv = v < 0 ? 0 : (uint32_t)v;
	uv = MIN(uv, INET_MEM_MAX);
	/* Linux doubles the request (its bookkeeping overhead), within its minimums. */
	if (snd) {
		sk->sndbuf = MAX(uv * 2, SOCK_MIN_SNDBUF);
		sk->sndbuf_locked = true;
	} else {
		sk->rcvbuf = MAX(uv * 2, SOCK_MIN_RCVBUF);
		sk->rcvbuf_locked = true;
	}
	if (sk->ops->buffers_changed)
		sk->ops->buffers_changed(sk);
	inet_wake(sk);
	return 0;
}

static int sol_socket_set(struct inet_sock *sk, int name, const void *val, size_t len)
{
	int v = 0, err;
	switch (name) {
	case SO_LINGER: {
		struct linger l;
		if (len < sizeof(l))
			return -EINVAL;
		memcpy(&l, val, sizeof(l));
		sk->linger_on = l.l_onoff != 0;
		sk->linger_secs = l.l_linger < 0 ? 0 : l.l_linger;
		return 0;
	}
	case SO_RCVTIMEO_OLD:
		return get_timeo(val, len, &sk->rcvtimeo_ns);
	case SO_SNDTIMEO_OLD:
		return get_timeo(val, len, &sk->sndtimeo_ns);
	case SO_BINDTODEVICE: {
		char name_buf[IFNAMSIZ] = "";
		size_t n = MIN(len, sizeof(name_buf) - 1);
		memcpy(name_buf, val, n);
		name_buf[n] = '\0';
		if (!sk->privileged)
			return -EPERM;
		if (!name_buf[0]) {
			sk->bound_dev = 0;
			return 0;
		}
		struct netif *d = netif_by_name(name_buf);
		if (!d)
			return -ENODEV;
		sk->bound_dev = d->index;
		return 0;
	}
	default:
		break;
	}
	err = get_int(val, len, &v);
	if (err)
		return err;
	switch (name) {
	case SO_DEBUG:
	case SO_PASSCRED:
	case SO_BUSY_POLL:
	case SO_ZEROCOPY:
	case SO_NO_CHECK:
		return 0;
	case SO_REUSEADDR:
		sk->reuseaddr = v != 0;
		return 0;
	case SO_REUSEPORT:
		sk->reuseport = v != 0;
		return 0;
	case SO_KEEPALIVE:
		sk->keepalive = v != 0;
		if (sk->ops->buffers_changed)
			sk->ops->buffers_changed(sk);
		return 0;
	case SO_DONTROUTE:
		sk->dontroute = v != 0;
		return 0;
	case SO_BROADCAST:
		sk->broadcast = v != 0;
		return 0;
	case SO_OOBINLINE:
		sk->oobinline = v != 0;
		return 0;
	case SO_TIMESTAMP_OLD:
	case SO_TIMESTAMPNS_OLD:
		sk->timestamp = v != 0;
		return 0;
	case SO_SNDBUF:
		return set_buf(sk, true, v);
	case SO_RCVBUF:
		return set_buf(sk, false, v);
	case SO_SNDBUFFORCE:
	case SO_RCVBUFFORCE:
		if (!sk->privileged)
			return -EPERM;
		return set_buf(sk, name == SO_SNDBUFFORCE, v);
	case SO_RCVLOWAT:
		sk->rcvlowat = v < 0 ? 0x7fffffff : (v ? v : 1);
		inet_wake(sk);
		return 0;
	case SO_PRIORITY:
		if ((v < 0 || v > 6) && !sk->privileged)
			return -EPERM;
		sk->priority = (uint32_t)v;
		return 0;
	case SO_MARK:
		if (!sk->privileged)
			return -EPERM;
		sk->mark = (uint32_t)v;
		return 0;
	case SO_BINDTOIFINDEX:
		if (!sk->privileged)
			return -EPERM;
		if (v && !netif_by_index(v))
			return -ENODEV;
		sk->bound_dev = v;
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

static int sol_socket_get(struct file *f, struct inet_sock *sk, int name, void *val, size_t *len)
{
	int v;
	switch (name) {
	case SO_TYPE: v = sk->type; break;
	case SO_PROTOCOL: v = sk->protocol; break;
	case SO_DOMAIN: v = AF_INET; break;
	case SO_ERROR: v = sk->err ? sk->err : sk->err_soft; sk->err = 0; sk->err_soft = 0; break;
	case SO_SNDBUF: v = (int)sk->sndbuf; break;
	case SO_RCVBUF: v = (int)sk->rcvbuf; break;
	case SO_REUSEADDR: v = sk->reuseaddr; break;
	case SO_REUSEPORT: v = sk->reuseport; break;
	case SO_KEEPALIVE: v = sk->keepalive; break;
	case SO_DONTROUTE: v = sk->dontroute; break;
	case SO_BROADCAST: v = sk->broadcast; break;
	case SO_OOBINLINE: v = sk->oobinline; break;
	case SO_ACCEPTCONN: v = sk->state == TCP_LISTEN; break;
	case SO_RCVLOWAT: v = sk->rcvlowat; break;
	case SO_SNDLOWAT: v = 1; break;
	case SO_PRIORITY: v = (int)sk->priority; break;
	case SO_MARK: v = (int)sk->mark; break;
	case SO_TIMESTAMP_OLD: v = sk->timestamp; break;
	case SO_DEBUG: case SO_PASSCRED: case SO_NO_CHECK: case SO_BUSY_POLL: case SO_ZEROCOPY:
	case SO_INCOMING_CPU:
		v = 0;
		break;
	case SO_BINDTOIFINDEX: v = sk->bound_dev; break;
	case SO_LINGER: {
		struct linger l = { sk->linger_on, sk->linger_secs };
		*len = MIN(*len, sizeof(l));
		memcpy(val, &l, *len);
		return 0;
	}
	case SO_RCVTIMEO_OLD:
		put_timeo(sk->rcvtimeo_ns, val, len);
		return 0;
	case SO_SNDTIMEO_OLD:
		put_timeo(sk->sndtimeo_ns, val, len);
		return 0;
	case SO_PEERCRED: {
		/* An inet socket has no peer credentials: Linux gives pid 0 and the overflow ids. */
		struct ucred c = { 0, 65534, 65534 };
		*len = MIN(*len, sizeof(c));
		memcpy(val, &c, *len);
		return 0;
	}
	case SO_PEERNAME: {
		union sock_addr a;
		size_t alen;
		net_unlock();
		int err = inet_name(f, true, &a, &alen);
		net_lock();
		if (err)
			return err;
		if (*len < alen)
			return -EINVAL;
		*len = alen;
		memcpy(val, &a, alen);
		return 0;
	}
	case SO_BINDTODEVICE: {
		struct netif *d = sk->bound_dev ? netif_by_index(sk->bound_dev) : NULL;
		size_t n = d ? strlen(d->name) + 1 : 0;
		if (*len < n)
			return -EINVAL;
		*len = n;
		if (n)
			memcpy(val, d->name, n);
		return 0;
	}
	case SO_COOKIE: {
		uint64_t c = sk->ino;
		if (*len < sizeof(c))
			return -EINVAL;
		*len = sizeof(c);
		memcpy(val, &c, sizeof(c));
		return 0;
	}
	default:
		return -ENOPROTOOPT;
	}
	*len = MIN(*len, sizeof(v));
	memcpy(val, &v, *len);
	return 0;
}

static int sol_ip_set(struct inet_sock *sk, int name, const void *val, size_t len)
{
	/* Linux takes an int, or a single byte when that is all there is. */
	int v = 0;
	if (len >= sizeof(int))
		memcpy(&v, val, sizeof(int));
	else if (len >= 1)
		v = ((const uint8_t *)val)[0];
	switch (name) {
	case IP_TOS:
		if (sk->type == SOCK_STREAM)
			v = (v & ~3) | (sk->tos & 3);
		sk->tos = (uint8_t)v;
		return 0;
	case IP_TTL:
		if (len < 1)
			return -EINVAL;
		if (v != -1 && (v < 1 || v > 255))
			return -EINVAL;
		sk->ttl = v == -1 ? 0 : (uint8_t)v;
		return 0;
	case IP_HDRINCL:
		if (sk->type != SOCK_RAW)
			return -ENOPROTOOPT;
		sk->hdrincl = v != 0;
		return 0;
	case IP_RECVERR:
		sk->recverr = v != 0;
		return 0;
	case IP_PKTINFO:
		sk->pktinfo = v != 0;
		return 0;
	case IP_RECVTTL:
		sk->recvttl = v != 0;
		return 0;
	case IP_RECVTOS:
		sk->recvtos = v != 0;
		return 0;
	case IP_RECVOPTS:
	case IP_RETOPTS:
		return 0;
	case IP_MTU_DISCOVER:
		if (v < IP_PMTUDISC_DONT || v > IP_PMTUDISC_OMIT)
			return -EINVAL;
		sk->pmtudisc = (uint8_t)v;
		return 0;
	case IP_FREEBIND:
		sk->freebind = v != 0;
		return 0;
	case IP_TRANSPARENT:
		if (!sk->privileged)
			return -EPERM;
		sk->transparent = v != 0;
		return 0;
	case IP_BIND_ADDRESS_NO_PORT:
		sk->bind_no_port = v != 0;
		return 0;
	case IP_MINTTL:
		if (v < 0 || v > 255)
			return -EINVAL;
		sk->minttl = (uint8_t)v;
		return 0;
	case IP_NODEFRAG:
		if (sk->type != SOCK_RAW)
			return -ENOPROTOOPT;
		sk->nodefrag = v != 0;
		return 0;
	case IP_OPTIONS:
		/* No IP options are sent; clearing them is all that works. */
		return len == 0 ? 0 : -EINVAL;
	case IP_MULTICAST_TTL:
		if (sk->type == SOCK_STREAM)
			return -EINVAL;
		if (v == -1)
			v = 1;
		if (v < 0 || v > 255)
			return -EINVAL;
		sk->mc_ttl = (uint8_t)v;
		return 0;
	case IP_MULTICAST_LOOP:
		sk->mc_loop = v != 0;
		return 0;
	case IP_MULTICAST_ALL:
		sk->mc_all = v != 0;
		return 0;
	case IP_UNICAST_IF:
		if (v && !netif_by_index(v))
			return -EADDRNOTAVAIL;
		sk->unicast_if = v;
		return 0;
	case IP_MULTICAST_IF:
	case IP_ADD_MEMBERSHIP:
	case IP_DROP_MEMBERSHIP:
	case IP_ADD_SOURCE_MEMBERSHIP:
	case IP_DROP_SOURCE_MEMBERSHIP:
	case IP_BLOCK_SOURCE:
	case IP_UNBLOCK_SOURCE:
	case IP_MSFILTER:
		/* No multicast: no interface takes part in a group (documented in docs/networking.md). */
		return -ENODEV;
	default:
		return -ENOPROTOOPT;
	}
}

static int sol_ip_get(struct inet_sock *sk, int name, void *val, size_t *len)
{
	int v;
	switch (name) {
	case IP_TOS: v = sk->tos; break;
	case IP_TTL: v = sk->ttl ? sk->ttl : IP_DEFAULT_TTL; break;
	case IP_HDRINCL: v = sk->hdrincl; break;
	case IP_RECVERR: v = sk->recverr; break;
	case IP_PKTINFO: v = sk->pktinfo; break;
	case IP_RECVTTL: v = sk->recvttl; break;
	case IP_RECVTOS: v = sk->recvtos; break;
	case IP_RECVOPTS: case IP_RETOPTS: v = 0; break;
	case IP_MTU_DISCOVER: v = sk->pmtudisc; break;
	case IP_FREEBIND: v = sk->freebind; break;
	case IP_TRANSPARENT: v = sk->transparent; break;
	case IP_BIND_ADDRESS_NO_PORT: v = sk->bind_no_port; break;
	case IP_MINTTL: v = sk->minttl; break;
	case IP_NODEFRAG: v = sk->nodefrag; break;
	case IP_MULTICAST_TTL: v = sk->mc_ttl; break;
	case IP_MULTICAST_LOOP: v = sk->mc_loop; break;
	case IP_MULTICAST_ALL: v = sk->mc_all; break;
	case IP_UNICAST_IF: v = sk->unicast_if; break;
	case IP_MTU: {
		if (sk->state != TCP_ESTABLISHED && sk->type != SOCK_STREAM)
			return -ENOTCONN;
		if (!sk->raddr || (sk->type == SOCK_STREAM && sk->state == TCP_CLOSE))
			return -ENOTCONN;
		v = (int)ip_route_mtu(sk->raddr);
		if (!v)
			return -ENOTCONN;
		break;
	}
	case IP_OPTIONS:
		*len = 0;
		return 0;
	case IP_MULTICAST_IF: {
		uint32_t a = 0;
		*len = MIN(*len, sizeof(a));
		memcpy(val, &a, *len);
		return 0;
	}
	default:
		return -ENOPROTOOPT;
	}
	if (*len < sizeof(int) && *len > 0 && v >= 0 && v <= 255) {
		/* Linux answers a short buffer with one byte. */
		((uint8_t *)val)[0] = (uint8_t)v;
		*len = 1;
		return 0;
	}
	*len = MIN(*len, sizeof(v));
	memcpy(val, &v, *len);
	return 0;
}

static int inet_setsockopt(struct file *f, int level, int name, const void *val, size_t len)
{
	struct inet_sock *sk = isk(f);
	net_lock();
	int err;
	if (level == SOL_SOCKET)
		err = sol_socket_set(sk, name, val, len);
	else if (level == SOL_IP)
		err = sol_ip_set(sk, name, val, len);
	else if (sk->ops->setsockopt)
		err = sk->ops->setsockopt(sk, level, name, val, len);
	else
		err = -ENOPROTOOPT;
	net_unlock();
	return err;
}

static int inet_getsockopt(struct file *f, int level, int name, void *val, size_t *len)
{
	struct inet_sock *sk = isk(f);
	net_lock();
	int err;
	if (level == SOL_SOCKET)
		err = sol_socket_get(f, sk, name, val, len);
	else if (level == SOL_IP)
		err = sol_ip_get(sk, name, val, len);
	else if (sk->ops->getsockopt)
		err = sk->ops->getsockopt(sk, level, name, val, len);
	else
		err = -ENOPROTOOPT;
	net_unlock();
	return err;
}

const struct sock_ops inet_sock_ops = {
	.family = AF_INET,
	.type = inet_type,
	.bind = inet_bind,
	.listen = inet_listen,
	.connect = inet_connect,
	.accept = inet_accept,
	.shutdown = inet_shutdown,
	.name = inet_name,
	.send = inet_send,
	.recv = inet_recv,
	.setsockopt = inet_setsockopt,
	.getsockopt = inet_getsockopt,
};

/* ---- the socket file ---- */

static ssize_t if_read(struct file *f, void *buf, size_t len, uint64_t *pos)
{
	(void)pos;
	struct sock_recv m = { .buf = buf, .len = len };
	ssize_t n = inet_recv(f, &m);
	return n > 0 && (size_t)n > len ? (ssize_t)len : n;
}

static ssize_t if_write(struct file *f, const void *buf, size_t len, uint64_t *pos)
{
	(void)pos;
	struct sock_send m = { .buf = buf, .len = len };
	return inet_send(f, &m);
}

static void if_release(struct file *f)
{
	struct inet_sock *sk = isk(f);
	net_lock();
	sk->ops->release(sk);
	net_unlock();
}

static unsigned if_poll(struct file *f, struct poll_table *pt)
{
	struct inet_sock *sk = isk(f);
	poll_wait(f, &sk->wq, pt);
	net_lock();
	unsigned mask = sk->ops->poll(sk);
	net_unlock();
	return mask;
}

static long if_ioctl(struct file *f, unsigned cmd, unsigned long arg)
{
	struct inet_sock *sk = isk(f);
	if (cmd == FIONREAD || cmd == TIOCOUTQ || cmd == SIOCOUTQNSD) {
		int v = 0;
		net_lock();
		int err = sk->ops->ioctl ? sk->ops->ioctl(sk, cmd, &v) : -ENOIOCTLCMD;
		net_unlock();
		if (err == -ENOIOCTLCMD)
			return -ENOTTY;
		if (err)
			return err;
		return put_user_u32((uint32_t)v, user_ptr(arg));
	}
	if (cmd == SIOCGSTAMP_OLD || cmd == SIOCGSTAMPNS_OLD)
		return -ENOENT;
	static const struct cred root;
	struct process *p = process_current();
	return inet_dev_ioctl(p ? &p->cred : &root, cmd, arg);
}

const struct file_ops inet_file_ops = {
	.read = if_read,
	.write = if_write,
	.release = if_release,
	.positional = false,
	.poll = if_poll,
	.ioctl = if_ioctl,
};
