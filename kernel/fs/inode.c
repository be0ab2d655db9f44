/* Inodes: reference counting, permission checks and stat/statx from an inode. */
#include <frame/clock.h>
#include <frame/errno.h>
#include <frame/string.h>
#include <kernel/vfs.h>

struct fs_time fs_now(void)
{
	uint64_t ns = clock_realtime_ns();
	return (struct fs_time){ (int64_t)(ns / NSEC_PER_SEC), (uint32_t)(ns % NSEC_PER_SEC) };
}

void inode_init(struct inode *inode, struct super_block *sb, uint32_t mode)
{
	inode->sb = sb;
	inode->mode = mode;
	inode->refcount = 1;
	inode->nlink = 1;
	inode->atime = inode->mtime = inode->ctime = inode->btime = fs_now();
	mutex_init(&inode->data_lock, "inode data");
}

void inode_get(struct inode *inode)
{
	__atomic_add_fetch(&inode->refcount, 1, __ATOMIC_RELAXED);
}

void inode_put(struct inode *inode)
{
	if (!inode)
		return;
	if (__atomic_sub_fetch(&inode->refcount, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	/*
	 * Unlinked and unreferenced: nothing can find it again (no entry names
	 * it), so it can go. Linked inodes stay, owned by their directories.
	 */
	if (inode->nlink == 0 && inode->sb->ops->evict)
		inode->sb->ops->evict(inode);
}

int inode_permission(const struct cred *c, const struct inode *inode, int mask)
{
	mask &= MAY_READ | MAY_WRITE | MAY_EXEC;
	if (cred_is_root(c)) {
		/* Root reads and writes anything, but runs only what someone may run. */
		if ((mask & MAY_EXEC) && !S_ISDIR(inode->mode) && !(inode->mode & 0111))
			return -EACCES;
		return 0;
	}
	uint32_t bits;
	if (c->fsuid == inode->uid)
		bits = inode->mode >> 6;
	else if (cred_in_group(c, inode->gid))
		bits = inode->mode >> 3;
	else
		bits = inode->mode;
	return ((uint32_t)mask & ~bits & 7) ? -EACCES : 0;
}

unsigned mode_to_dtype(uint32_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: return DT_REG;
	case S_IFDIR: return DT_DIR;
	case S_IFLNK: return DT_LNK;
	case S_IFCHR: return DT_CHR;
	case S_IFBLK: return DT_BLK;
	case S_IFIFO: return DT_FIFO;
	case S_IFSOCK: return DT_SOCK;
	default: return DT_UNKNOWN;
	}
}

void inode_fill_stat(struct inode *inode, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	mutex_lock(&inode->data_lock);
	st->st_size = (int64_t)inode->size;
	st->st_blocks = (int64_t)inode->blocks;
	mutex_unlock(&inode->data_lock);
	st->st_dev = inode->sb->dev;
	st->st_ino = inode->ino;
	st->st_nlink = inode->nlink;
	st->st_mode = inode->mode;
	st->st_uid = inode->uid;
	st->st_gid = inode->gid;
	st->st_rdev = inode->rdev;
	st->st_blksize = inode->sb->blksize ? inode->sb->blksize : PAGE_SIZE;
	st->st_atime = (uint64_t)inode->atime.sec;
	st->st_atime_nsec = inode->atime.nsec;
	st->st_mtime = (uint64_t)inode->mtime.sec;
	st->st_mtime_nsec = inode->mtime.nsec;
	st->st_ctime = (uint64_t)inode->ctime.sec;
	st->st_ctime_nsec = inode->ctime.nsec;
}

static struct statx_timestamp stx_time(struct fs_time t)
{
	return (struct statx_timestamp){ t.sec, t.nsec, 0 };
}

void inode_fill_statx(struct inode *inode, uint32_t mask, struct statx *stx)
{
	(void)mask;	/* everything is at hand: report it all, as Linux may */
	struct stat st;
	inode_fill_stat(inode, &st);
	memset(stx, 0, sizeof(*stx));
	stx->stx_mask = STATX_BASIC_STATS | STATX_BTIME;
	stx->stx_blksize = (uint32_t)st.st_blksize;
	stx->stx_nlink = (uint32_t)st.st_nlink;
	stx->stx_uid = st.st_uid;
	stx->stx_gid = st.st_gid;
	stx->stx_mode = (uint16_t)st.st_mode;
	stx->stx_ino = st.st_ino;
	stx->stx_size = (uint64_t)st.st_size;
	stx->stx_blocks = (uint64_t)st.st_blocks;
	stx->stx_atime = stx_time(inode->atime);
	stx->stx_btime = stx_time(inode->btime);
	stx->stx_ctime = stx_time(inode->ctime);
	stx->stx_mtime = stx_time(inode->mtime);
	stx->stx_rdev_major = dev_major(inode->rdev);
	stx->stx_rdev_minor = dev_minor(inode->rdev);
	stx->stx_dev_major = dev_major(inode->sb->dev);
	stx->stx_dev_minor = dev_minor(inode->sb->dev);
}

int inode_get_write_access(struct inode *inode)
{
	int32_t v = __atomic_load_n(&inode->write_count, __ATOMIC_RELAXED);
	do {
		if (v < 0)
			return -ETXTBSY;
	} while (!__atomic_compare_exchange_n(&inode->write_count, &v, v + 1, true,
					      __ATOMIC_ACQ_REL, __ATOMIC_RELAXED));
	return 0;
}

void inode_put_write_access(struct inode *inode)
{
	__atomic_sub_fetch(&inode->write_count, 1, __ATOMIC_RELEASE);
}

int inode_deny_write_access(struct inode *inode)
{
	int32_t v = __atomic_load_n(&inode->write_count, __ATOMIC_RELAXED);
	do {
		if (v > 0)
			return -ETXTBSY;
	} while (!__atomic_compare_exchange_n(&inode->write_count, &v, v - 1, true,
					      __ATOMIC_ACQ_REL, __ATOMIC_RELAXED));
	return 0;
}

void inode_allow_write_access(struct inode *inode)
{
	__atomic_add_fetch(&inode->write_count, 1, __ATOMIC_RELEASE);
}
