/* Namespace operations: mkdir, mknod, rmdir, unlink, symlink, link, rename, readlink, with Linux's checks and their order. */
#include <frame/errno.h>
#include <abi/fcntl.h>
#include <kernel/vfs.h>

#include "vfs_internal.h"
#include "vfs_ops.h"

int may_create(const struct cred *c, struct inode *dir)
{
	if (dir->nlink == 0)
		return -ENOENT;	/* a removed directory takes no new entries */
	return inode_permission(c, dir, MAY_WRITE | MAY_EXEC);
}

/* Linux's may_delete(): write+search on @dir, and the sticky-bit rule. */
static int may_delete(const struct cred *c, struct inode *dir, struct inode *victim)
{
	int err = inode_permission(c, dir, MAY_WRITE | MAY_EXEC);
	if (err)
		return err;
	if ((dir->mode & S_ISVTX) && !cred_is_root(c) && c->fsuid != victim->uid &&
	    c->fsuid != dir->uid)
		return -EPERM;
	return 0;
}

struct empty_check {
	struct dir_emit emit;
	bool found;
};

static bool empty_actor(struct dir_emit *emit, const char *name, size_t len, uint64_t ino,
			unsigned dtype, uint64_t next_pos)
{
	(void)ino, (void)dtype, (void)next_pos;
	if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
		return true;
	container_of(emit, struct empty_check, emit)->found = true;
	return false;	/* one entry past the dots is enough */
}

bool dir_is_empty(struct inode *dir)
{
	struct empty_check c = { { empty_actor }, false };
	/* From the start: a disk file system's dots are entries with cookies of their own. */
	uint64_t pos = 0;
	dir->ops->iterate(dir, &pos, &c.emit);
	return !c.found;
}

int create_locked(struct nameidata *nd, uint32_t mode, uint64_t rdev, const char *target,
		  struct inode **out)
{
	const struct cred *c = nd->ctx->cred;
	struct inode *dir = nd->parent.inode;
	int err = may_create(c, dir);
	if (err)
		return err;
	uint32_t gid = c->fsgid;
	if (dir->mode & S_ISGID) {
		/* BSD group semantics in a setgid directory; subdirectories inherit the bit. */
		gid = dir->gid;
		if (S_ISDIR(mode))
			mode |= S_ISGID;
	}
	return dir->ops->create(dir, nd->last, nd->len, mode, c->fsuid, gid, rdev, target, out);
}

/*
 * Walk to the parent of a new name and check the name is free: -EEXIST for
 * ".", ".." and "/", and for existing entries; a trailing slash is only for
 * directories (-ENOENT otherwise, as Linux).
 */
static int walk_new(const struct vfs_ctx *ctx, const struct path *at, const char *name,
		    bool is_dir, struct nameidata *nd)
{
	int err = nd_walk_parent(ctx, at, name, nd);
	if (err)
		return err;
	struct inode *existing;
	if (nd->type != LAST_NORM)
		err = -EEXIST;
	else if (!(err = nd_lookup_last(nd, &existing))) {
		inode_put(existing);
		err = -EEXIST;
	} else if (err == -ENOENT) {
		err = (nd->trailing && !is_dir) ? -ENOENT : 0;
	}
	if (err)
		nd_release(nd);
	return err;
}

int vfs_mkdir(const struct vfs_ctx *ctx, const struct path *at, const char *name, uint32_t mode)
{
	vfs_lock();
	struct nameidata nd;
	int err = walk_new(ctx, at, name, true, &nd);
	if (!err) {
		struct inode *inode;
		mode = (mode & (0777 | S_ISVTX) & ~ctx->umask) | S_IFDIR;
		if (!(err = create_locked(&nd, mode, 0, NULL, &inode)))
			inode_put(inode);
		nd_release(&nd);
	}
	vfs_unlock();
	return err;
}

int vfs_mknod(const struct vfs_ctx *ctx, const struct path *at, const char *name, uint32_t mode,
	      uint64_t dev)
{
	if ((mode & S_IFMT) == 0)
		mode |= S_IFREG;
	switch (mode & S_IFMT) {
	case S_IFREG: case S_IFIFO: case S_IFSOCK: case S_IFCHR: case S_IFBLK:
		break;
	case S_IFDIR:
		return -EPERM;
	default:
		return -EINVAL;
	}
	vfs_lock();
	struct nameidata nd;
	int err = walk_new(ctx, at, name, false, &nd);
	if (!err) {
		bool device = S_ISCHR(mode) || S_ISBLK(mode);
		struct inode *inode;
		/* Permission on the directory first, then the privilege for devices. */
		err = may_create(ctx->cred, nd.parent.inode);
		if (!err && device && !cred_is_root(ctx->cred))
			err = -EPERM;
		uint32_t m = (mode & S_IFMT) | (mode & 07777 & ~ctx->umask);
		if (!err && !(err = create_locked(&nd, m, device ? dev : 0, NULL, &inode)))
			inode_put(inode);
		nd_release(&nd);
	}
	vfs_unlock();
	return err;
}

