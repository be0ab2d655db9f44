/* Directories: getdents64/getdents, mkdir/mkdirat/rmdir, chdir/fchdir/chroot. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/string.h>
#include <frame/vm_io.h>
#include <abi/fcntl.h>
#include "sys_fs.h"

#define DENTS_CHUNK 65536u

/* getdents64 records into a kernel buffer of min(@count, a chunk); then @convert, then out. */
static int64_t do_getdents(int fd, void __user *ubuf, uint64_t count, bool legacy)
{
	struct file *f = fs_file(fd);
	if (!f)
		return -EBADF;
	int64_t ret;
	size_t len = (size_t)MIN(count, (uint64_t)DENTS_CHUNK);
	uint8_t *buf = NULL;
	if (count && !user_range_ok(user_addr(ubuf), (size_t)MIN(count, (uint64_t)0x7ffff000))) {
		ret = -EFAULT;
		goto out;
	}
	buf = kmalloc(len ? len : 1);
	if (!buf) {
		ret = -ENOMEM;
		goto out;
	}
	ret = vfs_getdents64(f, buf, len);
	if (ret > 0 && legacy) {
		/*
		 * linux_dirent has the same record sizes: d_ino, d_off, d_reclen,
		 * then the name one byte earlier and d_type in the record's last byte.
		 */
		for (size_t off = 0; off < (size_t)ret;) {
			uint16_t reclen;
			memcpy(&reclen, buf + off + 16, 2);
			uint8_t type = buf[off + 18];
			size_t nlen = strlen((const char *)buf + off + 19);
			memmove(buf + off + 18, buf + off + 19, nlen + 1);
			buf[off + reclen - 1] = type;
			off += reclen;
		}
	}
	if (ret > 0 && copy_to_user(ubuf, buf, (size_t)ret))
		ret = -EFAULT;
out:
	kfree(buf);
	file_put(f);
	return ret;
}

int64_t sys_getdents64(int fd, void __user *dirent, uint32_t count)
{
	return do_getdents(fd, dirent, count, false);
}

int64_t sys_getdents(int fd, void __user *dirent, uint32_t count)
{
	return do_getdents(fd, dirent, count, true);
}

static int64_t mkdir_at(int dirfd, const char __user *upath, uint32_t mode)
{
	struct fs_at at;
	int err = fs_at_get(dirfd, upath, false, &at);
	if (err)
		return err;
	err = vfs_mkdir(fs_ctx(), at.at, at.name, mode);
	fs_at_put(&at);
	return err;
}

int64_t sys_mkdir(const char __user *path, uint32_t mode)
{
	return mkdir_at(AT_FDCWD, path, mode);
}

int64_t sys_mkdirat(int dirfd, const char __user *path, uint32_t mode)
{
	return mkdir_at(dirfd, path, mode);
}

int64_t sys_rmdir(const char __user *path)
{
	struct fs_at at;
	int err = fs_at_get(AT_FDCWD, path, false, &at);
	if (err)
		return err;
	err = vfs_rmdir(fs_ctx(), at.at, at.name);
	fs_at_put(&at);
	return err;
}

/* Make @p (referenced; consumed) the working directory or root after the directory checks. */
static int set_dir(struct path *p, bool root)
{
	struct vfs_ctx *ctx = fs_ctx();
	int err = !S_ISDIR(p->inode->mode) ? -ENOTDIR
		  : inode_permission(ctx->cred, p->inode, MAY_EXEC);
	if (!err && root && !cred_is_root(ctx->cred))
		err = -EPERM;
	if (err) {
		path_put(p);
		return err;
	}
	/* Walks read the context under the VFS lock: swap it there. */
	vfs_lock();
	struct path old = root ? ctx->root : ctx->cwd;
	if (root)
		ctx->root = *p;
	else
		ctx->cwd = *p;
	vfs_unlock();
	path_put(&old);
	return 0;
}

int64_t sys_chdir(const char __user *path)
{
	struct path p;
	int err = fs_lookup_at(AT_FDCWD, path, true, false, &p);
	return err ? err : set_dir(&p, false);
}

int64_t sys_fchdir(int fd)
{
	struct file *f = fs_file(fd);
	if (!f)
		return -EBADF;
	struct path p = f->path;
	path_get(&p);
	file_put(f);
	return set_dir(&p, false);
}

int64_t sys_chroot(const char __user *path)
{
	struct path p;
	int err = fs_lookup_at(AT_FDCWD, path, true, false, &p);
	return err ? err : set_dir(&p, true);
}
