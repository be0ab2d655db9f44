/*
 * Opening special files (device nodes, FIFOs, sockets): the one dispatcher
 * behind the VFS's special-open hook (vfs_set_special_open). FIFOs go to
 * kernel/fs/pipe; character and block devices to whoever registered their
 * major/minor range here. Owner: the files layer (issue 5); device drivers
 * register, they do not install their own hook.
 *
 *   static int console_open(struct file *f) { f->ops = &console_ops; return 0; }
 *   special_register_chrdev(5, 1, 1, console_open);   (/dev/console)
 *
 * The open function fills f->ops (and f->private_data) or returns a
 * negative errno; f->path names the inode (rdev, mode) being opened.
 */
#ifndef KERNEL_SPECIAL_H
#define KERNEL_SPECIAL_H

#include <frame/types.h>
#include <kernel/file.h>

/* Ranges registered at most (a fixed table: no allocation, usable early in boot). */
#define SPECIAL_MAX_DEVS 64

typedef int (*special_dev_open_fn)(struct file *f);

/*
 * Route opens of character (or block) device nodes with major @major and
 * minor in [@minor_lo, @minor_hi] to @open. Installs the dispatcher as the
 * VFS's special-open hook (idempotent). 0, -EBUSY if the range overlaps a
 * registered one, -ENOSPC when the table is full, -EINVAL for lo > hi.
 */
int special_register_chrdev(uint32_t major, uint32_t minor_lo, uint32_t minor_hi,
			    special_dev_open_fn open);
int special_register_blkdev(uint32_t major, uint32_t minor_lo, uint32_t minor_hi,
			    special_dev_open_fn open);
/* Remove the range starting at (@major, @minor_lo) (tests, unloading). */
void special_unregister_chrdev(uint32_t major, uint32_t minor_lo);
void special_unregister_blkdev(uint32_t major, uint32_t minor_lo);

/* Install the dispatcher as the VFS hook (idempotent; FIFOs work from then on). */
void special_init(void);

/*
 * The dispatcher itself: FIFO -> fifo_open, device -> its registered open
 * (-ENXIO when none, as Linux for an unknown device), socket -> -ENXIO.
 */
int special_open(struct file *f);

#endif
