/*
 * The ext2 on-disk format (little-endian), as the ext2 documentation
 * describes it: superblock, group descriptor, inode and directory entry,
 * with every size and the offsets that matter asserted. Fields ext3/ext4
 * added that ext2 code must preserve or may read (large inodes' extra time
 * fields) are named; the rest is kept as opaque bytes.
 */
#ifndef KERNEL_FS_EXT2_DISK_H
#define KERNEL_FS_EXT2_DISK_H

#include <frame/types.h>

#define EXT2_SUPER_MAGIC 0xef53
#define EXT2_SUPER_OFFSET 1024	/* bytes from the start of the device */
#define EXT2_MIN_BLOCK_LOG 10	/* 1 KiB */
#define EXT2_MAX_BLOCK_LOG 12	/* 4 KiB: a block fits one page */

#define EXT2_GOOD_OLD_REV 0	/* fixed inode size and first inode */
#define EXT2_DYNAMIC_REV 1
#define EXT2_GOOD_OLD_INODE_SIZE 128
#define EXT2_GOOD_OLD_FIRST_INO 11

/* s_state */
#define EXT2_VALID_FS 0x0001	/* cleanly unmounted */
#define EXT2_ERROR_FS 0x0002

/* Reserved inode numbers. */
#define EXT2_BAD_INO 1
#define EXT2_ROOT_INO 2

/* s_feature_compat: nothing here changes how ext2 reads or writes. */
#define EXT2_FEATURE_COMPAT_DIR_PREALLOC 0x0001
#define EXT2_FEATURE_COMPAT_EXT_ATTR 0x0008
#define EXT2_FEATURE_COMPAT_RESIZE_INODE 0x0010
#define EXT2_FEATURE_COMPAT_DIR_INDEX 0x0020
/* s_feature_incompat: an unknown one refuses the mount. */
#define EXT2_FEATURE_INCOMPAT_COMPRESSION 0x0001
#define EXT2_FEATURE_INCOMPAT_FILETYPE 0x0002
#define EXT2_FEATURE_INCOMPAT_RECOVER 0x0004
#define EXT2_FEATURE_INCOMPAT_META_BG 0x0010
#define EXT2_FEATURE_INCOMPAT_EXTENTS 0x0040
/* s_feature_ro_compat: an unknown one allows only a read-only mount. */
#define EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER 0x0001
#define EXT2_FEATURE_RO_COMPAT_LARGE_FILE 0x0002
#define EXT2_FEATURE_RO_COMPAT_BTREE_DIR 0x0004

#define EXT2_INCOMPAT_SUPPORTED EXT2_FEATURE_INCOMPAT_FILETYPE
#define EXT2_RO_COMPAT_SUPPORTED                                             \
	(EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER | EXT2_FEATURE_RO_COMPAT_LARGE_FILE | \
	 EXT2_FEATURE_RO_COMPAT_BTREE_DIR)

/* i_flags that matter here. */
#define EXT2_INDEX_FL 0x00001000	/* hashed directory (its blocks also read linearly) */
#define EXT4_EXTENTS_FL 0x00080000	/* not block-mapped: refused */

struct ext2_super {
	uint32_t s_inodes_count;
	uint32_t s_blocks_count;
	uint32_t s_r_blocks_count;
	uint32_t s_free_blocks_count;
	uint32_t s_free_inodes_count;
	uint32_t s_first_data_block;
	uint32_t s_log_block_size;	/* block size = 1024 << this */
	uint32_t s_log_frag_size;
	uint32_t s_blocks_per_group;
	uint32_t s_frags_per_group;
	uint32_t s_inodes_per_group;
	uint32_t s_mtime;
	uint32_t s_wtime;
	uint16_t s_mnt_count;
	int16_t s_max_mnt_count;
	uint16_t s_magic;
	uint16_t s_state;
	uint16_t s_errors;
	uint16_t s_minor_rev_level;
	uint32_t s_lastcheck;
	uint32_t s_checkinterval;
	uint32_t s_creator_os;
	uint32_t s_rev_level;
	uint16_t s_def_resuid;
	uint16_t s_def_resgid;
	/* EXT2_DYNAMIC_REV */
	uint32_t s_first_ino;
	uint16_t s_inode_size;
	uint16_t s_block_group_nr;
	uint32_t s_feature_compat;
	uint32_t s_feature_incompat;
	uint32_t s_feature_ro_compat;
	uint8_t s_uuid[16];
	char s_volume_name[16];
	char s_last_mounted[64];
	uint32_t s_algorithm_usage_bitmap;
	uint8_t s_prealloc_blocks;
	uint8_t s_prealloc_dir_blocks;
	uint16_t s_reserved_gdt_blocks;	/* resize_inode: GDT growth room after each descriptor copy */
	uint8_t s_journal_uuid[16];
	uint32_t s_journal_inum;
	uint32_t s_journal_dev;
	uint32_t s_last_orphan;
	uint32_t s_hash_seed[4];
	uint8_t s_def_hash_version;
	uint8_t s_jnl_backup_type;
	uint16_t s_desc_size;
	uint32_t s_default_mount_opts;
	uint32_t s_first_meta_bg;
	uint32_t s_mkfs_time;
	uint8_t s_rest[1024 - 268];
};
_Static_assert(sizeof(struct ext2_super) == 1024, "the superblock is 1 KiB");
_Static_assert(offsetof(struct ext2_super, s_magic) == 56, "s_magic at 56");
_Static_assert(offsetof(struct ext2_super, s_rev_level) == 76, "s_rev_level at 76");
_Static_assert(offsetof(struct ext2_super, s_first_ino) == 84, "s_first_ino at 84");
_Static_assert(offsetof(struct ext2_super, s_feature_compat) == 92, "features at 92");
_Static_assert(offsetof(struct ext2_super, s_uuid) == 104, "s_uuid at 104");
_Static_assert(offsetof(struct ext2_super, s_reserved_gdt_blocks) == 206, "reserved GDT at 206");
_Static_assert(offsetof(struct ext2_super, s_last_orphan) == 232, "s_last_orphan at 232");
_Static_assert(offsetof(struct ext2_super, s_first_meta_bg) == 260, "s_first_meta_bg at 260");

