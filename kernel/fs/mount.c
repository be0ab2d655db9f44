/* File-system types, the mount table, mount and umount, and path references. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/mutex.h>
#include <frame/string.h>
#include <kernel/vfs.h>

#include "vfs_internal.h"

#define MAX_FS_TYPES 16

static struct mutex vfs_mutex = MUTEX_INIT("vfs");
static const struct fs_type *fs_types[MAX_FS_TYPES];
static struct mount *mounts;	/* the table, newest first */
static struct mount *root_mount;
static uint32_t next_mount_id = 1;
static uint32_t next_anon_minor = 1;

void vfs_lock(void)
{
	mutex_lock(&vfs_mutex);
}

void vfs_unlock(void)
{
	mutex_unlock(&vfs_mutex);
}

int vfs_register_fs(const struct fs_type *type)
{
	vfs_lock();
	int err = -ENOSPC;
	for (size_t i = 0; i < MAX_FS_TYPES; i++) {
		if (fs_types[i] && !strcmp(fs_types[i]->name, type->name)) {
			err = -EEXIST;
			break;
		}
		if (!fs_types[i]) {
			fs_types[i] = type;
			err = 0;
			break;
		}
	}
	vfs_unlock();
	return err;
}

const struct fs_type *vfs_find_fs(const char *name)
{
	for (size_t i = 0; i < MAX_FS_TYPES && fs_types[i]; i++)
		if (!strcmp(fs_types[i]->name, name))
			return fs_types[i];
	return NULL;
}

uint64_t vfs_anon_dev(void)
{
	return dev_encode(0, __atomic_fetch_add(&next_anon_minor, 1, __ATOMIC_RELAXED));
}

void path_get(const struct path *p)
{
	inode_get(p->inode);
	__atomic_add_fetch(&p->mnt->refcount, 1, __ATOMIC_RELAXED);
}

void path_put(struct path *p)
{
	if (!p->inode)
		return;
	inode_put(p->inode);
	/* The table holds its own reference, so this never frees: umount does. */
	__atomic_sub_fetch(&p->mnt->refcount, 1, __ATOMIC_RELEASE);
	p->inode = NULL;
	p->mnt = NULL;
}

bool path_equal(const struct path *a, const struct path *b)
{
	return a->mnt == b->mnt && a->inode == b->inode;
}

struct mount *mount_on(const struct mount *mnt, const struct inode *inode)
{
	for (struct mount *m = mounts; m; m = m->next)
		if (m->parent == mnt && m->mountpoint == inode)
			return m;
	return NULL;
}

bool is_mountpoint(const struct inode *inode)
{
	for (struct mount *m = mounts; m; m = m->next)
		if (m->mountpoint == inode)
			return true;
	return false;
}

/* A new instance of @fstype (on device @rdev for a block file system) in a mount object not yet in the table. */
static int new_mount(const char *fstype, uint64_t rdev, unsigned long flags, const char *data,
		     struct mount **out)
{
	const struct fs_type *type = vfs_find_fs(fstype);
	if (!type)
		return -ENODEV;
	struct mount *m = kzalloc(sizeof(*m));
	if (!m)
		return -ENOMEM;
	struct super_block *sb;
	int err = type->mount_dev ? type->mount_dev(type, rdev, flags, data, &sb)
				  : type->mount(type, data, &sb);
	if (err) {
		kfree(m);
		return err;
	}
	m->sb = sb;
	m->root = sb->root;
	m->refcount = 1;
	m->id = next_mount_id++;
	*out = m;
	return 0;
}

static void table_add(struct mount *m)
{
	m->next = mounts;
	mounts = m;
}

static void destroy_mount(struct mount *m)
{
	struct mount **pp = &mounts;
	while (*pp != m)
		pp = &(*pp)->next;
	*pp = m->next;
	inode_put(m->mountpoint);
	struct super_block *sb = m->sb;
	inode_put(sb->root);
	sb->ops->kill(sb);
	kfree(m);
}

int vfs_mount_root(const char *fstype, const char *data, struct path *root)
{
	return vfs_mount_root_dev(fstype, 0, 0, data, root);
}

int vfs_mount_root_dev(const char *fstype, uint64_t rdev, unsigned long flags, const char *data,
		       struct path *root)
{
	vfs_lock();
	int err = -EBUSY;
	struct mount *m;
	if (!root_mount && !(err = new_mount(fstype, rdev, flags, data, &m))) {
		table_add(m);
		root_mount = m;
		root->mnt = m;
		root->inode = m->root;
		path_get(root);
	}
	vfs_unlock();
	return err;
}

