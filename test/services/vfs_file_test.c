/* Open-file tests: open flags, read/write/pread/pwrite/lseek, getdents64 offsets, tmpfs holes and limits. */
#include <frame/heap.h>
#include <frame/ktest.h>

#include "vfs_fixture.h"

KTEST(vfs_open_flags)
{
	struct fx fx;
	KASSERT(fx_setup(&fx, NULL) == 0);
	struct file *f;
	KEXPECT_EQ(vfs_open(&fx.ctx, NULL, "new", O_RDONLY, 0, &f), -ENOENT);
	KEXPECT_EQ(vfs_open(&fx.ctx, NULL, "new", O_CREAT | O_EXCL | O_WRONLY, 0444, &f), 0);
	KEXPECT_EQ(vfs_write(f, "abc", 3), 3);	/* the creator may write whatever the mode */
	KEXPECT_EQ(vfs_read(f, NULL, 0), -EBADF);
	file_put(f);
	KEXPECT_EQ(vfs_open(&fx.ctx, NULL, "new", O_CREAT | O_EXCL | O_WRONLY, 0644, &f), -EEXIST);
	KEXPECT_EQ(vfs_open(&fx.uctx, NULL, "new", O_RDWR, 0, &f), -EACCES);
	KEXPECT_EQ(vfs_open(&fx.ctx, NULL, "new/", O_RDONLY, 0, &f), -ENOTDIR);
	KEXPECT_EQ(vfs_open(&fx.ctx, NULL, "new", O_RDONLY | O_DIRECTORY, 0, &f), -ENOTDIR);
	KEXPECT_EQ(vfs_open(&fx.ctx, NULL, "n2/", O_CREAT | O_WRONLY, 0644, &f), -EISDIR);
	KEXPECT_EQ(vfs_open(&fx.ctx, NULL, "/", O_CREAT | O_RDONLY, 0644, &f), -EISDIR);
	KEXPECT_EQ(vfs_open(&fx.ctx, NULL, ".", O_RDWR, 0, &f), -EISDIR);
	/* O_TMPFILE names a directory (kernel/fs/tmpfs_tmpfile.c): a file is -ENOTDIR, as Linux. */
	KEXPECT_EQ(vfs_open(&fx.ctx, NULL, "new", O_TMPFILE | O_RDWR, 0, &f), -ENOTDIR);
	KEXPECT_EQ(vfs_symlink(&fx.ctx, "new", NULL, "link"), 0);
	KEXPECT_EQ(vfs_open(&fx.ctx, NULL, "link", O_RDONLY | O_NOFOLLOW, 0, &f), -ELOOP);
	KEXPECT_EQ(vfs_open(&fx.ctx, NULL, "link", O_RDONLY | O_CREAT | O_NOFOLLOW, 0, &f), -ELOOP);
	KEXPECT_EQ(vfs_open(&fx.ctx, NULL, "link", O_CREAT | O_EXCL | O_RDONLY, 0, &f), -EEXIST);
	/* O_PATH on a symlink with O_NOFOLLOW gives a descriptor that cannot do I/O. */
	KEXPECT_EQ(vfs_open(&fx.ctx, NULL, "link", O_PATH | O_NOFOLLOW, 0, &f), 0);
	char c;
	KEXPECT_EQ(vfs_read(f, &c, 1), -EBADF);
	KEXPECT_EQ(vfs_lseek(f, 0, SEEK_SET), -EBADF);
	file_put(f);
	/* O_CREAT through a symlink opens the target; O_TRUNC empties it. */
	KEXPECT_EQ(vfs_open(&fx.ctx, NULL, "link", O_CREAT | O_RDWR | O_TRUNC, 0, &f), 0);
	struct stat st;
	KEXPECT_EQ(vfs_fstat(f, &st), 0);
	KEXPECT_EQ(st.st_size, 0);
	KEXPECT(S_ISREG(st.st_mode));
	file_put(f);
	/* O_APPEND writes at the end whatever the offset. */
	KEXPECT_EQ(fx_write(&fx.ctx, "ap", "12"), 0);
	KEXPECT_EQ(vfs_open(&fx.ctx, NULL, "ap", O_WRONLY | O_APPEND, 0, &f), 0);
	KEXPECT_EQ(vfs_lseek(f, 0, SEEK_SET), 0);
	KEXPECT_EQ(vfs_write(f, "34", 2), 2);
	KEXPECT_EQ(vfs_pwrite(f, "5", 1, 0), 1);
	file_put(f);
	char buf[16];
	KEXPECT_EQ(fx_read(&fx.ctx, "ap", buf, sizeof(buf)), 5);
	KEXPECT(!strcmp(buf, "12345"));
	KEXPECT_EQ(fx_teardown(&fx), 0);
}

