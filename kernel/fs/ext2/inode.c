/* ext2 inodes: the inode cache, reading and writing inode table records, and the block map (direct, indirect, double and triple). */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/string.h>
#include <kernel/page_cache.h>

#include "ext2.h"

static unsigned bucket_of(uint32_t ino)
{
	return (ino * 2654435761u) >> 24 & (EXT2_ICACHE_BUCKETS - 1);
}

/* Where inode @ino's record lives: block and byte offset in it. */
static int inode_location(struct ext2_fs *fs, uint32_t ino, uint32_t *block, uint32_t *off)
{
	if (ino == 0 || ino > fs->s.s_inodes_count)
		return -EUCLEAN;
	uint32_t g = (ino - 1) / fs->inodes_per_group;
	uint32_t index = (ino - 1) % fs->inodes_per_group;
	*block = fs->gd[g].bg_inode_table + index / fs->inodes_per_block;
	*off = (index % fs->inodes_per_block) * fs->inode_size;
	return 0;
}

/* The old inode and (for large inodes) the extra fields of @ino's record. */
static int read_raw(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *raw,
		    struct ext2_inode_extra *extra)
{
	uint32_t block, off;
	int err = inode_location(fs, ino, &block, &off);
	if (err)
		return err;
	struct buf b;
	if (bread(fs->bdev, block, fs->block_size, &b))
		return -EIO;
	err = buf_read(&b, off, raw, sizeof(*raw));
	memset(extra, 0, sizeof(*extra));
	if (!err && fs->inode_size >= EXT2_GOOD_OLD_INODE_SIZE + sizeof(*extra))
		err = buf_read(&b, off + EXT2_GOOD_OLD_INODE_SIZE, extra, sizeof(*extra));
	brelse(&b);
	if (extra->i_extra_isize > fs->inode_size - EXT2_GOOD_OLD_INODE_SIZE)
		extra->i_extra_isize = 0;
	return err ? -EIO : 0;
}

/* A time from its 32-bit seconds and, if the extra part holds it, the extra word (epoch bits, nanoseconds). */
static struct fs_time decode_time(uint32_t sec, const struct ext2_inode_extra *extra, size_t end,
				  uint32_t xtime)
{
	struct fs_time t = { (int32_t)sec, 0 };
	if (extra->i_extra_isize >= end) {
		t.sec += (int64_t)(xtime & 3) << 32;
		t.nsec = xtime >> 2;
		if (t.nsec >= 1000000000u)
			t.nsec = 0;
	}
	return t;
}

static uint32_t encode_xtime(struct fs_time t)
{
	return (uint32_t)(((t.sec - (int32_t)t.sec) >> 32) & 3) | (t.nsec << 2);
}

static const struct inode_ops *ops_for(uint32_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: return &ext2_file_ops;
	case S_IFDIR: return &ext2_dir_ops;
	case S_IFLNK: return &ext2_symlink_ops;
	default: return &ext2_special_ops;
	}
}

