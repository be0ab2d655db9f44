/* open(O_TMPFILE): a regular file with no name, in the directory the path names (Linux's do_tmpfile) — tmpfs's own, or a file system's tmpfile op. */
#include <frame/errno.h>
#include <abi/fcntl.h>
#include <kernel/file.h>
#include <kernel/fs.h>

#include "tmpfs_internal.h"
#include "vfs_internal.h"
#include "vfs_ops.h"

/* O_TMPFILE includes O_DIRECTORY; with O_CREAT, or without write access, Linux says -EINVAL. */
#define O_TMPFILE_MASK (O_TMPFILE | O_CREAT)

int vfs_open_tmpfile(const struct vfs_ctx *ctx, const struct path *at, const char *name,
		     uint32_t flags, uint32_t mode, struct file **out)
{
	uint32_t acc = flags & O_ACCMODE;
	if ((flags & O_TMPFILE_MASK) != O_TMPFILE || (acc != O_WRONLY && acc != O_RDWR))
		return -EINVAL;
	vfs_lock();
	struct path dir;
	int err = walk_path(ctx, at, name, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &dir);
	if (err) {
		vfs_unlock();
		return err;
	}
	struct inode *inode = NULL;
	err = may_create(ctx->cred, dir.inode);
	if (!err && !tmpfs_owns(dir.inode) && !dir.inode->ops->tmpfile)
		err = -EOPNOTSUPP;
	if (!err && dir.inode->sb->read_only)
		err = -EROFS;
	if (!err) {
		uint32_t gid = (dir.inode->mode & S_ISGID) ? dir.inode->gid : ctx->cred->fsgid;
		uint32_t m = mode & 07777 & ~ctx->umask;
		err = tmpfs_owns(dir.inode)
			? tmpfs_create_unlinked(dir.inode, m, ctx->cred->fsuid, gid, &inode)
			: dir.inode->ops->tmpfile(dir.inode, S_IFREG | m, ctx->cred->fsuid, gid, &inode);
	}
	vfs_unlock();
	if (!err) {
		/* The creator gets the access it asked for, whatever the mode (Linux's created-file rule). */
		uint32_t saved = inode->mode;
		inode->mode |= 0600;
		struct path p = { dir.mnt, inode };
		err = vfs_open_path(ctx->cred, &p, flags & ~(uint32_t)(O_TMPFILE & ~O_DIRECTORY) &
				    ~(uint32_t)O_DIRECTORY, out);
		inode->mode = saved;
		inode_put(inode);	/* the file holds it now (or it is freed) */
	}
	path_put(&dir);
	return err;
}
