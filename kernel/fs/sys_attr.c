/* Attributes: chmod/chown families, utimensat/utimes/utime/futimesat, truncate/ftruncate, access/faccessat(2), umask. */
#include <frame/errno.h>
#include <frame/vm_io.h>
#include <abi/fcntl.h>
#include <abi/time.h>
#include "sys_fs.h"

#define AT_FLAGS_PATH (AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)

/* Run @op on the inode (@dirfd, @upath) names. */
static int with_inode_at(int dirfd, const char __user *upath, uint32_t flags,
			 int (*op)(struct inode *inode, void *arg), void *arg)
{
	struct path p;
	int err = fs_lookup_at(dirfd, upath, !(flags & AT_SYMLINK_NOFOLLOW), flags & AT_EMPTY_PATH,
			       &p);
	if (err)
		return err;
	err = op(p.inode, arg);
	path_put(&p);
	return err;
}

static int with_inode_fd(int fd, int (*op)(struct inode *inode, void *arg), void *arg)
{
	struct file *f = fs_file(fd);
	if (!f)
		return -EBADF;
	/* O_PATH descriptors are not for changing the file. */
	int err = (f->flags & O_PATH) ? -EBADF : op(f->path.inode, arg);
	file_put(f);
	return err;
}

/* ---- chmod ---- */

static int op_chmod(struct inode *inode, void *arg)
{
	return vfs_chmod(fs_ctx()->cred, inode, *(uint32_t *)arg & 07777);
}

int64_t sys_chmod(const char __user *path, uint32_t mode)
{
	return with_inode_at(AT_FDCWD, path, 0, op_chmod, &mode);
}

int64_t sys_fchmod(int fd, uint32_t mode)
{
	return with_inode_fd(fd, op_chmod, &mode);
}

int64_t sys_fchmodat(int dirfd, const char __user *path, uint32_t mode)
{
	return with_inode_at(dirfd, path, 0, op_chmod, &mode);
}

/* ---- chown ---- */

struct ids {
	uint32_t uid, gid;
};

static int op_chown(struct inode *inode, void *arg)
{
	struct ids *ids = arg;
	return vfs_chown(fs_ctx()->cred, inode, ids->uid, ids->gid);
}

static int64_t chown_at(int dirfd, const char __user *upath, uint32_t uid, uint32_t gid, uint32_t flags)
{
	if (flags & ~(uint32_t)AT_FLAGS_PATH)
		return -EINVAL;
	struct ids ids = { uid, gid };
	return with_inode_at(dirfd, upath, flags, op_chown, &ids);
}

int64_t sys_chown(const char __user *path, uint32_t uid, uint32_t gid)
{
	return chown_at(AT_FDCWD, path, uid, gid, 0);
}

int64_t sys_lchown(const char __user *path, uint32_t uid, uint32_t gid)
{
	return chown_at(AT_FDCWD, path, uid, gid, AT_SYMLINK_NOFOLLOW);
}

int64_t sys_fchownat(int dirfd, const char __user *path, uint32_t uid, uint32_t gid, uint32_t flags)
{
	return chown_at(dirfd, path, uid, gid, flags);
}

int64_t sys_fchown(int fd, uint32_t uid, uint32_t gid)
{
	struct ids ids = { uid, gid };
	return with_inode_fd(fd, op_chown, &ids);
}

/* ---- times ---- */

static int op_utimens(struct inode *inode, void *arg)
{
	return vfs_utimens(fs_ctx()->cred, inode, arg);
}

/* @times NULL: now. */
static int64_t utimens_at(int dirfd, const char __user *upath, struct fs_time *times, uint32_t flags)
{
	if (flags & ~(uint32_t)AT_FLAGS_PATH)
		return -EINVAL;
	if (times && times[0].nsec == UTIME_OMIT && times[1].nsec == UTIME_OMIT)
		return 0;	/* Linux returns before even looking the name up */
	if (!upath) {
		/* futimens(): the dirfd itself. */
		if (flags & AT_SYMLINK_NOFOLLOW)
			return -EINVAL;
		struct file *f = fs_file(dirfd);
		if (!f)
			return -EBADF;
		int err = op_utimens(f->path.inode, times);
		file_put(f);
		return err;
	}
	return with_inode_at(dirfd, upath, flags, op_utimens, times);
}

static int time_from_ts(const struct timespec *ts, struct fs_time *out)
{
	if (ts->tv_nsec != UTIME_NOW && ts->tv_nsec != UTIME_OMIT &&
	    (ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000))
		return -EINVAL;
	*out = (struct fs_time){ ts->tv_sec, (uint32_t)ts->tv_nsec };
	return 0;
}

