/* Namespace and attribute operation tests: errno for every bad input, rename rules, links, attributes. */
#include <frame/ktest.h>

#include "vfs_fixture.h"

KTEST(vfs_mkdir_rmdir_errors)
{
	struct fx fx;
	KASSERT(fx_setup(&fx, NULL) == 0);
	struct stat st;
	KEXPECT_EQ(vfs_mkdir(&fx.ctx, NULL, "d", 0777), 0);
	KEXPECT_EQ(FX_STAT(&fx, "d", &st), 0);
	KEXPECT_EQ(st.st_mode, S_IFDIR | 0755);	/* umask 022 */
	KEXPECT_EQ(st.st_nlink, 2);
	KEXPECT_EQ(vfs_mkdir(&fx.ctx, NULL, "d", 0755), -EEXIST);
	KEXPECT_EQ(vfs_mkdir(&fx.ctx, NULL, "d/", 0755), -EEXIST);
	KEXPECT_EQ(vfs_mkdir(&fx.ctx, NULL, "/", 0755), -EEXIST);
	KEXPECT_EQ(vfs_mkdir(&fx.ctx, NULL, "d/.", 0755), -EEXIST);
	KEXPECT_EQ(vfs_mkdir(&fx.ctx, NULL, "missing/d", 0755), -ENOENT);
	KEXPECT_EQ(vfs_mkdir(&fx.ctx, NULL, "d/a/", 0755), 0);
	KEXPECT_EQ(vfs_mkdir(&fx.ctx, NULL, "d/b", 0755), 0);
	KEXPECT_EQ(FX_STAT(&fx, "d", &st), 0);
	KEXPECT_EQ(st.st_nlink, 4);
	KEXPECT_EQ(fx_write(&fx.ctx, "f", "x"), 0);
	KEXPECT_EQ(vfs_mkdir(&fx.ctx, NULL, "f/d", 0755), -ENOTDIR);
	KEXPECT_EQ(vfs_mkdir(&fx.uctx, NULL, "u", 0755), 0);	/* tmpfs's root is 1777 */
	KEXPECT_EQ(vfs_mkdir(&fx.uctx, NULL, "d/u", 0755), -EACCES);
	KEXPECT_EQ(fx_write(&fx.ctx, "d/a/f", "x"), 0);
	KEXPECT_EQ(vfs_rmdir(&fx.ctx, NULL, "d/a"), -ENOTEMPTY);
	KEXPECT_EQ(vfs_rmdir(&fx.ctx, NULL, "d/a/f"), -ENOTDIR);
	KEXPECT_EQ(vfs_rmdir(&fx.ctx, NULL, "missing"), -ENOENT);
	KEXPECT_EQ(vfs_rmdir(&fx.ctx, NULL, "d/."), -EINVAL);
	KEXPECT_EQ(vfs_rmdir(&fx.ctx, NULL, "d/b/.."), -ENOTEMPTY);
	KEXPECT_EQ(vfs_rmdir(&fx.ctx, NULL, "/"), -EBUSY);
	KEXPECT_EQ(vfs_rmdir(&fx.uctx, NULL, "d/b"), -EACCES);
	KEXPECT_EQ(vfs_rmdir(&fx.ctx, NULL, "d/b/"), 0);
	KEXPECT_EQ(FX_STAT(&fx, "d", &st), 0);
	KEXPECT_EQ(st.st_nlink, 3);
	KEXPECT_EQ(fx_teardown(&fx), 0);
}

KTEST(vfs_rmdir_cwd_stays_usable)
{
	struct fx fx;
	KASSERT(fx_setup(&fx, NULL) == 0);
	KEXPECT_EQ(vfs_mkdir(&fx.ctx, NULL, "a", 0755), 0);
	KEXPECT_EQ(vfs_mkdir(&fx.ctx, NULL, "a/b", 0755), 0);
	struct vfs_ctx in = fx.ctx;
	KASSERT(vfs_lookup(&fx.ctx, NULL, "a/b", 0, &in.cwd) == 0);
	KEXPECT_EQ(vfs_rmdir(&fx.ctx, NULL, "a/b"), 0);
	KEXPECT_EQ(vfs_rmdir(&fx.ctx, NULL, "a"), 0);
	struct stat st;
	/* The removed directory: no new entries, ".." still safe to walk. */
	KEXPECT_EQ(fx_write(&in, "new", "x"), -ENOENT);
	KEXPECT_EQ(vfs_mkdir(&in, NULL, "new", 0755), -ENOENT);
	KEXPECT_EQ(fx_stat(&in, ".", 0, &st), 0);
	KEXPECT_EQ(st.st_nlink, 0);
	KEXPECT_EQ(fx_stat(&in, "..", 0, &st), 0);
	KEXPECT_EQ(fx_stat(&in, "../..", 0, &st), 0);
	struct file *f;
	KEXPECT_EQ(vfs_open(&in, NULL, ".", O_RDONLY, 0, &f), 0);
	char buf[64];
	KEXPECT_EQ(vfs_getdents64(f, buf, sizeof(buf)), -ENOENT);
	file_put(f);
	path_put(&in.cwd);
	KEXPECT_EQ(fx_teardown(&fx), 0);
}

