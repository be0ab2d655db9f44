/* tmpfs private structures shared by its directory/inode code, its page store, its mapping object and memfd. */
#ifndef KERNEL_FS_TMPFS_INTERNAL_H
#define KERNEL_FS_TMPFS_INTERNAL_H

#include <frame/spinlock.h>
#include <kernel/vfs.h>

struct page;

/* File data: a radix tree of 512-way nodes over data pages; absent pages are holes. */
struct tmpfs_data {
	void *root;
	unsigned height;	/* 0 empty, 1 root is page 0, h covers 512^(h-1) pages */
	uint64_t pages;		/* data pages present */
};

/* Largest file: what a height-5 tree covers (2^36 pages, 256 TiB). */
#define TMPFS_MAX_FILE_SIZE (1ull << 48)

struct tmpfs_dirent {
	struct tmpfs_dirent *next, *prev;
	uint64_t cookie;	/* getdents offset; increasing along the list, never reused */
	struct inode *inode;	/* counted in its nlink, not its refcount */
	size_t len;
	char name[];
};

struct tmpfs_node {
	struct inode inode;
	struct tmpfs_node *all_next, *all_prev;	/* every inode of the instance */
	/* directories */
	struct tmpfs_dirent *head, *tail;
	uint64_t next_cookie;
	struct inode *parent;	/* referenced (unless itself), so ".." of a removed directory stays valid */
	/* symlinks */
	char *target;
	size_t target_len;
	/* regular files */
	struct tmpfs_data data;
	uint32_t seals;		/* F_SEAL_* (memfd), under data_lock */
	uint32_t shared_writable; /* atomic: shared writable mappings (F_SEAL_WRITE waits for none) */
};

struct tmpfs_sb {
	struct super_block sb;
	spinlock_t all_lock;		/* the list: eviction runs without the VFS lock */
	struct tmpfs_node *all;
	uint64_t next_ino;		/* under the VFS lock */
	uint64_t pages_used, max_pages;	/* atomic: writers hold only their inode's lock */
	uint64_t inodes_used, max_inodes;
};

static inline struct tmpfs_node *tmpfs_node_of(struct inode *inode)
{
	return container_of(inode, struct tmpfs_node, inode);
}

static inline struct tmpfs_sb *tmpfs_sb_of(struct super_block *sb)
{
	return container_of(sb, struct tmpfs_sb, sb);
}

/* True if @inode belongs to a tmpfs/ramfs instance. */
bool tmpfs_owns(const struct inode *inode);

/*
 * Read/write/free the data of one file. Page accounting goes through @fs
 * (ENOSPC beyond its size cap or when memory runs out).
 */
void tmpfs_data_read(const struct tmpfs_data *d, uint64_t off, void *buf, size_t len);
ssize_t tmpfs_data_write(struct tmpfs_data *d, struct tmpfs_sb *fs, uint64_t off,
			 const void *buf, size_t len);
/* The page at @idx (allocated zeroed if a hole) with a reference for the caller: 0, -ENOSPC, -ENOMEM. */
int tmpfs_data_get_page(struct tmpfs_data *d, struct tmpfs_sb *fs, uint64_t idx,
			struct page **out);
/* Allocate every page of [@first, @last] (fallocate): 0 or -ENOSPC (pages got so far stay). */
int tmpfs_data_alloc_range(struct tmpfs_data *d, struct tmpfs_sb *fs, uint64_t first,
			   uint64_t last);
bool tmpfs_data_present(const struct tmpfs_data *d, uint64_t idx);
/* Drop every page from byte @size on and zero the tail of the page holding @size. */
void tmpfs_data_truncate(struct tmpfs_data *d, struct tmpfs_sb *fs, uint64_t size);
/* Pages allocated (for st_blocks). */
uint64_t tmpfs_data_pages(const struct tmpfs_data *d);

/* Page budget of an instance: take one page (false when the cap is reached) / give back. */
bool tmpfs_charge_page(struct tmpfs_sb *fs);
void tmpfs_uncharge_pages(struct tmpfs_sb *fs, uint64_t n);

/*
 * A regular file with no name in directory @dir's instance (O_TMPFILE,
 * memfd): nlink 0, freed with its last reference. A new reference or
 * -ENOSPC.
 */
int tmpfs_create_unlinked(struct inode *dir, uint32_t mode, uint32_t uid, uint32_t gid,
			  struct inode **out);

#endif
