/*
 * ext2 directories: blocks of linked records (inode, record length, name),
 * read through the device's cache. Every record is checked before use; a
 * bad one makes the operation fail with EUCLEAN. getdents cookies are byte
 * offsets in the directory, which stay valid when records are removed
 * (removal only merges a record into its predecessor).
 */
#include <frame/errno.h>
#include <frame/string.h>

#include "ext2.h"

static struct ext2_fs *fs_of(struct inode *inode)
{
	return ext2_fs_of(inode->sb);
}

static unsigned ft_to_dtype(uint8_t ft)
{
	static const uint8_t map[] = { DT_UNKNOWN, DT_REG, DT_DIR, DT_CHR, DT_BLK, DT_FIFO, DT_SOCK, DT_LNK };
	return ft < ARRAY_SIZE(map) ? map[ft] : DT_UNKNOWN;
}

static uint8_t mode_to_ft(uint32_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: return EXT2_FT_REG_FILE;
	case S_IFDIR: return EXT2_FT_DIR;
	case S_IFCHR: return EXT2_FT_CHRDEV;
	case S_IFBLK: return EXT2_FT_BLKDEV;
	case S_IFIFO: return EXT2_FT_FIFO;
	case S_IFSOCK: return EXT2_FT_SOCK;
	case S_IFLNK: return EXT2_FT_SYMLINK;
	default: return EXT2_FT_UNKNOWN;
	}
}

/* One directory block in the device's cache. */
struct dir_block {
	struct buf b;
	uint32_t pblock;
	uint64_t lblock;
};

/* Read logical block @lblock of @dir; a hole or a bad block number is corruption. */
static int dir_read_block(struct ext2_fs *fs, struct inode *dir, uint64_t lblock,
			  struct dir_block *db)
{
	uint32_t pblock;
	int err = ext2_bmap(fs, ext2_i(dir), lblock, false, &pblock, NULL);
	if (err)
		return err == -EFBIG ? -EUCLEAN : err;
	if (!pblock) {
		ext2_warn(fs, "hole in directory inode", dir->ino);
		return -EUCLEAN;
	}
	if (bread(fs->bdev, pblock, fs->block_size, &db->b))
		return -EIO;
	db->pblock = pblock;
	db->lblock = lblock;
	return 0;
}

/* A record at @off of the block: checked as ext2_check_page checks it. */
static int read_dirent(struct ext2_fs *fs, struct inode *dir, struct dir_block *db, uint32_t off,
		       struct ext2_dirent *de, char *name)
{
	if (buf_read(&db->b, off, de, sizeof(*de)))
		return -EIO;
	/* Without the filetype feature the type byte is unused (names are 255 bytes at most), as Linux reads it. */
	unsigned name_len = de->name_len;
	const char *bad = NULL;
	if (de->rec_len < EXT2_DIRENT_LEN(1))
		bad = "rec_len is smaller than minimal";
	else if (de->rec_len & 3)
		bad = "unaligned directory entry";
	else if (de->rec_len < EXT2_DIRENT_LEN(name_len))
		bad = "rec_len is too small for name_len";
	else if (off + de->rec_len > fs->block_size)
		bad = "directory entry across blocks";
	else if (de->inode > fs->s.s_inodes_count)
		bad = "inode out of bounds";
	if (bad) {
		ext2_warn(fs, bad, dir->ino);
		return -EUCLEAN;
	}
	if (!fs->filetype)
		de->file_type = EXT2_FT_UNKNOWN;
	if (name && buf_read(&db->b, off + sizeof(*de), name, name_len))
		return -EIO;
	return 0;
}

static uint64_t dir_blocks(struct ext2_fs *fs, struct inode *dir)
{
	return (dir->size + fs->block_size - 1) >> fs->block_log;
}

/*
 * Find @name in @dir: the block (held, for the caller to brelse), the
 * record's offset in it and the previous live-or-not record's offset
 * (UINT32_MAX when it is the first). -ENOENT when absent.
 */
static int find_entry(struct ext2_fs *fs, struct inode *dir, const char *name, size_t len,
		      struct dir_block *db, uint32_t *off_out, uint32_t *prev_out,
		      struct ext2_dirent *de_out)
{
	uint64_t n = dir_blocks(fs, dir);
	char cand[256];
	for (uint64_t lb = 0; lb < n; lb++) {
		int err = dir_read_block(fs, dir, lb, db);
		if (err)
			return err;
		uint32_t prev = UINT32_MAX;
		for (uint32_t off = 0; off < fs->block_size;) {
			struct ext2_dirent de;
			if ((err = read_dirent(fs, dir, db, off, &de, cand))) {
				brelse(&db->b);
				return err;
			}
			if (de.inode && de.name_len == len && memcmp(cand, name, len) == 0) {
				*off_out = off;
				*prev_out = prev;
				*de_out = de;
				return 0;
			}
			prev = off;
			off += de.rec_len;
		}
		brelse(&db->b);
	}
	return -ENOENT;
}