int64_t sys_utimensat(int dirfd, const char __user *path, const struct timespec __user *times, uint32_t flags)
{
	struct fs_time t[2], *tp = NULL;
	if (times) {
		struct timespec ts[2];
		if (copy_from_user(ts, times, sizeof(ts)))
			return -EFAULT;
		if (time_from_ts(&ts[0], &t[0]) || time_from_ts(&ts[1], &t[1]))
			return -EINVAL;
		tp = t;
	}
	return utimens_at(dirfd, path, tp, flags);
}

static int64_t utimes_at(int dirfd, const char __user *upath, const struct timeval __user *utv)
{
	struct fs_time t[2], *tp = NULL;
	if (utv) {
		struct timeval tv[2];
		if (copy_from_user(tv, utv, sizeof(tv)))
			return -EFAULT;
		for (int i = 0; i < 2; i++) {
			if (tv[i].tv_usec < 0 || tv[i].tv_usec >= 1000000)
				return -EINVAL;
			t[i] = (struct fs_time){ tv[i].tv_sec, (uint32_t)tv[i].tv_usec * 1000u };
		}
		tp = t;
	}
	if (!upath)
		return -EFAULT;
	return utimens_at(dirfd, upath, tp, 0);
}

int64_t sys_utimes(const char __user *path, const struct timeval __user *times)
{
	return utimes_at(AT_FDCWD, path, times);
}

int64_t sys_futimesat(int dirfd, const char __user *path, const struct timeval __user *times)
{
	return utimes_at(dirfd, path, times);
}

int64_t sys_utime(const char __user *path, const struct utimbuf __user *times)
{
	struct fs_time t[2], *tp = NULL;
	if (times) {
		int64_t ub[2];	/* struct utimbuf: actime, modtime */
		if (copy_from_user(ub, times, sizeof(ub)))
			return -EFAULT;
		t[0] = (struct fs_time){ ub[0], 0 };
		t[1] = (struct fs_time){ ub[1], 0 };
		tp = t;
	}
	if (!path)
		return -EFAULT;
	return utimens_at(AT_FDCWD, path, tp, 0);
}

/* ---- truncate ---- */

static int op_truncate(struct inode *inode, void *arg)
{
	return vfs_truncate(fs_ctx()->cred, inode, *(int64_t *)arg, true);
}

int64_t sys_truncate(const char __user *path, int64_t length)
{
	if (length < 0)
		return -EINVAL;
	return with_inode_at(AT_FDCWD, path, 0, op_truncate, &length);
}

int64_t sys_ftruncate(int fd, int64_t length)
{
	if (length < 0)
		return -EINVAL;
	struct file *f = fs_file(fd);
	if (!f)
		return -EBADF;
	int err;
	uint32_t acc = f->flags & O_ACCMODE;
	if (f->flags & O_PATH)
		err = -EBADF;
	else if (!S_ISREG(f->path.inode->mode) || (acc != O_WRONLY && acc != O_RDWR))
		err = -EINVAL;
	else
		err = vfs_truncate(fs_ctx()->cred, f->path.inode, length, false);
	file_put(f);
	return err;
}

/* ---- access ---- */

struct access_arg {
	const struct cred *cred;
	int mode;
};

static int op_access(struct inode *inode, void *arg)
{
	struct access_arg *aa = arg;
	return vfs_access(aa->cred, inode, aa->mode);
}

static int64_t access_at(int dirfd, const char __user *upath, uint32_t mode, uint32_t flags)
{
	if (mode & ~7u)
		return -EINVAL;
	if (flags & ~(uint32_t)(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	/* access() asks with the real ids unless AT_EACCESS. */
	struct cred c = *fs_ctx()->cred;
	if (!(flags & AT_EACCESS)) {
		c.fsuid = c.uid;
		c.fsgid = c.gid;
	}
	struct access_arg aa = { &c, (int)mode };
	return with_inode_at(dirfd, upath, flags & (AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH), op_access,
			     &aa);
}

int64_t sys_access(const char __user *path, uint32_t mode)
{
	return access_at(AT_FDCWD, path, mode, 0);
}

int64_t sys_faccessat(int dirfd, const char __user *path, uint32_t mode)
{
	return access_at(dirfd, path, mode, 0);
}

int64_t sys_faccessat2(int dirfd, const char __user *path, uint32_t mode, uint32_t flags)
{
	return access_at(dirfd, path, mode, flags);
}

int64_t sys_umask(uint32_t mask)
{
	struct vfs_ctx *ctx = fs_ctx();
	return __atomic_exchange_n(&ctx->umask, mask & 0777, __ATOMIC_ACQ_REL);
}
