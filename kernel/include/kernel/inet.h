/*
 * AF_INET: the IPv4 stack of kernel/net/inet (loopback and Ethernet
 * devices, IPv4, ICMP, UDP, TCP) and its sockets with Linux's semantics.
 * AF_INET6 is not implemented (socket() answers EAFNOSUPPORT).
 */
#ifndef KERNEL_INET_H
#define KERNEL_INET_H

#include <frame/types.h>
#include <kernel/cred.h>
#include <kernel/file.h>
#include <kernel/socket.h>

/* Start the stack: the loopback device (down, as Linux boots it). 0 or -errno. */
int inet_init(void);

/* Offer virtio-net devices Ethernet interfaces eth0, eth1... (after inet_init, before virtio_pci_probe_all). */
int virtio_net_register(void);

/*
 * socket(AF_INET, @type, @protocol): SOCK_STREAM (TCP), SOCK_DGRAM (UDP),
 * SOCK_RAW (any protocol but 0 and IPPROTO_RAW needs root: -EPERM).
 * @flags: O_NONBLOCK for the file. -ESOCKTNOSUPPORT, -EPROTONOSUPPORT.
 */
int inet_create(const struct cred *c, int type, int protocol, uint32_t flags, struct file **out);

/* The inet family's ops when @f is an AF_INET socket, else NULL. */
const struct sock_ops *inet_sock_ops_of(const struct file *f);

/*
 * The interface and routing ioctls any socket answers (SIOCGIFCONF,
 * SIOC[GS]IF*, SIOCADDRT/SIOCDELRT, SIOC[GSD]ARP): -ENOTTY for other
 * requests. @arg is the user address; @c decides who may change things.
 */
long inet_dev_ioctl(const struct cred *c, unsigned cmd, unsigned long arg);

/*
 * The text of /proc/net/@name ("arp", "dev", "route", "tcp", "udp"), in
 * Linux's layout, given to @put in pieces. 0 or -ENOENT (no such table).
 */
int inet_proc_net(const char *name, void (*put)(void *ctx, const char *s, size_t n), void *ctx);

/*
 * rtnetlink (NETLINK_ROUTE): handle the requests in @req (@len bytes of
 * nlmsghdr-framed messages) from netlink port @pid; @privileged may change
 * interfaces, addresses and routes (else -EPERM). Each reply datagram
 * (dumps in pieces of at most a page, then NLMSG_DONE; errors and
 * NLM_F_ACK acknowledgements as NLMSG_ERROR) goes to @reply(@ctx, ...),
 * called without the stack lock. 0, or -errno when nothing could be
 * answered (-EINVAL for a malformed first header).
 */
int inet_rtnl_request(const void *req, size_t len, uint32_t pid, bool privileged,
		      int (*reply)(void *ctx, const void *data, size_t len), void *ctx);

#endif
