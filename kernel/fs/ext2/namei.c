/* ext2 name operations: create (files, directories, symlinks, device nodes), link, unlink/rmdir and rename, keeping link counts as e2fsck expects them. */
#include <frame/errno.h>
#include <frame/string.h>

#include "ext2.h"

/* Linux's EXT2_LINK_MAX. */
#define EXT2_LINK_MAX 32000

static struct ext2_fs *fs_of(struct inode *inode)
{
	return ext2_fs_of(inode->sb);
}

static void touch(struct inode *inode)
{
	inode->ctime = fs_now();
}

/* Put the target of a new symlink in place: in i_block when short, else in a block of its own. */
static int write_symlink(struct ext2_fs *fs, struct ext2_inode_info *ei, const char *target,
			 size_t tlen)
{
	if (tlen < sizeof(ei->i_block)) {
		memcpy(ei->i_block, target, tlen);
		ei->fast_symlink = true;
		ei->vfs.size = tlen;
		return 0;
	}
	uint32_t pblock;
	int err = ext2_bmap(fs, ei, 0, true, &pblock, NULL);
	if (err)
		return err;
	struct buf b;
	if (bget_new(fs->bdev, pblock, fs->block_size, &b))
		return -EIO;
	err = buf_write(&b, 0, target, (uint32_t)tlen) ? -EIO : 0;
	brelse(&b);
	ei->vfs.size = tlen;
	return err;
}

int ext2_create(struct inode *dir, const char *name, size_t len, uint32_t mode, uint32_t uid,
		uint32_t gid, uint64_t rdev, const char *target, struct inode **out)
{
	struct ext2_fs *fs = fs_of(dir);
	if (fs->read_only)
		return -EROFS;
	size_t tlen = S_ISLNK(mode) ? strlen(target) : 0;
	/* As Linux: the target and its NUL must fit one block. */
	if (S_ISLNK(mode) && tlen + 1 > fs->block_size)
		return -ENAMETOOLONG;
	if (S_ISDIR(mode) && dir->nlink >= EXT2_LINK_MAX)
		return -EMLINK;
	struct inode *inode;
	int err = ext2_new_inode(fs, dir, mode, uid, gid, &inode);
	if (err)
		return err;
	struct ext2_inode_info *ei = ext2_i(inode);
	if (S_ISDIR(mode)) {
		inode->nlink = 2;
		err = ext2_dir_init(inode, (uint32_t)dir->ino);
	} else if (S_ISLNK(mode)) {
		err = write_symlink(fs, ei, target, tlen);
	} else if (S_ISCHR(mode) || S_ISBLK(mode)) {
		inode->rdev = rdev;
		uint32_t major = dev_major(rdev), minor = dev_minor(rdev);
		if (major < 256 && minor < 256)
			ei->i_block[0] = major << 8 | minor;
		else
			ei->i_block[1] = (minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12);
	}
	if (!err)
		err = ext2_write_inode(fs, ei);
	if (!err)
		err = ext2_add_entry(dir, name, len, (uint32_t)inode->ino, mode);
	if (err) {
		inode->nlink = 0;
		inode_put(inode);	/* evicted: its blocks and number go back */
		return err;
	}
	if (S_ISDIR(mode)) {
		dir->nlink++;
		(void)ext2_write_inode(fs, ext2_i(dir));
	}
	*out = inode;
	return 0;
}

int ext2_tmpfile(struct inode *dir, uint32_t mode, uint32_t uid, uint32_t gid, struct inode **out)
{
	struct ext2_fs *fs = fs_of(dir);
	if (fs->read_only)
		return -EROFS;
	struct inode *inode;
	int err = ext2_new_inode(fs, dir, mode, uid, gid, &inode);
	if (err)
		return err;
	/* No name: freed with its last reference unless linkat() gives it one. */
	inode->nlink = 0;
	err = ext2_write_inode(fs, ext2_i(inode));
	if (err) {
		inode_put(inode);
		return err;
	}
	*out = inode;
	return 0;
}

