/* Attribute changes and queries on an inode: chmod, chown, utimens, truncate, access, statfs. */
#include <frame/errno.h>
#include <frame/string.h>
#include <kernel/vfs.h>

static bool is_owner(const struct cred *c, const struct inode *inode)
{
	return cred_is_root(c) || c->fsuid == inode->uid;
}

int vfs_chmod(const struct cred *c, struct inode *inode, uint32_t mode)
{
	/* Linux asks for write access to the mount first. */
	if (inode->sb->read_only)
		return -EROFS;
	if (!is_owner(c, inode))
		return -EPERM;
	vfs_lock();
	mode &= 07777;
	/* A non-root owner outside the file's group cannot make it setgid. */
	if (!cred_is_root(c) && !cred_in_group(c, inode->gid))
		mode &= ~(uint32_t)S_ISGID;
	inode->mode = (inode->mode & S_IFMT) | mode;
	inode->ctime = fs_now();
	vfs_unlock();
	return 0;
}

int vfs_chown(const struct cred *c, struct inode *inode, uint32_t uid, uint32_t gid)
{
	bool set_uid = uid != (uint32_t)-1, set_gid = gid != (uint32_t)-1;
	if (inode->sb->read_only)
		return -EROFS;
	vfs_lock();
	int err = 0;
	if (!cred_is_root(c)) {
		/* Only root gives files away; an owner may pick one of its own groups. */
		bool owner = c->fsuid == inode->uid;
		if (set_uid && !(owner && uid == inode->uid))
			err = -EPERM;
		if (set_gid && !(owner && (gid == inode->gid || cred_in_group(c, gid))))
			err = -EPERM;
	}
	if (!err) {
		if (set_uid)
			inode->uid = uid;
		if (set_gid)
			inode->gid = gid;
		/* As Linux: any chown of a non-directory drops setuid, and setgid if group-executable. */
		if ((set_uid || set_gid) && !S_ISDIR(inode->mode)) {
			inode->mode &= ~(uint32_t)S_ISUID;
			if (inode->mode & S_IXGRP)
				inode->mode &= ~(uint32_t)S_ISGID;
		}
		inode->ctime = fs_now();
	}
	vfs_unlock();
	return err;
}

static bool valid_nsec(uint32_t nsec)
{
	return nsec < 1000000000u || nsec == UTIME_NOW || nsec == UTIME_OMIT;
}

int vfs_utimens(const struct cred *c, struct inode *inode, const struct fs_time *times)
{
	if (times && (!valid_nsec(times[0].nsec) || !valid_nsec(times[1].nsec)))
		return -EINVAL;
	if (inode->sb->read_only)
		return -EROFS;
	bool only_now = !times || ((times[0].nsec == UTIME_NOW || times[0].nsec == UTIME_OMIT) &&
				   (times[1].nsec == UTIME_NOW || times[1].nsec == UTIME_OMIT));
	if (times && times[0].nsec == UTIME_OMIT && times[1].nsec == UTIME_OMIT)
		return 0;
	/* Setting "now" needs write access or ownership; explicit times need ownership. */
	if (!is_owner(c, inode)) {
		if (!only_now)
			return -EPERM;
		if (inode_permission(c, inode, MAY_WRITE))
			return -EACCES;
	}
	vfs_lock();
	struct fs_time now = fs_now();
	for (int i = 0; i < 2; i++) {
		struct fs_time t = now;
		if (times && times[i].nsec == UTIME_OMIT)
			continue;
		if (times && times[i].nsec != UTIME_NOW)
			t = times[i];
		if (i == 0)
			inode->atime = t;
		else
			inode->mtime = t;
	}
	inode->ctime = now;
	vfs_unlock();
	return 0;
}

int vfs_truncate(const struct cred *c, struct inode *inode, int64_t size, bool check_perm)
{
	if (size < 0)
		return -EINVAL;
	if (S_ISDIR(inode->mode))
		return -EISDIR;
	if (!S_ISREG(inode->mode))
		return -EINVAL;
	if (inode->sb->read_only)
		return -EROFS;
	if (check_perm) {
		int err = inode_permission(c, inode, MAY_WRITE);
		if (err)
			return err;
	}
	if ((uint64_t)size > inode->sb->max_file_size)
		return -EFBIG;
	/* By name (truncate(2)): not a file some process runs. An open writer already holds access. */
	if (check_perm) {
		int err = inode_get_write_access(inode);
		if (err)
			return err;
	}
	mutex_lock(&inode->data_lock);
	int err = inode->ops->truncate(inode, (uint64_t)size);
	if (!err)
		inode->mtime = inode->ctime = fs_now();
	mutex_unlock(&inode->data_lock);
	if (check_perm)
		inode_put_write_access(inode);
	return err;
}

int vfs_access(const struct cred *c, struct inode *inode, int mode)
{
	if (mode & ~7)
		return -EINVAL;
	uint32_t type = inode->mode & S_IFMT;
	if ((mode & 2) && inode->sb->read_only &&
	    (type == S_IFREG || type == S_IFDIR || type == S_IFLNK))
		return -EROFS;
	return mode ? inode_permission(c, inode, mode) : 0;
}

/* What a file system without blocks of its own (proc, devpts) reports. */
static int statfs_virtual(struct super_block *sb, struct statfs *out)
{
	memset(out, 0, sizeof(*out));
	out->f_type = sb->magic;
	out->f_bsize = out->f_frsize = PAGE_SIZE;
	out->f_namelen = NAME_MAX;
	out->f_fsid.val[0] = (int32_t)(sb->dev & 0x7fffffff);
	return 0;
}

int vfs_statfs(struct inode *inode, struct statfs *out)
{
	struct super_block *sb = inode->sb;
	return sb->ops->statfs ? sb->ops->statfs(sb, out) : statfs_virtual(sb, out);
}