int vfs_symlink(const struct vfs_ctx *ctx, const char *target, const struct path *at,
		const char *name)
{
	int err = check_name(target);
	if (err)
		return err;
	vfs_lock();
	struct nameidata nd;
	err = walk_new(ctx, at, name, false, &nd);
	if (!err) {
		struct inode *inode;
		if (!(err = create_locked(&nd, S_IFLNK | 0777, 0, target, &inode)))
			inode_put(inode);
		nd_release(&nd);
	}
	vfs_unlock();
	return err;
}

/* Walk to an existing last component for removal; its inode referenced in *@out. */
static int walk_victim(const struct vfs_ctx *ctx, const struct path *at, const char *name,
		       struct nameidata *nd, struct inode **out, int bad_type_err[3])
{
	int err = nd_walk_parent(ctx, at, name, nd);
	if (err)
		return err;
	if (nd->type != LAST_NORM)
		err = bad_type_err[nd->type - 1];
	else
		err = nd_lookup_last(nd, out);
	if (err)
		nd_release(nd);
	return err;
}

int vfs_rmdir(const struct vfs_ctx *ctx, const struct path *at, const char *name)
{
	/* ".": EINVAL, "..": ENOTEMPTY, "/": EBUSY, as Linux. */
	int bad[3] = { -EINVAL, -ENOTEMPTY, -EBUSY };
	vfs_lock();
	struct nameidata nd;
	struct inode *victim;
	int err = walk_victim(ctx, at, name, &nd, &victim, bad);
	if (err)
		goto out;
	struct inode *dir = nd.parent.inode;
	if (!S_ISDIR(victim->mode))
		err = -ENOTDIR;
	else if ((err = may_delete(ctx->cred, dir, victim)))
		;
	else if (is_mountpoint(victim) || victim == ctx->root.inode)
		err = -EBUSY;
	else if (!dir_is_empty(victim))
		err = -ENOTEMPTY;
	else
		err = dir->ops->unlink ? dir->ops->unlink(dir, nd.last, nd.len, victim) : -EPERM;
	inode_put(victim);
	nd_release(&nd);
out:
	vfs_unlock();
	return err;
}

int vfs_unlink(const struct vfs_ctx *ctx, const struct path *at, const char *name)
{
	int bad[3] = { -EISDIR, -EISDIR, -EISDIR };
	vfs_lock();
	struct nameidata nd;
	struct inode *victim;
	int err = walk_victim(ctx, at, name, &nd, &victim, bad);
	if (err)
		goto out;
	struct inode *dir = nd.parent.inode;
	if (S_ISDIR(victim->mode))
		err = -EISDIR;
	else if (nd.trailing)
		err = -ENOTDIR;
	else if ((err = may_delete(ctx->cred, dir, victim)))
		;
	else if (is_mountpoint(victim))
		err = -EBUSY;
	else
		err = dir->ops->unlink ? dir->ops->unlink(dir, nd.last, nd.len, victim) : -EPERM;
	inode_put(victim);
	nd_release(&nd);
out:
	vfs_unlock();
	return err;
}

/*
 * fs.protected_hardlinks = 1 (Debian's setting), Linux's may_linkat(): the
 * owner (or root) may link anything; others only a regular file that is not
 * setuid, not setgid-executable, and that they may read and write.
 */
static int may_linkat(const struct cred *c, struct inode *inode)
{
	if (cred_is_root(c) || c->fsuid == inode->uid)
		return 0;
	if (S_ISREG(inode->mode) && !(inode->mode & S_ISUID) &&
	    (inode->mode & (S_ISGID | S_IXGRP)) != (S_ISGID | S_IXGRP) &&
	    inode_permission(c, inode, MAY_READ | MAY_WRITE) == 0)
		return 0;
	return -EPERM;
}

int vfs_link(const struct vfs_ctx *ctx, const struct path *oat, const char *oname,
	     const struct path *nat, const char *nname, unsigned flags)
{
	if (flags & ~(unsigned)AT_SYMLINK_FOLLOW)
		return -EINVAL;
	vfs_lock();
	struct path old;
	int err = walk_path(ctx, oat, oname, (flags & AT_SYMLINK_FOLLOW) ? LOOKUP_FOLLOW : 0, &old);
	if (err)
		goto out;
	struct nameidata nd;
	err = walk_new(ctx, nat, nname, false, &nd);
	if (!err) {
		struct inode *dir = nd.parent.inode;
		if (nd.parent.mnt != old.mnt)
			err = -EXDEV;
		else if ((err = may_linkat(ctx->cred, old.inode)))
			;
		else if ((err = may_create(ctx->cred, dir)))
			;
		else if (S_ISDIR(old.inode->mode))
			err = -EPERM;
		else if (old.inode->nlink == 0)
			err = -ENOENT;
		else
			err = dir->ops->link ? dir->ops->link(dir, nd.last, nd.len, old.inode) : -EPERM;
		nd_release(&nd);
	}
	path_put(&old);
out:
	vfs_unlock();
	return err;
}

