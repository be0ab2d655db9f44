/* ext2 instances: mounting a block device (superblock and descriptor checks, features), statfs, sync and unmount. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/log.h>
#include <frame/string.h>
#include <kernel/fs.h>

#include "ext2.h"

/* mount(2)'s MS_RDONLY. */
#define MS_RDONLY 1ul
/* ext4's s_overhead_clusters (a byte offset in the superblock); when set, statfs uses it. */
#define EXT4_OVERHEAD_OFFSET 0x248

static const struct super_ops ext2_super_ops;

void ext2_warn(struct ext2_fs *fs, const char *what, uint64_t number)
{
	pr_warn("EXT2-fs (%s): error: %s %llu\n", fs->bdev->name, what, (unsigned long long)number);
}

/* Does group @g hold a copy of the superblock and descriptors (sparse_super: 0, 1, powers of 3, 5, 7)? */
static bool group_has_super(const struct ext2_fs *fs, uint32_t g)
{
	if (!(fs->s.s_feature_ro_compat & EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER) || g <= 1)
		return true;
	if (!(g & 1))
		return false;
	for (uint32_t base = 3; base <= 7; base += 2) {
		uint32_t p = base;
		while (p < g)
			p *= base;
		if (p == g)
			return true;
	}
	return false;
}

static int read_super(struct block_device *bdev, struct ext2_super *s, uint32_t *overhead)
{
	struct buf b;
	int err = bread(bdev, 1, 1024, &b);	/* bytes 1024..2047 */
	if (err)
		return err == -EINVAL ? -EINVAL : -EIO;
	err = buf_read(&b, 0, s, sizeof(*s));
	if (!err)
		err = buf_read(&b, EXT4_OVERHEAD_OFFSET, overhead, sizeof(*overhead));
	brelse(&b);
	return err;
}

