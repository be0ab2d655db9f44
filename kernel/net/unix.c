/* AF_UNIX sockets: creation, pairs, listen/connect/accept, shutdown, names, options and the socket file operations. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/string.h>
#include <abi/fcntl.h>
#include <abi/termios.h>
#include <frame/vm_io.h>
#include <kernel/anon_inode.h>
#include <kernel/inet.h>
#include <kernel/poll.h>
#include <kernel/proc.h>
#include "unix_internal.h"

struct mutex unix_lock = MUTEX_INIT("unix");

/* Linux's SOCK_MIN_SNDBUF / SOCK_MIN_RCVBUF on x86_64. */
#define SOCK_MIN_SNDBUF 4608u
#define SOCK_MIN_RCVBUF 2304u

extern const struct file_ops unix_file_ops;

static struct ucred current_cred(void)
{
	struct process *p = process_current();
	if (!p)
		return (struct ucred){ 0, 0, 0 };
	return (struct ucred){ p->pid, p->cred.euid, p->cred.egid };
}

/* The caller's credential for the socket inode (kernel tests run without a process: root). */
static const struct cred *creator(void)
{
	static const struct cred root;
	struct process *p = process_current();
	return p ? &p->cred : &root;
}

static struct unix_sock *sock_alloc(int type)
{
	struct unix_sock *s = kzalloc(sizeof(*s));
	if (!s)
		return NULL;
	s->refs = 1;
	s->type = type;
	s->state = US_UNCONNECTED;
	wait_queue_init(&s->wq);
	s->sndbuf = SOCK_WMEM_DEFAULT;
	s->rcvbuf = SOCK_WMEM_DEFAULT;
	s->cred = current_cred();
	return s;
}

void unix_addr_put_locked(struct unix_addr *a)
{
	if (a && --a->refs == 0)
		kfree(a);
}

void unix_msg_free_locked(struct unix_msg *m)
{
	unix_addr_put_locked(m->from);
	struct file **fds = m->fds;
	unsigned n = m->nfds;
	kfree(m);
	if (n) {
		/* A descriptor's release may be a socket's, which takes the lock. */
		mutex_unlock(&unix_lock);
		for (unsigned i = 0; i < n; i++)
			file_put(fds[i]);
		mutex_lock(&unix_lock);
	}
	kfree(fds);
}

static void purge_queue(struct unix_sock *s)
{
	struct unix_msg *m = s->head;
	s->head = s->tail = NULL;
	__atomic_store_n(&s->qlen, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&s->qbytes, 0, __ATOMIC_RELEASE);
	while (m) {
		struct unix_msg *next = m->next;
		unix_msg_free_locked(m);
		m = next;
	}
}

void unix_sock_put_locked(struct unix_sock *s)
{
	if (!s || --s->refs)
		return;
	/* Peers' epoll entries may hook our queue (their poll registers it) and outlive us. */
	wait_queue_release(&s->wq);
	unix_addr_put_locked(s->addr);
	kfree(s);
}

/* Called with the lock: take @s down when its file goes. */
static void sock_release_locked(struct unix_sock *s)
{
	s->dead = true;
	unix_unbind(s);
	/* Pending connections die with the listener; their clients see a reset. */
	while (s->acc_head) {
		struct unix_sock *n = s->acc_head;
		s->acc_head = n->next_pending;
		n->next_pending = NULL;
		sock_release_locked(n);
		unix_sock_put_locked(n);
	}
	s->acc_tail = NULL;
	s->acc_len = 0;
	struct unix_sock *peer = s->peer;
	if (peer) {
		if (s->type != SOCK_DGRAM) {
			__atomic_or_fetch(&peer->shutdown, SHUTDOWN_MASK, __ATOMIC_RELEASE);
			/* Data we never read: the peer learns of it as a reset. */
			if (s->head)
				peer->err = ECONNRESET;
		}
		wait_wake_all(&peer->wq);
		s->peer = NULL;
		unix_sock_put_locked(peer);
	}
	__atomic_store_n(&s->shutdown, SHUTDOWN_MASK, __ATOMIC_RELEASE);
	wait_wake_all(&s->wq);
	purge_queue(s);
}

static void uf_release(struct file *f)
{
	struct unix_sock *s = f->private_data;
	mutex_lock(&unix_lock);
	sock_release_locked(s);
	unix_sock_put_locked(s);
	mutex_unlock(&unix_lock);
}

static int new_file(const struct cred *c, struct unix_sock *s, uint32_t flags, struct file **out)
{
	return anon_file_create(c, S_IFSOCK | 0777, O_RDWR | (flags & O_NONBLOCK), &unix_file_ops, s,
				out);
}

