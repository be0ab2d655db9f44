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

#endif
