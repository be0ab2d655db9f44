/* AF_UNIX names: checking sockaddrs, binding paths (socket inodes through the VFS) and abstract names, finding a bound socket. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/string.h>
#include <kernel/vfs.h>
#include "unix_internal.h"

/* Bound sockets, path and abstract alike. */
static struct unix_sock *bound;
static uint32_t autobind_next;

int unix_addr_make(const struct sockaddr_un *sa, size_t len, struct unix_addr **out)
{
	if (len < SUN_PATH_OFFSET || len > sizeof(*sa) || sa->sun_family != AF_UNIX)
		return -EINVAL;
	struct unix_addr *a = kzalloc(sizeof(*a));
	if (!a)
		return -ENOMEM;
	a->refs = 1;
	a->sa.sun_family = AF_UNIX;
	memcpy(a->sa.sun_path, sa->sun_path, len - SUN_PATH_OFFSET);
	/* A path ends at its first NUL (Linux's unix_mkname); an abstract name keeps every byte. */
	if (len > SUN_PATH_OFFSET && a->sa.sun_path[0])
		len = SUN_PATH_OFFSET + strnlen(a->sa.sun_path, len - SUN_PATH_OFFSET) + 1;
	a->len = MIN(len, sizeof(a->sa));
	*out = a;
	return 0;
}

static bool is_abstract(const struct unix_addr *a)
{
	return a->len > SUN_PATH_OFFSET && a->sa.sun_path[0] == 0;
}

static bool same_abstract(const struct unix_addr *a, const struct unix_addr *b)
{
	return a->len == b->len && memcmp(a->sa.sun_path, b->sa.sun_path, a->len - SUN_PATH_OFFSET) == 0;
}

static void table_add(struct unix_sock *s, struct unix_addr *a)
{
	s->addr = a;
	s->next_bound = bound;
	bound = s;
}

int unix_bind_name(struct unix_sock *s, const struct vfs_ctx *ctx, struct unix_addr *a)
{
	if (is_abstract(a)) {
		for (struct unix_sock *o = bound; o; o = o->next_bound)
			if (!o->inode && same_abstract(o->addr, a))
				return -EADDRINUSE;
		table_add(s, a);
		return 0;
	}
	if (a->len <= SUN_PATH_OFFSET + 1 && !a->sa.sun_path[0])
		return -EINVAL;
	/* The VFS takes its own lock and may sleep: do it without ours, then re-check. */
	char path[sizeof(a->sa.sun_path) + 1];
	memcpy(path, a->sa.sun_path, sizeof(a->sa.sun_path));
	path[sizeof(a->sa.sun_path)] = 0;
	mutex_unlock(&unix_lock);
	int err = vfs_mknod(ctx, NULL, path, S_IFSOCK | (0777 & ~ctx->umask), 0);
	struct path p = { 0 };
	if (!err)
		err = vfs_lookup(ctx, NULL, path, 0, &p);
	mutex_lock(&unix_lock);
	if (err)
		return err == -EEXIST ? -EADDRINUSE : err;
	if (s->addr || s->dead) {
		/* Another thread bound it meanwhile; the inode stays, as a failed Linux bind would leave nothing, but this race is ours alone. */
		path_put(&p);
		return -EINVAL;
	}
	s->inode = p.inode;
	inode_get(s->inode);
	path_put(&p);
	table_add(s, a);
	return 0;
}

int unix_autobind(struct unix_sock *s)
{
	for (uint32_t tries = 0; tries < 0x100000; tries++) {
		struct unix_addr *a = kzalloc(sizeof(*a));
		if (!a)
			return -ENOMEM;
		a->refs = 1;
		a->sa.sun_family = AF_UNIX;
		uint32_t n = autobind_next++ & 0xfffff;
		static const char hex[] = "0123456789abcdef";
		for (int i = 0; i < 5; i++)
			a->sa.sun_path[5 - i] = hex[(n >> (4 * i)) & 15];
		a->len = SUN_PATH_OFFSET + 6;
		bool used = false;
		for (struct unix_sock *o = bound; o && !used; o = o->next_bound)
			used = !o->inode && same_abstract(o->addr, a);
		if (!used) {
			table_add(s, a);
			return 0;
		}
		kfree(a);
	}
	return -ENOSPC;
}

int unix_find(const struct vfs_ctx *ctx, struct unix_addr *a, struct unix_sock **out)
{
	if (is_abstract(a)) {
		for (struct unix_sock *o = bound; o; o = o->next_bound) {
			if (!o->inode && same_abstract(o->addr, a)) {
				o->refs++;
				*out = o;
				return 0;
			}
		}
		return -ECONNREFUSED;
	}
	if (a->len <= SUN_PATH_OFFSET + 1 && !a->sa.sun_path[0])
		return -EINVAL;
	char path[sizeof(a->sa.sun_path) + 1];
	memcpy(path, a->sa.sun_path, sizeof(a->sa.sun_path));
	path[sizeof(a->sa.sun_path)] = 0;
	mutex_unlock(&unix_lock);
	struct path p = { 0 };
	int err = vfs_lookup(ctx, NULL, path, LOOKUP_FOLLOW, &p);
	if (!err) {
		err = inode_permission(ctx->cred, p.inode, MAY_WRITE);
		if (!err && !S_ISSOCK(p.inode->mode))
			err = -ECONNREFUSED;
	}
	mutex_lock(&unix_lock);
	if (err) {
		path_put(&p);
		return err;
	}
	for (struct unix_sock *o = bound; o; o = o->next_bound) {
		if (o->inode == p.inode) {
			o->refs++;
			*out = o;
			path_put(&p);
			return 0;
		}
	}
	path_put(&p);
	return -ECONNREFUSED;
}

void unix_unbind(struct unix_sock *s)
{
	if (!s->addr)
		return;
	for (struct unix_sock **pp = &bound; *pp; pp = &(*pp)->next_bound) {
		if (*pp == s) {
			*pp = s->next_bound;
			break;
		}
	}
	s->next_bound = NULL;
	if (s->inode) {
		inode_put(s->inode);
		s->inode = NULL;
	}
}
