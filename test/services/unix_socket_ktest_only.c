/* kernel/net AF_UNIX sockets in the test kernel: pairs, stream and datagram data, shutdown, poll masks, descriptors in flight, abstract names with listen/connect/accept, options. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/ktest.h>
#include <frame/string.h>
#include <abi/fcntl.h>
#include <kernel/eventfd.h>
#include <kernel/poll.h>
#include <kernel/socket.h>

static const struct cred root;

static ssize_t snd(struct file *f, const char *s, int flags)
{
	struct sock_send m = { .buf = s, .len = strlen(s), .flags = flags | MSG_NOSIGNAL };
	return sock_send(f, &m);
}

static ssize_t rcv(struct file *f, char *buf, size_t len, int flags)
{
	struct sock_recv r = { .buf = buf, .len = len, .flags = flags | MSG_DONTWAIT };
	ssize_t n = sock_recv(f, &r);
	for (unsigned i = 0; i < r.nfds; i++)
		file_put(r.fds[i]);
	return n;
}

KTEST(unix_stream_pair_data_and_eof)
{
	struct file *a, *b;
	KASSERT(unix_pair(&root, SOCK_STREAM, 0, &a, &b) == 0);
	KEXPECT(file_is_socket(a) && sock_type(a) == SOCK_STREAM);
	KEXPECT_EQ(file_poll(b, NULL) & POLLIN, 0);
	KEXPECT_EQ(snd(a, "hello", 0), 5);
	KEXPECT_EQ(snd(a, "world", 0), 5);
	KEXPECT(file_poll(b, NULL) & POLLIN);
	char buf[16] = { 0 };
	/* A stream read crosses write boundaries; a peek leaves the bytes. */
	KEXPECT_EQ(rcv(b, buf, 7, MSG_PEEK), 7);
	KEXPECT_EQ(rcv(b, buf, sizeof(buf), 0), 10);
	KEXPECT(memcmp(buf, "helloworld", 10) == 0);
	KEXPECT_EQ(rcv(b, buf, sizeof(buf), 0), -EAGAIN);
	KEXPECT_EQ(sock_shutdown(a, SHUT_WR), 0);
	KEXPECT_EQ(rcv(b, buf, sizeof(buf), 0), 0);
	KEXPECT(file_poll(b, NULL) & POLLRDHUP);
	KEXPECT_EQ(snd(a, "x", 0), -EPIPE);
	KEXPECT_EQ(sock_shutdown(a, 9), -EINVAL);
	file_put(a);
	/* The survivor sees both directions shut: hang-up, writes fail. */
	KEXPECT(file_poll(b, NULL) & POLLHUP);
	KEXPECT_EQ(snd(b, "x", 0), -EPIPE);
	file_put(b);
}

KTEST(unix_dgram_keeps_boundaries)
{
	struct file *a, *b;
	KASSERT(unix_pair(&root, SOCK_DGRAM, 0, &a, &b) == 0);
	KEXPECT_EQ(snd(a, "one", 0), 3);
	KEXPECT_EQ(snd(a, "three", 0), 5);
	char buf[8];
	KEXPECT_EQ(rcv(b, buf, sizeof(buf), 0), 3);
	struct sock_recv r = { .buf = buf, .len = 2, .flags = MSG_DONTWAIT | MSG_TRUNC };
	/* MSG_TRUNC: the datagram's real length, the rest dropped. */
	KEXPECT_EQ(sock_recv(b, &r), 5);
	KEXPECT(r.out_flags & MSG_TRUNC);
	KEXPECT_EQ(rcv(b, buf, sizeof(buf), 0), -EAGAIN);
	/* Too big for the send buffer. */
	static char big[SOCK_WMEM_DEFAULT];
	struct sock_send m = { .buf = big, .len = sizeof(big), .flags = MSG_DONTWAIT };
	KEXPECT_EQ(sock_send(a, &m), -EMSGSIZE);
	file_put(a);
	file_put(b);
}

