/*
 * AF_NETLINK sockets, NETLINK_ROUTE only: each request a process sends is
 * answered at once by the IPv4 stack's rtnetlink (inet_rtnl_request), whose
 * replies queue on the socket as datagrams read back with recv/recvmsg
 * (MSG_PEEK, MSG_TRUNC, MSG_DONTWAIT), from the kernel's address (pid 0).
 * No multicast groups: binding to some is accepted and nothing is sent to
 * them.
 */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/mutex.h>
#include <frame/string.h>
#include <frame/wait.h>
#include <abi/fcntl.h>
#include <abi/netlink.h>
#include <kernel/anon_inode.h>
#include <kernel/inet.h>
#include <kernel/netlink.h>
#include <kernel/poll.h>
#include <kernel/proc.h>

/* Linux's default receive buffer (net.core.rmem_default). */
#define NL_RCVBUF 212992u

struct nl_dgram {
	struct nl_dgram *next;
	size_t len;
	uint8_t data[];
};

struct nl_sock {
	struct nl_sock *next;	/* every socket, for port ids */
	int type;
	uint32_t pid;		/* bound port id, 0 until bound */
	uint32_t groups;
	struct nl_dgram *head, *tail;
	size_t qbytes;
	uint32_t rcvbuf;
	bool privileged;	/* made by root: may change interfaces, addresses, routes */
	struct wait_queue wq;
};

/* The sockets' queues and port ids. */
static struct mutex nl_lock = MUTEX_INIT("netlink");
static uint32_t next_autobind = 0xfffff000u;
static struct nl_sock *all_socks;

extern const struct file_ops netlink_file_ops;
extern const struct sock_ops netlink_sock_ops;

static struct nl_sock *nsk(struct file *f)
{
	return f->private_data;
}

/* rtnetlink's way of answering: one datagram onto the asking socket. */
static int queue_reply(void *ctx, const void *data, size_t len)
{
	struct nl_sock *s = ctx;
	struct nl_dgram *d = kmalloc(sizeof(*d) + len);
	if (!d)
		return -ENOMEM;
	mutex_lock(&nl_lock);
	if (s->qbytes + len > s->rcvbuf && s->head) {
		mutex_unlock(&nl_lock);
		kfree(d);
		return -ENOBUFS;
	}
	d->next = NULL;
	d->len = len;
	memcpy(d->data, data, len);
	if (s->tail)
		s->tail->next = d;
	else
		s->head = d;
	s->tail = d;
	s->qbytes += len;
	mutex_unlock(&nl_lock);
	return 0;
}

/* Autobind as Linux does: the process's pid first, then numbers from the top. */
static void autobind(struct nl_sock *s);

static ssize_t nl_send(struct file *f, struct sock_send *m)
{
	struct nl_sock *s = nsk(f);
	if (m->to && m->tolen >= sizeof(struct sockaddr_nl)) {
		struct sockaddr_nl to;
		memcpy(&to, m->to, sizeof(to));
		if (to.nl_family != AF_NETLINK)
			return -EINVAL;
		/* Only the kernel (pid 0) is there to talk to. */
		if (to.nl_pid != 0 || to.nl_groups)
			return -ECONNREFUSED;
	} else if (m->to) {
		return -EINVAL;
	}
	if (m->len > 65536)
		return -EMSGSIZE;
	mutex_lock(&nl_lock);
	if (!s->pid)
		autobind(s);
	mutex_unlock(&nl_lock);
	uint32_t pid = s->pid;
	/* Lock order: the stack's lock (inside), then ours (queue_reply). */
	int err = inet_rtnl_request(m->buf, m->len, pid, s->privileged, queue_reply, s);
	wait_wake_all_key(&s->wq, POLLIN | POLLRDNORM);
	return err ? err : (ssize_t)m->len;
}

static ssize_t nl_recv(struct file *f, struct sock_recv *m)
{
	struct nl_sock *s = nsk(f);
	bool nonblock = (f->flags & O_NONBLOCK) || (m->flags & MSG_DONTWAIT);
	for (;;) {
		mutex_lock(&nl_lock);
		struct nl_dgram *d = s->head;
		if (d) {
			size_t n = MIN(m->len, d->len);
			memcpy(m->buf, d->data, n);
			if (n < d->len)
				m->out_flags |= MSG_TRUNC;
			size_t full = d->len;
			if (!(m->flags & MSG_PEEK)) {
				s->head = d->next;
				if (!s->head)
					s->tail = NULL;
				s->qbytes -= d->len;
				kfree(d);
			}
			mutex_unlock(&nl_lock);
			struct sockaddr_nl from = { AF_NETLINK, 0, 0, 0 };
			memcpy(&m->from, &from, sizeof(from));
			m->fromlen = sizeof(from);
			return (m->flags & MSG_TRUNC) ? (ssize_t)full : (ssize_t)n;
		}
		mutex_unlock(&nl_lock);
		if (nonblock)
			return -EAGAIN;
		int err = poll_wait_event(&s->wq, __atomic_load_n(&s->head, __ATOMIC_ACQUIRE) != NULL, 0);
		if (err)
			return err == -ERESTARTSYS ? -EINTR : err;
	}
}