int ext2_lookup(struct inode *dir, const char *name, size_t len, struct inode **out)
{
	struct ext2_fs *fs = fs_of(dir);
	struct dir_block db;
	uint32_t off, prev;
	struct ext2_dirent de;
	int err = find_entry(fs, dir, name, len, &db, &off, &prev, &de);
	if (err)
		return err;
	brelse(&db.b);
	return ext2_iget(fs, de.inode, out);
}

int ext2_find_ino(struct inode *dir, const char *name, size_t len, uint32_t *ino)
{
	struct dir_block db;
	uint32_t off, prev;
	struct ext2_dirent de;
	int err = find_entry(fs_of(dir), dir, name, len, &db, &off, &prev, &de);
	if (err)
		return err;
	brelse(&db.b);
	*ino = de.inode;
	return 0;
}

int ext2_iterate(struct inode *dir, uint64_t *pos, struct dir_emit *emit)
{
	struct ext2_fs *fs = fs_of(dir);
	char name[256];
	while (*pos < dir->size) {
		uint64_t lb = *pos >> fs->block_log;
		uint32_t start = (uint32_t)(*pos & (fs->block_size - 1));
		struct dir_block db;
		int err = dir_read_block(fs, dir, lb, &db);
		if (err)
			return err;
		/* Walk from the block's start: a cookie may point into a record merged since. */
		for (uint32_t off = 0; off < fs->block_size;) {
			struct ext2_dirent de;
			if ((err = read_dirent(fs, dir, &db, off, &de, name))) {
				brelse(&db.b);
				return err;
			}
			uint64_t next = (lb << fs->block_log) + off + de.rec_len;
			if (off >= start && de.inode) {
				unsigned dtype = ft_to_dtype(de.file_type);
				if (!emit->actor(emit, name, de.name_len, de.inode, dtype, next)) {
					brelse(&db.b);
					return 0;
				}
			}
			if (off >= start)
				*pos = next;
			off += de.rec_len;
		}
		brelse(&db.b);
		*pos = (lb + 1) << fs->block_log;
	}
	return 0;
}

int ext2_dir_empty(struct inode *dir)
{
	struct ext2_fs *fs = fs_of(dir);
	uint64_t n = dir_blocks(fs, dir);
	char name[256];
	for (uint64_t lb = 0; lb < n; lb++) {
		struct dir_block db;
		int err = dir_read_block(fs, dir, lb, &db);
		if (err)
			return err;
		for (uint32_t off = 0; off < fs->block_size;) {
			struct ext2_dirent de;
			if ((err = read_dirent(fs, dir, &db, off, &de, name))) {
				brelse(&db.b);
				return err;
			}
			bool dots = (de.name_len == 1 && name[0] == '.') ||
				    (de.name_len == 2 && name[0] == '.' && name[1] == '.');
			if (de.inode && !dots) {
				brelse(&db.b);
				return -ENOTEMPTY;
			}
			off += de.rec_len;
		}
		brelse(&db.b);
	}
	return 0;
}

static int put_dirent(struct ext2_fs *fs, struct dir_block *db, uint32_t off, uint32_t ino,
		      uint16_t rec_len, const char *name, size_t len, uint32_t mode)
{
	struct ext2_dirent de = { ino, rec_len, (uint8_t)len,
				  fs->filetype ? mode_to_ft(mode) : 0 };
	int err = buf_write(&db->b, off, &de, sizeof(de));
	if (!err && len)
		err = buf_write(&db->b, off + sizeof(de), name, (uint32_t)len);
	return err ? -EIO : 0;
}

/* A directory changed shape: hashed indexes are not kept up to date, so the index is dropped (as ext2 does). */
static void dir_touched(struct ext2_fs *fs, struct inode *dir)
{
	struct ext2_inode_info *ei = ext2_i(dir);
	ei->i_flags &= ~(uint32_t)EXT2_INDEX_FL;
	dir->mtime = dir->ctime = fs_now();
	(void)ext2_write_inode(fs, ei);
}

