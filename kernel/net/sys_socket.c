/* Socket system calls: socket/socketpair, bind/listen/connect/accept, names, options and shutdown; user arguments checked as Linux does. */
#include <frame/errno.h>
#include <frame/string.h>
#include <frame/vm_io.h>
#include <abi/fcntl.h>
#include <kernel/inet.h>
#include <kernel/netlink.h>
#include <kernel/socket.h>
#include "../ipc/fd_user.h"
#include <kernel/syscalls.h>
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

int net_addr_in(uint64_t uaddr, int64_t ulen, union sock_addr *out, size_t *len)
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

int net_addr_out(const union sock_addr *a, size_t alen, uint64_t uaddr, uint64_t ulenp)
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
	if ((family == AF_INET || family == AF_NETLINK) && !pair)
		return 0;
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

int64_t sys_socket(int family, int type, int protocol)
{
	int base;
	uint32_t flags;
	int err = check_socket_args(family, type, protocol, &base, &flags, false);
	if (err)
		return err;
	struct file *f;
	if (family == AF_INET)
		err = inet_create(fdu_cred(), base, protocol, flags & SOCK_NONBLOCK, &f);
	else if (family == AF_NETLINK)
		err = netlink_create(fdu_cred(), base, protocol, flags & SOCK_NONBLOCK, &f);
	else
		err = unix_create(fdu_cred(), base, flags & SOCK_NONBLOCK, &f);
	if (err)
		return err;
	return fdu_install_new(f, flags & SOCK_CLOEXEC);
}

int64_t sys_socketpair(int family, int type, int protocol, int __user *sv)
{
	int base;
	uint32_t flags;
	int err = check_socket_args(family, type, protocol, &base, &flags, true);
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
	else if (copy_to_user(sv, fds, sizeof(fds)))
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

int64_t sys_bind(int fd, const struct sockaddr __user *addr, int addrlen)
{
	struct file *f;
	int err = net_sock_get(fd, &f);
	if (err)
		return err;
	union sock_addr sa;
	size_t len;
	err = net_addr_in(user_addr(addr), (int64_t)addrlen, &sa, &len);
	if (!err)
		err = sock_bind(f, fdu_ctx(), &sa, len);
	file_put(f);
	return err;
}

int64_t sys_listen(int fd, int backlog)
{
	struct file *f;
	int err = net_sock_get(fd, &f);
	if (err)
		return err;
	err = sock_listen(f, backlog);
	file_put(f);
	return err;
}

int64_t sys_connect(int fd, const struct sockaddr __user *addr, int addrlen)
{
	struct file *f = fdu_get(fd);
	if (!f)
		return -EBADF;
	union sock_addr sa;
	size_t len;
	int err = net_addr_in(user_addr(addr), (int64_t)addrlen, &sa, &len);
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
	union sock_addr peer;
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

int64_t sys_accept(int fd, struct sockaddr __user *addr, int __user *addrlen)
{
	return do_accept(fd, user_addr(addr), user_addr(addrlen), 0);
}

int64_t sys_accept4(int fd, struct sockaddr __user *addr, int __user *addrlen, uint32_t flags)
{
	return do_accept(fd, user_addr(addr), user_addr(addrlen), flags);
}

static int64_t do_name(int fd, struct sockaddr __user *addr, int __user *addrlen, bool peer)
{
	struct file *f;
	int err = net_sock_get(fd, &f);
	if (err)
		return err;
	union sock_addr sa;
	size_t alen;
	err = sock_name(f, peer, &sa, &alen);
	file_put(f);
	if (!err)
		err = net_addr_out(&sa, alen, user_addr(addr), user_addr(addrlen));
	return err;
}

int64_t sys_getsockname(int fd, struct sockaddr __user *addr, int __user *addrlen)
{
	return do_name(fd, addr, addrlen, false);
}

int64_t sys_getpeername(int fd, struct sockaddr __user *addr, int __user *addrlen)
{
	return do_name(fd, addr, addrlen, true);
}

int64_t sys_shutdown(int fd, int how)
{
	struct file *f;
	int err = net_sock_get(fd, &f);
	if (err)
		return err;
	err = sock_shutdown(f, how);
	file_put(f);
	return err;
}

/* Option values are small; longer buffers are read or written only this far. */
#define OPT_MAX SOCK_OPT_MAX

int64_t sys_setsockopt(int fd, int level, int optname, const void __user *optval, int optlen)
{
	struct file *f;
	int err = net_sock_get(fd, &f);
	if (err)
		return err;
	int32_t ulen = optlen;
	uint8_t val[OPT_MAX] = { 0 };
	if (ulen < 0)
		err = -EINVAL;
	else if (ulen && copy_from_user(val, optval, MIN((size_t)ulen, sizeof(val))))
		err = -EFAULT;
	if (!err)
		err = sock_setsockopt(f, level, optname, val, (size_t)ulen);
	file_put(f);
	return err;
}

int64_t sys_getsockopt(int fd, int level, int optname, void __user *optval, int __user *optlen)
{
	struct file *f;
	int err = net_sock_get(fd, &f);
	if (err)
		return err;
	uint32_t ulen;
	if (get_user_u32(&ulen, optlen)) {
		file_put(f);
		return -EFAULT;
	}
	if ((int32_t)ulen < 0) {
		file_put(f);
		return -EINVAL;
	}
	uint8_t val[OPT_MAX];
	size_t len = MIN((size_t)ulen, sizeof(val));
	err = sock_getsockopt(f, level, optname, val, &len);
	file_put(f);
	if (err)
		return err;
	if (len && copy_to_user(optval, val, len))
		return -EFAULT;
	return put_user_u32((uint32_t)len, optlen);
}
