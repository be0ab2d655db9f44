/* tmpfs private structures shared by its directory/inode code and its page store. */
#ifndef KERNEL_FS_TMPFS_INTERNAL_H
#define KERNEL_FS_TMPFS_INTERNAL_H

#include <kernel/vfs.h>

/* File data: a radix tree of 512-way nodes over data pages; absent pages are holes. */
struct tmpfs_data {
	void *root;
	unsigned height;	/* 0 empty, 1 root is page 0, h covers 512^(h-1) pages */
	uint64_t pages;		/* data pages present */
};

/* Largest file: what a height-5 tree covers (2^36 pages, 256 TiB). */
#define TMPFS_MAX_FILE_SIZE (1ull << 48)

struct tmpfs_sb;

/*
 * Read/write/free the data of one file. Page accounting goes through @fs
 * (ENOSPC beyond its size cap or when memory runs out).
 */
void tmpfs_data_read(const struct tmpfs_data *d, uint64_t off, void *buf, size_t len);
ssize_t tmpfs_data_write(struct tmpfs_data *d, struct tmpfs_sb *fs, uint64_t off,
			 const void *buf, size_t len);
/* Drop every page from byte @size on and zero the tail of the page holding @size. */
void tmpfs_data_truncate(struct tmpfs_data *d, struct tmpfs_sb *fs, uint64_t size);
/* Pages allocated (for st_blocks). */
uint64_t tmpfs_data_pages(const struct tmpfs_data *d);

/* Page budget of an instance: take one page (false when the cap is reached) / give back. */
bool tmpfs_charge_page(struct tmpfs_sb *fs);
void tmpfs_uncharge_pages(struct tmpfs_sb *fs, uint64_t n);

#endif