static int fill_inode(struct ext2_fs *fs, struct ext2_inode_info *ei, uint32_t ino,
		      const struct ext2_inode *raw, const struct ext2_inode_extra *extra)
{
	struct inode *inode = &ei->vfs;
	uint32_t mode = raw->i_mode;
	if (raw->i_links_count == 0 && (mode == 0 || raw->i_dtime)) {
		ext2_warn(fs, "deleted inode referenced:", ino);
		return -EUCLEAN;
	}
	switch (mode & S_IFMT) {
	case S_IFREG: case S_IFDIR: case S_IFLNK: case S_IFCHR: case S_IFBLK: case S_IFIFO:
	case S_IFSOCK:
		break;
	default:
		ext2_warn(fs, "bad file type of inode", ino);
		return -EUCLEAN;
	}
	if (raw->i_flags & EXT4_EXTENTS_FL) {
		ext2_warn(fs, "extent-mapped inode on an ext2 file system:", ino);
		return -EUCLEAN;
	}
	inode_init(inode, &fs->sb, mode);
	mutex_init(&ei->map_lock, "ext2 block map");
	inode->ino = ino;
	inode->ops = ops_for(mode);
	inode->nlink = raw->i_links_count;
	inode->uid = raw->i_uid | (uint32_t)raw->i_uid_high << 16;
	inode->gid = raw->i_gid | (uint32_t)raw->i_gid_high << 16;
	inode->size = raw->i_size;
	if (S_ISREG(mode))
		inode->size |= (uint64_t)raw->i_size_high << 32;
	inode->blocks = raw->i_blocks;
	inode->atime = decode_time(raw->i_atime, extra, EXT2_EXTRA_END(i_atime_extra),
				   extra->i_atime_extra);
	inode->mtime = decode_time(raw->i_mtime, extra, EXT2_EXTRA_END(i_mtime_extra),
				   extra->i_mtime_extra);
	inode->ctime = decode_time(raw->i_ctime, extra, EXT2_EXTRA_END(i_ctime_extra),
				   extra->i_ctime_extra);
	inode->btime = extra->i_extra_isize >= EXT2_EXTRA_END(i_crtime)
		? decode_time(extra->i_crtime, extra, EXT2_EXTRA_END(i_crtime_extra),
			      extra->i_crtime_extra)
		: inode->ctime;
	memcpy(ei->i_block, raw->i_block, sizeof(ei->i_block));
	ei->i_flags = raw->i_flags;
	ei->i_dtime = raw->i_dtime;
	ei->i_file_acl = raw->i_file_acl;
	ei->group = (ino - 1) / fs->inodes_per_group;
	if (S_ISCHR(mode) || S_ISBLK(mode)) {
		uint32_t old = raw->i_block[0], new = raw->i_block[1];
		inode->rdev = old ? dev_encode((old >> 8) & 0xff, old & 0xff)
				  : dev_encode((new & 0xfff00) >> 8, (new & 0xff) | ((new >> 12) & 0xfff00));
	}
	if (S_ISLNK(mode)) {
		uint32_t acl_sectors = ei->i_file_acl ? fs->block_size / SECTOR_SIZE : 0;
		ei->fast_symlink = raw->i_blocks == acl_sectors;
		if ((ei->fast_symlink && inode->size >= sizeof(ei->i_block)) ||
		    (!ei->fast_symlink && inode->size >= fs->block_size) || inode->size == 0) {
			ext2_warn(fs, "bad symlink length in inode", ino);
			return -EUCLEAN;
		}
	}
	if (S_ISREG(mode))
		return ext2_file_init(inode);
	return 0;
}

int ext2_iget(struct ext2_fs *fs, uint32_t ino, struct inode **out)
{
	if (ino == 0 || ino > fs->s.s_inodes_count || (ino < fs->first_ino && ino != EXT2_ROOT_INO)) {
		ext2_warn(fs, "bad inode number", ino);
		return -EUCLEAN;
	}
	mutex_lock(&fs->meta);
	for (struct ext2_inode_info *ei = fs->icache[bucket_of(ino)]; ei; ei = ei->hash_next) {
		if (ei->vfs.ino == ino && !ei->gone) {
			inode_get(&ei->vfs);
			mutex_unlock(&fs->meta);
			*out = &ei->vfs;
			return 0;
		}
	}
	mutex_unlock(&fs->meta);
	struct ext2_inode raw;
	struct ext2_inode_extra extra;
	int err = read_raw(fs, ino, &raw, &extra);
	if (err)
		return err;
	struct ext2_inode_info *ei = kzalloc(sizeof(*ei));
	if (!ei)
		return -ENOMEM;
	err = fill_inode(fs, ei, ino, &raw, &extra);
	if (err) {
		if (ei->vfs.cache)
			page_cache_destroy(ei->vfs.cache);
		kfree(ei);
		return err;
	}
	/* Callers hold the VFS lock or the inode's parent, so nobody raced us to it; check anyway. */
	mutex_lock(&fs->meta);
	unsigned bkt = bucket_of(ino);
	for (struct ext2_inode_info *o = fs->icache[bkt]; o; o = o->hash_next) {
		if (o->vfs.ino == ino && !o->gone) {
			inode_get(&o->vfs);
			mutex_unlock(&fs->meta);
			if (ei->vfs.cache)
				page_cache_destroy(ei->vfs.cache);
			kfree(ei);
			*out = &o->vfs;
			return 0;
		}
	}
	ei->hash_next = fs->icache[bkt];
	fs->icache[bkt] = ei;
	mutex_unlock(&fs->meta);
	*out = &ei->vfs;
	return 0;
}