KTEST(vfs_read_write_seek)
{
	struct fx fx;
	KASSERT(fx_setup(&fx, NULL) == 0);
	struct file *f;
	KASSERT(vfs_open(&fx.ctx, NULL, "f", O_CREAT | O_RDWR, 0644, &f) == 0);
	char buf[16];
	KEXPECT_EQ(vfs_write(f, "hello world", 11), 11);
	KEXPECT_EQ(vfs_read(f, buf, sizeof(buf)), 0);	/* at EOF */
	KEXPECT_EQ(vfs_lseek(f, 6, SEEK_SET), 6);
	KEXPECT_EQ(vfs_read(f, buf, 5), 5);
	KEXPECT(!memcmp(buf, "world", 5));
	KEXPECT_EQ(vfs_lseek(f, -5, SEEK_CUR), 6);
	KEXPECT_EQ(vfs_lseek(f, -1, SEEK_END), 10);
	KEXPECT_EQ(vfs_lseek(f, -12, SEEK_END), -EINVAL);
	KEXPECT_EQ(vfs_lseek(f, -1, SEEK_SET), -EINVAL);
	KEXPECT_EQ(vfs_lseek(f, INT64_MAX, SEEK_SET), INT64_MAX);
	KEXPECT_EQ(vfs_lseek(f, 1, SEEK_CUR), -EINVAL);	/* overflow */
	KEXPECT_EQ(vfs_lseek(f, 0, 7), -EINVAL);
	KEXPECT_EQ(vfs_lseek(f, 3, SEEK_DATA), 3);
	KEXPECT_EQ(vfs_lseek(f, 3, SEEK_HOLE), 11);
	KEXPECT_EQ(vfs_lseek(f, 11, SEEK_DATA), -ENXIO);
	KEXPECT_EQ(vfs_pread(f, buf, 5, 0), 5);
	KEXPECT(!memcmp(buf, "hello", 5));
	KEXPECT_EQ(vfs_pread(f, buf, 5, -1), -EINVAL);
	KEXPECT_EQ(vfs_pwrite(f, "J", 1, 0), 1);
	KEXPECT_EQ(vfs_lseek(f, 0, SEEK_CUR), 11);	/* p-calls leave the offset */
	KEXPECT_EQ(vfs_pread(f, buf, 1, 0), 1);
	KEXPECT_EQ(buf[0], 'J');
	/* Writing past the end leaves a hole that reads as zeros. */
	KEXPECT_EQ(vfs_pwrite(f, "Z", 1, 20), 1);
	KEXPECT_EQ(vfs_pread(f, buf, 16, 8), 13);
	KEXPECT(!memcmp(buf, "rld\0\0\0\0\0\0\0\0\0Z", 13));
	/* The maximum file size gives EFBIG, not a crash. */
	KEXPECT_EQ(vfs_pwrite(f, "x", 1, (int64_t)1 << 48), -EFBIG);
	file_put(f);
	KASSERT(vfs_open(&fx.ctx, NULL, "f", O_RDONLY, 0, &f) == 0);
	KEXPECT_EQ(vfs_write(f, "x", 1), -EBADF);
	KEXPECT_EQ(vfs_getdents64(f, buf, sizeof(buf)), -ENOTDIR);
	file_put(f);
	KASSERT(vfs_open(&fx.ctx, NULL, "/", O_RDONLY, 0, &f) == 0);
	KEXPECT_EQ(vfs_read(f, buf, 1), -EISDIR);
	KEXPECT_EQ(vfs_lseek(f, 0, SEEK_END), -EINVAL);
	file_put(f);
	KEXPECT_EQ(fx_teardown(&fx), 0);
}

