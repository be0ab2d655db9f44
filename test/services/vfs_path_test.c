/* Path-walk tests: dots, slashes, symlinks, ELOOP, ENAMETOOLONG, ENOTDIR, EACCES, mounts. */
#include <frame/heap.h>
#include <frame/ktest.h>
#include <frame/log.h>

#include "vfs_fixture.h"

KTEST(vfs_walk_dots_and_slashes)
{
	struct fx fx;
	KASSERT(fx_setup(&fx, NULL) == 0);
	struct stat a, b;
	KEXPECT_EQ(vfs_mkdir(&fx.ctx, NULL, "d", 0755), 0);
	KEXPECT_EQ(vfs_mkdir(&fx.ctx, NULL, "d/e", 0755), 0);
	KEXPECT_EQ(FX_STAT(&fx, "/", &a), 0);
	KEXPECT_EQ(FX_STAT(&fx, "/..", &b), 0);
	KEXPECT_EQ(a.st_ino, b.st_ino);
	KEXPECT_EQ(FX_STAT(&fx, "/../../..", &b), 0);
	KEXPECT_EQ(a.st_ino, b.st_ino);
	KEXPECT_EQ(FX_STAT(&fx, "d//e/..///./", &b), 0);
	struct stat d;
	KEXPECT_EQ(FX_STAT(&fx, "d", &d), 0);
	KEXPECT_EQ(b.st_ino, d.st_ino);
	KEXPECT_EQ(FX_STAT(&fx, "////d/e", &b), 0);
	KEXPECT(S_ISDIR(b.st_mode));
	KEXPECT_EQ(FX_STAT(&fx, "", &b), -ENOENT);
	KEXPECT_EQ(FX_STAT(&fx, "missing", &b), -ENOENT);
	KEXPECT_EQ(FX_STAT(&fx, "missing/x", &b), -ENOENT);
	KEXPECT_EQ(fx_teardown(&fx), 0);
}

KTEST(vfs_walk_trailing_slash_and_enotdir)
{
	struct fx fx;
	KASSERT(fx_setup(&fx, NULL) == 0);
	struct stat st;
	KEXPECT_EQ(fx_write(&fx.ctx, "f", "x"), 0);
	KEXPECT_EQ(FX_STAT(&fx, "f/", &st), -ENOTDIR);
	KEXPECT_EQ(FX_STAT(&fx, "f/.", &st), -ENOTDIR);
	KEXPECT_EQ(FX_STAT(&fx, "f/x", &st), -ENOTDIR);
	KEXPECT_EQ(vfs_mkdir(&fx.ctx, NULL, "d", 0755), 0);
	KEXPECT_EQ(FX_STAT(&fx, "d/", &st), 0);
	KEXPECT_EQ(vfs_symlink(&fx.ctx, "d", NULL, "ld"), 0);
	KEXPECT_EQ(vfs_symlink(&fx.ctx, "f", NULL, "lf"), 0);
	/* A trailing slash follows the link even without LOOKUP_FOLLOW. */
	KEXPECT_EQ(fx_stat(&fx.ctx, "ld/", 0, &st), 0);
	KEXPECT(S_ISDIR(st.st_mode));
	KEXPECT_EQ(fx_stat(&fx.ctx, "lf/", 0, &st), -ENOTDIR);
	struct path p;
	KEXPECT_EQ(vfs_lookup(&fx.ctx, NULL, "f", LOOKUP_DIRECTORY, &p), -ENOTDIR);
	KEXPECT_EQ(fx_teardown(&fx), 0);
}

