/* Private to kernel/net: the AF_UNIX socket object, its message queue and the name table. */
#ifndef KERNEL_NET_UNIX_INTERNAL_H
#define KERNEL_NET_UNIX_INTERNAL_H

#include <frame/mutex.h>
#include <frame/wait.h>
#include <kernel/socket.h>

/* sk_shutdown bits, as Linux's. */
#define RCV_SHUTDOWN 1u
#define SEND_SHUTDOWN 2u
#define SHUTDOWN_MASK 3u

enum unix_state { US_UNCONNECTED, US_LISTENING, US_CONNECTED };

/* A bound name: the sockaddr as given (trimmed), shared by a socket, its accepted children and messages. */
struct unix_addr {
	uint32_t refs;		/* under unix_lock */
	size_t len;		/* bytes of sa that count, family included */
	struct sockaddr_un sa;
};

/* One queued message (stream: a run of bytes; datagram/seqpacket: one record). */
struct unix_msg {
	struct unix_msg *next;
	size_t len, off;	/* off: bytes a stream reader already took */
	struct file **fds;	/* SCM_RIGHTS in flight, referenced */
	unsigned nfds;
	struct ucred cred;
	struct unix_addr *from;	/* the sender's name (datagrams), referenced */
	uint8_t data[];
};

struct unix_sock {
	uint32_t refs;		/* the file, a peer pointing here, an accept queue */
	int type;
	int state;		/* enum unix_state (an int: atomics read it) */
	uint32_t shutdown;	/* RCV_SHUTDOWN | SEND_SHUTDOWN; read racily by wait conditions */
	bool dead;		/* its file is gone */
	int err;		/* SO_ERROR, a positive errno */
	struct wait_queue wq;	/* readers, writers into this queue, acceptors, pollers */
	struct unix_sock *peer;	/* referenced */
	struct unix_addr *addr;	/* bound name, or NULL */
	struct inode *inode;	/* bound path's socket inode, referenced */
	struct unix_sock *next_bound;
	/* Receive queue. */
	struct unix_msg *head, *tail;
	uint32_t qlen;
	size_t qbytes;		/* unread bytes */
	size_t qcharge;		/* what the queue costs its senders' buffers */
	/* Listening: connections not yet accepted. */
	int backlog;
	struct unix_sock *acc_head, *acc_tail, *next_pending;
	uint32_t acc_len;
	/* Options. */
	uint32_t sndbuf, rcvbuf;
	bool passcred, reuseaddr, keepalive;
	struct linger linger;
	struct ucred cred;	/* the creator's, what the peer's SO_PEERCRED gives */
	struct ucred peercred;
	bool has_peercred;
};

/* Every socket's state changes under this one lock (one CPU; simple and obviously ordered). */
extern struct mutex unix_lock;

void unix_sock_put_locked(struct unix_sock *s);
void unix_addr_put_locked(struct unix_addr *a);
/* Free a message: under the lock, which it drops around closing descriptors in flight. */
void unix_msg_free_locked(struct unix_msg *m);
/* The data calls of unix_sock_ops (unix_data.c). */
ssize_t unix_sock_send(struct file *f, struct sock_send *m);
ssize_t unix_sock_recv(struct file *f, struct sock_recv *r);
/* POLL* mask of @s, under the lock. */
unsigned unix_poll_mask(struct unix_sock *s);

/* ---- names (unix_addr.c), all under unix_lock ---- */

/*
 * Check and trim a user's sockaddr: @len bytes of @sa to a name. 0, or
 * -EINVAL (too short, not AF_UNIX, longer than sockaddr_un).
 */
int unix_addr_make(const struct sockaddr_un *sa, size_t len, struct unix_addr **out);
/* Bind @s to @a (path names: creates the socket inode; the lock is dropped around the VFS). */
int unix_bind_name(struct unix_sock *s, const struct vfs_ctx *ctx, struct unix_addr *a);
/* Give @s an abstract name of five hex digits (autobind). */
int unix_autobind(struct unix_sock *s);
/* The bound socket @a names, with a reference: -ENOENT/-ECONNREFUSED/-EACCES as Linux. */
int unix_find(const struct vfs_ctx *ctx, struct unix_addr *a, struct unix_sock **out);
/* Drop @s's name from the table (its path inode stays, as on Linux). */
void unix_unbind(struct unix_sock *s);

#endif
