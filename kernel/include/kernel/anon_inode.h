/*
 * Files without a name: sockets, eventfd, signalfd, timerfd and epoll
 * instances get an inode of an internal, never mounted file system (like
 * Linux's sockfs and anon_inodefs), so fstat, /proc and the fd table treat
 * them as any other file.
 */
#ifndef KERNEL_ANON_INODE_H
#define KERNEL_ANON_INODE_H

#include <frame/types.h>
#include <kernel/cred.h>
#include <kernel/file.h>

/* statfs f_type of the two internal file systems (Linux's values). */
#define SOCKFS_MAGIC 0x534F434Bu
#define ANON_INODE_FS_MAGIC 0x09041934u

/*
 * A new file with one reference over a fresh inode of mode @mode (S_IFSOCK
 * for sockets: sockfs; anything else: anon_inodefs), owned by @c, with
 * status @flags (access mode included), @ops and @priv. 0 or -ENOMEM; on
 * failure @ops->release is not called.
 */
int anon_file_create(const struct cred *c, uint32_t mode, uint32_t flags,
		     const struct file_ops *ops, void *priv, struct file **out);

#endif
