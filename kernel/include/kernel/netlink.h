/* AF_NETLINK sockets (kernel/net/netlink.c): NETLINK_ROUTE, answered by the IPv4 stack's rtnetlink. */
#ifndef KERNEL_NETLINK_H
#define KERNEL_NETLINK_H

#include <frame/types.h>
#include <kernel/cred.h>
#include <kernel/file.h>
#include <kernel/socket.h>

/*
 * socket(AF_NETLINK, @type, @protocol): SOCK_RAW or SOCK_DGRAM, protocol
 * NETLINK_ROUTE (-ESOCKTNOSUPPORT, -EPROTONOSUPPORT otherwise). @flags:
 * O_NONBLOCK for the file.
 */
int netlink_create(const struct cred *c, int type, int protocol, uint32_t flags, struct file **out);

/* The netlink family's ops when @f is an AF_NETLINK socket, else NULL. */
const struct sock_ops *netlink_sock_ops_of(const struct file *f);

#endif