static bool type_ok(int type)
{
	return type == SOCK_STREAM || type == SOCK_DGRAM || type == SOCK_SEQPACKET;
}

int unix_create(const struct cred *c, int type, uint32_t flags, struct file **out)
{
	if (!type_ok(type))
		return -ESOCKTNOSUPPORT;
	struct unix_sock *s = sock_alloc(type);
	if (!s)
		return -ENOMEM;
	int err = new_file(c, s, flags, out);
	if (err)
		kfree(s);
	return err;
}

int unix_pair(const struct cred *c, int type, uint32_t flags, struct file **fa, struct file **fb)
{
	if (!type_ok(type))
		return -ESOCKTNOSUPPORT;
	struct unix_sock *a = sock_alloc(type), *b = sock_alloc(type);
	if (!a || !b) {
		kfree(a);
		kfree(b);
		return -ENOMEM;
	}
	/* Each holds the other; both are connected from birth. */
	a->peer = b;
	b->peer = a;
	a->refs++;
	b->refs++;
	a->state = b->state = US_CONNECTED;
	a->peercred = b->cred;
	b->peercred = a->cred;
	a->has_peercred = b->has_peercred = true;
	int err = new_file(c, a, flags, fa);
	if (err) {
		kfree(a);
		kfree(b);
		return err;
	}
	err = new_file(c, b, flags, fb);
	if (err) {
		file_put(*fa);	/* releases a, which drops b's reference to... b */
		mutex_lock(&unix_lock);
		b->peer = NULL;
		unix_sock_put_locked(a);
		unix_sock_put_locked(b);
		mutex_unlock(&unix_lock);
		return err;
	}
	return 0;
}

static int unix_sock_type(struct file *f)
{
	return ((struct unix_sock *)f->private_data)->type;
}

static struct unix_sock *sk(struct file *f)
{
	return f->private_data;
}

static int unix_sock_bind(struct file *f, const struct vfs_ctx *ctx, const union sock_addr *addr,
			  size_t len)
{
	const struct sockaddr_un *sa = &addr->un;
	struct unix_sock *s = sk(f);
	if (len < SUN_PATH_OFFSET || sa->sun_family != AF_UNIX)
		return -EINVAL;
	struct unix_addr *a = NULL;
	int err = 0;
	if (len > SUN_PATH_OFFSET) {
		err = unix_addr_make(sa, len, &a);
		if (err)
			return err;
	}
	mutex_lock(&unix_lock);
	if (s->addr)
		err = -EINVAL;
	else if (!a)
		err = unix_autobind(s);
	else
		err = unix_bind_name(s, ctx, a);
	mutex_unlock(&unix_lock);
	if (err)
		kfree(a);
	return err;
}

static int unix_sock_listen(struct file *f, int backlog)
{
	struct unix_sock *s = sk(f);
	if (s->type == SOCK_DGRAM)
		return -EOPNOTSUPP;
	mutex_lock(&unix_lock);
	int err = 0;
	if (!s->addr || s->state == US_CONNECTED)
		err = -EINVAL;
	else {
		if ((unsigned)backlog > SOMAXCONN)
			backlog = SOMAXCONN;
		s->backlog = backlog;
		s->state = US_LISTENING;
		wait_wake_all(&s->wq);
	}
	mutex_unlock(&unix_lock);
	return err;
}

/* Datagram connect: set or clear the default destination. */
static int dgram_connect(struct unix_sock *s, const struct vfs_ctx *ctx, struct unix_addr *a)
{
	struct unix_sock *o = NULL;
	int err = 0;
	if (a) {
		err = unix_find(ctx, a, &o);
		if (!err && o->type != s->type)
			err = -EPROTOTYPE;
		if (!err && o->dead)
			err = -ECONNREFUSED;
		if (err) {
			unix_sock_put_locked(o);
			return err;
		}
	}
	struct unix_sock *old = s->peer;
	s->peer = o;
	s->state = o ? US_CONNECTED : US_UNCONNECTED;
	unix_sock_put_locked(old);
	if (old)
		wait_wake_all(&old->wq);
	return 0;
}

static bool accept_room(struct unix_sock *l)
{
	return __atomic_load_n(&l->acc_len, __ATOMIC_ACQUIRE) <= (uint32_t)l->backlog ||
	       __atomic_load_n(&l->dead, __ATOMIC_ACQUIRE) ||
	       __atomic_load_n(&l->state, __ATOMIC_ACQUIRE) != US_LISTENING;
}

