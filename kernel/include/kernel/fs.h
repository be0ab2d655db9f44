/* File systems Cadre provides (tmpfs/ramfs) and the initramfs unpacker. */
#ifndef KERNEL_FS_H
#define KERNEL_FS_H

#include <frame/types.h>
#include <kernel/vfs.h>

#define TMPFS_MAGIC 0x01021994u
#define RAMFS_MAGIC 0x858458f6u

/*
 * Register "tmpfs" and "ramfs" (idempotent). Mount options (tmpfs):
 * "size=N[k|m|g]" caps data pages, "nr_inodes=N" caps inodes; the default
 * caps are half of RAM and RAM/8 KiB inodes, as Linux.
 */
int tmpfs_register(void);

/* Register "ext2", a file system on a block device (kernel/fs/ext2/), read-write. */
int ext2_register(void);

struct file;
struct mm_object;

/*
 * The memory object of an open tmpfs regular file (kernel/fs/tmpfs_mmap.c):
 * its pages are the file's, so shared mappings write through; may_map
 * gives -EACCES for a shared writable mapping of a file not open O_RDWR and
 * -EPERM under F_SEAL_WRITE. NULL for other files or when out of memory.
 */
struct mm_object *tmpfs_file_object(struct file *f);
/*
 * The memory object of a file whose data is in a page cache (a disk file
 * system's regular file, or a block device node): NULL if it has none or
 * out of memory (kernel/fs/filemap.c).
 */
struct mm_object *page_cache_file_object(struct file *f);

/*
 * open(O_TMPFILE) (kernel/fs/tmpfs_tmpfile.c): a regular file with no name
 * in directory @name of a tmpfs, opened with @flags (O_WRONLY or O_RDWR
 * required, else -EINVAL); -EOPNOTSUPP on other file systems, -EISDIR... as
 * Linux's do_tmpfile.
 */
int vfs_open_tmpfile(const struct vfs_ctx *ctx, const struct path *at, const char *name,
		     uint32_t flags, uint32_t mode, struct file **out);

/* A source of archive bytes: read up to @len at @off; bytes read, 0 at end, or -errno. */
struct byte_source {
	ssize_t (*read)(void *ctx, uint64_t off, void *buf, size_t len);
	void *ctx;
	uint64_t size;
};

struct initramfs_stats {
	uint32_t files, dirs, symlinks, nodes, links, archives;
	uint64_t bytes;		/* file data written */
	uint32_t skipped;	/* entries left out (missing parent, ...) */
};

/*
 * Unpack cpio newc/crc archives, raw or gzip-compressed, concatenated and
 * zero-padded as Linux accepts them, into the directory @root (as root).
 * Returns 0, or a negative errno after logging a message saying what was
 * wrong and where: -EINVAL corrupt, -EIO truncated, -ENOSPC/-ENOMEM.
 * Entries unpacked before an error stay.
 */
int initramfs_unpack(const struct byte_source *src, const struct path *root,
		     struct initramfs_stats *stats);
/* The same over the boot loader's initrd (boot_initrd_read()). */
int initramfs_unpack_boot(const struct path *root, struct initramfs_stats *stats);

/*
 * For an object's path op: the name of mapped path @p as /proc/pid/maps
 * shows it (from the reader's root), into @buf (terminated, truncated to
 * @size; empty if it cannot be named). Computed once and kept in *@cache,
 * which the object frees (kfree) when released: a later rename is not seen.
 */
void file_map_name(const struct path *p, char **cache, char *buf, size_t size);

/*
 * Who names paths for file_map_name() (procfs registers its d_path, from
 * the reader's root, at init): the length written to @buf, or a negative
 * errno. Without one, mappings show no name.
 */
typedef int (*file_map_namer_fn)(const struct path *p, char *buf, size_t size);
void file_map_set_namer(file_map_namer_fn fn);

#endif
