/*
 * ext2's in-memory state shared by its files: the mounted instance (its
 * geometry, group descriptors and inode cache) and the in-memory inode.
 *
 * Locking: directory contents and the namespace change under the VFS
 * mutex; a file's size under its inode's data_lock, its block map under
 * its map_lock too (write-back maps pages without the data_lock); the
 * bitmaps, group descriptors, superblock counts, inode records and the
 * inode cache under the instance's meta lock (order: VFS mutex,
 * data_lock, map_lock, meta).
 * Metadata blocks live in the device's page cache (bread/buf_write), file
 * data in each file's own page cache, read and written straight between
 * its pages and the disk.
 */
#ifndef KERNEL_FS_EXT2_H
#define KERNEL_FS_EXT2_H

#include <frame/mutex.h>
#include <kernel/block.h>
#include <kernel/vfs.h>

#include "ext2_disk.h"

#define EXT2_ICACHE_BUCKETS 256

struct ext2_inode_info {
	struct inode vfs;
	struct ext2_inode_info *hash_next;	/* the instance's inode cache */
	struct mutex map_lock;			/* i_block and the indirect blocks (write-back reads them) */
	uint32_t i_block[EXT2_N_BLOCKS];
	uint32_t i_flags;
	uint32_t i_dtime;
	uint32_t i_file_acl;
	uint32_t group;		/* where it lives, for allocation near it */
	bool fast_symlink;
	bool gone;		/* freed on disk (evicted) */
};

struct ext2_fs {
	struct super_block sb;
	struct block_device *bdev;
	struct ext2_super s;		/* the superblock, kept in memory, written at sync */
	bool read_only;
	bool was_valid;			/* cleanly unmounted when mounted: unmounting marks it clean again */
	uint32_t block_size, block_log;	/* bytes and log2 */
	uint32_t ptrs_per_block;	/* block numbers in an indirect block */
	uint32_t groups;
	uint32_t blocks_per_group, inodes_per_group;
	uint32_t inode_size, first_ino;
	uint32_t inodes_per_block;
	uint32_t itable_blocks;		/* inode table blocks per group */
	uint32_t gdt_blocks;		/* blocks of group descriptors */
	uint32_t desc_per_block;
	uint32_t overhead;		/* ext4's s_overhead_clusters, when mke2fs recorded it */
	bool filetype;			/* directory entries carry a file type */
	bool large_file;
	struct ext2_group_desc *gd;	/* every group's descriptor, in memory */
	struct mutex meta;
	struct ext2_inode_info *icache[EXT2_ICACHE_BUCKETS];
};

static inline struct ext2_fs *ext2_fs_of(struct super_block *sb)
{
	return container_of(sb, struct ext2_fs, sb);
}

static inline struct ext2_inode_info *ext2_i(struct inode *inode)
{
	return container_of(inode, struct ext2_inode_info, vfs);
}

/* A console line naming the file system and what was wrong with it (corruption, I/O). */
void ext2_warn(struct ext2_fs *fs, const char *what, uint64_t number);

/* Is @block a block number inside the file system's data area? */
static inline bool ext2_block_valid(const struct ext2_fs *fs, uint32_t block)
{
	return block >= fs->s.s_first_data_block && block < fs->s.s_blocks_count;
}

/* ---- inodes (inode.c) ---- */

extern const struct inode_ops ext2_file_ops, ext2_dir_ops, ext2_symlink_ops, ext2_special_ops;

/* Inode @ino with a new reference, read from the disk if not cached: 0, -EUCLEAN (bad or deleted), -EIO. */
int ext2_iget(struct ext2_fs *fs, uint32_t ino, struct inode **out);
/* Write @ei's fields into its inode table block (the device's cache): 0 or -EIO. */
int ext2_write_inode(struct ext2_fs *fs, struct ext2_inode_info *ei);
/*
 * A new inode of @mode (type included) near directory @dir's group, owned
 * by @uid/@gid, its record cleared on disk and cached: a reference, or
 * -ENOSPC/-EIO.
 */