static int unix_sock_connect(struct file *f, const struct vfs_ctx *ctx, const union sock_addr *addr,
			     size_t len)
{
	const struct sockaddr_un *sa = &addr->un;
	struct unix_sock *s = sk(f);
	if (len < SUN_PATH_OFFSET)
		return -EINVAL;
	struct unix_addr *a = NULL;
	if (sa->sun_family == AF_UNSPEC && s->type == SOCK_DGRAM) {
		mutex_lock(&unix_lock);
		int err = dgram_connect(s, ctx, NULL);
		mutex_unlock(&unix_lock);
		return err;
	}
	int err = unix_addr_make(sa, len, &a);
	if (err)
		return err;
	mutex_lock(&unix_lock);
	if (s->type == SOCK_DGRAM) {
		err = dgram_connect(s, ctx, a);
		goto out;
	}
	for (;;) {
		if (s->state == US_CONNECTED) {
			err = -EISCONN;
			goto out;
		}
		if (s->state == US_LISTENING) {
			err = -EINVAL;
			goto out;
		}
		struct unix_sock *l = NULL;
		err = unix_find(ctx, a, &l);
		if (err)
			goto out;
		if (l->type != s->type)
			err = -EPROTOTYPE;
		else if (l->state != US_LISTENING || l->dead)
			err = -ECONNREFUSED;
		if (err) {
			unix_sock_put_locked(l);
			goto out;
		}
		if (l->acc_len > (uint32_t)l->backlog) {
			if (f->flags & O_NONBLOCK) {
				unix_sock_put_locked(l);
				err = -EAGAIN;
				goto out;
			}
			mutex_unlock(&unix_lock);
			err = poll_wait_event(&l->wq, accept_room(l), 0);
			mutex_lock(&unix_lock);
			unix_sock_put_locked(l);
			if (err)
				goto out;
			continue;	/* look the name up again: the listener may be gone */
		}
		/* The server side of the connection, waiting in the listener's queue. */
		struct unix_sock *n = sock_alloc(s->type);
		if (!n) {
			unix_sock_put_locked(l);
			err = -ENOMEM;
			goto out;
		}
		n->cred = l->cred;
		n->sndbuf = l->sndbuf;
		n->rcvbuf = l->rcvbuf;
		n->passcred = l->passcred;
		n->state = US_CONNECTED;
		n->peer = s;
		s->refs++;
		n->peercred = s->cred;
		n->has_peercred = true;
		if (l->addr) {
			n->addr = l->addr;
			l->addr->refs++;
		}
		s->peer = n;
		n->refs++;
		s->state = US_CONNECTED;
		s->peercred = l->cred;
		s->has_peercred = true;
		/* The queue's reference is n's first one. */
		if (l->acc_tail)
			l->acc_tail->next_pending = n;
		else
			l->acc_head = n;
		l->acc_tail = n;
		__atomic_add_fetch(&l->acc_len, 1, __ATOMIC_RELEASE);
		wait_wake_all(&l->wq);
		unix_sock_put_locked(l);
		break;
	}
out:
	mutex_unlock(&unix_lock);
	kfree(a);	/* a name to look up, never kept */
	return err;
}

static bool acceptable(struct unix_sock *s)
{
	return __atomic_load_n(&s->acc_head, __ATOMIC_ACQUIRE) ||
	       __atomic_load_n(&s->state, __ATOMIC_ACQUIRE) != US_LISTENING;
}

static void fill_name(const struct unix_addr *a, union sock_addr *addr, size_t *alen)
{
	struct sockaddr_un *out = &addr->un;
	memset(out, 0, sizeof(*out));
	out->sun_family = AF_UNIX;
	if (!a) {
		*alen = SUN_PATH_OFFSET;
		return;
	}
	memcpy(out, &a->sa, a->len);
	*alen = a->len;
}