/* Under the meta lock: records sharing a table block are written one at a time. */
static int write_inode_locked(struct ext2_fs *fs, struct ext2_inode_info *ei)
{
	struct inode *inode = &ei->vfs;
	uint32_t block, off;
	int err = inode_location(fs, (uint32_t)inode->ino, &block, &off);
	if (err)
		return err;
	struct buf b;
	if (bread(fs->bdev, block, fs->block_size, &b))
		return -EIO;
	struct ext2_inode raw;
	struct ext2_inode_extra extra;
	memset(&extra, 0, sizeof(extra));
	bool large = fs->inode_size >= EXT2_GOOD_OLD_INODE_SIZE + sizeof(extra);
	err = buf_read(&b, off, &raw, sizeof(raw));
	if (!err && large)
		err = buf_read(&b, off + EXT2_GOOD_OLD_INODE_SIZE, &extra, sizeof(extra));
	if (err) {
		brelse(&b);
		return -EIO;
	}
	struct ext2_inode old = raw;
	struct ext2_inode_extra old_extra = extra;
	raw.i_mode = (uint16_t)inode->mode;
	raw.i_uid = (uint16_t)inode->uid;
	raw.i_uid_high = (uint16_t)(inode->uid >> 16);
	raw.i_gid = (uint16_t)inode->gid;
	raw.i_gid_high = (uint16_t)(inode->gid >> 16);
	raw.i_links_count = (uint16_t)inode->nlink;
	raw.i_size = (uint32_t)inode->size;
	if (S_ISREG(inode->mode))
		raw.i_size_high = (uint32_t)(inode->size >> 32);
	raw.i_blocks = (uint32_t)inode->blocks;
	raw.i_atime = (uint32_t)inode->atime.sec;
	raw.i_mtime = (uint32_t)inode->mtime.sec;
	raw.i_ctime = (uint32_t)inode->ctime.sec;
	raw.i_dtime = ei->i_dtime;
	raw.i_flags = ei->i_flags;
	raw.i_file_acl = ei->i_file_acl;
	memcpy(raw.i_block, ei->i_block, sizeof(raw.i_block));
	/* Unchanged records are not rewritten: sync writes every cached inode through here. */
	if (memcmp(&raw, &old, sizeof(raw)))
		err = buf_write(&b, off, &raw, sizeof(raw));
	if (!err && large && extra.i_extra_isize >= EXT2_EXTRA_END(i_ctime_extra)) {
		extra.i_ctime_extra = encode_xtime(inode->ctime);
		if (extra.i_extra_isize >= EXT2_EXTRA_END(i_mtime_extra))
			extra.i_mtime_extra = encode_xtime(inode->mtime);
		if (extra.i_extra_isize >= EXT2_EXTRA_END(i_atime_extra))
			extra.i_atime_extra = encode_xtime(inode->atime);
		if (memcmp(&extra, &old_extra, sizeof(extra)))
			err = buf_write(&b, off + EXT2_GOOD_OLD_INODE_SIZE, &extra, sizeof(extra));
	}
	brelse(&b);
	return err;
}

int ext2_write_inode(struct ext2_fs *fs, struct ext2_inode_info *ei)
{
	mutex_lock(&fs->meta);
	int err = write_inode_locked(fs, ei);
	mutex_unlock(&fs->meta);
	return err;
}

int ext2_write_all_inodes(struct ext2_fs *fs)
{
	int first = 0;
	mutex_lock(&fs->meta);
	for (unsigned i = 0; i < EXT2_ICACHE_BUCKETS; i++)
		for (struct ext2_inode_info *ei = fs->icache[i]; ei; ei = ei->hash_next)
			if (!ei->gone) {
				int err = write_inode_locked(fs, ei);
				if (err && !first)
					first = err;
			}
	mutex_unlock(&fs->meta);
	return first;
}

