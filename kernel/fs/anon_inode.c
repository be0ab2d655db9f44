/* Inodes and files of the internal file systems behind sockets and the event descriptors (sockfs, anon_inodefs). */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/string.h>
#include <kernel/anon_inode.h>

#include "vfs_internal.h"

struct anon_fs {
	struct super_block sb;
	struct mount mnt;
	uint64_t next_ino;
};

static void anon_evict(struct inode *inode)
{
	kfree(inode);
}

static int anon_statfs(struct super_block *sb, struct statfs *out)
{
	memset(out, 0, sizeof(*out));
	out->f_type = sb->magic;
	out->f_bsize = 4096;
	out->f_namelen = NAME_MAX;
	return 0;
}

static const struct super_ops anon_ops = { .evict = anon_evict, .statfs = anon_statfs };

/* Never unmounted: the table reference (1) keeps each alive. */
static struct anon_fs sockfs = {
	.sb = { .ops = &anon_ops, .magic = SOCKFS_MAGIC },
	.mnt = { .refcount = 1, .sb = &sockfs.sb },
};
static struct anon_fs anonfs = {
	.sb = { .ops = &anon_ops, .magic = ANON_INODE_FS_MAGIC },
	.mnt = { .refcount = 1, .sb = &anonfs.sb },
};

int anon_file_create(const struct cred *c, uint32_t mode, uint32_t flags,
		     const struct file_ops *ops, void *priv, struct file **out)
{
	struct anon_fs *fs = S_ISSOCK(mode) ? &sockfs : &anonfs;
	uint64_t zero = 0;
	if (__atomic_load_n(&fs->sb.dev, __ATOMIC_ACQUIRE) == 0) {
		uint64_t dev = vfs_anon_dev();
		__atomic_compare_exchange_n(&fs->sb.dev, &zero, dev, false, __ATOMIC_ACQ_REL,
					    __ATOMIC_ACQUIRE);
	}
	struct inode *inode = kzalloc(sizeof(*inode));
	struct file *f = inode ? kzalloc(sizeof(*f)) : NULL;
	if (!f) {
		kfree(inode);
		return -ENOMEM;
	}
	inode_init(inode, &fs->sb, mode);
	/* No name links it anywhere: the last file's reference frees it. */
	inode->nlink = 0;
	inode->uid = c->fsuid;
	inode->gid = c->fsgid;
	inode->ino = __atomic_add_fetch(&fs->next_ino, 1, __ATOMIC_RELAXED);
	f->refcount = 1;
	f->path.mnt = &fs->mnt;
	f->path.inode = inode;
	path_get(&f->path);
	inode_put(inode);	/* the file holds it now */
	f->flags = flags;
	mutex_init(&f->pos_lock, "file pos");
	f->ops = ops;
	f->private_data = priv;
	*out = f;
	return 0;
}
