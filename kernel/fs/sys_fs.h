/* Helpers shared by the file system calls: the caller's context, path arguments, dirfds, descriptors. */
#ifndef KERNEL_FS_SYS_FS_H
#define KERNEL_FS_SYS_FS_H

#include <frame/types.h>
#include <kernel/fdtable.h>
#include <kernel/file.h>
#include <kernel/vfs.h>
#include <frame/compiler.h>
#include <kernel/syscalls.h>

/* The caller's file-system context, descriptor table and RLIMIT_NOFILE. */
struct vfs_ctx *fs_ctx(void);
struct fdtable *fs_fds(void);
uint32_t fs_nofile(void);

/* The file at @fd with a reference (file_put it), or NULL: EBADF. */
struct file *fs_file(int fd);

/*
 * A path argument copied in: a PATH_MAX kernel buffer (fs_name_free), or
 * -EFAULT for a bad pointer, -ENAMETOOLONG without a NUL within PATH_MAX.
 */
int fs_getname(const char __user *upath, char **out);
void fs_name_free(char *name);

/*
 * A name relative to a dirfd, as the *at() calls take it: the copied name
 * and where to start (at: NULL for the working directory, else dir's path).
 */
struct fs_at {
	char *name;
	struct file *dir;	/* referenced, or NULL */
	const struct path *at;
};

/*
 * Copy @upath and resolve @dirfd for it: -EFAULT, -ENAMETOOLONG, -ENOENT
 * for an empty name (unless @empty_ok: AT_EMPTY_PATH), -EBADF for a bad
 * dirfd under a relative name, -ENOTDIR when it is not a directory (an
 * empty name may name any file).
 */
int fs_at_get(int dirfd, const char __user *upath, bool empty_ok, struct fs_at *out);
void fs_at_put(struct fs_at *a);

/* Install @f (the caller keeps its reference) at the lowest free fd. */
int fs_install(struct file *f, bool cloexec);

/* Wire the file layer to the process layer once (special-open dispatcher, signal hooks). */
void fs_syscalls_init(void);

/*
 * Resolve (@dirfd, @upath) to a referenced path (path_put it): @follow the
 * last symlink, @empty_ok for AT_EMPTY_PATH (the dirfd's own file).
 */
int fs_lookup_at(int dirfd, const char __user *upath, bool follow, bool empty_ok, struct path *out);

#endif