struct ext2_group_desc {
	uint32_t bg_block_bitmap;
	uint32_t bg_inode_bitmap;
	uint32_t bg_inode_table;
	uint16_t bg_free_blocks_count;
	uint16_t bg_free_inodes_count;
	uint16_t bg_used_dirs_count;
	uint16_t bg_flags;
	uint32_t bg_reserved[3];
};
_Static_assert(sizeof(struct ext2_group_desc) == 32, "a group descriptor is 32 bytes");
_Static_assert(offsetof(struct ext2_group_desc, bg_free_blocks_count) == 12, "counts at 12");

#define EXT2_NDIR_BLOCKS 12
#define EXT2_IND_BLOCK 12
#define EXT2_DIND_BLOCK 13
#define EXT2_TIND_BLOCK 14
#define EXT2_N_BLOCKS 15

struct ext2_inode {
	uint16_t i_mode;
	uint16_t i_uid;
	uint32_t i_size;
	uint32_t i_atime;
	uint32_t i_ctime;
	uint32_t i_mtime;
	uint32_t i_dtime;
	uint16_t i_gid;
	uint16_t i_links_count;
	uint32_t i_blocks;	/* 512-byte units, indirect blocks included */
	uint32_t i_flags;
	uint32_t i_osd1;
	uint32_t i_block[EXT2_N_BLOCKS];
	uint32_t i_generation;
	uint32_t i_file_acl;
	uint32_t i_size_high;	/* i_dir_acl for directories */
	uint32_t i_faddr;
	uint8_t i_frag;
	uint8_t i_fsize;
	uint16_t i_blocks_hi;
	uint16_t i_uid_high;
	uint16_t i_gid_high;
	uint32_t i_reserved2;
};
_Static_assert(sizeof(struct ext2_inode) == EXT2_GOOD_OLD_INODE_SIZE, "the old inode is 128 bytes");
_Static_assert(offsetof(struct ext2_inode, i_block) == 40, "i_block at 40");
_Static_assert(offsetof(struct ext2_inode, i_size_high) == 108, "i_size_high at 108");
_Static_assert(offsetof(struct ext2_inode, i_uid_high) == 120, "i_uid_high at 120");

/* Large inodes (s_inode_size > 128): the fields after the old inode. */
struct ext2_inode_extra {
	uint16_t i_extra_isize;	/* bytes of this part in use */
	uint16_t i_checksum_hi;
	uint32_t i_ctime_extra;	/* nanoseconds << 2 | epoch bits */
	uint32_t i_mtime_extra;
	uint32_t i_atime_extra;
	uint32_t i_crtime;
	uint32_t i_crtime_extra;
};
_Static_assert(sizeof(struct ext2_inode_extra) == 24, "the extra times end at 152");
/* An extra (32-bit) field is there when i_extra_isize reaches its end. */
#define EXT2_EXTRA_END(field) (offsetof(struct ext2_inode_extra, field) + sizeof(uint32_t))

/* A directory entry's fixed part; the name follows, the record padded to 4 bytes. */
struct ext2_dirent {
	uint32_t inode;		/* 0: an unused record */
	uint16_t rec_len;
	uint8_t name_len;
	uint8_t file_type;	/* with the filetype feature; else unused (0) */
};
_Static_assert(sizeof(struct ext2_dirent) == 8, "a directory entry header is 8 bytes");
#define EXT2_DIRENT_LEN(name_len) (((uint32_t)(name_len) + 8 + 3) & ~3u)

/* file_type values */
#define EXT2_FT_UNKNOWN 0
#define EXT2_FT_REG_FILE 1
#define EXT2_FT_DIR 2
#define EXT2_FT_CHRDEV 3
#define EXT2_FT_BLKDEV 4
#define EXT2_FT_FIFO 5
#define EXT2_FT_SOCK 6
#define EXT2_FT_SYMLINK 7

#endif
