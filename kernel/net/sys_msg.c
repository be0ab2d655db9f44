/* Socket data calls: sendto/recvfrom/sendmsg/recvmsg with iovecs, addresses and control messages (SCM_RIGHTS, SCM_CREDENTIALS). */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/string.h>
#include <frame/vm_io.h>
#include <abi/fcntl.h>
#include <kernel/proc.h>
#include <kernel/socket.h>
#include "../ipc/fd_user.h"
#include <kernel/syscalls.h>
#include "net_user.h"

#define UIO_MAXIOV 1024
/* Linux's net.core.optmem_max: the most control data one sendmsg may carry. */
#define OPTMEM_MAX 20480u
/* Linux's MAX_RW_COUNT. */
#define MAX_RW 0x7ffff000ull
/* Stream data goes through the kernel in pieces this big. */
#define STREAM_CHUNK 65536u
/* Records (datagrams) move whole; none is larger than twice wmem_max. */
#define RECORD_MAX (2u * SOCK_WMEM_MAX)

#define CMSG_ALIGN(n) (((n) + 7u) & ~(size_t)7u)
#define CMSG_HDR sizeof(struct cmsghdr)

/* A copied iovec array and a cursor over it. */
struct uio {
	struct iovec *iov;
	size_t cnt, i;
	uint64_t in;
	uint64_t total;
};

static int uio_get(uint64_t uiov, uint64_t cnt, struct uio *u)
{
	memset(u, 0, sizeof(*u));
	if (cnt > UIO_MAXIOV)
		return -EMSGSIZE;
	u->iov = kmalloc(sizeof(struct iovec) * (cnt ? cnt : 1));
	if (!u->iov)
		return -ENOMEM;
	u->cnt = cnt;
	if (cnt && copy_from_user(u->iov, user_ptr(uiov), sizeof(struct iovec) * cnt))
		return -EFAULT;
	for (size_t i = 0; i < cnt; i++) {
		if ((int64_t)u->iov[i].iov_len < 0)
			return -EINVAL;
		if (u->iov[i].iov_len > MAX_RW - u->total)
			u->iov[i].iov_len = MAX_RW - u->total;
		u->total += u->iov[i].iov_len;
	}
	return 0;
}

static void uio_put(struct uio *u)
{
	kfree(u->iov);
}

/* Copy up to @n bytes in from the cursor: bytes copied, or -EFAULT. */
static ssize_t uio_gather(struct uio *u, uint8_t *buf, size_t n)
{
	size_t got = 0;
	while (got < n && u->i < u->cnt) {
		size_t k = (size_t)MIN((uint64_t)(n - got), u->iov[u->i].iov_len - u->in);
		if (k && copy_from_user(buf + got, user_ptr(u->iov[u->i].iov_base + u->in), k))
			return -EFAULT;
		got += k;
		u->in += k;
		if (u->in == u->iov[u->i].iov_len) {
			u->i++;
			u->in = 0;
		}
	}
	return (ssize_t)got;
}

static int uio_scatter(struct uio *u, const uint8_t *buf, size_t n)
{
	size_t put = 0;
	while (put < n && u->i < u->cnt) {
		size_t k = (size_t)MIN((uint64_t)(n - put), u->iov[u->i].iov_len - u->in);
		if (k && copy_to_user(user_ptr(u->iov[u->i].iov_base + u->in), buf + put, k))
			return -EFAULT;
		put += k;
		u->in += k;
		if (u->in == u->iov[u->i].iov_len) {
			u->i++;
			u->in = 0;
		}
	}
	return 0;
}

/* ---- control messages ---- */

static void drop_fds(struct file **fds, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		file_put(fds[i]);
	kfree(fds);
}