/* The superblock's geometry, checked as Linux checks it before trusting any of it. */
static int check_geometry(struct ext2_fs *fs, bool read_only)
{
	const struct ext2_super *s = &fs->s;
	const char *name = fs->bdev->name;
	if (s->s_magic != EXT2_SUPER_MAGIC) {
		pr_warn("EXT2-fs (%s): error: can't find an ext2 filesystem\n", name);
		return -EINVAL;
	}
	if (s->s_rev_level > EXT2_DYNAMIC_REV) {
		pr_warn("EXT2-fs (%s): error: revision level %u too high\n", name, s->s_rev_level);
		return -EINVAL;
	}
	if (s->s_rev_level == EXT2_GOOD_OLD_REV &&
	    (s->s_feature_compat || s->s_feature_incompat || s->s_feature_ro_compat))
		pr_warn("EXT2-fs (%s): warning: feature flags set on rev 0 fs\n", name);
	uint32_t incompat = s->s_rev_level ? s->s_feature_incompat : 0;
	uint32_t ro_compat = s->s_rev_level ? s->s_feature_ro_compat : 0;
	if (incompat & ~(uint32_t)EXT2_INCOMPAT_SUPPORTED) {
		pr_warn("EXT2-fs (%s): error: couldn't mount because of unsupported optional features (%x)\n",
			name, incompat & ~(uint32_t)EXT2_INCOMPAT_SUPPORTED);
		return -EINVAL;
	}
	if (!read_only && (ro_compat & ~(uint32_t)EXT2_RO_COMPAT_SUPPORTED)) {
		pr_warn("EXT2-fs (%s): error: couldn't mount RDWR because of unsupported optional features (%x)\n",
			name, ro_compat & ~(uint32_t)EXT2_RO_COMPAT_SUPPORTED);
		return -EINVAL;
	}
	if (s->s_log_block_size > EXT2_MAX_BLOCK_LOG - EXT2_MIN_BLOCK_LOG) {
		pr_warn("EXT2-fs (%s): error: unsupported blocksize (log %u)\n", name,
			s->s_log_block_size);
		return -EINVAL;
	}
	fs->block_log = EXT2_MIN_BLOCK_LOG + s->s_log_block_size;
	fs->block_size = 1u << fs->block_log;
	fs->ptrs_per_block = fs->block_size / 4;
	fs->desc_per_block = fs->block_size / sizeof(struct ext2_group_desc);
	if (s->s_rev_level == EXT2_GOOD_OLD_REV) {
		fs->inode_size = EXT2_GOOD_OLD_INODE_SIZE;
		fs->first_ino = EXT2_GOOD_OLD_FIRST_INO;
	} else {
		fs->inode_size = s->s_inode_size;
		fs->first_ino = s->s_first_ino;
		if (fs->inode_size < EXT2_GOOD_OLD_INODE_SIZE || fs->inode_size > fs->block_size ||
		    (fs->inode_size & (fs->inode_size - 1))) {
			pr_warn("EXT2-fs (%s): error: unsupported inode size: %u\n", name,
				fs->inode_size);
			return -EINVAL;
		}
	}
	fs->blocks_per_group = s->s_blocks_per_group;
	fs->inodes_per_group = s->s_inodes_per_group;
	if (fs->blocks_per_group == 0 || fs->blocks_per_group > fs->block_size * 8 ||
	    fs->inodes_per_group == 0 || fs->inodes_per_group > fs->block_size * 8 ||
	    s->s_log_frag_size != s->s_log_block_size) {
		pr_warn("EXT2-fs (%s): error: bad group geometry\n", name);
		return -EINVAL;
	}
	fs->inodes_per_block = fs->block_size / fs->inode_size;
	fs->itable_blocks = (fs->inodes_per_group + fs->inodes_per_block - 1) / fs->inodes_per_block;
	if (s->s_first_data_block >= s->s_blocks_count ||
	    s->s_first_data_block != (fs->block_size == 1024 ? 1u : 0u)) {
		pr_warn("EXT2-fs (%s): error: bad first data block %u\n", name, s->s_first_data_block);
		return -EINVAL;
	}
	uint64_t dev_blocks = bdev_size(fs->bdev) >> fs->block_log;
	if (s->s_blocks_count > dev_blocks) {
		pr_warn("EXT2-fs (%s): error: bad geometry: block count %u exceeds size of device (%llu blocks)\n",
			name, s->s_blocks_count, (unsigned long long)dev_blocks);
		return -EINVAL;
	}
	fs->groups = (s->s_blocks_count - s->s_first_data_block + fs->blocks_per_group - 1) /
		     fs->blocks_per_group;
	if ((uint64_t)fs->groups * fs->inodes_per_group != s->s_inodes_count ||
	    fs->first_ino < EXT2_GOOD_OLD_FIRST_INO || fs->first_ino > s->s_inodes_count) {
		pr_warn("EXT2-fs (%s): error: inodes count %u does not fit %u groups of %u\n", name,
			s->s_inodes_count, fs->groups, fs->inodes_per_group);
		return -EINVAL;
	}
	fs->gdt_blocks = (fs->groups + fs->desc_per_block - 1) / fs->desc_per_block;
	fs->filetype = incompat & EXT2_FEATURE_INCOMPAT_FILETYPE;
	fs->large_file = ro_compat & EXT2_FEATURE_RO_COMPAT_LARGE_FILE;
	return 0;
}

/* First and last block of group @g. */
static void group_range(const struct ext2_fs *fs, uint32_t g, uint32_t *first, uint32_t *last)
{
	*first = fs->s.s_first_data_block + g * fs->blocks_per_group;
	uint64_t end = (uint64_t)*first + fs->blocks_per_group;
	*last = (uint32_t)(MIN(end, (uint64_t)fs->s.s_blocks_count) - 1);
}

/* Read every group descriptor and check its bitmaps and table lie in its group (ext2_check_descriptors). */
static int read_descriptors(struct ext2_fs *fs)
{
	fs->gd = kzalloc((size_t)fs->gdt_blocks * fs->block_size);
	if (!fs->gd)
		return -ENOMEM;
	for (uint32_t i = 0; i < fs->gdt_blocks; i++) {
		struct buf b;
		int err = bread(fs->bdev, fs->s.s_first_data_block + 1 + i, fs->block_size, &b);
		if (err)
			return -EIO;
		err = buf_read(&b, 0, (uint8_t *)fs->gd + (size_t)i * fs->block_size, fs->block_size);
		brelse(&b);
		if (err)
			return -EIO;
	}
	for (uint32_t g = 0; g < fs->groups; g++) {
		const struct ext2_group_desc *d = &fs->gd[g];
		uint32_t first, last;
		group_range(fs, g, &first, &last);
		if (d->bg_block_bitmap < first || d->bg_block_bitmap > last ||
		    d->bg_inode_bitmap < first || d->bg_inode_bitmap > last ||
		    d->bg_inode_table < first ||
		    (uint64_t)d->bg_inode_table + fs->itable_blocks - 1 > last ||
		    d->bg_free_blocks_count > fs->blocks_per_group ||
		    d->bg_free_inodes_count > fs->inodes_per_group) {
			pr_warn("EXT2-fs (%s): error: ext2_check_descriptors: group descriptor %u corrupted\n",
				fs->bdev->name, g);
			return -EINVAL;
		}
	}
	return 0;
}

