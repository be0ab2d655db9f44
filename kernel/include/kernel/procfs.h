/* The pseudo file systems: procfs ("proc") and sysfs ("sysfs"), and the mount records /proc/mounts shows. */
#ifndef KERNEL_PROCFS_H
#define KERNEL_PROCFS_H

#include <frame/types.h>
#include <kernel/vfs.h>

#define PROC_SUPER_MAGIC 0x9fa0u
#define SYSFS_MAGIC 0x62656572u

/* Register the "proc" and "sysfs" file-system types; once at boot. 0 or a negative errno. */
int procfs_init(void);
/* Register "sysfs" alone (procfs_init() does). */
int sysfs_register(void);

/*
 * The text of @p as an absolute name seen from @root (Linux's d_path), into
 * @buf (terminated). Unreachable from @root: the name from the tree's top.
 * Length, or -ENAMETOOLONG / -ENOMEM.
 */
int procfs_path_name(const struct path *root, const struct path *p, char *buf, size_t size);

/*
 * What mount(2) was given, for /proc/mounts: mount(2) records each new
 * mount (found by resolving its target afterwards) and umount2(2) forgets
 * it. @target is the absolute name. The root ("/") needs no record.
 */
int mounts_record(const struct path *mnt_root, const char *source, const char *target,
		  const char *fstype, unsigned long flags);
void mounts_forget(const struct path *mnt_root);

#endif
