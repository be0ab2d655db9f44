/* tmpfs's memory object: the file's very pages shared with mappings, EOF as SIGBUS, the EACCES rules, O_TMPFILE and fallocate. */
#include <frame/ktest.h>
#include <frame/page.h>
#include <abi/mman.h>
#include <kernel/mm.h>
#include <kernel/splice.h>

#include "vfs_fixture.h"

KTEST(tmpfs_page_object_shares_file_pages)
{
	struct fx fx;
	KASSERT(fx_setup(&fx, NULL) == 0);
	KEXPECT_EQ(fx_write(&fx.ctx, "f", "hello"), 0);
	struct file *f;
	KASSERT(vfs_open(&fx.ctx, NULL, "f", O_RDWR, 0, &f) == 0);
	struct mm_object *obj = tmpfs_file_object(f);
	KASSERT(obj != NULL);
	struct page *pg = NULL, *again = NULL;
	KASSERT(obj->ops->get_page(obj, 0, &pg) == 0);
	char buf[8] = { 0 };
	KEXPECT_EQ(page_read(pg, 0, buf, 5), 0);
	KEXPECT(!memcmp(buf, "hello", 5));
	/* A write through the page (a shared mapping) is what read() sees. */
	KEXPECT_EQ(page_write(pg, 0, "J", 1), 0);
	KEXPECT_EQ(vfs_pread(f, buf, 5, 0), 5);
	KEXPECT(!memcmp(buf, "Jello", 5));
	/* And write() lands in the same page. */
	KEXPECT_EQ(vfs_pwrite(f, "Y", 1, 4), 1);
	KEXPECT_EQ(page_read(pg, 4, buf, 1), 0);
	KEXPECT_EQ(buf[0], 'Y');
	KASSERT(obj->ops->get_page(obj, 0, &again) == 0);
	KEXPECT(again == pg);
	page_put(again);
	/* The page holding EOF exists; the next one is SIGBUS (-EIO). */
	KEXPECT_EQ(obj->ops->get_page(obj, 1, &again), -EIO);
	page_put(pg);
	KEXPECT_EQ(obj->ops->may_map(obj, PROT_READ | PROT_WRITE, MAP_SHARED), 0);
	mm_object_put(obj);
	file_put(f);
	KEXPECT_EQ(fx_teardown(&fx), 0);
}

KTEST(tmpfs_page_object_access_rules)
{
	struct fx fx;
	KASSERT(fx_setup(&fx, NULL) == 0);
	KEXPECT_EQ(fx_write(&fx.ctx, "f", "data"), 0);
	struct file *f;
	KASSERT(vfs_open(&fx.ctx, NULL, "f", O_RDONLY, 0, &f) == 0);
	struct mm_object *obj = tmpfs_file_object(f);
	KASSERT(obj != NULL);
	KEXPECT_EQ(obj->ops->may_map(obj, PROT_READ | PROT_WRITE, MAP_SHARED), -EACCES);
	KEXPECT_EQ(obj->ops->may_map(obj, PROT_READ, MAP_SHARED), 0);
	KEXPECT_EQ(obj->ops->may_map(obj, PROT_READ | PROT_WRITE, MAP_PRIVATE), 0);
	mm_object_put(obj);
	file_put(f);
	/* A directory has no object. */
	struct file *d;
	KASSERT(vfs_open(&fx.ctx, NULL, "/", O_RDONLY | O_DIRECTORY, 0, &d) == 0);
	KEXPECT(tmpfs_file_object(d) == NULL);
	file_put(d);
	KEXPECT_EQ(fx_teardown(&fx), 0);
}

KTEST(tmpfs_page_hole_and_truncate)
{
	struct fx fx;
	KASSERT(fx_setup(&fx, NULL) == 0);
	struct file *f;
	KASSERT(vfs_open(&fx.ctx, NULL, "f", O_RDWR | O_CREAT, 0644, &f) == 0);
	KEXPECT_EQ(vfs_truncate(fx.ctx.cred, f->path.inode, 3 * PAGE_SIZE, false), 0);
	struct mm_object *obj = tmpfs_file_object(f);
	KASSERT(obj != NULL);
	struct page *pg;
	/* A hole inside the file becomes a zeroed page of the file. */
	KASSERT(obj->ops->get_page(obj, 2, &pg) == 0);
	char c = 1;
	KEXPECT_EQ(page_read(pg, 100, &c, 1), 0);
	KEXPECT_EQ(c, 0);
	KEXPECT_EQ(page_write(pg, 100, "z", 1), 0);
	KEXPECT_EQ(vfs_pread(f, &c, 1, 2 * PAGE_SIZE + 100), 1);
	KEXPECT_EQ(c, 'z');
	page_put(pg);
	KEXPECT_EQ(vfs_truncate(fx.ctx.cred, f->path.inode, PAGE_SIZE, false), 0);
	KEXPECT_EQ(obj->ops->get_page(obj, 2, &pg), -EIO);
	mm_object_put(obj);
	file_put(f);
	KEXPECT_EQ(fx_teardown(&fx), 0);
}

KTEST(tmpfs_tmpfile_and_fallocate)
{
	struct fx fx;
	KASSERT(fx_setup(&fx, NULL) == 0);
	struct file *f;
	KEXPECT_EQ(vfs_open(&fx.ctx, NULL, "/", O_TMPFILE | O_RDONLY, 0600, &f), -EINVAL);
	KASSERT(vfs_open(&fx.ctx, NULL, "/", O_TMPFILE | O_RDWR, 0600, &f) == 0);
	struct stat st;
	KEXPECT_EQ(vfs_fstat(f, &st), 0);
	KEXPECT_EQ(st.st_nlink, 0);
	KEXPECT_EQ(st.st_mode, S_IFREG | 0600);
	KEXPECT_EQ(vfs_fallocate(f, 0, 0, 8192), 0);
	KEXPECT_EQ(vfs_fstat(f, &st), 0);
	KEXPECT_EQ(st.st_size, 8192);
	KEXPECT_EQ(vfs_fallocate(f, FALLOC_FL_KEEP_SIZE, 8192, 4096), 0);
	KEXPECT_EQ(vfs_fstat(f, &st), 0);
	KEXPECT_EQ(st.st_size, 8192);
	KEXPECT_EQ(st.st_blocks, 3 * 8);
	KEXPECT_EQ(vfs_fallocate(f, 0, 0, 0), -EINVAL);
	KEXPECT_EQ(vfs_fallocate(f, FALLOC_FL_PUNCH_HOLE, 0, 1), -EINVAL);
	KEXPECT_EQ(vfs_fallocate(f, FALLOC_FL_ZERO_RANGE, 0, 1), -EOPNOTSUPP);
	file_put(f);	/* nameless: the last reference frees it */
	KEXPECT_EQ(fx_teardown(&fx), 0);
}
