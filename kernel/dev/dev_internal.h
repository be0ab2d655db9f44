/* Shared inside kernel/dev: each device family's registration, and the node table devtmpfs fills. */
#ifndef KERNEL_DEV_DEV_INTERNAL_H
#define KERNEL_DEV_DEV_INTERNAL_H

#include <frame/types.h>

/* 0, or the registry's error (-EBUSY when already registered). */
int mem_devices_register(void);
/* Undo mem_devices_register() (tests: other tests expect no driver behind 1,3). */
void mem_devices_unregister(void);
int tty_devices_register(void);
int devtmpfs_register(void);
/* /dev/ptmx, the /dev/pts/N slaves and the "devpts" file-system type (pty_dev.c, devpts.c). */
int pty_devices_register(void);
int devpts_register(void);
struct file;
struct tty;
/* /dev/tty whose terminal is a pty slave: open @f as that slave (-ENXIO for other terminals). */
int pty_open_current_tty(struct file *f, struct tty *tty);

#endif
