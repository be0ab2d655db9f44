/*
 * Sockets: the calls every socket family answers (bind, listen, connect,
 * accept, shutdown, names, send, receive, options), dispatched by
 * kernel/net/socket.c to the family that made the file: AF_UNIX stream,
 * datagram and sequenced-packet sockets (kernel/net/unix*.c; names in the
 * file system or the abstract namespace, SCM_RIGHTS/SCM_CREDENTIALS) and
 * AF_INET (kernel/include/kernel/inet.h). Sockets are files
 * (kernel/file.h): read, write, poll and fstat work on them like on any
 * descriptor. Data moves through kernel buffers; the system-call layer
 * (kernel/net/sys_socket.c) copies from and to user memory.
 */
#ifndef KERNEL_SOCKET_H
#define KERNEL_SOCKET_H

#include <abi/in.h>
#include <abi/socket.h>
#include <frame/types.h>
#include <kernel/cred.h>
#include <kernel/file.h>
#include <kernel/vfs.h>

/* Most descriptors one SCM_RIGHTS message carries (Linux's SCM_MAX_FD). */
#define SCM_MAX_FD 253
/* net.core.wmem_max / rmem_max and the defaults (Linux's). */
#define SOCK_WMEM_MAX 212992u
#define SOCK_WMEM_DEFAULT 212992u
/* Offset of sun_path in struct sockaddr_un. */
#define SUN_PATH_OFFSET 2u

/* A socket address of any family, as the system calls carry it (at most 128 bytes count). */
union sock_addr {
	struct sockaddr sa;
	struct sockaddr_un un;
	struct sockaddr_in in;
	struct sockaddr_storage ss;
};

/* A new AF_UNIX socket file of @type (SOCK_*, no flags); @flags O_NONBLOCK goes to the file. */
int unix_create(const struct cred *c, int type, uint32_t flags, struct file **out);
/* socketpair(): two connected sockets. */
int unix_pair(const struct cred *c, int type, uint32_t flags, struct file **a, struct file **b);

bool file_is_socket(const struct file *f);
/* SOCK_* of a socket file. */
int sock_type(struct file *f);
/* AF_* of a socket file. */
int sock_family(struct file *f);

/*
 * bind(): @addr of @len bytes (a copy of the user's). A path name creates
 * a socket inode through the VFS (EADDRINUSE if the name exists); a
 * leading NUL names the abstract namespace; @len 2 autobinds.
 */
int sock_bind(struct file *f, const struct vfs_ctx *ctx, const union sock_addr *addr,
	      size_t len);
int sock_listen(struct file *f, int backlog);
/* connect(): for datagram sockets, sets the default peer (AF_UNSPEC: none). */
int sock_connect(struct file *f, const struct vfs_ctx *ctx, const union sock_addr *addr,
		 size_t len);
/*
 * accept(): the next connection as a new file (@flags O_NONBLOCK) and the
 * peer's address (*@alen bytes of it are meaningful).
 */
int sock_accept(struct file *f, uint32_t flags, struct file **out, union sock_addr *peer,
		size_t *alen);
int sock_shutdown(struct file *f, int how);
/* Own (@peer false) or the peer's address: bytes meaningful in *@out. */
int sock_name(struct file *f, bool peer, union sock_addr *out, size_t *alen);

/* One sendmsg() in kernel form. */
struct sock_send {
	const void *buf;
	size_t len;
	int flags;				/* MSG_* */
	const union sock_addr *to;		/* NULL: the connected peer */
	size_t tolen;
	const struct vfs_ctx *ctx;		/* resolves @to */
	struct file **fds;			/* SCM_RIGHTS: referenced; taken on success */
	unsigned nfds;
	bool has_cred;				/* SCM_CREDENTIALS given (already checked) */
	struct ucred cred;
};
/* Bytes sent (stream: may be short when non-blocking or interrupted), or -errno. */
ssize_t sock_send(struct file *f, struct sock_send *m);

/* One recvmsg() in kernel form. */
struct sock_recv {
	void *buf;
	size_t len;
	int flags;				/* MSG_PEEK, MSG_DONTWAIT, MSG_WAITALL, MSG_TRUNC */
	/* Results. */
	int out_flags;				/* MSG_TRUNC for a cut datagram */
	union sock_addr from;
	size_t fromlen;				/* 0: no address */
	struct file **fds;			/* kfree the array; each file is referenced */
	unsigned nfds;
	bool has_cred;				/* the receiver asked (SO_PASSCRED) */
	struct ucred cred;
};
/* Bytes received (with MSG_TRUNC in @flags, a datagram's full length), 0 at end, or -errno. */
ssize_t sock_recv(struct file *f, struct sock_recv *m);

/* Options of any level the family knows; values in kernel memory. */
int sock_setsockopt(struct file *f, int level, int name, const void *val, size_t len);
/* *@len: in, the room; out, the bytes of the value. */
int sock_getsockopt(struct file *f, int level, int name, void *val, size_t *len);
/* The longest option value a family takes or gives (struct tcp_info). */
#define SOCK_OPT_MAX 256

/* What a socket family implements (the calls above, for its own files). */
struct sock_ops {
	int family;
	int (*type)(struct file *f);
	int (*bind)(struct file *f, const struct vfs_ctx *ctx, const union sock_addr *addr,
		    size_t len);
	int (*listen)(struct file *f, int backlog);
	int (*connect)(struct file *f, const struct vfs_ctx *ctx, const union sock_addr *addr,
		       size_t len);
	int (*accept)(struct file *f, uint32_t flags, struct file **out, union sock_addr *peer,
		      size_t *alen);
	int (*shutdown)(struct file *f, int how);
	int (*name)(struct file *f, bool peer, union sock_addr *out, size_t *alen);
	ssize_t (*send)(struct file *f, struct sock_send *m);
	ssize_t (*recv)(struct file *f, struct sock_recv *m);
	int (*setsockopt)(struct file *f, int level, int name, const void *val, size_t len);
	int (*getsockopt)(struct file *f, int level, int name, void *val, size_t *len);
};

extern const struct sock_ops unix_sock_ops;
/* The family of socket file @f, NULL for any other file. */
const struct sock_ops *sock_ops_of(const struct file *f);

#endif