int vfs_mount(const struct vfs_ctx *ctx, const struct path *at, const char *target,
	      const char *fstype, const char *data)
{
	return vfs_mount_dev(ctx, at, target, fstype, NULL, 0, data);
}

/* The device number a mount source names: an S_IFBLK node Linux's lookup_bdev would accept. */
static int source_dev(const struct vfs_ctx *ctx, const struct path *at, const char *source,
		      uint64_t *rdev)
{
	if (!source || !*source)
		return -ENOENT;
	struct path p;
	int err = vfs_lookup(ctx, at, source, LOOKUP_FOLLOW, &p);
	if (err)
		return err;
	if (!S_ISBLK(p.inode->mode))
		err = -ENOTBLK;
	else
		*rdev = p.inode->rdev;
	path_put(&p);
	return err;
}

int vfs_mount_dev(const struct vfs_ctx *ctx, const struct path *at, const char *target,
		  const char *fstype, const char *source, unsigned long flags, const char *data)
{
	if (!cred_is_root(ctx->cred))
		return -EPERM;
	const struct fs_type *type = vfs_find_fs(fstype);
	if (!type)
		return -ENODEV;
	uint64_t rdev = 0;
	if (type->mount_dev) {
		int err = source_dev(ctx, at, source, &rdev);
		if (err)
			return err;
	}
	vfs_lock();
	struct path p;
	int err = walk_path(ctx, at, target, LOOKUP_FOLLOW, &p);
	if (err)
		goto out;
	struct mount *m;
	if (!S_ISDIR(p.inode->mode))
		err = -ENOTDIR;
	else if (p.inode->nlink == 0)
		err = -ENOENT;
	else if (!(err = new_mount(fstype, rdev, flags, data, &m))) {
		m->parent = p.mnt;
		m->mountpoint = p.inode;
		inode_get(p.inode);
		table_add(m);
	}
	path_put(&p);
out:
	vfs_unlock();
	return err;
}

/* Under the lock: -EBUSY if @m has mounts on it or more than @expected references. */
static int check_busy(struct mount *m, uint32_t expected)
{
	for (struct mount *c = mounts; c; c = c->next)
		if (c->parent == m)
			return -EBUSY;
	return __atomic_load_n(&m->refcount, __ATOMIC_ACQUIRE) > expected ? -EBUSY : 0;
}

int vfs_umount(const struct vfs_ctx *ctx, const struct path *at, const char *target)
{
	if (!cred_is_root(ctx->cred))
		return -EPERM;
	vfs_lock();
	struct path p;
	int err = walk_path(ctx, at, target, LOOKUP_FOLLOW, &p);
	if (err)
		goto out;
	struct mount *m = p.mnt;
	if (p.inode != m->root)
		err = -EINVAL;
	else if (m == root_mount)
		err = -EBUSY;
	else
		err = check_busy(m, 2);	/* the table's and our walk's */
	path_put(&p);
	if (!err)
		destroy_mount(m);
out:
	vfs_unlock();
	return err;
}

int vfs_umount_root(struct path *root)
{
	vfs_lock();
	int err = -EINVAL;
	if (root->mnt == root_mount && root->inode == root_mount->root)
		err = check_busy(root_mount, 2);
	if (!err) {
		struct mount *m = root_mount;
		path_put(root);
		root_mount = NULL;
		destroy_mount(m);
	}
	vfs_unlock();
	return err;
}

int vfs_for_each_sb(int (*fn)(struct super_block *sb, void *arg), void *arg)
{
	vfs_lock();
	int ret = 0;
	for (struct mount *m = mounts; m && !ret; m = m->next) {
		bool seen = false;
		for (struct mount *o = mounts; o != m; o = o->next)
			seen |= o->sb == m->sb;
		if (!seen)
			ret = fn(m->sb, arg);
	}
	vfs_unlock();
	return ret;
}

void vfs_mount_ids(const struct mount *mnt, uint32_t *id, uint32_t *parent_id, uint64_t *dev)
{
	*id = mnt->id;
	*parent_id = mnt->parent ? mnt->parent->id : mnt->id;
	*dev = mnt->sb->dev;
}
