/* The socket calls every family answers, dispatched to the family whose file it is (AF_UNIX, AF_INET, AF_NETLINK, AF_PACKET). */
#include <frame/errno.h>
#include <kernel/inet.h>
#include <kernel/netlink.h>
#include <kernel/socket.h>

extern const struct file_ops unix_file_ops;

const struct sock_ops *sock_ops_of(const struct file *f)
{
	if (f->ops == &unix_file_ops)
		return &unix_sock_ops;
	const struct sock_ops *ops = inet_sock_ops_of(f);
	return ops ? ops : netlink_sock_ops_of(f);
}

bool file_is_socket(const struct file *f)
{
	return sock_ops_of(f) != NULL;
}

int sock_type(struct file *f)
{
	return sock_ops_of(f)->type(f);
}

int sock_family(struct file *f)
{
	return sock_ops_of(f)->family;
}

int sock_bind(struct file *f, const struct vfs_ctx *ctx, const union sock_addr *addr, size_t len)
{
	return sock_ops_of(f)->bind(f, ctx, addr, len);
}

int sock_listen(struct file *f, int backlog)
{
	return sock_ops_of(f)->listen(f, backlog);
}

int sock_connect(struct file *f, const struct vfs_ctx *ctx, const union sock_addr *addr,
		 size_t len)
{
	return sock_ops_of(f)->connect(f, ctx, addr, len);
}

int sock_accept(struct file *f, uint32_t flags, struct file **out, union sock_addr *peer,
		size_t *alen)
{
	return sock_ops_of(f)->accept(f, flags, out, peer, alen);
}

int sock_shutdown(struct file *f, int how)
{
	return sock_ops_of(f)->shutdown(f, how);
}

int sock_name(struct file *f, bool peer, union sock_addr *out, size_t *alen)
{
	return sock_ops_of(f)->name(f, peer, out, alen);
}

ssize_t sock_send(struct file *f, struct sock_send *m)
{
	return sock_ops_of(f)->send(f, m);
}

ssize_t sock_recv(struct file *f, struct sock_recv *m)
{
	return sock_ops_of(f)->recv(f, m);
}

int sock_setsockopt(struct file *f, int level, int name, const void *val, size_t len)
{
	return sock_ops_of(f)->setsockopt(f, level, name, val, len);
}

int sock_getsockopt(struct file *f, int level, int name, void *val, size_t *len)
{
	return sock_ops_of(f)->getsockopt(f, level, name, val, len);
}