int ext2_link(struct inode *dir, const char *name, size_t len, struct inode *inode)
{
	struct ext2_fs *fs = fs_of(dir);
	if (fs->read_only)
		return -EROFS;
	if (inode->nlink >= EXT2_LINK_MAX)
		return -EMLINK;
	int err = ext2_add_entry(dir, name, len, (uint32_t)inode->ino, inode->mode);
	if (err)
		return err;
	inode->nlink++;
	touch(inode);
	return ext2_write_inode(fs, ext2_i(inode));
}

/* @inode lost the entry that named it (in @dir). */
static void drop_link(struct ext2_fs *fs, struct inode *dir, struct inode *inode)
{
	if (S_ISDIR(inode->mode)) {
		/* Its own "." and the parent's entry go at once; the parent loses the ".." back-link. */
		inode->nlink = 0;
		if (dir->nlink > 2)
			dir->nlink--;
		(void)ext2_write_inode(fs, ext2_i(dir));
	} else if (inode->nlink) {
		inode->nlink--;
	}
	touch(inode);
	(void)ext2_write_inode(fs, ext2_i(inode));
}

int ext2_unlink(struct inode *dir, const char *name, size_t len, struct inode *inode)
{
	struct ext2_fs *fs = fs_of(dir);
	if (fs->read_only)
		return -EROFS;
	int err = ext2_remove_entry(dir, name, len);
	if (err)
		return err;
	drop_link(fs, dir, inode);
	return 0;
}

int ext2_rename(struct inode *odir, const char *oname, size_t olen, struct inode *ndir,
		const char *nname, size_t nlen, bool exchange)
{
	struct ext2_fs *fs = fs_of(odir);
	if (fs->read_only)
		return -EROFS;
	uint32_t sino, tino = 0;
	int err = ext2_find_ino(odir, oname, olen, &sino);
	if (err)
		return err;
	err = ext2_find_ino(ndir, nname, nlen, &tino);
	if (err == -ENOENT)
		tino = 0;
	else if (err)
		return err;
	struct inode *src, *tgt = NULL;
	if ((err = ext2_iget(fs, sino, &src)))
		return err;
	if (tino && (err = ext2_iget(fs, tino, &tgt))) {
		inode_put(src);
		return err;
	}
	if (tgt == src) {
		/* Two names of one inode: rename does nothing (POSIX). */
		inode_put(tgt);
		inode_put(src);
		return 0;
	}
	bool sdir = S_ISDIR(src->mode), tdir = tgt && S_ISDIR(tgt->mode);
	if (exchange) {
		if (!tgt) {
			inode_put(src);
			return -ENOENT;
		}
		err = ext2_set_entry(odir, oname, olen, tino, tgt->mode);
		if (!err)
			err = ext2_set_entry(ndir, nname, nlen, sino, src->mode);
		if (!err && odir != ndir) {
			if (sdir)
				err = ext2_set_entry(src, "..", 2, (uint32_t)ndir->ino, S_IFDIR);
			if (!err && tdir)
				err = ext2_set_entry(tgt, "..", 2, (uint32_t)odir->ino, S_IFDIR);
			if (sdir && !tdir) {
				odir->nlink--;
				ndir->nlink++;
			} else if (tdir && !sdir) {
				ndir->nlink--;
				odir->nlink++;
			}
		}
		touch(tgt);
		(void)ext2_write_inode(fs, ext2_i(tgt));
	} else {
		if (tgt) {
			err = ext2_set_entry(ndir, nname, nlen, sino, src->mode);
			if (!err) {
				if (tdir) {
					tgt->nlink = 0;
					ndir->nlink--;
				} else {
					tgt->nlink--;
				}
				touch(tgt);
				(void)ext2_write_inode(fs, ext2_i(tgt));
			}
		} else {
			err = ext2_add_entry(ndir, nname, nlen, sino, src->mode);
		}
		if (!err)
			err = ext2_remove_entry(odir, oname, olen);
		if (!err && sdir && odir != ndir) {
			err = ext2_set_entry(src, "..", 2, (uint32_t)ndir->ino, S_IFDIR);
			odir->nlink--;
			ndir->nlink++;
		}
	}
	touch(src);
	(void)ext2_write_inode(fs, ext2_i(src));
	(void)ext2_write_inode(fs, ext2_i(odir));
	if (ndir != odir)
		(void)ext2_write_inode(fs, ext2_i(ndir));
	inode_put(tgt);
	inode_put(src);
	return err;
}