static bool pid_taken(uint32_t pid)
{
	for (struct nl_sock *o = all_socks; o; o = o->next)
		if (o->pid == pid)
			return true;
	return false;
}

static void autobind(struct nl_sock *s)
{
	struct process *p = process_current();
	uint32_t want = p && p->pid > 0 ? (uint32_t)p->pid : 0;
	/* Linux tries the tgid first; later sockets of the process get numbers from the top. */
	while (!want || pid_taken(want))
		want = next_autobind--;
	s->pid = want;
}

static int nl_bind(struct file *f, const struct vfs_ctx *ctx, const union sock_addr *a, size_t len)
{
	(void)ctx;
	struct nl_sock *s = nsk(f);
	if (len < sizeof(struct sockaddr_nl))
		return -EINVAL;
	struct sockaddr_nl nl;
	memcpy(&nl, a, sizeof(nl));
	if (nl.nl_family != AF_NETLINK)
		return -EINVAL;
	mutex_lock(&nl_lock);
	int err = 0;
	if (s->pid && nl.nl_pid && nl.nl_pid != s->pid)
		err = -EINVAL;
	else if (!s->pid && nl.nl_pid && pid_taken(nl.nl_pid))
		err = -EADDRINUSE;
	else if (!s->pid && nl.nl_pid)
		s->pid = nl.nl_pid;
	else if (!s->pid)
		autobind(s);
	if (!err)
		s->groups = nl.nl_groups;
	mutex_unlock(&nl_lock);
	return err;
}

static int nl_connect(struct file *f, const struct vfs_ctx *ctx, const union sock_addr *a,
		      size_t len)
{
	(void)ctx;
	struct nl_sock *s = nsk(f);
	if (len < sizeof(struct sockaddr_nl))
		return -EINVAL;
	struct sockaddr_nl nl;
	memcpy(&nl, a, sizeof(nl));
	if (nl.nl_family != AF_NETLINK && nl.nl_family != AF_UNSPEC)
		return -EINVAL;
	mutex_lock(&nl_lock);
	if (!s->pid)
		autobind(s);
	mutex_unlock(&nl_lock);
	return 0;
}

static int nl_name(struct file *f, bool peer, union sock_addr *out, size_t *alen)
{
	struct nl_sock *s = nsk(f);
	struct sockaddr_nl nl = { AF_NETLINK, 0, 0, 0 };
	if (!peer) {
		nl.nl_pid = s->pid;
		nl.nl_groups = s->groups;
	}
	memcpy(out, &nl, sizeof(nl));
	*alen = sizeof(nl);
	return 0;
}

static int nl_type(struct file *f)
{
	return nsk(f)->type;
}

static int nl_listen(struct file *f, int backlog)
{
	(void)f, (void)backlog;
	return -EOPNOTSUPP;
}

static int nl_accept(struct file *f, uint32_t flags, struct file **out, union sock_addr *peer,
		     size_t *alen)
{
	(void)f, (void)flags, (void)out, (void)peer, (void)alen;
	return -EOPNOTSUPP;
}

static int nl_shutdown(struct file *f, int how)
{
	(void)f, (void)how;
	return 0;
}

static int nl_setsockopt(struct file *f, int level, int name, const void *val, size_t len)
{
	struct nl_sock *s = nsk(f);
	if (level == SOL_SOCKET) {
		int v = 0;
		if (len >= sizeof(int))
			memcpy(&v, val, sizeof(v));
		if (name == SO_RCVBUF || name == SO_RCVBUFFORCE) {
			if (len < sizeof(int))
				return -EINVAL;
			s->rcvbuf = v < 128 ? 256u : MIN((uint32_t)v * 2u, 2u * NL_RCVBUF);
			return 0;
		}
		if (name == SO_SNDBUF || name == SO_SNDBUFFORCE || name == SO_PASSCRED ||
		    name == SO_TIMESTAMP_OLD)
			return len < sizeof(int) ? -EINVAL : 0;
		return -ENOPROTOOPT;
	}
	/* SOL_NETLINK (270): NETLINK_EXT_ACK, STRICT_CHK, ... accepted and ignored. */
	if (level == 270)
		return len < sizeof(int) ? -EINVAL : 0;
	return -ENOPROTOOPT;
}

