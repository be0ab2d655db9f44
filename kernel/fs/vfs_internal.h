/* VFS internals shared by the files of kernel/fs: mounts and the path walker. */
#ifndef KERNEL_FS_VFS_INTERNAL_H
#define KERNEL_FS_VFS_INTERNAL_H

#include <kernel/vfs.h>

struct mount {
	uint32_t refcount;	/* atomic: the table's one plus one per path */
	uint32_t id;
	struct super_block *sb;
	struct inode *root;	/* sb->root (the superblock's reference) */
	struct mount *parent;	/* NULL for the root of the tree */
	struct inode *mountpoint; /* in parent, referenced */
	struct mount *next;	/* the mount table */
};

/* Under the VFS lock: the mount stacked on (@mnt, @inode), or NULL. */
struct mount *mount_on(const struct mount *mnt, const struct inode *inode);
/* Under the VFS lock: true if something is mounted on @inode. */
bool is_mountpoint(const struct inode *inode);

enum last_type { LAST_NORM, LAST_DOT, LAST_DOTDOT, LAST_ROOT };

/* The result of a walk to the parent of a name's last component. */
struct nameidata {
	const struct vfs_ctx *ctx;
	struct path parent;	/* referenced */
	const char *last;	/* points into the caller's string */
	size_t len;
	enum last_type type;
	bool trailing;		/* the name ended in '/' */
	int links;
};

/* All under the VFS lock. */
int nd_walk_parent(const struct vfs_ctx *ctx, const struct path *at, const char *name,
		   struct nameidata *nd);
void nd_release(struct nameidata *nd);
/* Look the last component up in the parent (no mount crossing): a new inode reference. */
int nd_lookup_last(struct nameidata *nd, struct inode **out);
int walk_path(const struct vfs_ctx *ctx, const struct path *at, const char *name,
	      unsigned flags, struct path *out);
/* Check a name before walking: -ENOENT empty, -ENAMETOOLONG >= PATH_MAX. */
int check_name(const char *name);

#endif
