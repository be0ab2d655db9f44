/*
 * The memory object of a file whose data lives in a page cache (a disk
 * file system's file, a block device): get_page hands out the cache's own
 * pages, so MAP_SHARED stores reach the file and private mappings copy on
 * write; pages a shared writable mapping holds are written back while it
 * holds them. One object per mapping call, holding the open file.
 */
#include <abi/fcntl.h>
#include <abi/mman.h>
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/page.h>
#include <kernel/block.h>
#include <kernel/file.h>
#include <kernel/fs.h>
#include <kernel/mm.h>
#include <kernel/page_cache.h>

struct cache_map {
	struct mm_object obj;
	struct file *file;		/* referenced: keeps the inode (and device) alive */
	struct page_cache *pc;
	struct block_device *bdev;	/* for a device node, else NULL */
	bool shared_writable;
	char *name;			/* the /proc/pid/maps name once computed, or NULL */
};

static struct cache_map *map_of(struct mm_object *obj)
{
	return container_of(obj, struct cache_map, obj);
}

static int cache_map_get_page(struct mm_object *obj, uint64_t pgoff, struct page **out)
{
	struct cache_map *m = map_of(obj);
	struct inode *inode = m->file->path.inode;
	int err;
	if (m->bdev) {
		uint64_t size = m->bdev->nr_sectors * SECTOR_SIZE;
		err = pgoff >= (size + PAGE_SIZE - 1) / PAGE_SIZE
			      ? -EIO : page_cache_get(m->pc, pgoff, true, out);
	} else {
		/* A page at or beyond EOF is SIGBUS, as Linux's filemap_fault. */
		mutex_lock(&inode->data_lock);
		err = pgoff >= (inode->size + PAGE_SIZE - 1) / PAGE_SIZE
			      ? -EIO : page_cache_get(m->pc, pgoff, true, out);
		mutex_unlock(&inode->data_lock);
	}
	if (!err && m->shared_writable)
		page_cache_mark_mapped_writable(m->pc, pgoff);
	return err;
}

static int cache_map_may_map(struct mm_object *obj, unsigned prot, unsigned flags)
{
	struct cache_map *m = map_of(obj);
	uint32_t acc = m->file->flags & O_ACCMODE;
	if (acc == O_WRONLY)
		return -EACCES;
	if ((flags & MAP_TYPE) != MAP_SHARED || !(prot & PROT_WRITE))
		return 0;
	if (acc != O_RDWR)
		return -EACCES;
	m->shared_writable = true;
	return 0;
}

static int cache_map_sync(struct mm_object *obj, uint64_t first, uint64_t last)
{
	struct cache_map *m = map_of(obj);
	int err = page_cache_sync_range(m->pc, first, last);
	/* The data, and what a file system needs to find it again, on stable storage. */
	int err2 = vfs_fsync(m->file, true);
	return err ? err : err2;
}

static void cache_map_release(struct mm_object *obj)
{
	struct cache_map *m = map_of(obj);
	file_put(m->file);
	kfree(m->name);
	kfree(m);
}

static void cache_map_path(struct mm_object *obj, char *buf, size_t size)
{
	struct cache_map *m = map_of(obj);
	file_map_name(&m->file->path, &m->name, buf, size);
}

static const struct mm_object_ops cache_map_ops = {
	.get_page = cache_map_get_page,
	.may_map = cache_map_may_map,
	.release = cache_map_release,
	.sync = cache_map_sync,
	.path = cache_map_path,
};

struct mm_object *page_cache_file_object(struct file *f)
{
	struct inode *inode = f->path.inode;
	struct block_device *bdev = NULL;
	struct page_cache *pc = NULL;
	if (S_ISBLK(inode->mode)) {
		bdev = f->private_data;
		pc = bdev ? bdev->cache : NULL;
	} else if (S_ISREG(inode->mode)) {
		pc = inode->cache;
	}
	if (!pc)
		return NULL;
	struct cache_map *m = kzalloc(sizeof(*m));
	if (!m)
		return NULL;
	mm_object_init(&m->obj, &cache_map_ops);
	file_get(f);
	m->file = f;
	m->pc = pc;
	m->bdev = bdev;
	m->obj.ino = inode->ino;
	m->obj.dev_major = dev_major(inode->sb->dev);
	m->obj.dev_minor = dev_minor(inode->sb->dev);
	return &m->obj;
}
