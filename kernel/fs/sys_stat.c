/* The stat family (stat, fstat, lstat, newfstatat, statx) and statfs/fstatfs. */
#include <frame/errno.h>
#include <frame/string.h>
#include <frame/vm_io.h>
#include <abi/fcntl.h>
#include "sys_fs.h"

#define AT_STATX_SYNC_TYPE 0x6000u
#define STATX_RESERVED 0x80000000u

static int64_t put_stat(struct inode *inode, struct stat __user *ubuf)
{
	struct stat st;
	memset(&st, 0, sizeof(st));
	inode_fill_stat(inode, &st);
	return copy_to_user(ubuf, &st, sizeof(st)) ? -EFAULT : 0;
}

static int64_t stat_at(int dirfd, const char __user *upath, struct stat __user *ubuf, uint32_t flags)
{
	if (flags & ~(uint32_t)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT))
		return -EINVAL;
	struct path p;
	int err = fs_lookup_at(dirfd, upath, !(flags & AT_SYMLINK_NOFOLLOW),
			       flags & AT_EMPTY_PATH, &p);
	if (err)
		return err;
	int64_t ret = put_stat(p.inode, ubuf);
	path_put(&p);
	return ret;
}

int64_t sys_stat(const char __user *path, struct stat __user *buf)
{
	return stat_at(AT_FDCWD, path, buf, 0);
}

int64_t sys_lstat(const char __user *path, struct stat __user *buf)
{
	return stat_at(AT_FDCWD, path, buf, AT_SYMLINK_NOFOLLOW);
}

int64_t sys_newfstatat(int dirfd, const char __user *path, struct stat __user *buf, uint32_t flags)
{
	return stat_at(dirfd, path, buf, flags);
}

int64_t sys_fstat(int fd, struct stat __user *buf)
{
	struct file *f = fs_file(fd);
	if (!f)
		return -EBADF;
	int64_t ret = put_stat(f->path.inode, buf);
	file_put(f);
	return ret;
}

int64_t sys_statx(int dirfd, const char __user *path, uint32_t flags, uint32_t mask, struct statx __user *buf)
{
	if (flags & ~(uint32_t)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT |
				AT_STATX_SYNC_TYPE))
		return -EINVAL;
	if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE || (mask & STATX_RESERVED))
		return -EINVAL;
	struct path p;
	int err = fs_lookup_at(dirfd, path, !(flags & AT_SYMLINK_NOFOLLOW),
			       flags & AT_EMPTY_PATH, &p);
	if (err)
		return err;
	struct statx stx;
	memset(&stx, 0, sizeof(stx));
	inode_fill_statx(p.inode, mask, &stx);
	path_put(&p);
	return copy_to_user(buf, &stx, sizeof(stx)) ? -EFAULT : 0;
}

static int64_t put_statfs(struct inode *inode, struct statfs __user *ubuf)
{
	struct statfs s;
	memset(&s, 0, sizeof(s));
	int err = vfs_statfs(inode, &s);
	if (err)
		return err;
	return copy_to_user(ubuf, &s, sizeof(s)) ? -EFAULT : 0;

}

int64_t sys_statfs(const char __user *path, struct statfs __user *buf)
{
	struct path p;
	int err = fs_lookup_at(AT_FDCWD, path, true, false, &p);
	if (err)
		return err;
	int64_t ret = put_statfs(p.inode, buf);
	path_put(&p);
	return ret;
}

int64_t sys_fstatfs(int fd, struct statfs __user *buf)
{
	struct file *f = fs_file(fd);
	if (!f)
		return -EBADF;
	int64_t ret = put_statfs(f->path.inode, buf);
	file_put(f);
	return ret;
}
