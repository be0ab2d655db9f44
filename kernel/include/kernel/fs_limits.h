/*
 * What the file layer asks the process layer when data grows or is written
 * (kernel/fs/fs_limits.c): the caller's credential (S_ISUID/S_ISGID are
 * dropped on a write by the unprivileged) and RLIMIT_FSIZE with its
 * SIGXFSZ. The system-call layer installs the hooks; without them (host
 * tests, kernel threads) there is no credential and no limit.
 */
#ifndef KERNEL_FS_LIMITS_H
#define KERNEL_FS_LIMITS_H

#include <frame/types.h>
#include <kernel/cred.h>
#include <kernel/vfs.h>

struct fs_limit_hooks {
	/* The current process's credential, or NULL outside a process. */
	const struct cred *(*cred)(void);
	/* RLIMIT_FSIZE's soft limit in bytes (UINT64_MAX: none). */
	uint64_t (*fsize)(void);
	/* Send SIGXFSZ to the current thread. */
	void (*raise_sigxfsz)(void);
};

void fs_set_limit_hooks(const struct fs_limit_hooks *hooks);
/* Installs the process layer's hooks (kernel/proc/fs_limits.c). */
void fs_limit_hooks_install(void);

/*
 * Linux's generic_write_check_limits for a write of @len bytes at @pos:
 * the count allowed (clipped to the limit), or -EFBIG after SIGXFSZ when
 * @pos is at or past it.
 */
ssize_t fs_check_fsize(uint64_t pos, size_t len);
/* Linux's inode_newsize_ok for growing a file to @size: 0 or -EFBIG after SIGXFSZ. */
int fs_check_newsize(uint64_t size);
/* Linux's file_remove_privs on write: drop S_ISUID, and S_ISGID with group exec, unless root writes. Under data_lock. */
void fs_remove_privs(struct inode *inode);

#endif