void ext2_icache_destroy(struct ext2_fs *fs)
{
	for (unsigned i = 0; i < EXT2_ICACHE_BUCKETS; i++) {
		struct ext2_inode_info *ei = fs->icache[i];
		while (ei) {
			struct ext2_inode_info *next = ei->hash_next;
			if (ei->vfs.cache)
				page_cache_destroy(ei->vfs.cache);
			kfree(ei);
			ei = next;
		}
		fs->icache[i] = NULL;
	}
}

/* ---- the block map ---- */

/*
 * The path to logical block @lblock: slot indices at each level from the
 * inode's i_block down. The depth (1 direct .. 4 triple), or -EFBIG.
 */
static int block_path(const struct ext2_fs *fs, uint64_t lblock, unsigned idx[4])
{
	uint64_t p = fs->ptrs_per_block;
	if (lblock < EXT2_NDIR_BLOCKS) {
		idx[0] = (unsigned)lblock;
		return 1;
	}
	lblock -= EXT2_NDIR_BLOCKS;
	if (lblock < p) {
		idx[0] = EXT2_IND_BLOCK;
		idx[1] = (unsigned)lblock;
		return 2;
	}
	lblock -= p;
	if (lblock < p * p) {
		idx[0] = EXT2_DIND_BLOCK;
		idx[1] = (unsigned)(lblock / p);
		idx[2] = (unsigned)(lblock % p);
		return 3;
	}
	lblock -= p * p;
	if (lblock < p * p * p) {
		idx[0] = EXT2_TIND_BLOCK;
		idx[1] = (unsigned)(lblock / (p * p));
		idx[2] = (unsigned)(lblock / p % p);
		idx[3] = (unsigned)(lblock % p);
		return 4;
	}
	return -EFBIG;
}

static int read_ptr(struct ext2_fs *fs, uint32_t block, unsigned slot, uint32_t *out)
{
	struct buf b;
	if (bread(fs->bdev, block, fs->block_size, &b))
		return -EIO;
	int err = buf_read(&b, slot * 4, out, 4);
	brelse(&b);
	return err ? -EIO : 0;
}

static int write_ptr(struct ext2_fs *fs, uint32_t block, unsigned slot, uint32_t value)
{
	struct buf b;
	if (bread(fs->bdev, block, fs->block_size, &b))
		return -EIO;
	int err = buf_write(&b, slot * 4, &value, 4);
	brelse(&b);
	return err ? -EIO : 0;
}

/* A new block for @ei (counted in its i_blocks); an indirect block is zeroed in the device's cache. */
static int new_block(struct ext2_fs *fs, struct ext2_inode_info *ei, bool meta, uint32_t *out)
{
	int err = ext2_alloc_block(fs, ei->group, out);
	if (err)
		return err;
	ei->vfs.blocks += fs->block_size / SECTOR_SIZE;
	if (meta) {
		struct buf b;
		err = bget_new(fs->bdev, *out, fs->block_size, &b);
		if (err) {
			ext2_free_block(fs, *out);
			ei->vfs.blocks -= fs->block_size / SECTOR_SIZE;
			return -EIO;
		}
		brelse(&b);
	} else {
		/* File data goes to the disk from the file's cache; no stale metadata copy may follow it. */
		bdev_forget_block(fs->bdev, *out, fs->block_size);
	}
	return 0;
}