/* Linux's __scm_send: parse @ctl into descriptors and credentials for @m. */
static int scm_parse(const uint8_t *ctl, size_t len, struct sock_send *m)
{
	size_t off = 0;
	while (len - off >= CMSG_HDR) {
		struct cmsghdr h;
		memcpy(&h, ctl + off, sizeof(h));
		if (h.cmsg_len < CMSG_HDR || h.cmsg_len > len - off)
			return -EINVAL;
		const uint8_t *data = ctl + off + CMSG_HDR;
		size_t dlen = h.cmsg_len - CMSG_HDR;
		if (h.cmsg_level == SOL_SOCKET) {
			if (h.cmsg_type == SCM_RIGHTS) {
				size_t num = dlen / sizeof(int32_t);
				if (num + m->nfds > SCM_MAX_FD)
					return -EINVAL;
				if (num) {
					struct file **fds = krealloc(m->fds, sizeof(*fds) * (m->nfds + num));
					if (!fds)
						return -ENOMEM;
					m->fds = fds;
					for (size_t i = 0; i < num; i++) {
						int32_t fd;
						memcpy(&fd, data + i * sizeof(fd), sizeof(fd));
						struct file *f = fdu_get(fd);
						if (!f)
							return -EBADF;
						m->fds[m->nfds++] = f;
					}
				}
			} else if (h.cmsg_type == SCM_CREDENTIALS) {
				if (h.cmsg_len != CMSG_HDR + sizeof(struct ucred))
					return -EINVAL;
				struct ucred c;
				memcpy(&c, data, sizeof(c));
				struct process *p = process_current();
				const struct cred *cr = fdu_cred();
				bool root = cr->euid == 0;
				if (!root && (c.pid != p->pid ||
					      (c.uid != cr->uid && c.uid != cr->euid && c.uid != cr->suid) ||
					      (c.gid != cr->gid && c.gid != cr->egid && c.gid != cr->sgid)))
					return -EPERM;
				m->has_cred = true;
				m->cred = c;
			} else {
				return -EINVAL;
			}
		}
		off += CMSG_ALIGN(h.cmsg_len);
		if (off > len)
			break;
	}
	return 0;
}

/*
 * Linux's scm_recv: credentials, then as many descriptors as fit (the rest
 * closed, MSG_CTRUNC). The bytes of control data written, or -EFAULT.
 */
static ssize_t scm_put(struct sock_recv *r, uint64_t uctl, size_t room, bool cloexec, int *flags)
{
	size_t used = 0;
	if (r->has_cred) {
		size_t need = CMSG_HDR + sizeof(struct ucred);
		if (room < need) {
			*flags |= MSG_CTRUNC;
		} else {
			struct {
				struct cmsghdr h;
				struct ucred c;
			} cm = { { need, SOL_SOCKET, SCM_CREDENTIALS }, r->cred };
			if (copy_to_user(user_ptr(uctl), &cm, need))
				return -EFAULT;
			used = MIN(CMSG_ALIGN(need), room);
		}
	}
	if (r->nfds) {
		size_t space = room > used + CMSG_HDR ? room - used - CMSG_HDR : 0;
		unsigned fit = (unsigned)MIN((size_t)r->nfds, space / sizeof(int32_t));
		int32_t fds[SCM_MAX_FD];
		unsigned done = 0;
		for (; done < fit; done++) {
			int fd = fdu_install(r->fds[done], cloexec);
			if (fd < 0)
				break;
			fds[done] = fd;
		}
		if (done < r->nfds)
			*flags |= MSG_CTRUNC;
		if (done) {
			struct cmsghdr h = { CMSG_HDR + done * sizeof(int32_t), SOL_SOCKET, SCM_RIGHTS };
			if (copy_to_user(user_ptr(uctl + used), &h, sizeof(h)) ||
			    copy_to_user(user_ptr(uctl + used + CMSG_HDR), fds, done * sizeof(int32_t))) {
				/* Installed and lost: Linux leaves them too; close ours so nothing leaks. */
				for (unsigned i = 0; i < done; i++)
					fd_close(fdu_table(), fds[i]);
				return -EFAULT;
			}
			used = MIN(used + CMSG_ALIGN(h.cmsg_len), room);
		}
	}
	return (ssize_t)used;
}

