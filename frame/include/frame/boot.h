/*
 * What the frame hands the kernel built on it: the entry point it calls once
 * the machine is up, and what the boot loader passed.
 */
#ifndef FRAME_BOOT_H
#define FRAME_BOOT_H

#include <frame/types.h>

/*
 * Defined by the kernel built on the frame; called once, on the boot CPU,
 * with memory, traps, interrupts and time initialised. Returning powers off.
 */
void kernel_main(void);

/* The kernel command line (never NULL; "" when the loader gave none). */
const char *boot_cmdline(void);

/*
 * Find "name=value" on the command line and copy value into buf (terminated,
 * truncated to size). Returns the value's length, or -ENOENT if absent; a bare
 * "name" yields "" (length 0).
 */
int boot_param(const char *name, char *buf, size_t size);

/* Size in bytes of the initial ramdisk, 0 when there is none. */
size_t boot_initrd_size(void);
/*
 * Copy len bytes at offset off of the initial ramdisk into buf. Returns the
 * number of bytes copied (short at the end), or -EINVAL past the end.
 */
ssize_t boot_initrd_read(size_t off, void *buf, size_t len);

/* Total usable RAM the frame manages, in bytes. */
uint64_t boot_usable_memory(void);

#endif
