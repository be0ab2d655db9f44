/* Names: unlink/unlinkat, rename*, link/linkat, symlink/symlinkat, readlink/readlinkat, mknod/mknodat. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/vm_io.h>
#include <abi/fcntl.h>
#include "sys_fs.h"

static int64_t unlink_at(int dirfd, const char __user *upath, uint32_t flags)
{
	if (flags & ~(uint32_t)AT_REMOVEDIR)
		return -EINVAL;
	struct fs_at at;
	int err = fs_at_get(dirfd, upath, false, &at);
	if (err)
		return err;
	err = (flags & AT_REMOVEDIR) ? vfs_rmdir(fs_ctx(), at.at, at.name)
				     : vfs_unlink(fs_ctx(), at.at, at.name);
	fs_at_put(&at);
	return err;
}

int64_t sys_unlink(const char __user *path)
{
	return unlink_at(AT_FDCWD, path, 0);
}

int64_t sys_unlinkat(int dirfd, const char __user *path, uint32_t flags)
{
	return unlink_at(dirfd, path, flags);
}

static int64_t rename_at(int odfd, const char __user *opath, int ndfd, const char __user *npath, uint32_t flags)
{
	if (flags & ~(uint32_t)(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT))
		return -EINVAL;
	if ((flags & RENAME_EXCHANGE) && (flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)))
		return -EINVAL;
	/* Whiteouts are for overlay file systems, which Cadre has not. */
	if (flags & RENAME_WHITEOUT)
		return -EINVAL;
	struct fs_at o, n;
	int err = fs_at_get(odfd, opath, false, &o);
	if (err)
		return err;
	err = fs_at_get(ndfd, npath, false, &n);
	if (!err) {
		err = vfs_rename(fs_ctx(), o.at, o.name, n.at, n.name, flags);
		fs_at_put(&n);
	}
	fs_at_put(&o);
	return err;
}

int64_t sys_rename(const char __user *oldpath, const char __user *newpath)
{
	return rename_at(AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
}

int64_t sys_renameat(int olddirfd, const char __user *oldpath, int newdirfd, const char __user *newpath)
{
	return rename_at(olddirfd, oldpath, newdirfd, newpath, 0);
}

int64_t sys_renameat2(int olddirfd, const char __user *oldpath, int newdirfd, const char __user *newpath, uint32_t flags)
{
	return rename_at(olddirfd, oldpath, newdirfd, newpath, flags);
}

static int64_t link_at(int odfd, const char __user *opath, int ndfd, const char __user *npath, uint32_t flags)
{
	if (flags & ~(uint32_t)(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	/* Linking an open file by descriptor needs CAP_DAC_READ_SEARCH and a name-less VFS link: not yet. */
	struct fs_at o, n;
	int err = fs_at_get(odfd, opath, false, &o);
	if (err)
		return err;
	err = fs_at_get(ndfd, npath, false, &n);
	if (!err) {
		err = vfs_link(fs_ctx(), o.at, o.name, n.at, n.name, flags & AT_SYMLINK_FOLLOW);
		fs_at_put(&n);
	}
	fs_at_put(&o);
	return err;
}

int64_t sys_link(const char __user *oldpath, const char __user *newpath)
{
	return link_at(AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
}

int64_t sys_linkat(int olddirfd, const char __user *oldpath, int newdirfd, const char __user *newpath, uint32_t flags)
{
	return link_at(olddirfd, oldpath, newdirfd, newpath, flags);
}

static int64_t symlink_at(const char __user *utarget, int dirfd, const char __user *upath)
{
	char *target;
	int err = fs_getname(utarget, &target);
	if (err)
		return err;
	struct fs_at at;
	err = target[0] ? fs_at_get(dirfd, upath, false, &at) : -ENOENT;
	if (!err) {
		err = vfs_symlink(fs_ctx(), target, at.at, at.name);
		fs_at_put(&at);
	}
	fs_name_free(target);
	return err;
}

int64_t sys_symlink(const char __user *target, const char __user *linkpath)
{
	return symlink_at(target, AT_FDCWD, linkpath);
}

int64_t sys_symlinkat(const char __user *target, int newdirfd, const char __user *linkpath)
{
	return symlink_at(target, newdirfd, linkpath);
}

static int64_t readlink_at(int dirfd, const char __user *upath, char __user *ubuf, int64_t size)
{
	if (size <= 0)
		return -EINVAL;
	struct fs_at at;
	int err = fs_at_get(dirfd, upath, false, &at);
	if (err)
		return err;
	size_t len = (size_t)MIN(size, (int64_t)PATH_MAX);
	char *buf = kmalloc(len);
	int64_t ret = buf ? vfs_readlink(fs_ctx(), at.at, at.name, buf, len) : -ENOMEM;
	fs_at_put(&at);
	if (ret > 0 && copy_to_user(ubuf, buf, (size_t)ret))
		ret = -EFAULT;
	kfree(buf);
	return ret;
}

int64_t sys_readlink(const char __user *path, char __user *buf, int bufsiz)
{
	return readlink_at(AT_FDCWD, path, buf, bufsiz);
}

int64_t sys_readlinkat(int dirfd, const char __user *path, char __user *buf, int bufsiz)
{
	return readlink_at(dirfd, path, buf, bufsiz);
}

static int64_t mknod_at(int dirfd, const char __user *upath, uint32_t mode, uint32_t dev)
{
	struct fs_at at;
	int err = fs_at_get(dirfd, upath, false, &at);
	if (err)
		return err;
	err = vfs_mknod(fs_ctx(), at.at, at.name, mode, dev);
	fs_at_put(&at);
	return err;
}

int64_t sys_mknod(const char __user *path, uint32_t mode, uint32_t dev)
{
	return mknod_at(AT_FDCWD, path, mode, dev);
}

int64_t sys_mknodat(int dirfd, const char __user *path, uint32_t mode, uint32_t dev)
{
	return mknod_at(dirfd, path, mode, dev);
}
