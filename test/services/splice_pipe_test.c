/* splice, tee and copy_file_range internals over real pipes and tmpfs files. */
#include <frame/ktest.h>
#include <kernel/pipe.h>
#include <kernel/splice.h>

#include "vfs_fixture.h"

KTEST(splice_pipe_file_tee)
{
	struct fx fx;
	KASSERT(fx_setup(&fx, NULL) == 0);
	struct file *r, *w, *r2, *w2, *f;
	KASSERT(pipe_create(&fx.cred, 0, &r, &w) == 0);
	KASSERT(pipe_create(&fx.cred, 0, &r2, &w2) == 0);
	KASSERT(vfs_open(&fx.ctx, NULL, "f", O_RDWR | O_CREAT, 0644, &f) == 0);
	KEXPECT_EQ(vfs_write(w, "spliced", 7), 7);
	/* tee copies without consuming. */
	KEXPECT_EQ(splice_tee(r, w2, 100, true), 7);
	char buf[16] = { 0 };
	KEXPECT_EQ(vfs_read(r2, buf, sizeof(buf)), 7);
	KEXPECT(!memcmp(buf, "spliced", 7));
	/* pipe -> file at the file offset. */
	KEXPECT_EQ(splice_pipe_to_file(r, f, NULL, 100, true), 7);
	KEXPECT_EQ(f->pos, 7);
	KEXPECT_EQ(splice_pipe_to_file(r, f, NULL, 100, true), -EAGAIN);	/* empty, writer open */
	/* file -> pipe at an explicit offset, which advances and leaves f->pos alone. */
	int64_t off = 2;
	KEXPECT_EQ(splice_file_to_pipe(f, &off, w, 3, true), 3);
	KEXPECT_EQ(off, 5);
	KEXPECT_EQ(f->pos, 7);
	memset(buf, 0, sizeof(buf));
	KEXPECT_EQ(vfs_read(r, buf, sizeof(buf)), 3);
	KEXPECT(!memcmp(buf, "lic", 3));
	/* pipe -> pipe, and EOF once the writer is gone. */
	KEXPECT_EQ(vfs_write(w, "pp", 2), 2);
	KEXPECT_EQ(splice_pipe_to_pipe(r, w2, 10, true), 2);
	file_put(w);
	KEXPECT_EQ(splice_pipe_to_file(r, f, NULL, 10, false), 0);
	KEXPECT_EQ(splice_tee(r, w2, 10, false), 0);
	file_put(r);
	file_put(r2);
	file_put(w2);
	file_put(f);
	KEXPECT_EQ(fx_teardown(&fx), 0);
}

KTEST(splice_copy_range_offsets)
{
	struct fx fx;
	KASSERT(fx_setup(&fx, NULL) == 0);
	KEXPECT_EQ(fx_write(&fx.ctx, "in", "0123456789"), 0);
	struct file *in, *out;
	KASSERT(vfs_open(&fx.ctx, NULL, "in", O_RDONLY, 0, &in) == 0);
	KASSERT(vfs_open(&fx.ctx, NULL, "out", O_RDWR | O_CREAT, 0644, &out) == 0);
	int64_t a = 5, b = 0;
	KEXPECT_EQ(splice_copy_range(in, &a, out, &b, 3), 3);
	KEXPECT_EQ(a, 8);
	KEXPECT_EQ(b, 3);
	/* Stops at EOF; the implicit offsets move. */
	KEXPECT_EQ(splice_copy_range(in, NULL, out, NULL, 100), 10);
	KEXPECT_EQ(in->pos, 10);
	KEXPECT_EQ(splice_copy_range(in, NULL, out, NULL, 100), 0);
	char buf[16] = { 0 };
	KEXPECT_EQ(vfs_pread(out, buf, sizeof(buf), 0), 10);
	KEXPECT(!memcmp(buf, "0123456789", 10));
	file_put(in);
	file_put(out);
	KEXPECT_EQ(fx_teardown(&fx), 0);
}