int ext2_add_entry(struct inode *dir, const char *name, size_t len, uint32_t ino, uint32_t mode)
{
	struct ext2_fs *fs = fs_of(dir);
	uint32_t need = EXT2_DIRENT_LEN(len);
	uint64_t n = dir_blocks(fs, dir);
	char cand[256];
	for (uint64_t lb = 0; lb < n; lb++) {
		struct dir_block db;
		int err = dir_read_block(fs, dir, lb, &db);
		if (err)
			return err;
		for (uint32_t off = 0; off < fs->block_size;) {
			struct ext2_dirent de;
			if ((err = read_dirent(fs, dir, &db, off, &de, cand))) {
				brelse(&db.b);
				return err;
			}
			uint32_t used = de.inode ? EXT2_DIRENT_LEN(de.name_len) : 0;
			if (de.rec_len >= used + need) {
				if (de.inode) {
					/* Split: the old record keeps what it uses, the new one the rest. */
					struct ext2_dirent shrunk = de;
					shrunk.rec_len = (uint16_t)used;
					err = buf_write(&db.b, off, &shrunk, sizeof(shrunk)) ? -EIO : 0;
					if (!err)
						err = put_dirent(fs, &db, off + used, ino,
								 (uint16_t)(de.rec_len - used), name, len, mode);
				} else {
					err = put_dirent(fs, &db, off, ino, de.rec_len, name, len, mode);
				}
				brelse(&db.b);
				if (!err)
					dir_touched(fs, dir);
				return err;
			}
			off += de.rec_len;
		}
		brelse(&db.b);
	}
	/* No room: a new block at the end, one record spanning it. */
	uint32_t pblock;
	bool fresh;
	int err = ext2_bmap(fs, ext2_i(dir), n, true, &pblock, &fresh);
	if (err)
		return err;
	struct dir_block db;
	if (bget_new(fs->bdev, pblock, fs->block_size, &db.b))
		return -EIO;
	err = put_dirent(fs, &db, 0, ino, (uint16_t)fs->block_size, name, len, mode);
	brelse(&db.b);
	if (err)
		return err;
	dir->size += fs->block_size;
	dir_touched(fs, dir);
	return 0;
}

int ext2_remove_entry(struct inode *dir, const char *name, size_t len)
{
	struct ext2_fs *fs = fs_of(dir);
	struct dir_block db;
	uint32_t off, prev;
	struct ext2_dirent de;
	int err = find_entry(fs, dir, name, len, &db, &off, &prev, &de);
	if (err)
		return err;
	if (prev == UINT32_MAX) {
		/* The block's first record: it stays, unused. */
		de.inode = 0;
		err = buf_write(&db.b, off, &de, sizeof(de)) ? -EIO : 0;
	} else {
		struct ext2_dirent p;
		err = buf_read(&db.b, prev, &p, sizeof(p)) ? -EIO : 0;
		if (!err) {
			p.rec_len = (uint16_t)(p.rec_len + de.rec_len);
			err = buf_write(&db.b, prev, &p, sizeof(p)) ? -EIO : 0;
		}
	}
	brelse(&db.b);
	if (!err)
		dir_touched(fs, dir);
	return err;
}

int ext2_set_entry(struct inode *dir, const char *name, size_t len, uint32_t ino, uint32_t mode)
{
	struct ext2_fs *fs = fs_of(dir);
	struct dir_block db;
	uint32_t off, prev;
	struct ext2_dirent de;
	int err = find_entry(fs, dir, name, len, &db, &off, &prev, &de);
	if (err)
		return err;
	de.inode = ino;
	de.file_type = fs->filetype ? mode_to_ft(mode) : 0;
	err = buf_write(&db.b, off, &de, sizeof(de)) ? -EIO : 0;
	brelse(&db.b);
	if (!err)
		dir_touched(fs, dir);
	return err;
}

int ext2_dir_init(struct inode *dir, uint32_t parent_ino)
{
	struct ext2_fs *fs = fs_of(dir);
	uint32_t pblock;
	bool fresh;
	int err = ext2_bmap(fs, ext2_i(dir), 0, true, &pblock, &fresh);
	if (err)
		return err;
	struct dir_block db;
	if (bget_new(fs->bdev, pblock, fs->block_size, &db.b))
		return -EIO;
	err = put_dirent(fs, &db, 0, (uint32_t)dir->ino, (uint16_t)EXT2_DIRENT_LEN(1), ".", 1,
			 S_IFDIR);
	if (!err)
		err = put_dirent(fs, &db, EXT2_DIRENT_LEN(1), parent_ino,
				 (uint16_t)(fs->block_size - EXT2_DIRENT_LEN(1)), "..", 2, S_IFDIR);
	brelse(&db.b);
	if (!err)
		dir->size = fs->block_size;
	return err;
}
