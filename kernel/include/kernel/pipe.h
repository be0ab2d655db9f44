/*
 * Pipes and FIFOs: a byte ring with reader and writer counts, Linux's
 * semantics (PIPE_BUF atomicity, EOF without writers, EPIPE and SIGPIPE
 * without readers, O_NONBLOCK, F_SETPIPE_SZ, FIONREAD, poll).
 */
#ifndef KERNEL_PIPE_H
#define KERNEL_PIPE_H

#include <frame/types.h>
#include <kernel/cred.h>
#include <kernel/file.h>

/* Writes up to this size are atomic (never interleaved with other writers). */
#define PIPE_BUF 4096
/* Capacity of a new pipe (Linux: 16 pages). */
#define PIPE_DEF_SIZE 65536u
/* /proc/sys/fs/pipe-max-size: above it F_SETPIPE_SZ needs CAP_SYS_RESOURCE. */
#define PIPE_MAX_SIZE 1048576u

struct pipe;

/*
 * pipe2(): a read end and a write end (each with one reference), owned by
 * credential @c; @flags O_NONBLOCK and/or O_DIRECT go to both files' status
 * flags (O_CLOEXEC is the fd table's business). 0 or -ENOMEM.
 */
int pipe_create(const struct cred *c, uint32_t flags, struct file **rd, struct file **wr);

/* True if @f is a pipe or FIFO end. */
bool file_is_pipe(const struct file *f);

/* FIONREAD: bytes waiting in the pipe, or -EBADF when @f is not a pipe. */
long pipe_unread(struct file *f);

/* F_GETPIPE_SZ / F_SETPIPE_SZ: -EBADF when @f is not a pipe; the new size, -EBUSY, -EPERM, -EINVAL, -ENOMEM. */
long pipe_get_size(struct file *f);
long pipe_set_size(struct file *f, unsigned long size);

/*
 * The special-open handler for FIFO inodes (kernel/special.h dispatches to
 * it): attaches the inode's pipe and waits, as Linux, for the other side
 * (O_RDONLY waits for a writer, O_WRONLY for a reader; O_NONBLOCK: a reader
 * does not wait, a writer without readers gets -ENXIO; O_RDWR never waits).
 */
int fifo_open(struct file *f);

#endif
