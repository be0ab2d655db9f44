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

#endif