static int unix_sock_accept(struct file *f, uint32_t flags, struct file **out, union sock_addr *peer,
			    size_t *alen)
{
	struct unix_sock *s = sk(f);
	if (s->type == SOCK_DGRAM)
		return -EOPNOTSUPP;
	mutex_lock(&unix_lock);
	struct unix_sock *n = NULL;
	int err = 0;
	for (;;) {
		if (s->state != US_LISTENING) {
			err = -EINVAL;
			break;
		}
		n = s->acc_head;
		if (n) {
			s->acc_head = n->next_pending;
			if (!s->acc_head)
				s->acc_tail = NULL;
			n->next_pending = NULL;
			__atomic_sub_fetch(&s->acc_len, 1, __ATOMIC_RELEASE);
			wait_wake_all(&s->wq);
			break;
		}
		if (f->flags & O_NONBLOCK) {
			err = -EAGAIN;
			break;
		}
		mutex_unlock(&unix_lock);
		err = poll_wait_event(&s->wq, acceptable(s), 0);
		mutex_lock(&unix_lock);
		if (err)
			break;
	}
	if (n)
		fill_name(n->peer ? n->peer->addr : NULL, peer, alen);
	mutex_unlock(&unix_lock);
	if (err)
		return err;
	/* The queue's reference becomes the file's. */
	err = new_file(creator(), n, flags, out);
	if (err) {
		mutex_lock(&unix_lock);
		sock_release_locked(n);
		unix_sock_put_locked(n);
		mutex_unlock(&unix_lock);
	}
	return err;
}

static int unix_sock_shutdown(struct file *f, int how)
{
	struct unix_sock *s = sk(f);
	if (how < SHUT_RD || how > SHUT_RDWR)
		return -EINVAL;
	uint32_t mode = (uint32_t)how + 1;	/* SHUT_RD -> RCV, SHUT_WR -> SEND, both */
	mutex_lock(&unix_lock);
	__atomic_or_fetch(&s->shutdown, mode, __ATOMIC_RELEASE);
	wait_wake_all(&s->wq);
	struct unix_sock *o = s->peer;
	if (o && s->type != SOCK_DGRAM) {
		uint32_t peer_mode = 0;
		if (mode & RCV_SHUTDOWN)
			peer_mode |= SEND_SHUTDOWN;
		if (mode & SEND_SHUTDOWN)
			peer_mode |= RCV_SHUTDOWN;
		__atomic_or_fetch(&o->shutdown, peer_mode, __ATOMIC_RELEASE);
		wait_wake_all(&o->wq);
	}
	mutex_unlock(&unix_lock);
	return 0;
}

static int unix_sock_name(struct file *f, bool peer, union sock_addr *out, size_t *alen)
{
	struct unix_sock *s = sk(f);
	int err = 0;
	mutex_lock(&unix_lock);
	if (peer) {
		if (!s->peer || s->state != US_CONNECTED)
			err = -ENOTCONN;
		else
			fill_name(s->peer->addr, out, alen);
	} else {
		fill_name(s->addr, out, alen);
	}
	mutex_unlock(&unix_lock);
	return err;
}

/* ---- options ---- */