/* Largest file the block map (and the 32-bit count of 512-byte sectors in i_blocks) can hold. */
static uint64_t max_file_size(const struct ext2_fs *fs)
{
	uint64_t p = fs->ptrs_per_block;
	uint64_t blocks = EXT2_NDIR_BLOCKS + p + p * p + p * p * p;
	uint64_t bytes = blocks << fs->block_log;
	/* i_blocks counts data and indirect blocks in sectors: keep under 2^32 of them. */
	uint64_t sectors_per_block = fs->block_size / SECTOR_SIZE;
	uint64_t meta = 1 + 1 + p + 1 + p + p * p;
	uint64_t cap = ((1ull << 32) - 1) / sectors_per_block;
	if (blocks + meta > cap)
		bytes = (cap - meta) << fs->block_log;
	return fs->large_file || fs->s.s_rev_level ? bytes : MIN(bytes, (1ull << 31) - 1);
}

static int write_super(struct ext2_fs *fs)
{
	struct buf b;
	int err = bread(fs->bdev, 1, 1024, &b);
	if (err)
		return err;
	err = buf_write(&b, 0, &fs->s, offsetof(struct ext2_super, s_rest));
	brelse(&b);
	return err;
}

static void fs_free(struct ext2_fs *fs)
{
	ext2_icache_destroy(fs);
	kfree(fs->gd);
	fs->bdev->mounted = false;
	kfree(fs);
}

static int ext2_mount_dev(const struct fs_type *type, uint64_t rdev, unsigned long flags,
			  const char *data, struct super_block **out)
{
	(void)type;
	(void)data;
	struct block_device *bdev;
	int err = bdev_from_rdev(rdev, &bdev);
	if (err)
		return err;
	bool read_only = flags & MS_RDONLY;
	if (!read_only && bdev_read_only(bdev))
		return -EACCES;
	if (bdev->mounted)
		return -EBUSY;
	struct ext2_fs *fs = kzalloc(sizeof(*fs));
	if (!fs)
		return -ENOMEM;
	fs->bdev = bdev;
	bdev->mounted = true;
	mutex_init(&fs->meta, "ext2 meta");
	err = read_super(bdev, &fs->s, &fs->overhead);
	if (!err)
		err = check_geometry(fs, read_only);
	if (!err)
		err = read_descriptors(fs);
	if (err) {
		fs_free(fs);
		return err;
	}
	fs->read_only = read_only;
	struct super_block *sb = &fs->sb;
	sb->ops = &ext2_super_ops;
	sb->type = type;
	sb->dev = bdev_dev(bdev);
	sb->magic = EXT2_SUPER_MAGIC;
	sb->max_file_size = max_file_size(fs);
	sb->blksize = fs->block_size;
	sb->read_only = fs->read_only;
	sb->fs_private = fs;
	struct inode *root;
	err = ext2_iget(fs, EXT2_ROOT_INO, &root);
	if (!err && !S_ISDIR(root->mode)) {
		pr_warn("EXT2-fs (%s): error: corrupt root inode, run e2fsck\n", bdev->name);
		inode_put(root);
		err = -EUCLEAN;
	}
	if (err) {
		fs_free(fs);
		return err == -ENOMEM ? err : -EUCLEAN;
	}
	sb->root = root;
	fs->was_valid = fs->s.s_state & EXT2_VALID_FS;
	if (!fs->was_valid)
		pr_warn("EXT2-fs (%s): warning: mounting unchecked fs, running e2fsck is recommended\n",
			bdev->name);
	if (!read_only) {
		/* Until a clean unmount the disk says "not clean": a crash leaves e2fsck a hint. */
		fs->s.s_state &= (uint16_t)~EXT2_VALID_FS;
		fs->s.s_mnt_count++;
		fs->s.s_mtime = (uint32_t)fs_now().sec;
		if (!fs->s.s_max_mnt_count)
			fs->s.s_max_mnt_count = -1;
		err = write_super(fs);
		if (!err)
			err = bdev_sync(bdev);
		if (err) {
			inode_put(root);
			fs_free(fs);
			return -EIO;
		}
	}
	*out = sb;
	return 0;
}