KTEST(vfs_walk_symlinks_and_eloop)
{
	struct fx fx;
	KASSERT(fx_setup(&fx, NULL) == 0);
	struct stat st;
	KEXPECT_EQ(vfs_mkdir(&fx.ctx, NULL, "d", 0755), 0);
	KEXPECT_EQ(fx_write(&fx.ctx, "d/f", "data"), 0);
	KEXPECT_EQ(vfs_symlink(&fx.ctx, "/d/f", NULL, "abs"), 0);
	KEXPECT_EQ(vfs_symlink(&fx.ctx, "f", NULL, "d/rel"), 0);
	KEXPECT_EQ(vfs_symlink(&fx.ctx, "../d", NULL, "d/up"), 0);
	KEXPECT_EQ(FX_STAT(&fx, "abs", &st), 0);
	KEXPECT_EQ(st.st_size, 4);
	KEXPECT_EQ(fx_stat(&fx.ctx, "abs", 0, &st), 0);
	KEXPECT(S_ISLNK(st.st_mode));
	KEXPECT_EQ(st.st_size, 4);
	KEXPECT_EQ(FX_STAT(&fx, "d/rel", &st), 0);
	KEXPECT(S_ISREG(st.st_mode));
	KEXPECT_EQ(FX_STAT(&fx, "d/up/up/up/rel", &st), 0);
	KEXPECT(S_ISREG(st.st_mode));
	/* Self loop and a ping-pong pair. */
	KEXPECT_EQ(vfs_symlink(&fx.ctx, "self", NULL, "self"), 0);
	KEXPECT_EQ(FX_STAT(&fx, "self", &st), -ELOOP);
	KEXPECT_EQ(vfs_symlink(&fx.ctx, "b", NULL, "a"), 0);
	KEXPECT_EQ(vfs_symlink(&fx.ctx, "a", NULL, "b"), 0);
	KEXPECT_EQ(FX_STAT(&fx, "a/x", &st), -ELOOP);
	KEXPECT_EQ(vfs_symlink(&fx.ctx, "nowhere", NULL, "dangling"), 0);
	KEXPECT_EQ(FX_STAT(&fx, "dangling", &st), -ENOENT);
	KEXPECT_EQ(fx_stat(&fx.ctx, "dangling", 0, &st), 0);
	/* A chain of exactly 40 links resolves; 41 is ELOOP. */
	char name[16], target[16];
	KEXPECT_EQ(vfs_symlink(&fx.ctx, "d/f", NULL, "c0"), 0);
	for (int i = 1; i <= 40; i++) {
		snprintf(name, sizeof(name), "c%d", i);
		snprintf(target, sizeof(target), "c%d", i - 1);
		KEXPECT_EQ(vfs_symlink(&fx.ctx, target, NULL, name), 0);
	}
	KEXPECT_EQ(FX_STAT(&fx, "c39", &st), 0);
	KEXPECT_EQ(FX_STAT(&fx, "c40", &st), -ELOOP);
	KEXPECT_EQ(vfs_symlink(&fx.ctx, "", NULL, "empty"), -ENOENT);
	KEXPECT_EQ(fx_teardown(&fx), 0);
}

KTEST(vfs_walk_name_lengths)
{
	struct fx fx;
	KASSERT(fx_setup(&fx, NULL) == 0);
	char *name = kmalloc(PATH_MAX + 2);
	KASSERT(name != NULL);
	struct stat st;
	memset(name, 'n', 255);
	name[255] = 0;
	KEXPECT_EQ(vfs_mkdir(&fx.ctx, NULL, name, 0755), 0);
	KEXPECT_EQ(FX_STAT(&fx, name, &st), 0);
	name[255] = 'n';
	name[256] = 0;
	KEXPECT_EQ(vfs_mkdir(&fx.ctx, NULL, name, 0755), -ENAMETOOLONG);
	KEXPECT_EQ(FX_STAT(&fx, name, &st), -ENAMETOOLONG);
	/* A 4095-byte path is fine to walk (ENOENT); 4096 bytes is too long. */
	for (int i = 0; i < PATH_MAX; i++)
		name[i] = (i % 2) ? '/' : 'a';
	name[PATH_MAX - 1] = 0;
	KEXPECT_EQ(FX_STAT(&fx, name, &st), -ENOENT);
	name[PATH_MAX - 1] = 'a';
	name[PATH_MAX] = 0;
	KEXPECT_EQ(FX_STAT(&fx, name, &st), -ENAMETOOLONG);
	kfree(name);
	KEXPECT_EQ(fx_teardown(&fx), 0);
}