KTEST(unix_stream_fills_then_would_block)
{
	struct file *a, *b;
	KASSERT(unix_pair(&root, SOCK_STREAM, O_NONBLOCK, &a, &b) == 0);
	static char chunk[4096];
	size_t total = 0;
	ssize_t n;
	for (int i = 0; i < 1000 && (n = sock_send(a, &(struct sock_send){ .buf = chunk, .len = sizeof(chunk) })) > 0; i++)
		total += (size_t)n;
	KEXPECT_EQ(n, -EAGAIN);
	KEXPECT(total > 0 && total <= SOCK_WMEM_DEFAULT);
	KEXPECT_EQ(file_poll(a, NULL) & POLLOUT, 0);
	static char sink[8192];
	size_t got = 0;
	while ((n = rcv(b, sink, sizeof(sink), 0)) > 0)
		got += (size_t)n;
	KEXPECT_EQ(got, total);
	KEXPECT(file_poll(a, NULL) & POLLOUT);
	file_put(a);
	file_put(b);
}

KTEST(unix_passes_descriptors)
{
	struct file *a, *b, *ev;
	KASSERT(unix_pair(&root, SOCK_STREAM, 0, &a, &b) == 0);
	KASSERT(eventfd_create(5, 0, &ev) == 0);
	struct file **fds = kmalloc(sizeof(*fds));
	KASSERT(fds != NULL);
	fds[0] = ev;
	file_get(ev);
	struct sock_send m = { .buf = "x", .len = 1, .fds = fds, .nfds = 1 };
	KEXPECT_EQ(sock_send(a, &m), 1);
	KEXPECT(m.fds == NULL && m.nfds == 0);	/* the message took them */
	file_put(ev);				/* only the message holds it now */
	char c;
	struct sock_recv r = { .buf = &c, .len = 1, .flags = MSG_DONTWAIT };
	KEXPECT_EQ(sock_recv(b, &r), 1);
	KASSERT(r.nfds == 1);
	KEXPECT(file_is_eventfd(r.fds[0]));
	uint64_t v = 0;
	KEXPECT_EQ(r.fds[0]->ops->read(r.fds[0], &v, 8, NULL), 8);
	KEXPECT_EQ(v, 5);
	file_put(r.fds[0]);
	kfree(r.fds);
	/* Descriptors still in flight when the socket goes are closed with it. */
	KASSERT(eventfd_create(1, 0, &ev) == 0);
	fds = kmalloc(sizeof(*fds));
	fds[0] = ev;
	m = (struct sock_send){ .buf = "y", .len = 1, .fds = fds, .nfds = 1 };
	KEXPECT_EQ(sock_send(a, &m), 1);
	file_put(a);
	file_put(b);
}

static void abstract(union sock_addr *a, size_t *len, const char *name)
{
	struct sockaddr_un *sa = &a->un;
	memset(a, 0, sizeof(*a));
	sa->sun_family = AF_UNIX;
	memcpy(sa->sun_path + 1, name, strlen(name));
	*len = SUN_PATH_OFFSET + 1 + strlen(name);
}

