/*
 * The memory object exec maps a program from: each page is read from the
 * open file on first touch. Private mappings only need the file's contents
 * at that time, which this gives; shared file mappings use the file
 * system's own object (its page cache) instead.
 */
#include <abi/errno.h>
#include <abi/mman.h>
#include <frame/heap.h>
#include <frame/page.h>
#include <kernel/file.h>
#include <kernel/fs.h>
#include <kernel/mm.h>
#include <kernel/vfs.h>
#include <kernel/file_map.h>
#include "exec_internal.h"

struct exec_file_object {
	struct mm_object obj;
	struct file *file;
	char *name;		/* the /proc/pid/maps name once computed, or NULL */
};

static int exec_file_get_page(struct mm_object *obj, uint64_t pgoff, struct page **out)
{
	struct exec_file_object *e = container_of(obj, struct exec_file_object, obj);
	uint64_t size = e->file->path.inode->size;
	if (pgoff >= (size + PAGE_SIZE - 1) / PAGE_SIZE)
		return -EIO;
	struct page *pg = page_alloc(0, PAGE_ZERO);
	if (!pg)
		return -ENOMEM;
	uint8_t buf[512];
	uint64_t off = pgoff * PAGE_SIZE;
	for (size_t done = 0; done < PAGE_SIZE;) {
		ssize_t n = vfs_pread(e->file, buf, sizeof(buf), (int64_t)(off + done));
		if (n < 0) {
			page_put(pg);
			return (int)n;
		}
		if (n == 0)
			break;	/* EOF: the rest stays zero */
		page_write(pg, done, buf, (size_t)n);
		done += (size_t)n;
	}
	*out = pg;
	return 0;
}

static int exec_file_may_map(struct mm_object *obj, unsigned prot, unsigned flags)
{
	(void)obj;
	(void)prot;
	/* A snapshot can't carry writes back to the file. */
	return (flags & MAP_TYPE) == MAP_SHARED ? -EACCES : 0;
}

static void exec_file_release(struct mm_object *obj)
{
	struct exec_file_object *e = container_of(obj, struct exec_file_object, obj);
	file_put(e->file);
	kfree(e->name);
	kfree(e);
}

static void exec_file_path(struct mm_object *obj, char *buf, size_t size)
{
	struct exec_file_object *e = container_of(obj, struct exec_file_object, obj);
	file_map_name(&e->file->path, &e->name, buf, size);
}

static const struct mm_object_ops exec_file_ops = {
	.get_page = exec_file_get_page,
	.may_map = exec_file_may_map,
	.release = exec_file_release,
	.path = exec_file_path,
};

struct mm_object *file_mm_object(struct file *f)
{
	/* The file system's own object when it has one (tmpfs: its pages, shared mappings allowed); else a snapshot for private maps only. */
	struct mm_object *obj = tmpfs_file_object(f);
	if (!obj)
		obj = page_cache_file_object(f);
	return obj ? obj : exec_file_object(f);
}

struct mm_object *exec_file_object(struct file *f)
{
	struct exec_file_object *e = kzalloc(sizeof(*e));
	if (!e)
		return NULL;
	mm_object_init(&e->obj, &exec_file_ops);
	file_get(f);
	e->file = f;
	e->obj.ino = f->path.inode->ino;
	e->obj.dev_major = dev_major(f->path.inode->sb->dev);
	e->obj.dev_minor = dev_minor(f->path.inode->sb->dev);
	return &e->obj;
}