static int unix_sock_setsockopt(struct file *f, int level, int name, const void *val, size_t len)
{
	struct unix_sock *s = sk(f);
	if (level != SOL_SOCKET)
		return -EOPNOTSUPP;
	if (name == SO_LINGER) {
		if (len < sizeof(struct linger))
			return -EINVAL;
		memcpy(&s->linger, val, sizeof(struct linger));
		return 0;
	}
	if (len < sizeof(int))
		return -EINVAL;
	int v;
	memcpy(&v, val, sizeof(v));
	uint32_t uv = (uint32_t)v;
	switch (name) {
	case SO_SNDBUF:
	case SO_SNDBUFFORCE:
		/* Linux doubles the request (bookkeeping overhead), within [min, 2 * wmem_max]. */
		uv = MIN(uv, SOCK_WMEM_MAX);
		__atomic_store_n(&s->sndbuf, MAX(uv * 2, SOCK_MIN_SNDBUF), __ATOMIC_RELEASE);
		return 0;
	case SO_RCVBUF:
	case SO_RCVBUFFORCE:
		uv = MIN(uv, SOCK_WMEM_MAX);
		__atomic_store_n(&s->rcvbuf, MAX(uv * 2, SOCK_MIN_RCVBUF), __ATOMIC_RELEASE);
		return 0;
	case SO_PASSCRED:
		s->passcred = v != 0;
		return 0;
	case SO_REUSEADDR:
		s->reuseaddr = v != 0;
		return 0;
	case SO_KEEPALIVE:
		s->keepalive = v != 0;
		return 0;
	case SO_DEBUG:
	case SO_DONTROUTE:
	case SO_BROADCAST:
	case SO_OOBINLINE:
	case SO_RCVLOWAT:
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

static int unix_sock_getsockopt(struct file *f, int level, int name, void *val, size_t *len)
{
	struct unix_sock *s = sk(f);
	if (level != SOL_SOCKET)
		return -EOPNOTSUPP;
	int v;
	mutex_lock(&unix_lock);
	switch (name) {
	case SO_TYPE: v = s->type; break;
	case SO_PROTOCOL: v = 0; break;
	case SO_DOMAIN: v = AF_UNIX; break;
	case SO_ERROR: v = s->err; s->err = 0; break;
	case SO_SNDBUF: v = (int)s->sndbuf; break;
	case SO_RCVBUF: v = (int)s->rcvbuf; break;
	case SO_PASSCRED: v = s->passcred; break;
	case SO_REUSEADDR: v = s->reuseaddr; break;
	case SO_KEEPALIVE: v = s->keepalive; break;
	case SO_ACCEPTCONN: v = s->state == US_LISTENING; break;
	case SO_RCVLOWAT: v = 1; break;
	case SO_SNDLOWAT: v = 1; break;
	case SO_DEBUG: case SO_DONTROUTE: case SO_BROADCAST: case SO_OOBINLINE: v = 0; break;
	case SO_LINGER: {
		struct linger l = s->linger;
		mutex_unlock(&unix_lock);
		*len = MIN(*len, sizeof(l));
		memcpy(val, &l, *len);
		return 0;
	}
	case SO_PEERCRED: {
		/* Linux gives pid 0 and the overflow ids (65534) when there is no peer. */
		struct ucred c = s->has_peercred ? s->peercred : (struct ucred){ 0, 65534, 65534 };
		mutex_unlock(&unix_lock);
		*len = MIN(*len, sizeof(c));
		memcpy(val, &c, *len);
		return 0;
	}
	default:
		mutex_unlock(&unix_lock);
		return -ENOPROTOOPT;
	}
	mutex_unlock(&unix_lock);
	*len = MIN(*len, sizeof(v));
	memcpy(val, &v, *len);
	return 0;
}

/* ---- file operations ---- */

static ssize_t uf_read(struct file *f, void *buf, size_t len, uint64_t *pos)
{
	(void)pos;
	struct sock_recv m = { .buf = buf, .len = len, .flags = 0 };
	ssize_t n = unix_sock_recv(f, &m);
	if (m.fds) {
		for (unsigned i = 0; i < m.nfds; i++)
			file_put(m.fds[i]);
		kfree(m.fds);
	}
	/* read() on a datagram socket returns the bytes copied, not the datagram's length. */
	if (n > 0 && (size_t)n > len)
		n = (ssize_t)len;
	return n;
}

static ssize_t uf_write(struct file *f, const void *buf, size_t len, uint64_t *pos)
{
	(void)pos;
	struct sock_send m = { .buf = buf, .len = len, .flags = 0 };
	return unix_sock_send(f, &m);
}


static unsigned uf_poll(struct file *f, struct poll_table *pt)
{
	struct unix_sock *s = sk(f);
	poll_wait(f, &s->wq, pt);
	mutex_lock(&unix_lock);
	struct unix_sock *peer = s->peer;
	if (peer && peer != s)
		poll_wait(f, &peer->wq, pt);
	unsigned mask = unix_poll_mask(s);
	mutex_unlock(&unix_lock);
	return mask;
}

static long uf_ioctl(struct file *f, unsigned cmd, unsigned long arg)
{
	struct unix_sock *s = sk(f);
	if (cmd != FIONREAD) {
		/* Any socket answers the interface ioctls (musl's if_nametoindex asks an AF_UNIX one). */
		static const struct cred root;
		struct process *p = process_current();
		return inet_dev_ioctl(p ? &p->cred : &root, cmd, arg);
	}
	mutex_lock(&unix_lock);
	uint32_t n;
	if (s->state == US_LISTENING)
		n = 0;
	else if (s->type == SOCK_STREAM)
		n = (uint32_t)s->qbytes;
	else
		n = s->head ? (uint32_t)s->head->len : 0;
	mutex_unlock(&unix_lock);
	return put_user_u32(n, user_ptr(arg));
}

const struct file_ops unix_file_ops = {
	.read = uf_read,
	.write = uf_write,
	.llseek = NULL,
	.release = uf_release,
	.positional = false,
	.poll = uf_poll,
	.ioctl = uf_ioctl,
};

const struct sock_ops unix_sock_ops = {
	.family = AF_UNIX,
	.type = unix_sock_type,
	.bind = unix_sock_bind,
	.listen = unix_sock_listen,
	.connect = unix_sock_connect,
	.accept = unix_sock_accept,
	.shutdown = unix_sock_shutdown,
	.name = unix_sock_name,
	.send = unix_sock_send,
	.recv = unix_sock_recv,
	.setsockopt = unix_sock_setsockopt,
	.getsockopt = unix_sock_getsockopt,
};
