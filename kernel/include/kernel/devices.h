/* The devices Cadre provides (/dev/null ... /dev/console) and the devtmpfs file system that holds their nodes. */
#ifndef KERNEL_DEVICES_H
#define KERNEL_DEVICES_H

#include <kernel/file.h>
#include <kernel/vfs.h>

/*
 * Register the character devices and the "devtmpfs" file-system type; hook
 * the VFS's special open for device nodes. Call once at boot after
 * tmpfs_register() (devtmpfs is a tmpfs instance) and before any mount.
 * 0 or a negative errno.
 */
int devices_init(void);

/*
 * Open /dev/console read-write for init's descriptors 0-2, as Linux's
 * console_on_rootfs(): under @root's /dev if the node is there, otherwise
 * after creating /dev (0755) and /dev/console (c 5 1, 0600) in @root, as
 * Linux does for a root without them. 0 and *@out (one reference) or a
 * negative errno.
 */
int dev_open_console(const struct path *root, struct file **out);

/*
 * A node every devtmpfs mounted from now on holds (@name at its root, type
 * and permissions @mode, device @rdev): what drivers call for the devices
 * they find. 0, -ENOSPC (table full), -ENAMETOOLONG.
 */
int devtmpfs_add_node(const char *name, uint32_t mode, uint64_t rdev);
/*
 * Mount a devtmpfs on /dev of the tree at @root if it has that directory
 * (a root file system from a disk, as Linux's devtmpfs.mount): 0, -ENOENT
 * without /dev, or the mount's error.
 */
int devtmpfs_mount_dev(const struct path *root);

#endif
