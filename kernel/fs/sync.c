/* Write-back entry points of the VFS: fsync of a file, syncfs of one file system, sync of all (page caches first, then each file system's metadata and device). */
#include <frame/errno.h>
#include <kernel/file.h>
#include <kernel/page_cache.h>
#include <kernel/vfs.h>

int vfs_fsync(struct file *f, bool datasync)
{
	uint32_t type = f->path.inode->mode & S_IFMT;
	if (f->ops && f->ops->fsync)
		return f->ops->fsync(f, datasync);
	/* Linux: pipes and sockets have no fsync operation. */
	if (type == S_IFIFO || type == S_IFSOCK)
		return -EINVAL;
	struct inode *inode = f->path.inode;
	if ((type == S_IFREG || type == S_IFDIR || type == S_IFLNK) && inode->ops &&
	    inode->ops->fsync)
		return inode->ops->fsync(inode, datasync);
	return 0;
}

int vfs_syncfs(struct super_block *sb)
{
	return sb->ops && sb->ops->sync_fs ? sb->ops->sync_fs(sb) : 0;
}

static int sync_one(struct super_block *sb, void *arg)
{
	int *first = arg;
	int err = vfs_syncfs(sb);
	if (err && !*first)
		*first = err;
	return 0;
}

int vfs_sync_all(void)
{
	int err = page_cache_sync_all();
	int fs_err = 0;
	(void)vfs_for_each_sb(sync_one, &fs_err);
	return err ? err : fs_err;
}
