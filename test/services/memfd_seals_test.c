/* memfd files and seals: the name procfs shows, F_SEAL_* against truncate, write and shared writable maps, and sealing closed by default. */
#include <frame/ktest.h>
#include <abi/mman.h>
#include <kernel/memfd.h>
#include <kernel/mm.h>

#include "vfs_fixture.h"

KTEST(memfd_seals_shrink_grow_write)
{
	struct fx fx;
	KASSERT(fx_setup(&fx, NULL) == 0);
	struct file *f;
	KASSERT(memfd_create_file(&fx.cred, "s", true, &f) == 0);
	struct inode *inode = f->path.inode;
	struct stat st;
	KEXPECT_EQ(vfs_fstat(f, &st), 0);
	KEXPECT_EQ(st.st_nlink, 1);
	KEXPECT_EQ(f->flags & O_ACCMODE, O_RDWR);
	KEXPECT_EQ(vfs_truncate(&fx.cred, inode, 100, false), 0);
	KEXPECT_EQ(memfd_get_seals(f), 0);
	KEXPECT_EQ(memfd_add_seals(f, F_SEAL_SHRINK | F_SEAL_GROW), 0);
	KEXPECT_EQ(memfd_get_seals(f), F_SEAL_SHRINK | F_SEAL_GROW);
	KEXPECT_EQ(vfs_truncate(&fx.cred, inode, 50, false), -EPERM);
	KEXPECT_EQ(vfs_truncate(&fx.cred, inode, 200, false), -EPERM);
	KEXPECT_EQ(vfs_pwrite(f, "abc", 3, 10), 3);	/* inside the size: allowed */
	KEXPECT_EQ(vfs_pwrite(f, "abc", 3, 99), -EPERM);	/* would grow */
	KEXPECT_EQ(memfd_add_seals(f, 0x100), -EINVAL);
	/* A shared writable mapping object keeps F_SEAL_WRITE out. */
	struct mm_object *obj = tmpfs_file_object(f);
	KASSERT(obj != NULL);
	KEXPECT_EQ(obj->ops->may_map(obj, PROT_READ | PROT_WRITE, MAP_SHARED), 0);
	KEXPECT_EQ(memfd_add_seals(f, F_SEAL_WRITE), -EBUSY);
	mm_object_put(obj);
	KEXPECT_EQ(memfd_add_seals(f, F_SEAL_WRITE | F_SEAL_SEAL), 0);
	KEXPECT_EQ(vfs_pwrite(f, "x", 1, 0), -EPERM);
	obj = tmpfs_file_object(f);
	KASSERT(obj != NULL);
	KEXPECT_EQ(obj->ops->may_map(obj, PROT_READ | PROT_WRITE, MAP_SHARED), -EPERM);
	KEXPECT_EQ(obj->ops->may_map(obj, PROT_READ, MAP_SHARED), 0);
	mm_object_put(obj);
	KEXPECT_EQ(memfd_add_seals(f, F_SEAL_SHRINK), -EPERM);	/* sealed */
	file_put(f);
	KEXPECT_EQ(memfd_shutdown(), 0);
	KEXPECT_EQ(fx_teardown(&fx), 0);
}

KTEST(memfd_sealing_closed_by_default)
{
	struct fx fx;
	KASSERT(fx_setup(&fx, NULL) == 0);
	struct file *f, *g;
	KASSERT(memfd_create_file(&fx.cred, "n", false, &f) == 0);
	KEXPECT_EQ(memfd_get_seals(f), F_SEAL_SEAL);
	KEXPECT_EQ(memfd_add_seals(f, F_SEAL_WRITE), -EPERM);
	/* Two memfds of one name are two files; each goes with its own last reference. */
	KASSERT(memfd_create_file(&fx.cred, "n", false, &g) == 0);
	KEXPECT(f->path.inode != g->path.inode);
	KEXPECT_EQ(vfs_pwrite(g, "g", 1, 0), 1);
	file_put(f);
	char c = 0;
	KEXPECT_EQ(vfs_pread(g, &c, 1, 0), 1);
	KEXPECT_EQ(c, 'g');
	KEXPECT_EQ(memfd_shutdown(), -EBUSY);	/* g is still open */
	file_put(g);
	KEXPECT_EQ(memfd_shutdown(), 0);
	/* A plain tmpfs file reports F_SEAL_SEAL too, as shmem does. */
	KEXPECT_EQ(fx_write(&fx.ctx, "plain", "x"), 0);
	KASSERT(vfs_open(&fx.ctx, NULL, "plain", O_RDWR, 0, &f) == 0);
	KEXPECT_EQ(memfd_get_seals(f), F_SEAL_SEAL);
	file_put(f);
	KEXPECT_EQ(fx_teardown(&fx), 0);
}
