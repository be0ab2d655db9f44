/* Private to kernel/net: user-argument helpers shared by the socket system calls. */
#ifndef KERNEL_NET_NET_USER_H
#define KERNEL_NET_NET_USER_H

#include <frame/types.h>
#include <kernel/socket.h>

/* The socket file at @fd with a reference: -EBADF, -ENOTSOCK. */
int net_sock_get(int fd, struct file **out);
/* A user sockaddr of @ulen bytes (Linux's move_addr_to_kernel): -EINVAL, -EFAULT. */
int net_addr_in(uint64_t uaddr, int64_t ulen, union sock_addr *out, size_t *len);
/* Write @alen bytes of @a as far as *@ulenp allows, and the full length back. */
int net_addr_out(const union sock_addr *a, size_t alen, uint64_t uaddr, uint64_t ulenp);

#endif