KTEST(vfs_unlink_link_symlink_readlink)
{
	struct fx fx;
	KASSERT(fx_setup(&fx, NULL) == 0);
	struct stat st;
	char buf[16];
	KEXPECT_EQ(vfs_mkdir(&fx.ctx, NULL, "d", 0755), 0);
	KEXPECT_EQ(fx_write(&fx.ctx, "d/f", "x"), 0);
	KEXPECT_EQ(vfs_link(&fx.ctx, NULL, "d/f", NULL, "d/g", 0), 0);
	KEXPECT_EQ(vfs_link(&fx.ctx, NULL, "d/f", NULL, "d/g", 0), -EEXIST);
	KEXPECT_EQ(vfs_link(&fx.ctx, NULL, "d/f", NULL, "d/h", 1), -EINVAL);
	KEXPECT_EQ(vfs_link(&fx.ctx, NULL, "d", NULL, "d2", 0), -EPERM);
	KEXPECT_EQ(vfs_link(&fx.ctx, NULL, "nope", NULL, "x", 0), -ENOENT);
	KEXPECT_EQ(vfs_link(&fx.ctx, NULL, "d/f", NULL, "x/", 0), -ENOENT);
	KEXPECT_EQ(vfs_symlink(&fx.ctx, "f", NULL, "d/l"), 0);
	KEXPECT_EQ(vfs_symlink(&fx.ctx, "f", NULL, "d/l"), -EEXIST);
	KEXPECT_EQ(vfs_readlink(&fx.ctx, NULL, "d/l", buf, sizeof(buf)), 1);
	KEXPECT_EQ(buf[0], 'f');
	KEXPECT_EQ(vfs_readlink(&fx.ctx, NULL, "d/f", buf, sizeof(buf)), -EINVAL);
	KEXPECT_EQ(vfs_readlink(&fx.ctx, NULL, "d/l", buf, 0), -EINVAL);
	KEXPECT_EQ(vfs_readlink(&fx.ctx, NULL, "d/nope", buf, 4), -ENOENT);
	/* link without AT_SYMLINK_FOLLOW links the symlink itself; with it, the target. */
	KEXPECT_EQ(vfs_link(&fx.ctx, NULL, "d/l", NULL, "d/hl", 0), 0);
	KEXPECT_EQ(fx_stat(&fx.ctx, "d/hl", 0, &st), 0);
	KEXPECT(S_ISLNK(st.st_mode));
	KEXPECT_EQ(vfs_link(&fx.ctx, NULL, "d/l", NULL, "d/h", AT_SYMLINK_FOLLOW), 0);
	KEXPECT_EQ(fx_stat(&fx.ctx, "d/h", 0, &st), 0);
	KEXPECT(S_ISREG(st.st_mode));
	KEXPECT_EQ(st.st_nlink, 3);
	KEXPECT_EQ(vfs_unlink(&fx.ctx, NULL, "d"), -EISDIR);
	KEXPECT_EQ(vfs_unlink(&fx.ctx, NULL, "/"), -EISDIR);
	KEXPECT_EQ(vfs_unlink(&fx.ctx, NULL, "d/f/"), -ENOTDIR);
	KEXPECT_EQ(vfs_unlink(&fx.ctx, NULL, "d/nope"), -ENOENT);
	KEXPECT_EQ(vfs_unlink(&fx.uctx, NULL, "d/f"), -EACCES);
	KEXPECT_EQ(vfs_unlink(&fx.ctx, NULL, "d/f"), 0);
	KEXPECT_EQ(vfs_unlink(&fx.ctx, NULL, "d/g"), 0);
	KEXPECT_EQ(fx_stat(&fx.ctx, "d/h", 0, &st), 0);
	KEXPECT_EQ(st.st_nlink, 1);
	KEXPECT_EQ(FX_STAT(&fx, "d/l", &st), -ENOENT);	/* dangling now */
	KEXPECT_EQ(fx_teardown(&fx), 0);
}