int ext2_new_inode(struct ext2_fs *fs, struct inode *dir, uint32_t mode, uint32_t uid,
		   uint32_t gid, struct inode **out);
/* The last reference to an unlinked inode went: free its blocks and its number. */
void ext2_evict_inode(struct inode *inode);
/* Free every cached inode at unmount. */
void ext2_icache_destroy(struct ext2_fs *fs);
/* Write every cached inode (sync): the first error. */
int ext2_write_all_inodes(struct ext2_fs *fs);

/*
 * The disk block holding logical block @lblock of @ei (0: a hole). With
 * @create, a hole gets a new block (zeroed on disk if @zero; *@fresh says
 * it is new), indirect blocks as needed. 0, -EIO/-EUCLEAN (a block number
 * out of range), -ENOSPC, -EFBIG (beyond the triple indirect block).
 */
int ext2_bmap(struct ext2_fs *fs, struct ext2_inode_info *ei, uint64_t lblock, bool create,
	      uint32_t *out, bool *fresh);
/* Free every block of @ei from logical block @from on (truncate): 0 or -EIO. */
int ext2_free_blocks_from(struct ext2_fs *fs, struct ext2_inode_info *ei, uint64_t from);

/* ---- allocation (balloc.c) ---- */

/* A free block, preferably in group @goal_group: marked used, counts updated. -ENOSPC. */
int ext2_alloc_block(struct ext2_fs *fs, uint32_t goal_group, uint32_t *out);
void ext2_free_block(struct ext2_fs *fs, uint32_t block);
/* A free inode (Orlov-free: the parent's group first, directories spread). -ENOSPC. */
int ext2_alloc_inode(struct ext2_fs *fs, uint32_t parent_group, bool dir, uint32_t *out);
void ext2_free_inode(struct ext2_fs *fs, uint32_t ino, bool dir);

/* ---- directories (dir.c) ---- */

int ext2_lookup(struct inode *dir, const char *name, size_t len, struct inode **out);
int ext2_iterate(struct inode *dir, uint64_t *pos, struct dir_emit *emit);
/* Add entry @name -> @ino (of @mode's type) to @dir: 0, -ENOSPC, -EIO. */
int ext2_add_entry(struct inode *dir, const char *name, size_t len, uint32_t ino, uint32_t mode);
/* Remove entry @name from @dir: 0, -ENOENT. */
int ext2_remove_entry(struct inode *dir, const char *name, size_t len);
/* Point existing entry @name of @dir at @ino (rename over, "..": ino of a new parent). */
int ext2_set_entry(struct inode *dir, const char *name, size_t len, uint32_t ino, uint32_t mode);
/* The inode number entry @name of @dir names: 0 or -ENOENT/-EUCLEAN. */
int ext2_find_ino(struct inode *dir, const char *name, size_t len, uint32_t *ino);
/* Is directory @dir empty (only "." and "..")? 0 yes, -ENOTEMPTY, -EIO. */
int ext2_dir_empty(struct inode *dir);
/* Write a new directory's first block ("." and ".."): 0 or an error. */
int ext2_dir_init(struct inode *dir, uint32_t parent_ino);

/* ---- names (namei.c): the inode_ops of directories ---- */

int ext2_create(struct inode *dir, const char *name, size_t len, uint32_t mode, uint32_t uid,
		uint32_t gid, uint64_t rdev, const char *target, struct inode **out);
int ext2_link(struct inode *dir, const char *name, size_t len, struct inode *inode);
int ext2_tmpfile(struct inode *dir, uint32_t mode, uint32_t uid, uint32_t gid, struct inode **out);
int ext2_unlink(struct inode *dir, const char *name, size_t len, struct inode *inode);
int ext2_rename(struct inode *odir, const char *oname, size_t olen, struct inode *ndir,
		const char *nname, size_t nlen, bool exchange);

/* ---- files (file.c) ---- */

/* Give a regular file its page cache (at iget and create): 0 or -ENOMEM. */
int ext2_file_init(struct inode *inode);
/* Write back every file's dirty pages (sync, unmount): the first error. */
int ext2_sync_files(struct ext2_fs *fs);

#endif