/* Names listed by getdents64 from @f's offset, "name," each, and the last d_off. */
static ssize_t list(struct file *f, char *out, size_t size, size_t bufsize, int64_t *last_off)
{
	uint8_t buf[512];
	size_t used = 0;
	out[0] = 0;
	for (;;) {
		ssize_t n = vfs_getdents64(f, buf, bufsize);
		if (n <= 0)
			return n < 0 ? n : (ssize_t)used;
		for (ssize_t p = 0; p < n;) {
			uint16_t reclen;
			memcpy(&reclen, buf + p + 16, 2);
			memcpy(last_off, buf + p + 8, 8);
			const char *name = (const char *)buf + p + 19;
			size_t len = strlen(name);
			if (used + len + 2 > size)
				return -ENOSPC;
			memcpy(out + used, name, len);
			used += len;
			out[used++] = ',';
			out[used] = 0;
			p += reclen;
		}
	}
}

KTEST(vfs_getdents64_offsets)
{
	struct fx fx;
	KASSERT(fx_setup(&fx, NULL) == 0);
	KEXPECT_EQ(vfs_mkdir(&fx.ctx, NULL, "d", 0755), 0);
	KEXPECT_EQ(fx_write(&fx.ctx, "d/file", "x"), 0);
	KEXPECT_EQ(vfs_mkdir(&fx.ctx, NULL, "d/sub", 0755), 0);
	KEXPECT_EQ(vfs_symlink(&fx.ctx, "file", NULL, "d/link"), 0);
	struct file *f;
	KASSERT(vfs_open(&fx.ctx, NULL, "d", O_RDONLY | O_DIRECTORY, 0, &f) == 0);
	char out[256];
	int64_t off = 0;
	KEXPECT_EQ(list(f, out, sizeof(out), 512, &off), 19);
	KEXPECT(!strcmp(out, ".,..,file,sub,link,"));
	/* Types and the too-small buffer rule. */
	uint8_t buf[128];
	KEXPECT_EQ(vfs_lseek(f, 0, SEEK_SET), 0);
	KEXPECT_EQ(vfs_getdents64(f, buf, 10), -EINVAL);
	KEXPECT_EQ(vfs_getdents64(f, buf, 24), 24);	/* exactly one "." record */
	KEXPECT_EQ(buf[18], DT_DIR);
	/* An offset taken mid-listing stays valid across removals before and after it. */
	KEXPECT_EQ(vfs_lseek(f, 0, SEEK_SET), 0);
	KEXPECT_EQ(vfs_getdents64(f, buf, 24 * 3 + 8), 24 * 3);	/* ., .., file */
	int64_t mid = vfs_lseek(f, 0, SEEK_CUR);
	KEXPECT_EQ(vfs_unlink(&fx.ctx, NULL, "d/file"), 0);
	KEXPECT_EQ(fx_write(&fx.ctx, "d/later", "x"), 0);
	KEXPECT_EQ(list(f, out, sizeof(out), 40, &off), 15);	/* a small buffer: one per call */
	KEXPECT(!strcmp(out, "sub,link,later,"));
	KEXPECT_EQ(vfs_lseek(f, mid, SEEK_SET), mid);
	KEXPECT_EQ(vfs_rmdir(&fx.ctx, NULL, "d/sub"), 0);
	KEXPECT_EQ(list(f, out, sizeof(out), 512, &off), 11);
	KEXPECT(!strcmp(out, "link,later,"));
	KEXPECT_EQ(vfs_lseek(f, off, SEEK_SET), off);
	KEXPECT_EQ(vfs_getdents64(f, buf, sizeof(buf)), 0);	/* the last d_off is the end */
	file_put(f);
	KEXPECT_EQ(fx_teardown(&fx), 0);
}

