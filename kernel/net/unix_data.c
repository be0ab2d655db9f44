/* AF_UNIX data: sending into and receiving from message queues (stream bytes, datagram and seqpacket records), with descriptors and credentials in flight, and poll masks. */
#include <abi/errno.h>
#include <frame/heap.h>
#include <frame/string.h>
#include <abi/fcntl.h>
#include <kernel/poll.h>
#include <kernel/proc.h>
#include "unix_internal.h"

/* What a queued message costs beyond its bytes (Linux charges an skb's truesize). */
#define MSG_OVERHEAD 256u
/* Linux's net.unix.max_dgram_qlen: datagrams queued for a receiver that is not our own peer. */
#define MAX_DGRAM_QLEN 10u

static uint32_t ld32(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static size_t ldsz(const size_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static bool ldb(const bool *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static struct ucred sender_cred(const struct sock_send *m)
{
	if (m->has_cred)
		return m->cred;
	struct process *p = process_current();
	if (!p)
		return (struct ucred){ 0, 0, 0 };
	return (struct ucred){ p->pid, p->cred.euid, p->cred.egid };
}

static size_t charge(const struct unix_msg *m)
{
	return m->len + MSG_OVERHEAD;
}

/* Queue @m on @to (under the lock) and wake its readers. */
static void enqueue(struct unix_sock *to, struct unix_msg *m)
{
	if (to->tail)
		to->tail->next = m;
	else
		to->head = m;
	to->tail = m;
	__atomic_add_fetch(&to->qlen, 1, __ATOMIC_RELEASE);
	__atomic_add_fetch(&to->qbytes, m->len, __ATOMIC_RELEASE);
	__atomic_add_fetch(&to->qcharge, charge(m), __ATOMIC_RELEASE);
	wait_wake_all(&to->wq);
}

static struct unix_msg *dequeue_head(struct unix_sock *s)
{
	struct unix_msg *m = s->head;
	s->head = m->next;
	if (!s->head)
		s->tail = NULL;
	m->next = NULL;
	__atomic_sub_fetch(&s->qlen, 1, __ATOMIC_RELEASE);
	__atomic_sub_fetch(&s->qbytes, m->len - m->off, __ATOMIC_RELEASE);
	__atomic_sub_fetch(&s->qcharge, charge(m), __ATOMIC_RELEASE);
	/* Writers into this queue sleep on it too. */
	wait_wake_all(&s->wq);
	return m;
}

static struct unix_msg *msg_new(const void *buf, size_t len, struct sock_send *sm, bool with_fds)
{
	struct unix_msg *m = kmalloc(sizeof(*m) + len);
	if (!m)
		return NULL;
	memset(m, 0, sizeof(*m));
	memcpy(m->data, buf, len);
	m->len = len;
	m->cred = sender_cred(sm);
	if (with_fds && sm->nfds) {
		m->fds = sm->fds;
		m->nfds = sm->nfds;
	}
	return m;
}

static ssize_t broken_pipe(const struct sock_send *m)
{
	if (!(m->flags & MSG_NOSIGNAL))
		poll_raise_sigpipe();
	return -EPIPE;
}

/* A sender may go on: room in @to's queue, or something it must report. */
static bool send_ready(struct unix_sock *s, struct unix_sock *to, size_t need, uint32_t qmax)
{
	return ldsz(&to->qcharge) + need <= MAX(ld32(&s->sndbuf), need) && ld32(&to->qlen) < qmax ?
		       true :
		       ldb(&to->dead) || (ld32(&to->shutdown) & RCV_SHUTDOWN) ||
			       (ld32(&s->shutdown) & SEND_SHUTDOWN) ||
			       __atomic_load_n(&s->peer, __ATOMIC_ACQUIRE) != to;
}

/*
 * Room for a record of @len bytes in @to, waiting unless @nonblock: 0 (lock
 * held, room there), or -EAGAIN/-ERESTARTSYS/-EPIPE/-ECONNREFUSED.
 */
static int wait_room(struct unix_sock *s, struct unix_sock *to, size_t len, uint32_t qmax,
		     bool nonblock, bool via_peer)
{
	size_t need = len + MSG_OVERHEAD;
	for (;;) {
		if (s->shutdown & SEND_SHUTDOWN)
			return -EPIPE;
		if (to->dead)
			return s->type == SOCK_DGRAM ? -ECONNREFUSED : -EPIPE;
		if (to->shutdown & RCV_SHUTDOWN)
			return -EPIPE;
		if (via_peer && s->peer != to)
			return s->peer ? -EAGAIN : -ENOTCONN;
		/* A record bigger than the buffer still goes into an empty queue. */
		if (to->qcharge + need <= MAX(s->sndbuf, need) && to->qlen < qmax)
			return 0;
		if (nonblock)
			return -EAGAIN;
		mutex_unlock(&unix_lock);
		int err = poll_wait_event(&to->wq, send_ready(s, to, need, qmax), 0);
		mutex_lock(&unix_lock);
		if (err)
			return err;
	}
}

static ssize_t stream_send(struct file *f, struct unix_sock *s, struct sock_send *m, bool nonblock)
{
	if (m->to)
		return s->state == US_CONNECTED ? -EISCONN : -EOPNOTSUPP;
	const uint8_t *src = m->buf;
	size_t sent = 0;
	ssize_t err = 0;
	(void)f;
	mutex_lock(&unix_lock);
	struct unix_sock *to = s->peer;
	if (s->shutdown & SEND_SHUTDOWN) {
		err = -EPIPE;
		goto out;
	}
	if (s->state != US_CONNECTED || !to) {
		err = -ENOTCONN;
		goto out;
	}
	to->refs++;
	do {
		size_t left = m->len - sent;
		/* A chunk the receiver's queue can take now (at least one byte waits for room). */
		err = wait_room(s, to, MIN(left, (size_t)1), UINT32_MAX, nonblock, true);
		if (err)
			break;
		size_t room = s->sndbuf > to->qcharge + MSG_OVERHEAD ?
				      s->sndbuf - to->qcharge - MSG_OVERHEAD :
				      1;
		size_t n = MIN(left, room);
		struct unix_msg *msg = msg_new(src + sent, n, m, sent == 0);
		if (!msg) {
			err = -ENOMEM;
			break;
		}
		enqueue(to, msg);
		if (sent == 0) {
			m->fds = NULL;	/* the message owns them now */
			m->nfds = 0;
		}
		sent += n;
	} while (sent < m->len);
	unix_sock_put_locked(to);
out:
	mutex_unlock(&unix_lock);
	if (err == -EPIPE) {
		broken_pipe(m);
		return sent ? (ssize_t)sent : -EPIPE;
	}
	if (err && sent)
		return (ssize_t)sent;
	return err ? err : (ssize_t)sent;
}

static ssize_t record_send(struct unix_sock *s, struct sock_send *m, bool nonblock)
{
	if (m->len > s->sndbuf - 32)
		return -EMSGSIZE;
	struct unix_addr *a = NULL;
	int err = 0;
	if (m->to && s->type == SOCK_DGRAM) {
		err = unix_addr_make(&m->to->un, m->tolen, &a);
		if (err)
			return err;
	}
	mutex_lock(&unix_lock);
	struct unix_sock *to = NULL;
	if (a) {
		err = unix_find(m->ctx, a, &to);
		if (!err && to->type != s->type) {
			unix_sock_put_locked(to);
			err = -EPROTOTYPE;
		}
	} else if (s->state != US_CONNECTED || !s->peer) {
		err = -ENOTCONN;
	} else {
		to = s->peer;
		to->refs++;
	}
	if (err)
		goto out;
	/* Only a receiver that is not talking back to us has its datagram queue capped. */
	uint32_t qmax = s->type == SOCK_DGRAM && to->peer != s ? MAX_DGRAM_QLEN : UINT32_MAX;
	err = wait_room(s, to, m->len, qmax, nonblock, !a);
	if (!err) {
		struct unix_msg *msg = msg_new(m->buf, m->len, m, true);
		if (!msg) {
			err = -ENOMEM;
		} else {
			if (s->addr) {
				msg->from = s->addr;
				s->addr->refs++;
			}
			enqueue(to, msg);
			m->fds = NULL;
			m->nfds = 0;
		}
	}
	unix_sock_put_locked(to);
out:
	mutex_unlock(&unix_lock);
	kfree(a);
	if (err == -EPIPE)
		return broken_pipe(m);
	return err ? err : (ssize_t)m->len;
}

ssize_t unix_sock_send(struct file *f, struct sock_send *m)
{
	struct unix_sock *s = f->private_data;
	if (m->flags & MSG_OOB)
		return -EOPNOTSUPP;
	bool nonblock = (f->flags & O_NONBLOCK) || (m->flags & MSG_DONTWAIT);
	if (s->type == SOCK_STREAM)
		return stream_send(f, s, m, nonblock);
	if (s->type == SOCK_SEQPACKET && s->state != US_CONNECTED)
		return -ENOTCONN;
	return record_send(s, m, nonblock);
}

/* ---- receiving ---- */

static bool recv_ready(struct unix_sock *s)
{
	return ld32(&s->qlen) || (ld32(&s->shutdown) & RCV_SHUTDOWN) || ldb(&s->dead);
}

/* Hand @msg's descriptors to the receiver (a peek gets new references). */
static int take_fds(struct unix_msg *msg, struct sock_recv *r, bool peek)
{
	if (!msg->nfds)
		return 0;
	struct file **fds = kmalloc(sizeof(*fds) * msg->nfds);
	if (!fds)
		return -ENOMEM;
	memcpy(fds, msg->fds, sizeof(*fds) * msg->nfds);
	r->fds = fds;
	r->nfds = msg->nfds;
	if (peek) {
		for (unsigned i = 0; i < msg->nfds; i++)
			file_get(fds[i]);
	} else {
		kfree(msg->fds);
		msg->fds = NULL;
		msg->nfds = 0;
	}
	return 0;
}

static void take_meta(struct unix_sock *s, struct unix_msg *msg, struct sock_recv *r)
{
	if (s->passcred) {
		r->has_cred = true;
		r->cred = msg->cred;
	}
	if (msg->from) {
		memcpy(&r->from, &msg->from->sa, msg->from->len);
		r->fromlen = msg->from->len;
	} else if (s->type != SOCK_STREAM) {
		r->from.un.sun_family = AF_UNIX;
		r->fromlen = SUN_PATH_OFFSET;
	}
}

/* Wait for something to read: 0 with data queued, 1 at end of stream, or -errno. */
static int wait_data(struct unix_sock *s, bool nonblock)
{
	while (!s->head) {
		if (s->shutdown & RCV_SHUTDOWN)
			return 1;
		if (nonblock)
			return -EAGAIN;
		mutex_unlock(&unix_lock);
		int err = poll_wait_event(&s->wq, recv_ready(s), 0);
		mutex_lock(&unix_lock);
		if (err)
			return err;
	}
	return 0;
}

static ssize_t stream_recv(struct unix_sock *s, struct sock_recv *r, bool nonblock)
{
	bool peek = r->flags & MSG_PEEK;
	size_t copied = 0;
	ssize_t ret = 0;
	uint8_t *dst = r->buf;
	mutex_lock(&unix_lock);
	if (s->state != US_CONNECTED) {
		mutex_unlock(&unix_lock);
		return -EINVAL;
	}
	for (;;) {
		int w = wait_data(s, nonblock || (copied && !(r->flags & MSG_WAITALL)));
		if (w) {
			if (w < 0 && !copied)
				ret = w;
			break;
		}
		struct unix_msg *msg = s->head;
		bool stop = false;
		/* A peek walks the queue without consuming; descriptors end a read at their message. */
		while (msg && copied < r->len) {
			if (msg->nfds && (copied || r->fds)) {
				stop = true;
				break;
			}
			if (copied == 0 && !r->has_cred)
				take_meta(s, msg, r);
			size_t avail = msg->len - msg->off;
			size_t n = MIN(avail, r->len - copied);
			memcpy(dst + copied, msg->data + msg->off, n);
			copied += n;
			if (msg->nfds && take_fds(msg, r, peek)) {
				ret = -ENOMEM;
				stop = true;
				break;
			}
			if (peek) {
				if (n < avail)
					break;
				msg = msg->next;
				continue;
			}
			msg->off += n;
			__atomic_sub_fetch(&s->qbytes, n, __ATOMIC_RELEASE);
			if (msg->off == msg->len) {
				struct unix_msg *done = dequeue_head(s);
				msg = s->head;
				unix_msg_free_locked(done);
				if (r->fds)
					stop = true;
			}
		}
		if (stop || peek || copied >= r->len || !(r->flags & MSG_WAITALL))
			break;
	}
	mutex_unlock(&unix_lock);
	if (ret == -ENOMEM && copied)
		ret = 0;
	return ret ? ret : (ssize_t)copied;
}

static ssize_t record_recv(struct unix_sock *s, struct sock_recv *r, bool nonblock)
{
	bool peek = r->flags & MSG_PEEK;
	mutex_lock(&unix_lock);
	if (s->type == SOCK_SEQPACKET && s->state != US_CONNECTED) {
		mutex_unlock(&unix_lock);
		return -ENOTCONN;
	}
	ssize_t ret = wait_data(s, nonblock);
	if (ret) {
		mutex_unlock(&unix_lock);
		return ret > 0 ? 0 : ret;
	}
	struct unix_msg *msg = s->head;
	size_t full = msg->len;
	size_t n = MIN(msg->len, r->len);
	memcpy(r->buf, msg->data, n);
	if (msg->len > r->len)
		r->out_flags |= MSG_TRUNC;
	take_meta(s, msg, r);
	ret = take_fds(msg, r, peek);
	if (!ret && !peek)
		unix_msg_free_locked(dequeue_head(s));
	mutex_unlock(&unix_lock);
	if (ret)
		return ret;
	return (r->flags & MSG_TRUNC) ? (ssize_t)full : (ssize_t)n;
}

ssize_t unix_sock_recv(struct file *f, struct sock_recv *r)
{
	struct unix_sock *s = f->private_data;
	if (r->flags & MSG_OOB)
		return -EOPNOTSUPP;
	bool nonblock = (f->flags & O_NONBLOCK) || (r->flags & MSG_DONTWAIT);
	if (s->type == SOCK_STREAM)
		return stream_recv(s, r, nonblock);
	return record_recv(s, r, nonblock);
}

/* ---- poll ---- */

static bool writable(struct unix_sock *s)
{
	if (s->state == US_LISTENING)
		return false;
	struct unix_sock *to = s->peer;
	if (!to)
		return true;
	/* Linux: the unread bytes we sent take at most a quarter of our send buffer. */
	if (to->qcharge * 4 > s->sndbuf)
		return false;
	return !(s->type == SOCK_DGRAM && to->peer != s && to->qlen >= MAX_DGRAM_QLEN);
}

unsigned unix_poll_mask(struct unix_sock *s)
{
	unsigned mask = 0;
	if (s->err)
		mask |= POLLERR;
	if (s->shutdown == SHUTDOWN_MASK)
		mask |= POLLHUP;
	if (s->shutdown & RCV_SHUTDOWN)
		mask |= POLLRDHUP | POLLIN | POLLRDNORM;
	if (s->head || s->acc_head)
		mask |= POLLIN | POLLRDNORM;
	if (s->type != SOCK_DGRAM && s->state == US_UNCONNECTED)
		mask |= POLLHUP;
	if (writable(s))
		mask |= POLLOUT | POLLWRNORM | POLLWRBAND;
	return mask;
}
