/*
 * Moving data between files without user memory (kernel/fs/splice.c):
 * splice and tee over pipes, copy_file_range between regular files. The
 * system-call layer has checked descriptors, modes and offsets as Linux
 * does; @off NULL means the file's own offset, else *@off is used and
 * advanced. Bytes moved, 0 at EOF, or -errno when nothing moved.
 */
#ifndef KERNEL_SPLICE_H
#define KERNEL_SPLICE_H

#include <frame/types.h>
#include <kernel/file.h>

/* Largest piece one call moves through a kernel bounce buffer. */
#define SPLICE_CHUNK 65536u

ssize_t splice_file_to_pipe(struct file *in, int64_t *off, struct file *out, size_t len,
			    bool nonblock);
/* Limit: bytes taken from the pipe that the file then refuses are lost. */
ssize_t splice_pipe_to_file(struct file *in, struct file *out, int64_t *off, size_t len,
			    bool nonblock);
ssize_t splice_pipe_to_pipe(struct file *in, struct file *out, size_t len, bool nonblock);
/* tee(): copy without consuming from pipe @in to pipe @out. */
ssize_t splice_tee(struct file *in, struct file *out, size_t len, bool nonblock);
/* copy_file_range(): regular file to regular file, until @len or EOF. */
ssize_t splice_copy_range(struct file *in, int64_t *off_in, struct file *out, int64_t *off_out,
			  size_t len);

/*
 * fallocate (kernel/fs/fallocate.c): @mode 0 or FALLOC_FL_KEEP_SIZE on a
 * tmpfs file (pages allocated, size grown unless KEEP_SIZE); other modes
 * and other file systems -EOPNOTSUPP; the argument checks as Linux's
 * vfs_fallocate (-EINVAL, -EBADF, -ESPIPE, -EISDIR, -ENODEV, -EFBIG).
 */
int vfs_fallocate(struct file *f, int mode, int64_t off, int64_t len);

#endif