KTEST(vfs_unlink_open_file_keeps_data)
{
	struct fx fx;
	KASSERT(fx_setup(&fx, NULL) == 0);
	KEXPECT_EQ(fx_write(&fx.ctx, "f", "kept"), 0);
	struct file *f;
	KASSERT(vfs_open(&fx.ctx, NULL, "f", O_RDWR, 0, &f) == 0);
	KEXPECT_EQ(vfs_unlink(&fx.ctx, NULL, "f"), 0);
	char buf[8] = { 0 };
	KEXPECT_EQ(vfs_read(f, buf, sizeof(buf)), 4);
	KEXPECT(!memcmp(buf, "kept", 4));
	struct stat st;
	KEXPECT_EQ(vfs_fstat(f, &st), 0);
	KEXPECT_EQ(st.st_nlink, 0);
	file_put(f);	/* the last reference frees it: the leak check would see otherwise */
	KEXPECT_EQ(fx_teardown(&fx), 0);
}

KTEST(vfs_sticky_directory)
{
	struct fx fx;
	KASSERT(fx_setup(&fx, NULL) == 0);
	KEXPECT_EQ(vfs_mkdir(&fx.ctx, NULL, "tmp", 0777), 0);
	struct path p;
	KASSERT(vfs_lookup(&fx.ctx, NULL, "tmp", 0, &p) == 0);
	KEXPECT_EQ(vfs_chmod(&fx.cred, p.inode, 01777), 0);
	path_put(&p);
	KEXPECT_EQ(fx_write(&fx.ctx, "tmp/roots", "x"), 0);
	KEXPECT_EQ(fx_write(&fx.uctx, "tmp/mine", "x"), 0);
	KEXPECT_EQ(vfs_unlink(&fx.uctx, NULL, "tmp/roots"), -EPERM);
	KEXPECT_EQ(vfs_rename(&fx.uctx, NULL, "tmp/roots", NULL, "tmp/x", 0), -EPERM);
	KEXPECT_EQ(vfs_unlink(&fx.uctx, NULL, "tmp/mine"), 0);
	KEXPECT_EQ(vfs_unlink(&fx.ctx, NULL, "tmp/roots"), 0);
	KEXPECT_EQ(fx_teardown(&fx), 0);
}