static int bmap_locked(struct ext2_fs *fs, struct ext2_inode_info *ei, uint64_t lblock,
		       bool create, uint32_t *out, bool *fresh)
{
	unsigned idx[4];
	int depth = block_path(fs, lblock, idx);
	if (depth < 0)
		return depth;
	if (fresh)
		*fresh = false;
	uint32_t block = ei->i_block[idx[0]];
	bool changed = false;
	int err = 0;
	if (!block && create) {
		if ((err = new_block(fs, ei, depth > 1, &block)))
			return err;
		ei->i_block[idx[0]] = block;
		changed = true;
		if (depth == 1 && fresh)
			*fresh = true;
	}
	for (int level = 1; level < depth && block; level++) {
		if (!ext2_block_valid(fs, block)) {
			ext2_warn(fs, "block number out of range:", block);
			return -EIO;
		}
		uint32_t parent = block;
		if ((err = read_ptr(fs, parent, idx[level], &block)))
			return err;
		if (!block && create) {
			if ((err = new_block(fs, ei, level + 1 < depth, &block)))
				break;
			if ((err = write_ptr(fs, parent, idx[level], block)))
				break;
			changed = true;
			if (level + 1 == depth && fresh)
				*fresh = true;
		}
	}
	if (changed)
		(void)ext2_write_inode(fs, ei);
	if (err)
		return err;
	if (block && !ext2_block_valid(fs, block)) {
		ext2_warn(fs, "block number out of range:", block);
		return -EIO;
	}
	*out = block;
	return 0;
}

int ext2_bmap(struct ext2_fs *fs, struct ext2_inode_info *ei, uint64_t lblock, bool create,
	      uint32_t *out, bool *fresh)
{
	mutex_lock(&ei->map_lock);
	int err = bmap_locked(fs, ei, lblock, create, out, fresh);
	mutex_unlock(&ei->map_lock);
	return err;
}

/*
 * Free the blocks under indirect block @block (a tree of @levels below it)
 * that map logical blocks >= @from, where the subtree starts at @base and
 * spans @span logical blocks per slot. Frees @block itself when all of it
 * goes. Returns true if it was freed.
 */
static bool free_tree(struct ext2_fs *fs, struct ext2_inode_info *ei, uint32_t block, int levels,
		      uint64_t base, uint64_t span, uint64_t from, int *err)
{
	if (!ext2_block_valid(fs, block)) {
		ext2_warn(fs, "block number out of range:", block);
		*err = -EIO;
		return false;
	}
	bool all = base >= from;
	if (levels > 0) {
		uint64_t child_span = span / fs->ptrs_per_block;
		for (unsigned i = 0; i < fs->ptrs_per_block; i++) {
			uint64_t cbase = base + i * span;
			if (cbase + span <= from)
				continue;
			uint32_t child;
			if (read_ptr(fs, block, i, &child)) {
				*err = -EIO;
				return false;
			}
			if (!child)
				continue;
			if (free_tree(fs, ei, child, levels - 1, cbase, child_span, from, err))
				(void)write_ptr(fs, block, i, 0);
			if (*err)
				return false;
		}
	}
	if (!all)
		return false;
	ext2_free_block(fs, block);
	bdev_forget_block(fs->bdev, block, fs->block_size);
	ei->vfs.blocks -= fs->block_size / SECTOR_SIZE;
	return true;
}

int ext2_free_blocks_from(struct ext2_fs *fs, struct ext2_inode_info *ei, uint64_t from)
{
	mutex_lock(&ei->map_lock);
	int err = 0;
	uint64_t p = fs->ptrs_per_block;
	for (unsigned i = 0; i < EXT2_NDIR_BLOCKS && !err; i++) {
		if (i >= from && ei->i_block[i]) {
			if (free_tree(fs, ei, ei->i_block[i], 0, i, 1, from, &err))
				ei->i_block[i] = 0;
		}
	}
	uint64_t base = EXT2_NDIR_BLOCKS, span = 1;
	for (unsigned level = 1; level <= 3 && !err; level++) {
		uint64_t covers = span * p;
		unsigned slot = EXT2_NDIR_BLOCKS + level - 1;
		if (ei->i_block[slot] && base + covers > from &&
		    free_tree(fs, ei, ei->i_block[slot], (int)level, base, span, from, &err))
			ei->i_block[slot] = 0;
		base += covers;
		span *= p;
	}
	int werr = ext2_write_inode(fs, ei);
	mutex_unlock(&ei->map_lock);
	return err ? err : werr;
}

/* ---- new and deleted inodes ---- */

static uint32_t next_generation = 0x5ca1ab1e;