static int ext2_statfs(struct super_block *sb, struct statfs *out)
{
	struct ext2_fs *fs = ext2_fs_of(sb);
	memset(out, 0, sizeof(*out));
	/*
	 * Metadata is not counted in f_blocks: the superblock copies with their
	 * descriptors and reserved descriptor room, bitmaps and inode tables.
	 */
	uint64_t overhead = fs->s.s_first_data_block;
	uint32_t rgdt = fs->s.s_rev_level ? fs->s.s_reserved_gdt_blocks : 0;
	for (uint32_t g = 0; g < fs->groups; g++)
		overhead += (group_has_super(fs, g) ? 1 + fs->gdt_blocks + rgdt : 0) + 2 +
			    fs->itable_blocks;
	if (fs->overhead)
		overhead = fs->overhead;	/* what mke2fs recorded wins, as in Linux */
	uint64_t bfree = 0, ifree = 0;
	mutex_lock(&fs->meta);
	for (uint32_t g = 0; g < fs->groups; g++) {
		bfree += fs->gd[g].bg_free_blocks_count;
		ifree += fs->gd[g].bg_free_inodes_count;
	}
	mutex_unlock(&fs->meta);
	out->f_type = EXT2_SUPER_MAGIC;
	out->f_bsize = out->f_frsize = fs->block_size;
	out->f_blocks = fs->s.s_blocks_count - overhead;
	out->f_bfree = bfree;
	out->f_bavail = bfree > fs->s.s_r_blocks_count ? bfree - fs->s.s_r_blocks_count : 0;
	out->f_files = fs->s.s_inodes_count;
	out->f_ffree = ifree;
	out->f_namelen = NAME_MAX;
	uint64_t lo, hi;
	memcpy(&lo, fs->s.s_uuid, 8);
	memcpy(&hi, fs->s.s_uuid + 8, 8);
	uint64_t fsid = lo ^ hi;
	out->f_fsid.val[0] = (int32_t)(uint32_t)fsid;
	out->f_fsid.val[1] = (int32_t)(uint32_t)(fsid >> 32);
	return 0;
}

/* Files' pages, then the inodes, the superblock, and the device's cache with a disk flush. */
static int sync_all(struct ext2_fs *fs)
{
	int err = ext2_sync_files(fs);
	int err2 = ext2_write_all_inodes(fs);
	fs->s.s_wtime = (uint32_t)fs_now().sec;
	int err3 = write_super(fs);
	int err4 = bdev_sync(fs->bdev);
	return err ? err : err2 ? err2 : err3 ? err3 : err4;
}

static int ext2_sync_fs(struct super_block *sb)
{
	struct ext2_fs *fs = ext2_fs_of(sb);
	return fs->read_only ? 0 : sync_all(fs);
}

static void ext2_kill(struct super_block *sb)
{
	struct ext2_fs *fs = ext2_fs_of(sb);
	if (!fs->read_only) {
		int err = sync_all(fs);
		/* Clean again, unless it was not clean when mounted or writing failed. */
		if (!err && fs->was_valid) {
			fs->s.s_state |= EXT2_VALID_FS;
			err = write_super(fs);
			if (!err)
				err = bdev_sync(fs->bdev);
		}
		if (err)
			pr_warn("EXT2-fs (%s): error: writing back at unmount failed\n", fs->bdev->name);
	}
	/* Nothing of this instance may linger in the device's cache for the next mount to see stale. */
	bdev_invalidate(fs->bdev);
	fs_free(fs);
}

static const struct super_ops ext2_super_ops = {
	.evict = ext2_evict_inode,
	.statfs = ext2_statfs,
	.kill = ext2_kill,
	.sync_fs = ext2_sync_fs,
};

static const struct fs_type ext2_type = {
	.name = "ext2",
	.mount_dev = ext2_mount_dev,
};

int ext2_register(void)
{
	return vfs_register_fs(&ext2_type);
}