KTEST(vfs_walk_search_permission)
{
	struct fx fx;
	KASSERT(fx_setup(&fx, NULL) == 0);
	struct stat st;
	KEXPECT_EQ(vfs_mkdir(&fx.ctx, NULL, "d", 0700), 0);
	KEXPECT_EQ(fx_write(&fx.ctx, "d/f", "x"), 0);
	KEXPECT_EQ(fx_stat(&fx.uctx, "d/f", 0, &st), -EACCES);
	KEXPECT_EQ(fx_stat(&fx.uctx, "d", 0, &st), 0);	/* the directory itself is reachable */
	KEXPECT_EQ(fx_stat(&fx.ctx, "d/f", 0, &st), 0);	/* root bypasses */
	struct path p;
	KASSERT(vfs_lookup(&fx.ctx, NULL, "d", 0, &p) == 0);
	KEXPECT_EQ(vfs_chmod(&fx.cred, p.inode, 0701), 0);	/* x for others only */
	KEXPECT_EQ(fx_stat(&fx.uctx, "d/f", 0, &st), 0);
	/* Group bits apply to a member of the group through supplementary groups. */
	KEXPECT_EQ(vfs_chown(&fx.cred, p.inode, 0, 55), 0);
	KEXPECT_EQ(vfs_chmod(&fx.cred, p.inode, 0710), 0);
	KEXPECT_EQ(fx_stat(&fx.uctx, "d/f", 0, &st), -EACCES);
	fx.user.groups[0] = 55;
	fx.user.ngroups = 1;
	KEXPECT_EQ(fx_stat(&fx.uctx, "d/f", 0, &st), 0);
	path_put(&p);
	/* Root may not exec a file with no x bit at all. */
	KASSERT(vfs_lookup(&fx.ctx, NULL, "d/f", 0, &p) == 0);
	KEXPECT_EQ(inode_permission(&fx.cred, p.inode, MAY_EXEC), -EACCES);
	KEXPECT_EQ(vfs_chmod(&fx.cred, p.inode, 0001), 0);
	KEXPECT_EQ(inode_permission(&fx.cred, p.inode, MAY_EXEC), 0);
	KEXPECT_EQ(inode_permission(&fx.user, p.inode, MAY_READ), -EACCES);
	KEXPECT_EQ(vfs_access(&fx.user, p.inode, 8), -EINVAL);
	path_put(&p);
	KEXPECT_EQ(fx_teardown(&fx), 0);
}

