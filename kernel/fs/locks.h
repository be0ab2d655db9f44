/* Advisory file locks: POSIX record locks (fcntl F_*LK, per process), OFD locks (per open file) and flock. */
#ifndef KERNEL_SYSCALL_FS_FS_LOCK_H
#define KERNEL_SYSCALL_FS_FS_LOCK_H

#include <frame/types.h>
#include <kernel/file.h>

/* fcntl F_GETLK/F_SETLK/F_SETLKW and their OFD forms, @arg the user's struct flock. */
int64_t fs_fcntl_lock(struct file *f, unsigned cmd, uint64_t arg);
/* flock(2) on @f. */
int64_t fs_flock(struct file *f, unsigned op);
/*
 * A descriptor of @f was closed by process @pid: its POSIX locks on the
 * file go (POSIX's rule), and when @last (no other reference to @f is
 * left) the OFD and flock locks of @f too.
 */
void fs_locks_close(struct file *f, int pid, bool last);

#endif
