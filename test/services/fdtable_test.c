/* File-descriptor table tests: lowest free fd, EMFILE, dup/dup2/dup3, close-on-exec, sharing, fork copy. */
#include <frame/ktest.h>
#include <kernel/fdtable.h>

#include "vfs_fixture.h"

KTEST(fdtable_alloc_dup_close)
{
	struct fx fx;
	KASSERT(fx_setup(&fx, NULL) == 0);
	struct file *f;
	KASSERT(vfs_open(&fx.ctx, NULL, "/", O_RDONLY, 0, &f) == 0);
	struct fdtable *t = fdtable_create();
	KASSERT(t != NULL);
	KEXPECT_EQ(fd_install(t, f, 0, 4, false), 0);
	KEXPECT_EQ(fd_install(t, f, 0, 4, true), 1);
	KEXPECT_EQ(fd_install(t, f, 0, 4, false), 2);
	KEXPECT_EQ(fd_close(t, 1), 0);
	KEXPECT_EQ(fd_close(t, 1), -EBADF);
	KEXPECT_EQ(fd_close(t, -1), -EBADF);
	KEXPECT_EQ(fd_close(t, 1000), -EBADF);
	KEXPECT_EQ(fd_dup(t, 0, 4), 1);			/* lowest free */
	KEXPECT_EQ(fd_get_cloexec(t, 1), 0);		/* dup clears close-on-exec */
	KEXPECT_EQ(fd_dup(t, 0, 4), 3);
	KEXPECT_EQ(fd_dup(t, 0, 4), -EMFILE);
	KEXPECT_EQ(fd_dup(t, 9, 4), -EBADF);
	KEXPECT_EQ(fd_dupfd(t, 0, 4, 4, false), -EINVAL);
	KEXPECT_EQ(fd_dupfd(t, 0, 2, 8, true), 4);
	KEXPECT_EQ(fd_get_cloexec(t, 4), FD_CLOEXEC);
	/* dup2/dup3 */
	KEXPECT_EQ(fd_dup2(t, 0, 0, 8), 0);
	KEXPECT_EQ(fd_dup2(t, 7, 7, 8), -EBADF);
	KEXPECT_EQ(fd_dup2(t, 0, 8, 8), -EBADF);		/* newfd beyond the limit */
	KEXPECT_EQ(fd_dup2(t, 0, -1, 8), -EBADF);
	KEXPECT_EQ(fd_dup3(t, 0, 0, 0, 8), -EINVAL);
	KEXPECT_EQ(fd_dup3(t, 0, 5, O_NONBLOCK, 8), -EINVAL);
	KEXPECT_EQ(fd_dup3(t, 6, 5, 0, 8), -EBADF);
	KEXPECT_EQ(fd_dup3(t, 0, 4, O_CLOEXEC, 8), 4);	/* replaces fd 4 */
	KEXPECT_EQ(fd_get_cloexec(t, 4), FD_CLOEXEC);
	KEXPECT_EQ(fd_dup2(t, 0, 4, 8), 4);
	KEXPECT_EQ(fd_get_cloexec(t, 4), 0);
	KEXPECT_EQ(fd_dup2(t, 0, 100, 200), 100);		/* grows the table */
	KEXPECT_EQ(fd_set_cloexec(t, 100, true), 0);
	KEXPECT_EQ(fd_set_cloexec(t, 99, true), -EBADF);
	KEXPECT_EQ(fd_get_cloexec(t, 99), -EBADF);
	KEXPECT_EQ(fdtable_count(t), 6);
	struct file *g = fd_get(t, 100);
	KEXPECT(g == f);
	file_put(g);
	KEXPECT(fd_get(t, 99) == NULL);
	KEXPECT(fd_get(t, -5) == NULL);
	/* Fork copies; exec closes the close-on-exec ones in that copy only. */
	struct fdtable *c = fdtable_copy(t);
	KASSERT(c != NULL);
	fdtable_close_on_exec(c);
	KEXPECT_EQ(fdtable_count(c), 5);
	KEXPECT_EQ(fdtable_count(t), 6);
	KEXPECT_EQ(fd_close(c, 0), 0);
	KEXPECT(fd_get_cloexec(t, 0) == 0);
	fdtable_put(c);
	/* Sharing (threads): the table lives until the last reference. */
	fdtable_get(t);
	fdtable_put(t);
	KEXPECT_EQ(fdtable_count(t), 6);
	KEXPECT_EQ(f->refcount, 7);
	fdtable_put(t);
	KEXPECT_EQ(f->refcount, 1);
	file_put(f);
	KEXPECT_EQ(fx_teardown(&fx), 0);
}

KTEST(fdtable_shared_offset)
{
	struct fx fx;
	KASSERT(fx_setup(&fx, NULL) == 0);
	struct fdtable *t = fdtable_create();
	KASSERT(t != NULL);
	struct file *f;
	KASSERT(vfs_open(&fx.ctx, NULL, "f", O_CREAT | O_RDWR, 0644, &f) == 0);
	int a = fd_install(t, f, 0, 16, false);
	file_put(f);
	int b = fd_dup(t, a, 16);
	struct file *fa = fd_get(t, a), *fb = fd_get(t, b);
	KASSERT(fa && fb);
	KEXPECT_EQ(vfs_write(fa, "abc", 3), 3);
	KEXPECT_EQ(vfs_lseek(fb, 0, SEEK_CUR), 3);	/* one description, one offset */
	file_put(fa);
	file_put(fb);
	KEXPECT_EQ(fd_close(t, a), 0);
	KEXPECT_EQ(fx_teardown(&fx), -EBUSY);		/* still open through b */
	fdtable_put(t);
	KEXPECT_EQ(vfs_umount_root(&fx.root), 0);
}