/* ---- sending ---- */

static ssize_t do_send(struct file *f, struct uio *u, struct sock_send *m)
{
	bool stream = sock_type(f) == SOCK_STREAM;
	if (!stream && u->total > RECORD_MAX)
		return -EMSGSIZE;
	size_t bsize = stream ? (size_t)MIN(u->total, (uint64_t)STREAM_CHUNK) : (size_t)u->total;
	uint8_t *buf = kmalloc(bsize ? bsize : 1);
	if (!buf)
		return -ENOMEM;
	ssize_t total = 0;
	do {
		size_t want = (size_t)MIN(u->total - (uint64_t)total, (uint64_t)bsize);
		ssize_t n = uio_gather(u, buf, want);
		if (n < 0) {
			if (!total)
				total = n;
			break;
		}
		m->buf = buf;
		m->len = (size_t)n;
		n = sock_send(f, m);
		if (n < 0) {
			if (!total)
				total = n;
			break;
		}
		total += n;
		if ((size_t)n < want)
			break;
	} while ((uint64_t)total < u->total);
	kfree(buf);
	return total;
}

static ssize_t send_common(int fd, struct uio *u, uint64_t uname, int64_t namelen, uint64_t uctl,
			   uint64_t ctllen, int flags)
{
	struct file *f;
	int err = net_sock_get(fd, &f);
	if (err)
		return err;
	union sock_addr to;
	size_t tolen = 0;
	struct sock_send m = { .flags = flags, .ctx = fdu_ctx() };
	uint8_t *ctl = NULL;
	ssize_t ret = 0;
	if (uname && namelen) {
		ret = net_addr_in(uname, namelen, &to, &tolen);
		if (ret)
			goto out;
		m.to = &to;
		m.tolen = tolen;
	}
	if (ctllen) {
		if (ctllen > OPTMEM_MAX) {
			ret = -ENOBUFS;
			goto out;
		}
		ctl = kmalloc(ctllen);
		if (!ctl) {
			ret = -ENOMEM;
			goto out;
		}
		if (copy_from_user(ctl, user_ptr(uctl), ctllen)) {
			ret = -EFAULT;
			goto out;
		}
		ret = scm_parse(ctl, ctllen, &m);
		if (ret)
			goto out;
	}
	ret = do_send(f, u, &m);
out:
	if (m.nfds)
		drop_fds(m.fds, m.nfds);
	else
		kfree(m.fds);
	kfree(ctl);
	file_put(f);
	return ret;
}

int64_t sys_sendto(int fd, const void __user *buf, size_t len, int flags, const struct sockaddr __user *addr, int addrlen)
{
	struct uio u;
	struct iovec iov = { user_addr(buf), len };
	if ((int64_t)iov.iov_len < 0)
		iov.iov_len = MAX_RW;	/* Linux clamps a huge length (import_single_range) */
	u = (struct uio){ &iov, 1, 0, 0, MIN(iov.iov_len, MAX_RW) };
	iov.iov_len = u.total;
	return send_common(fd, &u, user_addr(addr), (int64_t)addrlen, 0, 0, flags);
}

int64_t sys_sendmsg(int fd, const struct msghdr __user *msg, int flags)
{
	struct msghdr h;
	if (copy_from_user(&h, msg, sizeof(h)))
		return -EFAULT;
	if (h.msg_controllen > INT32_MAX)
		return -ENOBUFS;
	struct uio u;
	int err = uio_get(h.msg_iov, h.msg_iovlen, &u);
	if (err) {
		uio_put(&u);
		return err;
	}
	ssize_t ret = send_common(fd, &u, h.msg_name, (int64_t)(int32_t)h.msg_namelen,
				  h.msg_control, h.msg_controllen, flags);
	uio_put(&u);
	return ret;
}

/* ---- receiving ---- */

