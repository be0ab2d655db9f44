/* memfd_create and file seals (kernel/fs/memfd.c): tmpfs files with no visible name. */
#ifndef KERNEL_MEMFD_H
#define KERNEL_MEMFD_H

#include <frame/types.h>
#include <kernel/cred.h>
#include <kernel/file.h>

/* Linux's MFD_NAME_MAX_LEN: the name without "memfd:" and its NUL. */
#define MEMFD_NAME_MAX 249

/*
 * A new memfd named @name (already length-checked) owned by @c, open
 * O_RDWR | O_LARGEFILE, in an internal tmpfs instance; sealing allowed
 * with @allow_sealing. /proc/pid/fd shows "/memfd:NAME (deleted)".
 * 0 and *@out with one reference, or -ENOMEM/-ENOSPC.
 */
int memfd_create_file(const struct cred *c, const char *name, bool allow_sealing,
		      struct file **out);

/* fcntl(F_ADD_SEALS / F_GET_SEALS) with Linux's errors (-EINVAL for files of other file systems). */
long memfd_add_seals(struct file *f, uint32_t seals);
long memfd_get_seals(struct file *f);

/*
 * Free the internal instance once no memfd (file or mapped inode) is left:
 * 0, or -EBUSY. For tests and shutdown; no memfd may be created meanwhile.
 */
int memfd_shutdown(void);

#endif
