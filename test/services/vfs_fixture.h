/* Test fixture for VFS tests: a fresh tmpfs as the root of the tree, root and user credentials. */
#ifndef TEST_SERVICES_VFS_FIXTURE_H
#define TEST_SERVICES_VFS_FIXTURE_H

#include <frame/errno.h>
#include <frame/string.h>
#include <abi/fcntl.h>
#include <kernel/file.h>
#include <kernel/fs.h>
#include <kernel/vfs.h>

struct fx {
	struct path root;
	struct cred cred, user;
	struct vfs_ctx ctx;	/* as root */
	struct vfs_ctx uctx;	/* as uid/gid 1000 */
};

/* 0, or why the fixture could not be built. */
static inline int fx_setup(struct fx *f, const char *opts)
{
	memset(f, 0, sizeof(*f));
	int err = tmpfs_register();
	if (err)
		return err;
	if ((err = vfs_mount_root("tmpfs", opts, &f->root)))
		return err;
	cred_init(&f->cred, 0, 0);
	cred_init(&f->user, 1000, 1000);
	f->ctx = (struct vfs_ctx){ &f->cred, f->root, f->root, 022 };
	f->uctx = (struct vfs_ctx){ &f->user, f->root, f->root, 022 };
	for (int i = 0; i < 4; i++)
		path_get(&f->root);
	return 0;
}

/* Drop the contexts and unmount: 0 when nothing was left in use. */
static inline int fx_teardown(struct fx *f)
{
	path_put(&f->ctx.root);
	path_put(&f->ctx.cwd);
	path_put(&f->uctx.root);
	path_put(&f->uctx.cwd);
	return vfs_umount_root(&f->root);
}

static inline int fx_write(const struct vfs_ctx *ctx, const char *name, const char *data)
{
	struct file *f;
	int err = vfs_open(ctx, NULL, name, O_WRONLY | O_CREAT | O_TRUNC, 0644, &f);
	if (err)
		return err;
	ssize_t n = vfs_write(f, data, strlen(data));
	file_put(f);
	return n == (ssize_t)strlen(data) ? 0 : -EIO;
}

/* Read a whole small file into @buf (terminated); length or -errno. */
static inline ssize_t fx_read(const struct vfs_ctx *ctx, const char *name, char *buf, size_t size)
{
	struct file *f;
	int err = vfs_open(ctx, NULL, name, O_RDONLY, 0, &f);
	if (err)
		return err;
	ssize_t n = vfs_read(f, buf, size - 1);
	file_put(f);
	if (n >= 0)
		buf[n] = 0;
	return n;
}

static inline int fx_stat(const struct vfs_ctx *ctx, const char *name, unsigned flags,
			  struct stat *st)
{
	struct path p;
	int err = vfs_lookup(ctx, NULL, name, flags, &p);
	if (err)
		return err;
	inode_fill_stat(p.inode, st);
	path_put(&p);
	return 0;
}

/* stat following links, the common case. */
#define FX_STAT(fx, name, st) fx_stat(&(fx)->ctx, (name), LOOKUP_FOLLOW, (st))

#endif
