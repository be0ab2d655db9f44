/* Directories: getdents64/getdents, mkdir/mkdirat/rmdir, chdir/fchdir/chroot. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/string.h>
#include <frame/vm_io.h>
#include <abi/fcntl.h>
#include "fs_user.h"

#define DENTS_CHUNK 65536u

/* getdents64 records into a kernel buffer of min(@count, a chunk); then @convert, then out. */
static int64_t do_getdents(int fd, uint64_t ubuf, uint64_t count, bool legacy)
{
	struct file *f = fs_file(fd);
	if (!f)
		return -EBADF;
	int64_t ret;
	size_t len = (size_t)MIN(count, (uint64_t)DENTS_CHUNK);
	uint8_t *buf = NULL;
	if (count && !user_range_ok(ubuf, (size_t)MIN(count, (uint64_t)0x7ffff000))) {
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
	if (ret > 0 && copy_to_user(user_ptr(ubuf), buf, (size_t)ret))
		ret = -EFAULT;
out:
	kfree(buf);
	file_put(f);
	return ret;
}

int64_t sys_getdents64(const struct syscall_args *a)
{
	return do_getdents((int)a->a[0], a->a[1], (uint32_t)a->a[2], false);
}

int64_t sys_getdents(const struct syscall_args *a)
{
	return do_getdents((int)a->a[0], a->a[1], (uint32_t)a->a[2], true);
}

static int64_t mkdir_at(int dirfd, uint64_t upath, uint32_t mode)
{
	struct fs_at at;
	int err = fs_at_get(dirfd, upath, false, &at);
	if (err)
		return err;
	err = vfs_mkdir(fs_ctx(), at.at, at.name, mode);
	fs_at_put(&at);
	return err;
}

int64_t sys_mkdir(const struct syscall_args *a)
{
	return mkdir_at(AT_FDCWD, a->a[0], (uint32_t)a->a[1]);
}

int64_t sys_mkdirat(const struct syscall_args *a)
{
	return mkdir_at((int)a->a[0], a->a[1], (uint32_t)a->a[2]);
}

int64_t sys_rmdir(const struct syscall_args *a)
{
	struct fs_at at;
	int err = fs_at_get(AT_FDCWD, a->a[0], false, &at);
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

int64_t sys_chdir(const struct syscall_args *a)
{
	struct path p;
	int err = fs_lookup_at(AT_FDCWD, a->a[0], true, false, &p);
	return err ? err : set_dir(&p, false);
}

int64_t sys_fchdir(const struct syscall_args *a)
{
	struct file *f = fs_file((int)a->a[0]);
	if (!f)
		return -EBADF;
	struct path p = f->path;
	path_get(&p);
	file_put(f);
	return set_dir(&p, false);
}

int64_t sys_chroot(const struct syscall_args *a)
{
	struct path p;
	int err = fs_lookup_at(AT_FDCWD, a->a[0], true, false, &p);
	return err ? err : set_dir(&p, true);
}
