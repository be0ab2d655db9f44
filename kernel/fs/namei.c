/*
 * The path walk: components, ".", ".." (stopping at the caller's root,
 * climbing out of mounts), mount crossing, symlinks (40 at most, ELOOP),
 * search permission, trailing slashes. Runs under the VFS lock.
 */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/string.h>
#include <kernel/vfs.h>

#include "vfs_internal.h"

enum walk_mode { WALK_FOLLOW, WALK_NOFOLLOW, WALK_PARENT };

struct walk {
	const struct vfs_ctx *ctx;
	struct path cur;	/* referenced */
	int links;
	/* WALK_PARENT results */
	const char *last;
	size_t len;
	enum last_type type;
	bool trailing;
};

int check_name(const char *name)
{
	if (!name[0])
		return -ENOENT;
	if (strnlen(name, PATH_MAX) >= PATH_MAX)
		return -ENAMETOOLONG;
	return 0;
}

static void set_cur(struct walk *w, const struct path *p)
{
	path_get(p);
	path_put(&w->cur);
	w->cur = *p;
}

/* Step onto whatever is mounted on the current place, repeatedly (stacked mounts). */
static void follow_mounts(struct walk *w)
{
	struct mount *m;
	while ((m = mount_on(w->cur.mnt, w->cur.inode))) {
		struct path p = { m, m->root };
		set_cur(w, &p);
	}
}

static int follow_dotdot(struct walk *w)
{
	for (;;) {
		if (path_equal(&w->cur, &w->ctx->root))
			return 0;
		struct mount *m = w->cur.mnt;
		if (w->cur.inode != m->root)
			break;
		if (!m->parent)
			return 0;	/* ".." of the tree's root is itself */
		struct path up = { m->parent, m->mountpoint };
		set_cur(w, &up);
	}
	struct inode *parent;
	int err = w->cur.inode->ops->lookup(w->cur.inode, "..", 2, &parent);
	if (err)
		return err;
	inode_put(w->cur.inode);
	w->cur.inode = parent;
	follow_mounts(w);
	return 0;
}

static int walk_str(struct walk *w, const char *s, enum walk_mode mode);

/* Continue the walk through symlink @link, found in the current directory. */
static int follow_link(struct walk *w, struct inode *link)
{
	if (++w->links > VFS_MAX_SYMLINKS)
		return -ELOOP;
	char *buf = kmalloc(PATH_MAX);
	if (!buf)
		return -ENOMEM;
	ssize_t n = link->ops->readlink(link, buf, PATH_MAX - 1);
	int err;
	if (n < 0)
		err = (int)n;
	else if (n == 0)
		err = -ENOENT;
	else if (n >= PATH_MAX - 1)
		err = -ENAMETOOLONG;
	else {
		buf[n] = 0;
		err = walk_str(w, buf, WALK_FOLLOW);
	}
	kfree(buf);
	return err;
}

static int walk_str(struct walk *w, const char *s, enum walk_mode mode)
{
	if (*s == '/') {
		set_cur(w, &w->ctx->root);
		while (*s == '/')
			s++;
		if (!*s && mode == WALK_PARENT) {
			w->type = LAST_ROOT;
			w->last = s;
			w->len = 0;
			return 0;
		}
	}
	while (*s) {
		const char *name = s;
		size_t len = 0;
		while (s[len] && s[len] != '/')
			len++;
		s += len;
		bool trailing = *s == '/';
		while (*s == '/')
			s++;
		bool last = !*s;
		if (len > NAME_MAX)
			return -ENAMETOOLONG;
		struct inode *dir = w->cur.inode;
		if (!S_ISDIR(dir->mode))
			return -ENOTDIR;
		bool dot = len == 1 && name[0] == '.';
		bool dotdot = len == 2 && name[0] == '.' && name[1] == '.';
		if (last && mode == WALK_PARENT) {
			w->last = name;
			w->len = len;
			w->trailing = trailing;
			w->type = dot ? LAST_DOT : dotdot ? LAST_DOTDOT : LAST_NORM;
			return 0;
		}
		int err = inode_permission(w->ctx->cred, dir, MAY_EXEC);
		if (err)
			return err;
		if (dot)
			continue;
		if (dotdot) {
			if ((err = follow_dotdot(w)))
				return err;
		} else {
			struct inode *child;
			if ((err = dir->ops->lookup(dir, name, len, &child)))
				return err;
			if (S_ISLNK(child->mode) && (!last || trailing || mode == WALK_FOLLOW)) {
				err = follow_link(w, child);
				inode_put(child);
				if (err)
					return err;
			} else {
				inode_put(w->cur.inode);
				w->cur.inode = child;
				follow_mounts(w);
			}
		}
		if (last && trailing && !S_ISDIR(w->cur.inode->mode))
			return -ENOTDIR;
	}
	return 0;
}

static void walk_start(struct walk *w, const struct vfs_ctx *ctx, const struct path *at)
{
	memset(w, 0, sizeof(*w));
	w->ctx = ctx;
	w->cur = at ? *at : ctx->cwd;
	path_get(&w->cur);
}

int walk_path(const struct vfs_ctx *ctx, const struct path *at, const char *name,
	      unsigned flags, struct path *out)
{
	int err = check_name(name);
	if (err)
		return err;
	struct walk w;
	walk_start(&w, ctx, at);
	err = walk_str(&w, name, (flags & LOOKUP_FOLLOW) ? WALK_FOLLOW : WALK_NOFOLLOW);
	if (!err && (flags & LOOKUP_DIRECTORY) && !S_ISDIR(w.cur.inode->mode))
		err = -ENOTDIR;
	if (err) {
		path_put(&w.cur);
		return err;
	}
	*out = w.cur;
	return 0;
}

int vfs_lookup(const struct vfs_ctx *ctx, const struct path *at, const char *name,
	       unsigned flags, struct path *out)
{
	vfs_lock();
	int err = walk_path(ctx, at, name, flags, out);
	vfs_unlock();
	return err;
}

int nd_walk_parent(const struct vfs_ctx *ctx, const struct path *at, const char *name,
		   struct nameidata *nd)
{
	int err = check_name(name);
	if (err)
		return err;
	struct walk w;
	walk_start(&w, ctx, at);
	err = walk_str(&w, name, WALK_PARENT);
	if (!err && !S_ISDIR(w.cur.inode->mode))
		err = -ENOTDIR;
	if (err) {
		path_put(&w.cur);
		return err;
	}
	nd->ctx = ctx;
	nd->parent = w.cur;
	nd->last = w.last;
	nd->len = w.len;
	nd->type = w.type;
	nd->trailing = w.trailing;
	nd->links = w.links;
	return 0;
}

void nd_release(struct nameidata *nd)
{
	path_put(&nd->parent);
}

int nd_lookup_last(struct nameidata *nd, struct inode **out)
{
	struct inode *dir = nd->parent.inode;
	int err = inode_permission(nd->ctx->cred, dir, MAY_EXEC);
	if (err)
		return err;
	return dir->ops->lookup(dir, nd->last, nd->len, out);
}