KTEST(tmpfs_sparse_large_file)
{
	struct fx fx;
	KASSERT(fx_setup(&fx, NULL) == 0);
	struct file *f;
	KASSERT(vfs_open(&fx.ctx, NULL, "big", O_CREAT | O_RDWR, 0644, &f) == 0);
	/* Far apart pages: only they are allocated, the holes cost nothing. */
	const int64_t offs[] = { 0, 4095, 1 << 20, (int64_t)1 << 32, ((int64_t)1 << 40) + 7 };
	for (size_t i = 0; i < ARRAY_SIZE(offs); i++)
		KEXPECT_EQ(vfs_pwrite(f, "AB", 2, offs[i]), 2);
	struct stat st;
	KEXPECT_EQ(vfs_fstat(f, &st), 0);
	KEXPECT_EQ(st.st_size, ((int64_t)1 << 40) + 9);
	KEXPECT_EQ(st.st_blocks, 5 * 8);	/* pages 0 (twice), 1, 256, 2^20, 2^28 */
	char buf[8];
	for (size_t i = 0; i < ARRAY_SIZE(offs); i++) {
		KEXPECT_EQ(vfs_pread(f, buf, 2, offs[i]), 2);
		KEXPECT(buf[0] == 'A' && buf[1] == 'B');
	}
	KEXPECT_EQ(vfs_pread(f, buf, 4, (int64_t)1 << 30), 4);
	KEXPECT(!memcmp(buf, "\0\0\0\0", 4));
	/* Truncate frees the tail and zeroes the cut page past the new end. */
	KEXPECT_EQ(vfs_truncate(&fx.cred, f->path.inode, 4096, false), 0);
	KEXPECT_EQ(vfs_fstat(f, &st), 0);
	KEXPECT_EQ(st.st_blocks, 8);
	KEXPECT_EQ(vfs_truncate(&fx.cred, f->path.inode, 4095 + 1 - 1, false), 0);
	KEXPECT_EQ(vfs_truncate(&fx.cred, f->path.inode, 8192, false), 0);
	KEXPECT_EQ(vfs_pread(f, buf, 2, 4095), 2);
	KEXPECT(buf[0] == 0 && buf[1] == 0);
	file_put(f);
	KEXPECT_EQ(fx_teardown(&fx), 0);
}

KTEST(tmpfs_enospc_not_crash)
{
	struct fx fx;
	KASSERT(fx_setup(&fx, "size=16k,nr_inodes=4") == 0);
	struct file *f;
	KASSERT(vfs_open(&fx.ctx, NULL, "f", O_CREAT | O_RDWR, 0644, &f) == 0);
	uint8_t *buf = kzalloc(8192);
	KASSERT(buf != NULL);
	KEXPECT_EQ(vfs_write(f, buf, 8192), 8192);
	KEXPECT_EQ(vfs_write(f, buf, 8192), 8192);
	KEXPECT_EQ(vfs_write(f, buf, 8192), -ENOSPC);
	KEXPECT_EQ(vfs_pwrite(f, buf, 8192, 12288), 4096);	/* short: one page left... none */
	struct statfs sf;
	KEXPECT_EQ(vfs_statfs(f->path.inode, &sf), 0);
	KEXPECT_EQ(sf.f_bfree, 0);
	/* Holes still read, and freeing space makes room again. */
	KEXPECT_EQ(vfs_truncate(&fx.cred, f->path.inode, 4096, false), 0);
	KEXPECT_EQ(vfs_pwrite(f, buf, 8192, 4096), 8192);
	file_put(f);
	/* Inodes: the root and "f" use 2 of 4. */
	KEXPECT_EQ(vfs_mkdir(&fx.ctx, NULL, "a", 0755), 0);
	KEXPECT_EQ(vfs_mkdir(&fx.ctx, NULL, "b", 0755), 0);
	KEXPECT_EQ(vfs_mkdir(&fx.ctx, NULL, "c", 0755), -ENOSPC);
	kfree(buf);
	KEXPECT_EQ(fx_teardown(&fx), 0);
}