int ext2_new_inode(struct ext2_fs *fs, struct inode *dir, uint32_t mode, uint32_t uid,
		   uint32_t gid, struct inode **out)
{
	uint32_t ino;
	int err = ext2_alloc_inode(fs, ext2_i(dir)->group, S_ISDIR(mode), &ino);
	if (err)
		return err;
	struct ext2_inode_info *ei = kzalloc(sizeof(*ei));
	if (!ei) {
		ext2_free_inode(fs, ino, S_ISDIR(mode));
		return -ENOSPC;
	}
	struct inode *inode = &ei->vfs;
	inode_init(inode, &fs->sb, mode);
	mutex_init(&ei->map_lock, "ext2 block map");
	inode->ino = ino;
	inode->ops = ops_for(mode);
	inode->uid = uid;
	inode->gid = gid;
	ei->group = (ino - 1) / fs->inodes_per_group;
	if (S_ISREG(mode) && ext2_file_init(inode)) {
		ext2_free_inode(fs, ino, false);
		kfree(ei);
		return -ENOSPC;
	}
	/* The record starts clean: nothing of a former inode of that number survives. */
	uint32_t block, off;
	struct buf b;
	err = inode_location(fs, ino, &block, &off);
	if (!err && bread(fs->bdev, block, fs->block_size, &b))
		err = -EIO;
	if (!err) {
		err = buf_zero(&b, off, fs->inode_size) ? -EIO : 0;
		uint32_t gen = __atomic_fetch_add(&next_generation, 0x9e3779b9u, __ATOMIC_RELAXED);
		if (!err)
			err = buf_write(&b, off + offsetof(struct ext2_inode, i_generation), &gen,
					sizeof(gen)) ? -EIO : 0;
		if (!err && fs->inode_size >= EXT2_GOOD_OLD_INODE_SIZE + sizeof(struct ext2_inode_extra)) {
			/* As mke2fs and Linux: the extra part in use up to the creation time and beyond (32 bytes). */
			struct ext2_inode_extra x = { 0 };
			x.i_extra_isize = 32;
			x.i_crtime = (uint32_t)inode->btime.sec;
			x.i_crtime_extra = encode_xtime(inode->btime);
			err = buf_write(&b, off + EXT2_GOOD_OLD_INODE_SIZE, &x, sizeof(x)) ? -EIO : 0;
		}
		brelse(&b);
	}
	if (!err)
		err = ext2_write_inode(fs, ei);
	if (err) {
		ext2_free_inode(fs, ino, S_ISDIR(mode));
		if (inode->cache)
			page_cache_destroy(inode->cache);
		kfree(ei);
		return err;
	}
	mutex_lock(&fs->meta);
	unsigned bkt = bucket_of(ino);
	ei->hash_next = fs->icache[bkt];
	fs->icache[bkt] = ei;
	mutex_unlock(&fs->meta);
	*out = inode;
	return 0;
}

void ext2_evict_inode(struct inode *inode)
{
	struct ext2_fs *fs = ext2_fs_of(inode->sb);
	struct ext2_inode_info *ei = ext2_i(inode);
	if (fs->read_only || ei->gone)
		return;
	/* Its pages go first: nothing may write into blocks about to be freed. */
	if (inode->cache)
		page_cache_truncate(inode->cache, 0);
	if (!S_ISLNK(inode->mode) || !ei->fast_symlink) {
		if (!S_ISCHR(inode->mode) && !S_ISBLK(inode->mode))
			(void)ext2_free_blocks_from(fs, ei, 0);
	}
	inode->size = 0;
	ei->i_dtime = (uint32_t)fs_now().sec;
	(void)ext2_write_inode(fs, ei);
	ext2_free_inode(fs, (uint32_t)inode->ino, S_ISDIR(inode->mode));
	mutex_lock(&fs->meta);
	ei->gone = true;
	struct ext2_inode_info **pp = &fs->icache[bucket_of((uint32_t)inode->ino)];
	while (*pp && *pp != ei)
		pp = &(*pp)->hash_next;
	if (*pp)
		*pp = ei->hash_next;
	mutex_unlock(&fs->meta);
	if (inode->cache)
		page_cache_destroy(inode->cache);
	kfree(ei);
}
