/* The stat family (stat, fstat, lstat, newfstatat, statx) and statfs/fstatfs. */
#include <frame/errno.h>
#include <frame/string.h>
#include <frame/vm_io.h>
#include <abi/fcntl.h>
#include "fs_user.h"

#define AT_STATX_SYNC_TYPE 0x6000u
#define STATX_RESERVED 0x80000000u

static int64_t put_stat(struct inode *inode, uint64_t ubuf)
{
	struct stat st;
	memset(&st, 0, sizeof(st));
	inode_fill_stat(inode, &st);
	return copy_to_user(user_ptr(ubuf), &st, sizeof(st)) ? -EFAULT : 0;
}

static int64_t stat_at(int dirfd, uint64_t upath, uint64_t ubuf, uint32_t flags)
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

int64_t sys_stat(const struct syscall_args *a)
{
	return stat_at(AT_FDCWD, a->a[0], a->a[1], 0);
}

int64_t sys_lstat(const struct syscall_args *a)
{
	return stat_at(AT_FDCWD, a->a[0], a->a[1], AT_SYMLINK_NOFOLLOW);
}

int64_t sys_newfstatat(const struct syscall_args *a)
{
	return stat_at((int)a->a[0], a->a[1], a->a[2], (uint32_t)a->a[3]);
}

int64_t sys_fstat(const struct syscall_args *a)
{
	struct file *f = fs_file((int)a->a[0]);
	if (!f)
		return -EBADF;
	int64_t ret = put_stat(f->path.inode, a->a[1]);
	file_put(f);
	return ret;
}

int64_t sys_statx(const struct syscall_args *a)
{
	int dirfd = (int)a->a[0];
	uint32_t flags = (uint32_t)a->a[2], mask = (uint32_t)a->a[3];
	uint64_t ubuf = a->a[4];
	if (flags & ~(uint32_t)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT |
				AT_STATX_SYNC_TYPE))
		return -EINVAL;
	if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE || (mask & STATX_RESERVED))
		return -EINVAL;
	struct path p;
	int err = fs_lookup_at(dirfd, a->a[1], !(flags & AT_SYMLINK_NOFOLLOW),
			       flags & AT_EMPTY_PATH, &p);
	if (err)
		return err;
	struct statx stx;
	memset(&stx, 0, sizeof(stx));
	inode_fill_statx(p.inode, mask, &stx);
	path_put(&p);
	return copy_to_user(user_ptr(ubuf), &stx, sizeof(stx)) ? -EFAULT : 0;
}

static int64_t put_statfs(struct inode *inode, uint64_t ubuf)
{
	struct statfs s;
	memset(&s, 0, sizeof(s));
	int err = vfs_statfs(inode, &s);
	if (err)
		return err;
	return copy_to_user(user_ptr(ubuf), &s, sizeof(s)) ? -EFAULT : 0;
}

int64_t sys_statfs(const struct syscall_args *a)
{
	struct path p;
	int err = fs_lookup_at(AT_FDCWD, a->a[0], true, false, &p);
	if (err)
		return err;
	int64_t ret = put_statfs(p.inode, a->a[1]);
	path_put(&p);
	return ret;
}

int64_t sys_fstatfs(const struct syscall_args *a)
{
	struct file *f = fs_file((int)a->a[0]);
	if (!f)
		return -EBADF;
	int64_t ret = put_statfs(f->path.inode, a->a[1]);
	file_put(f);
	return ret;
}
