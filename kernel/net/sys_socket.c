/* Socket system calls: socket/socketpair, bind/listen/connect/accept, names, options and shutdown; user arguments checked as Linux does. */
#include <frame/errno.h>
#include <frame/string.h>
#include <frame/vm_io.h>
#include <abi/fcntl.h>
#include <kernel/socket.h>
#include "../ipc/fd_user.h"
#include "../syscall/syscall.h"
#include "net_user.h"

/* Linux's SOCK_MAX and sizeof(struct sockaddr_storage). */
#define SOCK_TYPE_MAX 11
#define SOCKADDR_STORAGE 128

int net_sock_get(int fd, struct file **out)
{
	struct file *f = fdu_get(fd);
	if (!f)
		return -EBADF;
	if (!file_is_socket(f)) {
		file_put(f);
		return -ENOTSOCK;
	}
	*out = f;
	return 0;
}

int net_addr_in(uint64_t uaddr, int64_t ulen, struct sockaddr_un *out, size_t *len)
{
	/* Linux's move_addr_to_kernel. */
	if (ulen < 0 || ulen > SOCKADDR_STORAGE)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	*len = (size_t)ulen;
	if (ulen == 0)
		return 0;
	uint8_t buf[SOCKADDR_STORAGE];
	if (copy_from_user(buf, user_ptr(uaddr), (size_t)ulen))
		return -EFAULT;
	memcpy(out, buf, MIN((size_t)ulen, sizeof(*out)));
	return 0;
}

int net_addr_out(const struct sockaddr_un *a, size_t alen, uint64_t uaddr, uint64_t ulenp)
{
	/* Linux's move_addr_to_user: the full length goes back, the bytes up to the room given. */
	uint32_t room;
	if (get_user_u32(&room, user_ptr(ulenp)))
		return -EFAULT;
	if ((int32_t)room < 0)
		return -EINVAL;
	size_t n = MIN((size_t)room, alen);
	if (n && copy_to_user(user_ptr(uaddr), a, n))
		return -EFAULT;
	return put_user_u32((uint32_t)alen, user_ptr(ulenp));
}

/* Families Linux knows but whose sockets cannot be paired; everything else Cadre lacks is EAFNOSUPPORT. */
static bool family_without_pairs(int family)
{
	return family == AF_INET || family == AF_INET6 || family == AF_NETLINK || family == AF_PACKET;
}