KTEST(unix_listen_connect_accept_abstract)
{
	struct file *l, *c, *c2, *s;
	KASSERT(unix_create(&root, SOCK_STREAM, O_NONBLOCK, &l) == 0);
	KASSERT(unix_create(&root, SOCK_STREAM, O_NONBLOCK, &c) == 0);
	union sock_addr sa, got;
	size_t len, glen;
	abstract(&sa, &len, "ktest-unix");
	KEXPECT_EQ(sock_connect(c, NULL, &sa, len), -ECONNREFUSED);
	KEXPECT_EQ(sock_listen(l, 1), -EINVAL);	/* not bound */
	KEXPECT_EQ(sock_bind(l, NULL, &sa, len), 0);
	KEXPECT_EQ(sock_bind(l, NULL, &sa, len), -EINVAL);
	KEXPECT_EQ(sock_connect(c, NULL, &sa, len), -ECONNREFUSED);	/* not listening */
	KEXPECT_EQ(sock_listen(l, 0), 0);
	KEXPECT_EQ(sock_accept(l, 0, &s, &got, &glen), -EAGAIN);
	KEXPECT_EQ(sock_connect(c, NULL, &sa, len), 0);
	KEXPECT_EQ(sock_connect(c, NULL, &sa, len), -EISCONN);
	/* Backlog 0 still takes one connection; the next would block. */
	KASSERT(unix_create(&root, SOCK_STREAM, O_NONBLOCK, &c2) == 0);
	KEXPECT_EQ(sock_connect(c2, NULL, &sa, len), -EAGAIN);
	KEXPECT(file_poll(l, NULL) & POLLIN);
	KEXPECT_EQ(snd(c, "early", 0), 5);	/* queued before accept */
	KASSERT(sock_accept(l, 0, &s, &got, &glen) == 0);
	KEXPECT_EQ(glen, SUN_PATH_OFFSET);	/* the client is unnamed */
	char buf[8];
	KEXPECT_EQ(rcv(s, buf, sizeof(buf), 0), 5);
	KEXPECT_EQ(sock_name(s, false, &got, &glen), 0);
	KEXPECT_EQ(glen, len);
	KEXPECT(memcmp(got.un.sun_path, sa.un.sun_path, len - SUN_PATH_OFFSET) == 0);
	KEXPECT_EQ(sock_name(c, true, &got, &glen), 0);
	KEXPECT_EQ(glen, len);
	/* A second socket cannot take the name. */
	struct file *d;
	KASSERT(unix_create(&root, SOCK_STREAM, 0, &d) == 0);
	KEXPECT_EQ(sock_bind(d, NULL, &sa, len), -EADDRINUSE);
	/* A datagram socket of another type at the name: EPROTOTYPE. */
	struct file *g;
	KASSERT(unix_create(&root, SOCK_DGRAM, 0, &g) == 0);
	KEXPECT_EQ(sock_connect(g, NULL, &sa, len), -EPROTOTYPE);
	KEXPECT_EQ(sock_listen(g, 1), -EOPNOTSUPP);
	file_put(g);
	file_put(d);
	file_put(s);
	file_put(c2);
	file_put(c);
	file_put(l);
	/* The name is free again once its socket is gone. */
	KASSERT(unix_create(&root, SOCK_STREAM, 0, &d) == 0);
	KEXPECT_EQ(sock_bind(d, NULL, &sa, len), 0);
	file_put(d);
}

KTEST(unix_options)
{
	struct file *a;
	KASSERT(unix_create(&root, SOCK_SEQPACKET, 0, &a) == 0);
	int v = 0;
	size_t len = sizeof(v);
	KEXPECT_EQ(sock_getsockopt(a, SOL_SOCKET, SO_TYPE, &v, &len), 0);
	KEXPECT_EQ(v, SOCK_SEQPACKET);
	v = 10000;
	KEXPECT_EQ(sock_setsockopt(a, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)), 0);
	len = sizeof(v);
	KEXPECT_EQ(sock_getsockopt(a, SOL_SOCKET, SO_SNDBUF, &v, &len), 0);
	KEXPECT_EQ(v, 20000);	/* doubled, as Linux */
	v = 1;
	KEXPECT_EQ(sock_setsockopt(a, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)), 0);
	len = sizeof(v);
	KEXPECT_EQ(sock_getsockopt(a, SOL_SOCKET, SO_SNDBUF, &v, &len), 0);
	KEXPECT_EQ(v, 4608);	/* the floor */
	KEXPECT_EQ(sock_setsockopt(a, SOL_SOCKET, 9999, &v, sizeof(v)), -ENOPROTOOPT);
	KEXPECT_EQ(sock_setsockopt(a, SOL_SOCKET, SO_SNDBUF, &v, 2), -EINVAL);
	len = sizeof(v);
	KEXPECT_EQ(sock_getsockopt(a, 6, 1, &v, &len), -EOPNOTSUPP);
	struct sock_send m = { .buf = "x", .len = 1 };
	KEXPECT_EQ(sock_send(a, &m), -ENOTCONN);
	file_put(a);
}
