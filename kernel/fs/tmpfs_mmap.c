/*
 * The memory object of a tmpfs file: get_page hands out the file's own
 * pages, so MAP_SHARED writes reach the file and read() sees them, and
 * private mappings copy them on write. One object per mapping call, holding
 * the inode and the access the file was opened with (mprotect asks again).
 */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/page.h>
#include <abi/fcntl.h>
#include <abi/mman.h>
#include <kernel/file.h>
#include <kernel/fs.h>
#include <kernel/mm.h>

#include "tmpfs_internal.h"

struct tmpfs_map {
	struct mm_object obj;
	struct inode *inode;	/* referenced */
	struct path path;	/* referenced: the name /proc/pid/maps shows */
	char *name;		/* that name once computed, or NULL */
	uint32_t fflags;	/* the open file's access mode and status flags */
	bool counted;		/* holds one of the node's shared_writable counts */
};

static struct tmpfs_map *map_of(struct mm_object *obj)
{
	return container_of(obj, struct tmpfs_map, obj);
}

static int tmpfs_map_get_page(struct mm_object *obj, uint64_t pgoff, struct page **out)
{
	struct inode *inode = map_of(obj)->inode;
	struct tmpfs_node *n = tmpfs_node_of(inode);
	mutex_lock(&inode->data_lock);
	int err;
	/* A page at or beyond EOF is SIGBUS, as Linux's shmem_fault. */
	if (pgoff >= (inode->size + PAGE_SIZE - 1) / PAGE_SIZE) {
		err = -EIO;
	} else {
		err = tmpfs_data_get_page(&n->data, tmpfs_sb_of(inode->sb), pgoff, out);
		inode->blocks = tmpfs_data_pages(&n->data) * (PAGE_SIZE / 512);
	}
	mutex_unlock(&inode->data_lock);
	return err == -ENOSPC ? -ENOMEM : err;
}

static int tmpfs_map_may_map(struct mm_object *obj, unsigned prot, unsigned flags)
{
	struct tmpfs_map *m = map_of(obj);
	if ((flags & MAP_TYPE) != MAP_SHARED || !(prot & PROT_WRITE))
		return 0;
	if ((m->fflags & O_ACCMODE) != O_RDWR)
		return -EACCES;
	struct tmpfs_node *n = tmpfs_node_of(m->inode);
	mutex_lock(&m->inode->data_lock);
	int err = n->seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE) ? -EPERM : 0;
	if (!err && !m->counted) {
		/* From now on F_SEAL_WRITE is refused (-EBUSY) while this object lives. */
		m->counted = true;
		__atomic_add_fetch(&n->shared_writable, 1, __ATOMIC_RELAXED);
	}
	mutex_unlock(&m->inode->data_lock);
	return err;
}

static void tmpfs_map_release(struct mm_object *obj)
{
	struct tmpfs_map *m = map_of(obj);
	if (m->counted)
		__atomic_sub_fetch(&tmpfs_node_of(m->inode)->shared_writable, 1, __ATOMIC_RELAXED);
	inode_put(m->inode);
	path_put(&m->path);
	kfree(m->name);
	kfree(m);
}

static void tmpfs_map_path(struct mm_object *obj, char *buf, size_t size)
{
	struct tmpfs_map *m = map_of(obj);
	file_map_name(&m->path, &m->name, buf, size);
}

static const struct mm_object_ops tmpfs_map_ops = {
	.get_page = tmpfs_map_get_page,
	.may_map = tmpfs_map_may_map,
	.release = tmpfs_map_release,
	.path = tmpfs_map_path,
};

struct mm_object *tmpfs_file_object(struct file *f)
{
	struct inode *inode = f->path.inode;
	if (!tmpfs_owns(inode) || !S_ISREG(inode->mode))
		return NULL;
	struct tmpfs_map *m = kzalloc(sizeof(*m));
	if (!m)
		return NULL;
	mm_object_init(&m->obj, &tmpfs_map_ops);
	inode_get(inode);
	m->inode = inode;
	m->path = f->path;
	path_get(&m->path);
	m->fflags = f->flags;
	m->obj.ino = inode->ino;
	m->obj.dev_major = dev_major(inode->sb->dev);
	m->obj.dev_minor = dev_minor(inode->sb->dev);
	return &m->obj;
}
