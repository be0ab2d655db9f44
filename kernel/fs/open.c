/* open(): resolving, creating and permission-checking a name into an open file description. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <abi/fcntl.h>
#include <kernel/file.h>
#include <kernel/epoll.h>
#include <kernel/fs.h>

#include "file_internal.h"
#include "vfs_internal.h"
#include "vfs_ops.h"

static vfs_special_open_fn special_open;

void vfs_set_special_open(vfs_special_open_fn fn)
{
	special_open = fn;
}

void file_get(struct file *f)
{
	__atomic_add_fetch(&f->refcount, 1, __ATOMIC_RELAXED);
}

void file_put(struct file *f)
{
	if (!f || __atomic_sub_fetch(&f->refcount, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	/* Before the file's own release: epoll entries hook the queues it is about to free. */
	if (__atomic_load_n(&f->epitems, __ATOMIC_ACQUIRE))
		epoll_file_release(f);
	if (f->ops && f->ops->release)
		f->ops->release(f);
	if (f->write_access)
		inode_put_write_access(f->path.inode);
	path_put(&f->path);
	kfree(f);
}

/* Linux's may_open(): the checks that depend on the file's type and the access asked for. */
static int may_open(const struct cred *c, struct inode *inode, uint32_t flags, bool created)
{
	if (flags & O_PATH)
		return (flags & O_DIRECTORY) && !S_ISDIR(inode->mode) ? -ENOTDIR : 0;
	if (S_ISLNK(inode->mode))
		return -ELOOP;
	if ((flags & O_DIRECTORY) && !S_ISDIR(inode->mode))
		return -ENOTDIR;
	uint32_t acc = flags & O_ACCMODE;
	if (S_ISDIR(inode->mode) && (acc != O_RDONLY || (flags & (O_CREAT | O_TRUNC))))
		return -EISDIR;
	if (created)
		return 0;	/* the creator gets the access it asked for, whatever the mode */
	/* As Linux's sb_permission: writing a file of a read-only mount, before any permission. */
	if (inode->sb->read_only && S_ISREG(inode->mode) && (acc != O_RDONLY || (flags & O_TRUNC)))
		return -EROFS;
	int mask = acc == O_RDONLY ? MAY_READ : acc == O_WRONLY ? MAY_WRITE : MAY_READ | MAY_WRITE;
	if (flags & O_TRUNC)
		mask |= MAY_WRITE;
	int err = inode_permission(c, inode, mask);
	if (!err && inode->ops && inode->ops->may_open)
		err = inode->ops->may_open(inode, c, flags);
	return err;
}