/* The checks socket() and socketpair() share: base type, protocol, flags. */
static int check_socket_args(int family, int type, int protocol, int *base, uint32_t *flags,
			     bool pair)
{
	*base = type & 0xf;
	uint32_t f = (uint32_t)type & ~0xfu;
	if (f & ~(uint32_t)(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -EINVAL;
	*flags = f;
	if (family < 0 || family >= AF_MAX)
		return -EAFNOSUPPORT;
	if (*base >= SOCK_TYPE_MAX)
		return -EINVAL;
	if (family != AF_UNIX)
		return pair && family_without_pairs(family) ? -EOPNOTSUPP : -EAFNOSUPPORT;
	if (protocol && protocol != AF_UNIX)
		return -EPROTONOSUPPORT;
	if (*base == SOCK_RAW)
		*base = SOCK_DGRAM;	/* as Linux's unix_create */
	if (*base != SOCK_STREAM && *base != SOCK_DGRAM && *base != SOCK_SEQPACKET)
		return -ESOCKTNOSUPPORT;
	return 0;
}

int64_t sys_socket(const struct syscall_args *a)
{
	int base;
	uint32_t flags;
	int err = check_socket_args((int)a->a[0], (int)a->a[1], (int)a->a[2], &base, &flags, false);
	if (err)
		return err;
	struct file *f;
	err = unix_create(fdu_cred(), base, flags & SOCK_NONBLOCK, &f);
	if (err)
		return err;
	return fdu_install_new(f, flags & SOCK_CLOEXEC);
}

int64_t sys_socketpair(const struct syscall_args *a)
{
	int base;
	uint32_t flags;
	int err = check_socket_args((int)a->a[0], (int)a->a[1], (int)a->a[2], &base, &flags, true);
	if (err)
		return err;
	struct file *fa, *fb;
	err = unix_pair(fdu_cred(), base, flags & SOCK_NONBLOCK, &fa, &fb);
	if (err)
		return err;
	bool cloexec = flags & SOCK_CLOEXEC;
	int fds[2] = { fdu_install(fa, cloexec), -1 };
	if (fds[0] >= 0)
		fds[1] = fdu_install(fb, cloexec);
	if (fds[0] < 0)
		err = fds[0];
	else if (fds[1] < 0)
		err = fds[1];
	else if (copy_to_user(user_ptr(a->a[3]), fds, sizeof(fds)))
		err = -EFAULT;
	if (err) {
		/* The program never learnt the numbers: nothing stays installed. */
		if (fds[0] >= 0)
			fd_close(fdu_table(), fds[0]);
		if (fds[1] >= 0)
			fd_close(fdu_table(), fds[1]);
	}
	file_put(fa);
	file_put(fb);
	return err;
}

int64_t sys_bind(const struct syscall_args *a)
{
	struct file *f;
	int err = net_sock_get((int)a->a[0], &f);
	if (err)
		return err;
	struct sockaddr_un sa;
	size_t len;
	err = net_addr_in(a->a[1], (int64_t)(int32_t)a->a[2], &sa, &len);
	if (!err)
		err = sock_bind(f, fdu_ctx(), &sa, len);
	file_put(f);
	return err;
}

int64_t sys_listen(const struct syscall_args *a)
{
	struct file *f;
	int err = net_sock_get((int)a->a[0], &f);
	if (err)
		return err;
	err = sock_listen(f, (int)a->a[1]);
	file_put(f);
	return err;
}

int64_t sys_connect(const struct syscall_args *a)
{
	struct file *f = fdu_get((int)a->a[0]);
	if (!f)
		return -EBADF;
	struct sockaddr_un sa;
	size_t len;
	int err = net_addr_in(a->a[1], (int64_t)(int32_t)a->a[2], &sa, &len);
	if (!err && !file_is_socket(f))
		err = -ENOTSOCK;
	if (!err)
		err = sock_connect(f, fdu_ctx(), &sa, len);
	file_put(f);
	return err;
}

static int64_t do_accept(int fd, uint64_t uaddr, uint64_t ulenp, uint32_t flags)
{
	if (flags & ~(uint32_t)(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -EINVAL;
	struct file *f;
	int err = net_sock_get(fd, &f);
	if (err)
		return err;
	struct file *nf;
	struct sockaddr_un peer;
	size_t alen;
	err = sock_accept(f, flags & SOCK_NONBLOCK, &nf, &peer, &alen);
	file_put(f);
	if (err)
		return err;
	if (uaddr) {
		err = net_addr_out(&peer, alen, uaddr, ulenp);
		if (err) {
			file_put(nf);
			return err;
		}
	}
	return fdu_install_new(nf, flags & SOCK_CLOEXEC);
}

int64_t sys_accept(const struct syscall_args *a)
{
	return do_accept((int)a->a[0], a->a[1], a->a[2], 0);
}

int64_t sys_accept4(const struct syscall_args *a)
{
	return do_accept((int)a->a[0], a->a[1], a->a[2], (uint32_t)a->a[3]);
}

static int64_t do_name(const struct syscall_args *a, bool peer)
{
	struct file *f;
	int err = net_sock_get((int)a->a[0], &f);
	if (err)
		return err;
	struct sockaddr_un sa;
	size_t alen;
	err = sock_name(f, peer, &sa, &alen);
	file_put(f);
	if (!err)
		err = net_addr_out(&sa, alen, a->a[1], a->a[2]);
	return err;
}

int64_t sys_getsockname(const struct syscall_args *a)
{
	return do_name(a, false);
}

int64_t sys_getpeername(const struct syscall_args *a)
{
	return do_name(a, true);
}

int64_t sys_shutdown(const struct syscall_args *a)
{
	struct file *f;
	int err = net_sock_get((int)a->a[0], &f);
	if (err)
		return err;
	err = sock_shutdown(f, (int)a->a[1]);
	file_put(f);
	return err;
}

/* Option values are small; longer buffers are read or written only this far. */
#define OPT_MAX 64

int64_t sys_setsockopt(const struct syscall_args *a)
{
	struct file *f;
	int err = net_sock_get((int)a->a[0], &f);
	if (err)
		return err;
	int32_t ulen = (int32_t)a->a[4];
	uint8_t val[OPT_MAX] = { 0 };
	if (ulen < 0)
		err = -EINVAL;
	else if (ulen && copy_from_user(val, user_ptr(a->a[3]), MIN((size_t)ulen, sizeof(val))))
		err = -EFAULT;
	if (!err)
		err = sock_setsockopt(f, (int)a->a[1], (int)a->a[2], val, (size_t)ulen);
	file_put(f);
	return err;
}

int64_t sys_getsockopt(const struct syscall_args *a)
{
	struct file *f;
	int err = net_sock_get((int)a->a[0], &f);
	if (err)
		return err;
	uint32_t ulen;
	if (get_user_u32(&ulen, user_ptr(a->a[4]))) {
		file_put(f);
		return -EFAULT;
	}
	if ((int32_t)ulen < 0) {
		file_put(f);
		return -EINVAL;
	}
	uint8_t val[OPT_MAX];
	size_t len = MIN((size_t)ulen, sizeof(val));
	err = sock_getsockopt(f, (int)a->a[1], (int)a->a[2], val, &len);
	file_put(f);
	if (err)
		return err;
	if (len && copy_to_user(user_ptr(a->a[3]), val, len))
		return -EFAULT;
	return put_user_u32((uint32_t)len, user_ptr(a->a[4]));
}
