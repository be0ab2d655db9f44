/* Linux socket families, types, flags, options and the AF_UNIX/msghdr structures (x86_64). */
/* uapi: <sys/socket.h> <linux/un.h> <asm/socket.h> */
#ifndef ABI_SOCKET_H
#define ABI_SOCKET_H

#include <frame/types.h>

#define AF_UNSPEC 0
#define AF_UNIX 1
#define AF_LOCAL 1
#define AF_INET 2
#define AF_INET6 10
#define AF_NETLINK 16
#define AF_PACKET 17
#define AF_MAX 46

#define SOCK_STREAM 1
#define SOCK_DGRAM 2
#define SOCK_RAW 3
#define SOCK_RDM 4
#define SOCK_SEQPACKET 5
#define SOCK_NONBLOCK 00004000
#define SOCK_CLOEXEC 02000000

#define SHUT_RD 0
#define SHUT_WR 1
#define SHUT_RDWR 2

#define MSG_OOB 0x1
#define MSG_PEEK 0x2
#define MSG_DONTROUTE 0x4
#define MSG_CTRUNC 0x8
#define MSG_TRUNC 0x20
#define MSG_DONTWAIT 0x40
#define MSG_EOR 0x80
#define MSG_WAITALL 0x100
#define MSG_NOSIGNAL 0x4000
#define MSG_MORE 0x8000
#define MSG_WAITFORONE 0x10000
#define MSG_CMSG_CLOEXEC 0x40000000

#define SOL_SOCKET 1
#define SCM_RIGHTS 1

/* abi-unchecked: glibc shows it only under _GNU_SOURCE (Linux's value). */
#define SCM_CREDENTIALS 2

#define SO_DEBUG 1
#define SO_REUSEADDR 2
#define SO_TYPE 3
#define SO_ERROR 4
#define SO_DONTROUTE 5
#define SO_BROADCAST 6
#define SO_SNDBUF 7
#define SO_RCVBUF 8
#define SO_KEEPALIVE 9
#define SO_OOBINLINE 10
#define SO_NO_CHECK 11
#define SO_PRIORITY 12
#define SO_LINGER 13
#define SO_REUSEPORT 15
#define SO_PASSCRED 16
#define SO_PEERCRED 17
#define SO_RCVLOWAT 18
#define SO_SNDLOWAT 19
#define SO_RCVTIMEO_OLD 20
#define SO_SNDTIMEO_OLD 21
#define SO_BINDTODEVICE 25
#define SO_PEERNAME 28
#define SO_TIMESTAMP_OLD 29
#define SO_ACCEPTCONN 30
#define SO_PEERSEC 31
#define SO_PASSSEC 34
#define SO_TIMESTAMPNS_OLD 35
#define SO_MARK 36
#define SO_PROTOCOL 38
#define SO_DOMAIN 39
#define SO_SNDBUFFORCE 32
#define SO_RCVBUFFORCE 33
#define SO_RXQ_OVFL 40
#define SO_PEEK_OFF 42
#define SO_BUSY_POLL 46
#define SO_INCOMING_CPU 49
#define SO_COOKIE 57
#define SO_ZEROCOPY 60
#define SO_BINDTOIFINDEX 62
#define SCM_TIMESTAMP SO_TIMESTAMP_OLD

/* abi-unchecked: option levels glibc spreads over <netinet/in.h> and <netinet/tcp.h> (Linux's values). */
#define SOL_IP 0
#define SOL_TCP 6
#define SOL_UDP 17
#define SOL_RAW 255


#define SOMAXCONN 4096

struct sockaddr {
	uint16_t sa_family;
	char sa_data[14];
};

/* Room for any family's address (Linux's sockaddr_storage, 128 bytes). */
struct sockaddr_storage {
	uint16_t ss_family;
	uint8_t __ss_padding[118];
	uint64_t __ss_align;
};

struct sockaddr_un {
	uint16_t sun_family;
	char sun_path[108];
};

struct iovec {
	uint64_t iov_base;	/* a user address */
	uint64_t iov_len;
};

struct msghdr {
	uint64_t msg_name;	/* a user address */
	uint32_t msg_namelen;
	uint64_t msg_iov;	/* a user address */
	uint64_t msg_iovlen;
	uint64_t msg_control;	/* a user address */
	uint64_t msg_controllen;
	int32_t msg_flags;
};

/* abi-unchecked: glibc shows it only under _GNU_SOURCE. */
struct mmsghdr {
	struct msghdr msg_hdr;
	uint32_t msg_len;
};

struct cmsghdr {
	uint64_t cmsg_len;
	int32_t cmsg_level;
	int32_t cmsg_type;
};

/* abi-unchecked: glibc shows struct ucred only under _GNU_SOURCE; Linux's is three 32-bit ids. */
struct ucred {
	int32_t pid;
	uint32_t uid;
	uint32_t gid;
};

struct linger {
	int32_t l_onoff;
	int32_t l_linger;
};

#endif