static ssize_t do_recv(struct file *f, struct uio *u, struct sock_recv *r)
{
	size_t cap = sock_type(f) == SOCK_STREAM ? STREAM_CHUNK : RECORD_MAX;
	size_t bsize = (size_t)MIN(u->total, (uint64_t)cap);
	uint8_t *buf = kmalloc(bsize ? bsize : 1);
	if (!buf)
		return -ENOMEM;
	r->buf = buf;
	r->len = bsize;
	ssize_t n = sock_recv(f, r);
	if (n > 0 && uio_scatter(u, buf, MIN((size_t)n, bsize)))
		n = -EFAULT;
	kfree(buf);
	return n;
}

static void recv_release(struct sock_recv *r)
{
	if (r->fds)
		drop_fds(r->fds, r->nfds);
	r->fds = NULL;
	r->nfds = 0;
}

int64_t sys_recvfrom(int fd, void __user *buf, size_t len, int flags, struct sockaddr __user *addr, int __user *addrlen)
{
	struct file *f;
	int err = net_sock_get(fd, &f);
	if (err)
		return err;
	struct iovec iov = { user_addr(buf), MIN(len, MAX_RW) };
	struct uio u = { &iov, 1, 0, 0, iov.iov_len };
	struct sock_recv r = { .flags = flags & ~MSG_CMSG_CLOEXEC };
	ssize_t n = do_recv(f, &u, &r);
	file_put(f);
	recv_release(&r);	/* recvfrom has no room for descriptors: they are closed */
	if (n >= 0 && addr) {
		if (r.fromlen) {
			err = net_addr_out(&r.from, r.fromlen, user_addr(addr), user_addr(addrlen));
		} else {
			err = put_user_u32(0, addrlen);
		}
		if (err)
			return err;
	}
	return n;
}


int64_t sys_recvmsg(int fd, struct msghdr __user *msg, int flags)
{
	struct msghdr h;
	if (copy_from_user(&h, msg, sizeof(h)))
		return -EFAULT;
	struct file *f;
	int err = net_sock_get(fd, &f);
	if (err)
		return err;
	struct uio u;
	err = uio_get(h.msg_iov, h.msg_iovlen, &u);
	if (err) {
		uio_put(&u);
		file_put(f);
		return err;
	}
	struct sock_recv r = { .flags = flags & ~MSG_CMSG_CLOEXEC };
	ssize_t n = do_recv(f, &u, &r);
	uio_put(&u);
	file_put(f);
	if (n < 0) {
		recv_release(&r);
		return n;
	}
	int out_flags = r.out_flags;
	uint32_t namelen = 0;
	if (h.msg_name && r.fromlen) {
		size_t k = MIN((size_t)h.msg_namelen, r.fromlen);
		if (k && copy_to_user(user_ptr(h.msg_name), &r.from, k)) {
			recv_release(&r);
			return -EFAULT;
		}
		namelen = (uint32_t)r.fromlen;
	}
	ssize_t used = 0;
	if (h.msg_control && h.msg_controllen) {
		used = scm_put(&r, h.msg_control, (size_t)MIN(h.msg_controllen, (uint64_t)OPTMEM_MAX * 16),
			       flags & MSG_CMSG_CLOEXEC, &out_flags);
	} else if (r.nfds || r.has_cred) {
		if (r.nfds)
			out_flags |= MSG_CTRUNC;
	}
	recv_release(&r);
	if (used < 0)
		return used;
	uint64_t ctllen = (uint64_t)used;
	/* The fields recvmsg writes back in the caller's struct msghdr (aligned or not). */
	vaddr_t m = user_addr(msg);
	if (put_user_u32(namelen, user_ptr(m + __builtin_offsetof(struct msghdr, msg_namelen))) ||
	    copy_to_user(user_ptr(m + __builtin_offsetof(struct msghdr, msg_controllen)), &ctllen,
			 sizeof(ctllen)) ||
	    put_user_u32((uint32_t)out_flags, user_ptr(m + __builtin_offsetof(struct msghdr, msg_flags))))
		return -EFAULT;
	return n;
}