/* Build the file for @path (referenced anew) once the checks passed. */
static int make_file(const struct path *path, uint32_t flags, struct file **out)
{
	struct file *f = kzalloc(sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->refcount = 1;
	f->path = *path;
	path_get(path);
	/* O_NOCTTY stays for the special open (a terminal reads it) and goes after, as Linux's do_dentry_open. */
	f->flags = flags & ~(uint32_t)(O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC);
	mutex_init(&f->pos_lock, "file pos");
	uint32_t type = path->inode->mode & S_IFMT;
	int err = 0;
	if (flags & O_PATH)
		f->ops = &path_file_ops;
	else if (type == S_IFREG)
		f->ops = &reg_file_ops;
	else if (type == S_IFDIR)
		f->ops = &dir_file_ops;
	else
		err = special_open ? special_open(f) : -ENXIO;
	f->flags &= ~(uint32_t)O_NOCTTY;
	if (err) {
		f->ops = NULL;
		file_put(f);
		return err;
	}
	*out = f;
	return 0;
}

static int open_inode(const struct cred *c, const struct path *path, uint32_t flags,
		      bool created, struct file **out)
{
	int err = may_open(c, path->inode, flags, created);
	if (err)
		return err;
	struct inode *inode = path->inode;
	uint32_t acc = flags & O_ACCMODE;
	bool reg = !(flags & O_PATH) && S_ISREG(inode->mode);
	/* Writing (or truncating) a file some process runs: ETXTBSY. */
	bool writer = reg && (acc == O_WRONLY || acc == O_RDWR || (flags & O_TRUNC));
	if (writer && (err = inode_get_write_access(inode)))
		return err;
	if ((flags & O_TRUNC) && !created && reg) {
		mutex_lock(&inode->data_lock);
		if (inode->size) {
			err = inode->ops->truncate(inode, 0);
			inode->mtime = inode->ctime = fs_now();
		}
		mutex_unlock(&inode->data_lock);
	}
	if (!err)
		err = make_file(path, flags, out);
	if (!err && writer && (acc == O_WRONLY || acc == O_RDWR)) {
		(*out)->write_access = true;	/* the file's release gives it back */
		return 0;
	}
	if (writer)
		inode_put_write_access(inode);
	return err;
}

int vfs_open_path(const struct cred *c, const struct path *path, uint32_t flags,
		  struct file **out)
{
	return open_inode(c, path, flags, false, out);
}

/* O_CREAT: find or make the last component. */
static int open_creat(const struct vfs_ctx *ctx, const struct path *at, const char *name,
		      uint32_t flags, uint32_t mode, struct path *out, bool *created)
{
	struct nameidata nd;
	int err = nd_walk_parent(ctx, at, name, &nd);
	if (err)
		return err;
	struct inode *inode;
	if (nd.type != LAST_NORM || nd.trailing) {
		err = -EISDIR;	/* "/", ".", ".." or "name/": Linux refuses O_CREAT on them so */
	} else if (!(err = nd_lookup_last(&nd, &inode))) {
		if (flags & O_EXCL) {
			err = -EEXIST;
			inode_put(inode);
		} else if (S_ISLNK(inode->mode)) {
			inode_put(inode);
			/* Follow it like a plain open; a dangling link is not created through (a limit). */
			err = (flags & O_NOFOLLOW) ? -ELOOP
				: walk_path(ctx, &nd.parent, nd.last, LOOKUP_FOLLOW, out);
		} else {
			out->mnt = nd.parent.mnt;
			out->inode = inode;
			__atomic_add_fetch(&out->mnt->refcount, 1, __ATOMIC_RELAXED);
			if (S_ISDIR(inode->mode))
				err = -EISDIR;
			if (err)
				path_put(out);
		}
	} else if (err == -ENOENT) {
		mode = (mode & 07777 & ~ctx->umask) | S_IFREG;
		if (!(err = create_locked(&nd, mode, 0, NULL, &inode))) {
			out->mnt = nd.parent.mnt;
			out->inode = inode;
			__atomic_add_fetch(&out->mnt->refcount, 1, __ATOMIC_RELAXED);
			*created = true;
		}
	}
	nd_release(&nd);
	return err;
}

int vfs_open(const struct vfs_ctx *ctx, const struct path *at, const char *name,
	     uint32_t flags, uint32_t mode, struct file **out)
{
	/* O_TMPFILE: an unnamed file in the named directory (tmpfs only, kernel/fs/tmpfs_tmpfile.c). */
	if (flags & (O_TMPFILE & ~O_DIRECTORY))
		return vfs_open_tmpfile(ctx, at, name, flags, mode, out);
	if (flags & O_PATH)
		flags &= O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	vfs_lock();
	struct path p;
	bool created = false;
	int err;
	if (flags & O_CREAT)
		err = open_creat(ctx, at, name, flags, mode, &p, &created);
	else
		err = walk_path(ctx, at, name, (flags & O_NOFOLLOW) ? 0 : LOOKUP_FOLLOW, &p);
	vfs_unlock();
	if (err)
		return err;
	err = open_inode(ctx->cred, &p, flags, created, out);
	path_put(&p);
	return err;
}