/* True if @dir is @anc or below it (walking ".." inside one file system). */
static bool is_below(struct inode *dir, struct inode *anc)
{
	struct inode *cur = dir;
	bool below = false;
	inode_get(cur);
	for (;;) {
		if (cur == anc) {
			below = true;
			break;
		}
		struct inode *up;
		if (cur->ops->lookup(cur, "..", 2, &up))
			break;
		if (up == cur) {	/* the file system's root */
			inode_put(up);
			break;
		}
		inode_put(cur);
		cur = up;
	}
	inode_put(cur);
	return below;
}

int vfs_rename(const struct vfs_ctx *ctx, const struct path *oat, const char *oname,
	       const struct path *nat, const char *nname, unsigned flags)
{
	if (flags & ~(unsigned)(RENAME_NOREPLACE | RENAME_EXCHANGE))
		return -EINVAL;
	if ((flags & RENAME_NOREPLACE) && (flags & RENAME_EXCHANGE))
		return -EINVAL;
	bool exchange = flags & RENAME_EXCHANGE;
	const struct cred *c = ctx->cred;
	vfs_lock();
	struct nameidata ond, nnd;
	struct inode *old = NULL, *new = NULL;
	int err = nd_walk_parent(ctx, oat, oname, &ond);
	if (err)
		goto out;
	if ((err = nd_walk_parent(ctx, nat, nname, &nnd)))
		goto out_old;
	struct inode *odir = ond.parent.inode, *ndir = nnd.parent.inode;
	if (ond.type != LAST_NORM || nnd.type != LAST_NORM) {
		err = -EBUSY;
		goto out_both;
	}
	if (ond.parent.mnt != nnd.parent.mnt) {
		err = -EXDEV;
		goto out_both;
	}
	if ((err = nd_lookup_last(&ond, &old)))
		goto out_both;
	err = nd_lookup_last(&nnd, &new);
	if (err == -ENOENT) {
		new = NULL;
		err = exchange ? -ENOENT : 0;
	} else if (!err && (flags & RENAME_NOREPLACE)) {
		err = -EEXIST;
	}
	if (err)
		goto out_both;
	if (!exchange && !S_ISDIR(old->mode) && (ond.trailing || nnd.trailing)) {
		err = -ENOTDIR;
		goto out_both;
	}
	if (old == new)
		goto out_both;	/* the same file: nothing to do, success */
	/* A directory may not move below itself. */
	if ((S_ISDIR(old->mode) && is_below(ndir, old)) ||
	    (exchange && S_ISDIR(new->mode) && is_below(odir, new))) {
		err = -EINVAL;
		goto out_both;
	}
	if ((err = may_delete(c, odir, old)))
		goto out_both;
	if (new)
		err = may_delete(c, ndir, new);
	else
		err = may_create(c, ndir);
	if (err)
		goto out_both;
	/* A directory changing parent rewrites its "..": it must be writable. */
	if (odir != ndir && ((S_ISDIR(old->mode) && (err = inode_permission(c, old, MAY_WRITE))) ||
			     (exchange && S_ISDIR(new->mode) &&
			      (err = inode_permission(c, new, MAY_WRITE)))))
		goto out_both;
	if (new && !exchange) {
		if (S_ISDIR(old->mode) && !S_ISDIR(new->mode))
			err = -ENOTDIR;
		else if (!S_ISDIR(old->mode) && S_ISDIR(new->mode))
			err = -EISDIR;
		if (err)
			goto out_both;
	}
	if (is_mountpoint(old) || (new && is_mountpoint(new)) || old == ctx->root.inode) {
		err = -EBUSY;
		goto out_both;
	}
	if (new && !exchange && S_ISDIR(new->mode) && !dir_is_empty(new)) {
		err = -ENOTEMPTY;
		goto out_both;
	}
	err = !odir->ops->rename ? -EPERM :
	      odir->ops->rename(odir, ond.last, ond.len, ndir, nnd.last, nnd.len, exchange);
out_both:
	inode_put(old);
	inode_put(new);
	nd_release(&nnd);
out_old:
	nd_release(&ond);
out:
	vfs_unlock();
	return err;
}

ssize_t vfs_readlink(const struct vfs_ctx *ctx, const struct path *at, const char *name,
		     char *buf, size_t len)
{
	if (len == 0)
		return -EINVAL;
	struct path p;
	int err = vfs_lookup(ctx, at, name, 0, &p);
	if (err)
		return err;
	ssize_t n;
	if (!S_ISLNK(p.inode->mode)) {
		n = -EINVAL;
	} else {
		n = p.inode->ops->readlink(p.inode, buf, len);
		if (n > (ssize_t)len)
			n = (ssize_t)len;
	}
	path_put(&p);
	return n;
}
