/* fallocate on tmpfs: allocate the pages of a range, growing the file unless FALLOC_FL_KEEP_SIZE; Linux's vfs_fallocate checks. */
#include <frame/errno.h>
#include <abi/fcntl.h>
#include <kernel/fs_limits.h>
#include <kernel/splice.h>

#include "tmpfs_internal.h"

#define FALLOC_FL_KNOWN (FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE | FALLOC_FL_COLLAPSE_RANGE | \
			 FALLOC_FL_ZERO_RANGE | FALLOC_FL_INSERT_RANGE | FALLOC_FL_UNSHARE_RANGE)

int vfs_fallocate(struct file *f, int mode, int64_t off, int64_t len)
{
	if (off < 0 || len <= 0)
		return -EINVAL;
	if ((unsigned)mode & ~(unsigned)FALLOC_FL_KNOWN)
		return -EOPNOTSUPP;
	if ((mode & FALLOC_FL_PUNCH_HOLE) && !(mode & FALLOC_FL_KEEP_SIZE))
		return -EINVAL;
	uint32_t acc = f->flags & O_ACCMODE;
	if ((f->flags & O_PATH) || (acc != O_WRONLY && acc != O_RDWR))
		return -EBADF;
	struct inode *inode = f->path.inode;
	if (S_ISFIFO(inode->mode))
		return -ESPIPE;
	if (S_ISDIR(inode->mode))
		return -EISDIR;
	if (!S_ISREG(inode->mode) && !S_ISBLK(inode->mode))
		return -ENODEV;
	uint64_t end;
	if (__builtin_add_overflow((uint64_t)off, (uint64_t)len, &end) || end > INT64_MAX ||
	    end > inode->sb->max_file_size)
		return -EFBIG;
	/* tmpfs allocates and punches; punching (and everything else) is not done here yet. */
	if (!tmpfs_owns(inode) || (mode & ~FALLOC_FL_KEEP_SIZE))
		return -EOPNOTSUPP;
	struct tmpfs_node *n = tmpfs_node_of(inode);
	bool grow = !(mode & FALLOC_FL_KEEP_SIZE) && end > inode->size;
	int err = 0;
	mutex_lock(&inode->data_lock);
	if (n->seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE | (grow ? F_SEAL_GROW : 0)))
		err = -EPERM;
	else if (grow)
		err = fs_check_newsize(end);
	if (!err)
		err = tmpfs_data_alloc_range(&n->data, tmpfs_sb_of(inode->sb),
					     (uint64_t)off >> PAGE_SHIFT, (end - 1) >> PAGE_SHIFT);
	inode->blocks = tmpfs_data_pages(&n->data) * (PAGE_SIZE / 512);
	if (!err && grow) {
		inode->size = end;
		inode->mtime = inode->ctime = fs_now();
	}
	mutex_unlock(&inode->data_lock);
	return err;
}