KTEST(vfs_rename_rules)
{
	struct fx fx;
	KASSERT(fx_setup(&fx, NULL) == 0);
	struct stat st;
	char buf[8];
	KEXPECT_EQ(vfs_mkdir(&fx.ctx, NULL, "a", 0755), 0);
	KEXPECT_EQ(fx_write(&fx.ctx, "a/f", "F"), 0);
	KEXPECT_EQ(vfs_rename(&fx.ctx, NULL, "a", NULL, "b", 0), 0);
	KEXPECT_EQ(FX_STAT(&fx, "b/f", &st), 0);
	KEXPECT_EQ(vfs_mkdir(&fx.ctx, NULL, "c", 0755), 0);
	KEXPECT_EQ(vfs_rename(&fx.ctx, NULL, "b", NULL, "c", 0), 0);	/* over an empty dir */
	KEXPECT_EQ(FX_STAT(&fx, "c/f", &st), 0);
	KEXPECT_EQ(vfs_mkdir(&fx.ctx, NULL, "e", 0755), 0);
	KEXPECT_EQ(vfs_rename(&fx.ctx, NULL, "e", NULL, "c", 0), -ENOTEMPTY);
	KEXPECT_EQ(vfs_rename(&fx.ctx, NULL, "e", NULL, "c/f", 0), -ENOTDIR);
	KEXPECT_EQ(vfs_rename(&fx.ctx, NULL, "c/f", NULL, "e", 0), -EISDIR);
	KEXPECT_EQ(vfs_rename(&fx.ctx, NULL, "c", NULL, "c/sub", 0), -EINVAL);
	KEXPECT_EQ(vfs_mkdir(&fx.ctx, NULL, "c/s", 0755), 0);
	KEXPECT_EQ(vfs_rename(&fx.ctx, NULL, "c", NULL, "c/s/deeper", 0), -EINVAL);
	KEXPECT_EQ(vfs_rename(&fx.ctx, NULL, ".", NULL, "x", 0), -EBUSY);
	KEXPECT_EQ(vfs_rename(&fx.ctx, NULL, "c", NULL, "..", 0), -EBUSY);
	KEXPECT_EQ(vfs_rename(&fx.ctx, NULL, "nope", NULL, "x", 0), -ENOENT);
	KEXPECT_EQ(vfs_rename(&fx.ctx, NULL, "c/f/", NULL, "x", 0), -ENOTDIR);
	KEXPECT_EQ(vfs_rename(&fx.ctx, NULL, "c/f", NULL, "x/", 0), -ENOTDIR);
	KEXPECT_EQ(vfs_rename(&fx.ctx, NULL, "c/f", NULL, "c/f", 0), 0);	/* same file */
	/* Moving a directory updates both parents' link counts. */
	KEXPECT_EQ(vfs_rename(&fx.ctx, NULL, "c/s", NULL, "e/s", 0), 0);
	KEXPECT_EQ(FX_STAT(&fx, "c", &st), 0);
	KEXPECT_EQ(st.st_nlink, 2);
	KEXPECT_EQ(FX_STAT(&fx, "e", &st), 0);
	KEXPECT_EQ(st.st_nlink, 3);
	KEXPECT_EQ(FX_STAT(&fx, "e/s/..", &st), 0);
	struct stat e;
	KEXPECT_EQ(FX_STAT(&fx, "e", &e), 0);
	KEXPECT_EQ(st.st_ino, e.st_ino);
	/* Replacing a file drops the old one. */
	KEXPECT_EQ(fx_write(&fx.ctx, "x", "X"), 0);
	KEXPECT_EQ(vfs_rename(&fx.ctx, NULL, "x", NULL, "c/f", 0), 0);
	KEXPECT_EQ(fx_read(&fx.ctx, "c/f", buf, sizeof(buf)), 1);
	KEXPECT_EQ(buf[0], 'X');
	KEXPECT_EQ(FX_STAT(&fx, "x", &st), -ENOENT);
	/* Flags. */
	KEXPECT_EQ(fx_write(&fx.ctx, "p", "P"), 0);
	KEXPECT_EQ(vfs_rename(&fx.ctx, NULL, "p", NULL, "c/f", RENAME_NOREPLACE), -EEXIST);
	KEXPECT_EQ(vfs_rename(&fx.ctx, NULL, "p", NULL, "q", RENAME_NOREPLACE | RENAME_EXCHANGE),
		   -EINVAL);
	KEXPECT_EQ(vfs_rename(&fx.ctx, NULL, "p", NULL, "q", RENAME_WHITEOUT), -EINVAL);
	KEXPECT_EQ(vfs_rename(&fx.ctx, NULL, "p", NULL, "q", RENAME_NOREPLACE), 0);
	KEXPECT_EQ(vfs_rename(&fx.ctx, NULL, "q", NULL, "none", RENAME_EXCHANGE), -ENOENT);
	KEXPECT_EQ(vfs_rename(&fx.ctx, NULL, "q", NULL, "e", RENAME_EXCHANGE), 0);
	KEXPECT_EQ(FX_STAT(&fx, "q/s", &st), 0);	/* q is the directory now */
	KEXPECT_EQ(fx_read(&fx.ctx, "e", buf, sizeof(buf)), 1);
	KEXPECT_EQ(buf[0], 'P');
	KEXPECT_EQ(vfs_rename(&fx.ctx, NULL, "q", NULL, "q/s/x", RENAME_EXCHANGE), -ENOENT);
	KEXPECT_EQ(vfs_rename(&fx.ctx, NULL, "q/s", NULL, "q", RENAME_EXCHANGE), -EINVAL);
	KEXPECT_EQ(fx_teardown(&fx), 0);
}