static int nl_getsockopt(struct file *f, int level, int name, void *val, size_t *len)
{
	struct nl_sock *s = nsk(f);
	int v;
	if (level != SOL_SOCKET)
		return -ENOPROTOOPT;
	switch (name) {
	case SO_TYPE:
		v = s->type;
		break;
	case SO_DOMAIN:
		v = AF_NETLINK;
		break;
	case SO_PROTOCOL:
		v = NETLINK_ROUTE;
		break;
	case SO_RCVBUF:
		v = (int)s->rcvbuf;
		break;
	case SO_SNDBUF:
		v = (int)NL_RCVBUF;
		break;
	case SO_ERROR:
		v = 0;
		break;
	default:
		return -ENOPROTOOPT;
	}
	if (*len < sizeof(int))
		return -EINVAL;
	memcpy(val, &v, sizeof(v));
	*len = sizeof(v);
	return 0;
}

const struct sock_ops netlink_sock_ops = {
	.family = AF_NETLINK,
	.type = nl_type,
	.bind = nl_bind,
	.listen = nl_listen,
	.connect = nl_connect,
	.accept = nl_accept,
	.shutdown = nl_shutdown,
	.name = nl_name,
	.send = nl_send,
	.recv = nl_recv,
	.setsockopt = nl_setsockopt,
	.getsockopt = nl_getsockopt,
};

/* ---- the socket file ---- */

static ssize_t nf_read(struct file *f, void *buf, size_t len, uint64_t *pos)
{
	(void)pos;
	struct sock_recv m = { .buf = buf, .len = len };
	ssize_t n = nl_recv(f, &m);
	return n > 0 && (size_t)n > len ? (ssize_t)len : n;
}

static ssize_t nf_write(struct file *f, const void *buf, size_t len, uint64_t *pos)
{
	(void)pos;
	struct sock_send m = { .buf = buf, .len = len };
	return nl_send(f, &m);
}

static void nf_release(struct file *f)
{
	struct nl_sock *s = nsk(f);
	mutex_lock(&nl_lock);
	for (struct nl_sock **pp = &all_socks; *pp; pp = &(*pp)->next) {
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	}
	mutex_unlock(&nl_lock);
	while (s->head) {
		struct nl_dgram *d = s->head;
		s->head = d->next;
		kfree(d);
	}
	kfree(s);
}

static unsigned nf_poll(struct file *f, struct poll_table *pt)
{
	struct nl_sock *s = nsk(f);
	poll_wait(f, &s->wq, pt);
	unsigned mask = POLLOUT | POLLWRNORM;
	if (__atomic_load_n(&s->head, __ATOMIC_ACQUIRE))
		mask |= POLLIN | POLLRDNORM;
	return mask;
}

static long nf_ioctl(struct file *f, unsigned cmd, unsigned long arg)
{
	(void)f;
	/* The interface ioctls every socket answers. */
	static const struct cred root;
	struct process *p = process_current();
	return inet_dev_ioctl(p ? &p->cred : &root, cmd, arg);
}

const struct file_ops netlink_file_ops = {
	.read = nf_read,
	.write = nf_write,
	.release = nf_release,
	.positional = false,
	.poll = nf_poll,
	.ioctl = nf_ioctl,
};

const struct sock_ops *netlink_sock_ops_of(const struct file *f)
{
	return f->ops == &netlink_file_ops ? &netlink_sock_ops : NULL;
}

int netlink_create(const struct cred *c, int type, int protocol, uint32_t flags, struct file **out)
{
	if (type != SOCK_RAW && type != SOCK_DGRAM)
		return -ESOCKTNOSUPPORT;
	if (protocol != NETLINK_ROUTE)
		return -EPROTONOSUPPORT;
	struct nl_sock *s = kzalloc(sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->type = type;
	s->rcvbuf = NL_RCVBUF;
	s->privileged = c->euid == 0;
	wait_queue_init(&s->wq);
	int err = anon_file_create(c, S_IFSOCK | 0777, O_RDWR | (flags & O_NONBLOCK), &netlink_file_ops,
				   s, out);
	if (err) {
		kfree(s);
		return err;
	}
	mutex_lock(&nl_lock);
	s->next = all_socks;
	all_socks = s;
	mutex_unlock(&nl_lock);
	return 0;
}