KTEST(vfs_walk_mounts)
{
	struct fx fx;
	KASSERT(fx_setup(&fx, NULL) == 0);
	struct stat root, mnt, st;
	KEXPECT_EQ(vfs_mkdir(&fx.ctx, NULL, "mnt", 0755), 0);
	KEXPECT_EQ(fx_write(&fx.ctx, "mnt/hidden", "x"), 0);
	KEXPECT_EQ(vfs_mount(&fx.uctx, NULL, "mnt", "tmpfs", NULL), -EPERM);
	KEXPECT_EQ(vfs_mount(&fx.ctx, NULL, "mnt", "nofs", NULL), -ENODEV);
	KEXPECT_EQ(vfs_mount(&fx.ctx, NULL, "mnt/hidden", "tmpfs", NULL), -ENOTDIR);
	KEXPECT_EQ(vfs_mount(&fx.ctx, NULL, "mnt", "tmpfs", "size=1m,bogus"), -EINVAL);
	KEXPECT_EQ(vfs_mount(&fx.ctx, NULL, "mnt", "tmpfs", "size=1m"), 0);
	KEXPECT_EQ(FX_STAT(&fx, "mnt/hidden", &st), -ENOENT);
	KEXPECT_EQ(FX_STAT(&fx, "/", &root), 0);
	KEXPECT_EQ(FX_STAT(&fx, "mnt", &mnt), 0);
	KEXPECT(mnt.st_dev != root.st_dev);
	KEXPECT_EQ(FX_STAT(&fx, "mnt/..", &st), 0);
	KEXPECT_EQ(st.st_ino, root.st_ino);
	KEXPECT_EQ(st.st_dev, root.st_dev);
	KEXPECT_EQ(vfs_mkdir(&fx.ctx, NULL, "mnt/sub", 0755), 0);
	KEXPECT_EQ(FX_STAT(&fx, "mnt/sub/../../mnt/sub", &st), 0);
	KEXPECT_EQ(st.st_dev, mnt.st_dev);
	/* Cross-mount link is EXDEV; the mount point cannot be removed or renamed. */
	KEXPECT_EQ(vfs_link(&fx.ctx, NULL, "mnt/hidden", NULL, "x", 0), -ENOENT);
	KEXPECT_EQ(fx_write(&fx.ctx, "top", "x"), 0);
	KEXPECT_EQ(vfs_link(&fx.ctx, NULL, "top", NULL, "mnt/top", 0), -EXDEV);
	KEXPECT_EQ(vfs_rename(&fx.ctx, NULL, "top", NULL, "mnt/top", 0), -EXDEV);
	KEXPECT_EQ(vfs_rmdir(&fx.ctx, NULL, "mnt"), -EBUSY);
	KEXPECT_EQ(vfs_rename(&fx.ctx, NULL, "mnt", NULL, "mnt2", 0), -EBUSY);
	/* Busy while a file is open in it; EINVAL on a non-root; EPERM for users. */
	struct file *f;
	KEXPECT_EQ(vfs_open(&fx.ctx, NULL, "mnt/sub", O_RDONLY, 0, &f), 0);
	KEXPECT_EQ(vfs_umount(&fx.ctx, NULL, "mnt"), -EBUSY);
	file_put(f);
	KEXPECT_EQ(vfs_umount(&fx.ctx, NULL, "mnt/sub"), -EINVAL);
	KEXPECT_EQ(vfs_umount(&fx.uctx, NULL, "mnt"), -EPERM);
	KEXPECT_EQ(vfs_umount(&fx.ctx, NULL, "/"), -EBUSY);
	/* A mount on a mount: the parent is busy until the child goes. */
	KEXPECT_EQ(vfs_mount(&fx.ctx, NULL, "mnt/sub", "ramfs", NULL), 0);
	KEXPECT_EQ(vfs_umount(&fx.ctx, NULL, "mnt"), -EBUSY);
	KEXPECT_EQ(vfs_umount(&fx.ctx, NULL, "mnt/sub"), 0);
	KEXPECT_EQ(vfs_umount(&fx.ctx, NULL, "mnt"), 0);
	KEXPECT_EQ(FX_STAT(&fx, "mnt/hidden", &st), 0);
	KEXPECT_EQ(fx_teardown(&fx), 0);
}

KTEST(vfs_walk_chroot_root)
{
	struct fx fx;
	KASSERT(fx_setup(&fx, NULL) == 0);
	KEXPECT_EQ(vfs_mkdir(&fx.ctx, NULL, "jail", 0755), 0);
	KEXPECT_EQ(fx_write(&fx.ctx, "jail/inside", "x"), 0);
	KEXPECT_EQ(fx_write(&fx.ctx, "outside", "x"), 0);
	KEXPECT_EQ(vfs_symlink(&fx.ctx, "/inside", NULL, "jail/abs"), 0);
	struct vfs_ctx jail = fx.ctx;
	KASSERT(vfs_lookup(&fx.ctx, NULL, "jail", 0, &jail.root) == 0);
	jail.cwd = jail.root;
	struct stat st;
	KEXPECT_EQ(fx_stat(&jail, "/inside", 0, &st), 0);
	KEXPECT_EQ(fx_stat(&jail, "/../../outside", 0, &st), -ENOENT);
	KEXPECT_EQ(fx_stat(&jail, "../inside", 0, &st), 0);
	KEXPECT_EQ(fx_stat(&jail, "abs", LOOKUP_FOLLOW, &st), 0);
	KEXPECT_EQ(vfs_rmdir(&fx.ctx, NULL, "jail/.."), -ENOTEMPTY);
	path_put(&jail.root);
	KEXPECT_EQ(fx_teardown(&fx), 0);
}