KTEST(vfs_mknod_types)
{
	struct fx fx;
	KASSERT(fx_setup(&fx, NULL) == 0);
	struct stat st;
	KEXPECT_EQ(vfs_mknod(&fx.ctx, NULL, "fifo", S_IFIFO | 0644, 0), 0);
	KEXPECT_EQ(vfs_mknod(&fx.ctx, NULL, "fifo", S_IFIFO | 0644, 0), -EEXIST);
	KEXPECT_EQ(vfs_mknod(&fx.ctx, NULL, "reg", 0600, 0), 0);
	KEXPECT_EQ(vfs_mknod(&fx.ctx, NULL, "null", S_IFCHR | 0666, dev_encode(1, 3)), 0);
	KEXPECT_EQ(vfs_mknod(&fx.ctx, NULL, "dir", S_IFDIR | 0755, 0), -EPERM);
	KEXPECT_EQ(vfs_mknod(&fx.ctx, NULL, "bad", 0170000 | 0755, 0), -EINVAL);
	KEXPECT_EQ(vfs_mkdir(&fx.ctx, NULL, "u", 0777), 0);
	struct path p;
	KASSERT(vfs_lookup(&fx.ctx, NULL, "u", 0, &p) == 0);
	KEXPECT_EQ(vfs_chmod(&fx.cred, p.inode, 0777), 0);
	path_put(&p);
	KEXPECT_EQ(vfs_mknod(&fx.uctx, NULL, "u/blk", S_IFBLK | 0600, dev_encode(8, 0)), -EPERM);
	KEXPECT_EQ(vfs_mknod(&fx.uctx, NULL, "u/fifo", S_IFIFO | 0600, 0), 0);
	KEXPECT_EQ(FX_STAT(&fx, "fifo", &st), 0);
	KEXPECT(S_ISFIFO(st.st_mode));
	KEXPECT_EQ(FX_STAT(&fx, "reg", &st), 0);
	KEXPECT_EQ(st.st_mode, S_IFREG | 0600);
	KEXPECT_EQ(st.st_size, 0);
	KEXPECT_EQ(FX_STAT(&fx, "null", &st), 0);
	KEXPECT(S_ISCHR(st.st_mode));
	KEXPECT_EQ(dev_major(st.st_rdev), 1);
	KEXPECT_EQ(dev_minor(st.st_rdev), 3);
	KEXPECT_EQ(FX_STAT(&fx, "u/fifo", &st), 0);
	KEXPECT_EQ(st.st_uid, 1000);
	/* No driver yet: opening a device or FIFO gives ENXIO. */
	struct file *f;
	KEXPECT_EQ(vfs_open(&fx.ctx, NULL, "null", O_RDWR, 0, &f), -ENXIO);
	KEXPECT_EQ(fx_teardown(&fx), 0);
}

KTEST(vfs_chmod_chown_rules)
{
	struct fx fx;
	KASSERT(fx_setup(&fx, NULL) == 0);
	KEXPECT_EQ(fx_write(&fx.ctx, "f", "x"), 0);
	struct path p;
	KASSERT(vfs_lookup(&fx.ctx, NULL, "f", 0, &p) == 0);
	struct inode *i = p.inode;
	KEXPECT_EQ(vfs_chmod(&fx.user, i, 0777), -EPERM);
	KEXPECT_EQ(vfs_chown(&fx.user, i, 1000, (uint32_t)-1), -EPERM);
	KEXPECT_EQ(vfs_chown(&fx.cred, i, 1000, 1000), 0);
	KEXPECT_EQ(i->uid, 1000);
	KEXPECT_EQ(vfs_chmod(&fx.user, i, 06755), 0);
	KEXPECT_EQ(i->mode, S_IFREG | 06755);
	/* The owner may not give the file away, nor pick a group it is not in. */
	KEXPECT_EQ(vfs_chown(&fx.user, i, 0, (uint32_t)-1), -EPERM);
	KEXPECT_EQ(vfs_chown(&fx.user, i, (uint32_t)-1, 5), -EPERM);
	KEXPECT_EQ(vfs_chown(&fx.user, i, 1000, 1000), 0);	/* a no-op change is allowed */
	KEXPECT_EQ(i->mode & 06000, 0);				/* ...but drops set-id bits */
	fx.user.groups[0] = 5;
	fx.user.ngroups = 1;
	KEXPECT_EQ(vfs_chown(&fx.user, i, (uint32_t)-1, 5), 0);
	KEXPECT_EQ(i->gid, 5);
	/* setgid is dropped when the owner is not in the file's group. */
	KEXPECT_EQ(vfs_chown(&fx.cred, i, (uint32_t)-1, 77), 0);
	KEXPECT_EQ(vfs_chmod(&fx.user, i, 02755), 0);
	KEXPECT_EQ(i->mode & 07777, 0755);
	path_put(&p);
	KEXPECT_EQ(fx_teardown(&fx), 0);
}

