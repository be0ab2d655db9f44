/*
 * Character devices: a registry from (major, minor) to the operations a
 * device node opens to, registered with the special-file dispatcher
 * (kernel/special.h), which routes opens here through chrdev_open().
 */
#ifndef KERNEL_CHRDEV_H
#define KERNEL_CHRDEV_H

#include <frame/types.h>
#include <kernel/file.h>

/* Linux's device numbers for the nodes Cadre provides. */
#define MEM_MAJOR 1
#define TTY_MAJOR 4
#define TTYAUX_MAJOR 5
#define MEM_NULL_MINOR 3
#define MEM_ZERO_MINOR 5
#define MEM_FULL_MINOR 7
#define MEM_RANDOM_MINOR 8
#define MEM_URANDOM_MINOR 9
#define TTYAUX_TTY_MINOR 0
#define TTYAUX_CONSOLE_MINOR 1
#define TTYAUX_PTMX_MINOR 2
#define UNIX98_PTY_SLAVE_MAJOR 136
#define TTY_S0_MINOR 64

struct chrdev_ops {
	/* Installed as the file's ops (required). */
	const struct file_ops *fops;
	/* Optional: set f->private_data, or refuse the open (-ENXIO, -ENODEV...). */
	int (*open)(struct file *f);
};

/*
 * Register @ops (kept by the caller) for minors [@minor, @minor + @count) of
 * @major, and route their opens here. 0, -EBUSY (a number of the range is
 * taken), -EINVAL, -ENOSPC.
 */
int chrdev_register(uint32_t major, uint32_t minor, uint32_t count, const struct chrdev_ops *ops);
/* Remove the range starting at (@major, @minor) (tests, unloading). */
void chrdev_unregister(uint32_t major, uint32_t minor);
/* The operations of device @rdev (dev_encode()d), or NULL. */
const struct chrdev_ops *chrdev_lookup(uint64_t rdev);

/*
 * Open a character-device file: f->path.inode is an S_IFCHR node; fills
 * f->ops. -ENXIO for a number nothing registered, as Linux.
 */
int chrdev_open(struct file *f);

#endif
