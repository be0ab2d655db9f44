/* Helpers the namespace operations share with open(). */
#ifndef KERNEL_FS_VFS_OPS_H
#define KERNEL_FS_VFS_OPS_H

#include "vfs_internal.h"

/* Write+search permission on @dir, and @dir not removed. */
int may_create(const struct cred *c, struct inode *dir);
/* Create nd's last component (checked absent) with @mode; owner from the credential. */
int create_locked(struct nameidata *nd, uint32_t mode, uint64_t rdev, const char *target,
		  struct inode **out);
bool dir_is_empty(struct inode *dir);

#endif