KTEST(vfs_utimens_truncate_access_statfs)
{
	struct fx fx;
	KASSERT(fx_setup(&fx, "size=64k,nr_inodes=100") == 0);
	KEXPECT_EQ(fx_write(&fx.ctx, "f", "hello"), 0);
	struct path p;
	KASSERT(vfs_lookup(&fx.ctx, NULL, "f", 0, &p) == 0);
	struct inode *i = p.inode;
	struct fs_time t[2] = { { 1, 5 }, { 2, 6 } };
	KEXPECT_EQ(vfs_utimens(&fx.user, i, t), -EPERM);
	KEXPECT_EQ(vfs_utimens(&fx.user, i, NULL), -EACCES);
	KEXPECT_EQ(vfs_utimens(&fx.cred, i, t), 0);
	struct stat st;
	inode_fill_stat(i, &st);
	KEXPECT_EQ(st.st_atime, 1);
	KEXPECT_EQ(st.st_atime_nsec, 5);
	KEXPECT_EQ(st.st_mtime, 2);
	struct fs_time omit[2] = { { 9, UTIME_OMIT }, { 0, UTIME_NOW } };
	KEXPECT_EQ(vfs_utimens(&fx.cred, i, omit), 0);
	inode_fill_stat(i, &st);
	KEXPECT_EQ(st.st_atime, 1);
	KEXPECT(st.st_mtime > 1000000000);
	struct fs_time bad[2] = { { 0, 1000000000 }, { 0, 0 } };
	KEXPECT_EQ(vfs_utimens(&fx.cred, i, bad), -EINVAL);
	/* truncate */
	KEXPECT_EQ(vfs_truncate(&fx.cred, i, -1, true), -EINVAL);
	KEXPECT_EQ(vfs_truncate(&fx.user, i, 0, true), -EACCES);
	KEXPECT_EQ(vfs_truncate(&fx.cred, i, 2, true), 0);
	KEXPECT_EQ(i->size, 2);
	KEXPECT_EQ(vfs_truncate(&fx.cred, i, (int64_t)1 << 60, true), -EFBIG);
	KEXPECT_EQ(vfs_truncate(&fx.cred, fx.root.inode, 0, true), -EISDIR);
	/* access */
	KEXPECT_EQ(vfs_access(&fx.user, i, 4), 0);
	KEXPECT_EQ(vfs_access(&fx.user, i, 2), -EACCES);
	KEXPECT_EQ(vfs_access(&fx.user, i, 0), 0);
	/* statfs reflects the size= and nr_inodes= options. */
	struct statfs sf;
	KEXPECT_EQ(vfs_statfs(i, &sf), 0);
	KEXPECT_EQ(sf.f_type, TMPFS_MAGIC);
	KEXPECT_EQ(sf.f_bsize, 4096);
	KEXPECT_EQ(sf.f_blocks, 16);
	KEXPECT_EQ(sf.f_bfree, 15);
	KEXPECT_EQ(sf.f_files, 100);
	KEXPECT_EQ(sf.f_ffree, 98);
	KEXPECT_EQ(sf.f_namelen, 255);
	path_put(&p);
	KEXPECT_EQ(fx_teardown(&fx), 0);
}

KTEST(vfs_stat_statx_fields)
{
	struct fx fx;
	KASSERT(fx_setup(&fx, NULL) == 0);
	KEXPECT_EQ(fx_write(&fx.ctx, "f", "12345"), 0);
	struct path p;
	KASSERT(vfs_lookup(&fx.ctx, NULL, "f", 0, &p) == 0);
	struct stat st;
	struct statx sx;
	inode_fill_stat(p.inode, &st);
	inode_fill_statx(p.inode, STATX_BASIC_STATS, &sx);
	KEXPECT_EQ(st.st_size, 5);
	KEXPECT_EQ(st.st_blocks, 8);
	KEXPECT_EQ(st.st_blksize, 4096);
	KEXPECT_EQ(st.st_mode, S_IFREG | 0644);
	KEXPECT_EQ(sx.stx_size, 5);
	KEXPECT_EQ(sx.stx_ino, st.st_ino);
	KEXPECT_EQ(sx.stx_mode, st.st_mode);
	KEXPECT_EQ(sx.stx_mtime.tv_sec, (int64_t)st.st_mtime);
	KEXPECT_EQ(sx.stx_mask & STATX_BASIC_STATS, STATX_BASIC_STATS);
	KEXPECT_EQ(dev_encode(sx.stx_dev_major, sx.stx_dev_minor), st.st_dev);
	path_put(&p);
	KEXPECT_EQ(fx_teardown(&fx), 0);
}
