/* The bounce-buffered I/O engine behind read/write and their vector and positional forms. */
#ifndef KERNEL_FS_RW_ENGINE_H
#define KERNEL_FS_RW_ENGINE_H

#include <frame/types.h>
#include <frame/compiler.h>
#include <kernel/file.h>

struct iovec;

/* Linux's UIO_MAXIOV. */
#define FS_IOV_MAX 1024

struct fs_iov {
	uint64_t base;
	uint64_t len;
};

/*
 * Move data between @f and the user buffers @iov[0..@cnt): @off < 0 at the
 * file offset, else at @off (pread/pwrite rules). The count, or an errno
 * when nothing moved.
 */
ssize_t fs_do_io(struct file *f, const struct fs_iov *iov, size_t cnt, bool write, int64_t off);

/* The file was opened for reading (@write false) or writing. */
bool fs_may_rw(const struct file *f, bool write);

/* Copy in a user iovec array: 0, -EINVAL (count, lengths), -EFAULT, -ENOMEM; kfree(*out). */
int fs_copy_iov(const struct iovec __user *uiov, uint64_t cnt, struct fs_iov **out);


#endif
