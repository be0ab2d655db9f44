/*
 * memfd_create and seals. A memfd is a tmpfs file in an internal instance
 * that is mounted nowhere; its root holds it under the name Linux's d_path
 * prints for it ("memfd:NAME (deleted)"), so /proc/pid/fd reads as on Linux
 * and st_nlink is 1 as there. The entry goes with the file's last reference.
 */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/mutex.h>
#include <frame/string.h>
#include <abi/fcntl.h>
#include <kernel/memfd.h>

#include "file_internal.h"
#include "tmpfs_internal.h"
#include "vfs_internal.h"

#define F_ALL_SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)

static void memfd_release(struct file *f);

static struct mutex memfd_setup_lock = MUTEX_INIT("memfd setup");
/* The VFS's regular-file operations plus removing the name with the last reference (set up once, under the lock). */
static struct file_ops memfd_file_ops;
/* Never unmounted: its own reference (1) keeps it alive. */
static struct mount memfd_mnt = { .refcount = 1 };

/* The internal instance, made on first use. */
static int memfd_mount(void)
{
	mutex_lock(&memfd_setup_lock);
	int err = 0;
	if (!memfd_file_ops.read) {
		memfd_file_ops = reg_file_ops;
		memfd_file_ops.release = memfd_release;
	}
	if (!memfd_mnt.sb) {
		const struct fs_type *type = vfs_find_fs("tmpfs");
		struct super_block *sb;
		err = type ? type->mount(type, NULL, &sb) : -ENODEV;
		if (!err) {
			memfd_mnt.root = sb->root;
			__atomic_store_n(&memfd_mnt.sb, sb, __ATOMIC_RELEASE);
		}
	}
	mutex_unlock(&memfd_setup_lock);
	return err;
}

struct memfd_name {
	size_t len;
	char text[];
};

static void memfd_release(struct file *f)
{
	struct memfd_name *n = f->private_data;
	struct inode *dir = memfd_mnt.root;
	vfs_lock();
	dir->ops->unlink(dir, n->text, n->len, f->path.inode);
	vfs_unlock();
	kfree(n);
}

int memfd_create_file(const struct cred *c, const char *name, bool allow_sealing,
		      struct file **out)
{
	int err = memfd_mount();
	if (err)
		return err;
	static const char prefix[] = "memfd:", suffix[] = " (deleted)";
	size_t nlen = strlen(name);
	size_t len = sizeof(prefix) - 1 + nlen + sizeof(suffix) - 1;
	struct memfd_name *n = kmalloc(sizeof(*n) + len + 1);
	if (!n)
		return -ENOMEM;
	n->len = len;
	memcpy(n->text, prefix, sizeof(prefix) - 1);
	memcpy(n->text + sizeof(prefix) - 1, name, nlen);
	memcpy(n->text + sizeof(prefix) - 1 + nlen, suffix, sizeof(suffix));
	struct inode *dir = memfd_mnt.root, *inode;
	vfs_lock();
	err = dir->ops->create(dir, n->text, len, S_IFREG | 0777, c->fsuid, c->fsgid, 0, NULL,
			       &inode);
	vfs_unlock();
	if (err) {
		kfree(n);
		return err;
	}
	if (allow_sealing)
		tmpfs_node_of(inode)->seals = 0;
	struct path p = { &memfd_mnt, inode };
	__atomic_add_fetch(&memfd_mnt.refcount, 1, __ATOMIC_RELAXED);
	struct file *f;
	err = vfs_open_path(c, &p, O_RDWR | O_LARGEFILE, &f);
	if (err) {
		vfs_lock();
		dir->ops->unlink(dir, n->text, len, inode);
		vfs_unlock();
		kfree(n);
	} else {
		f->ops = &memfd_file_ops;
		f->private_data = n;
		*out = f;
	}
	path_put(&p);
	return err;
}

long memfd_add_seals(struct file *f, uint32_t seals)
{
	struct inode *inode = f->path.inode;
	uint32_t acc = f->flags & O_ACCMODE;
	if ((f->flags & O_PATH) || (acc != O_WRONLY && acc != O_RDWR))
		return -EPERM;
	if (seals & ~(uint32_t)F_ALL_SEALS)
		return -EINVAL;
	if (!tmpfs_owns(inode) || !S_ISREG(inode->mode))
		return -EINVAL;
	struct tmpfs_node *n = tmpfs_node_of(inode);
	long err = 0;
	mutex_lock(&inode->data_lock);
	if (n->seals & F_SEAL_SEAL)
		err = -EPERM;
	else if ((seals & F_SEAL_WRITE) && !(n->seals & F_SEAL_WRITE) &&
		 __atomic_load_n(&n->shared_writable, __ATOMIC_RELAXED))
		err = -EBUSY;	/* a shared writable mapping exists */
	else
		n->seals |= seals;
	mutex_unlock(&inode->data_lock);
	return err;
}

long memfd_get_seals(struct file *f)
{
	struct inode *inode = f->path.inode;
	if (!tmpfs_owns(inode) || !S_ISREG(inode->mode))
		return -EINVAL;
	mutex_lock(&inode->data_lock);
	long seals = tmpfs_node_of(inode)->seals;
	mutex_unlock(&inode->data_lock);
	return seals;
}

int memfd_shutdown(void)
{
	mutex_lock(&memfd_setup_lock);
	int err = 0;
	struct super_block *sb = memfd_mnt.sb;
	if (sb && tmpfs_sb_of(sb)->inodes_used > 1) {
		err = -EBUSY;
	} else if (sb) {
		memfd_mnt.sb = NULL;
		memfd_mnt.root = NULL;
		inode_put(sb->root);	/* the superblock's reference; the root keeps nlink 2 */
		sb->ops->kill(sb);
	}
	mutex_unlock(&memfd_setup_lock);
	return err;
}
