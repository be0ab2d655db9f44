/*
 * sysfs ("sysfs"): mountable at /sys so boot scripts and programs that look
 * there find a file system, with Linux's top-level directories, all empty.
 * Cadre has no device model to export yet.
 */
#include <frame/errno.h>
#include <frame/string.h>
#include <kernel/procfs.h>

static const char *const top_dirs[] = {
	"block", "bus", "class", "dev", "devices", "firmware", "fs", "kernel", "module", "power",
};

/* A ramfs instance holding the empty directories, reporting sysfs's magic number. */
static int sysfs_mount(const struct fs_type *type, const char *data, struct super_block **out)
{
	(void)data;
	const struct fs_type *ramfs = vfs_find_fs("ramfs");
	if (!ramfs)
		return -ENODEV;
	struct super_block *sb;
	int err = ramfs->mount(ramfs, NULL, &sb);
	if (err)
		return err;
	struct inode *root = sb->root;
	root->mode = S_IFDIR | 0555;
	for (size_t i = 0; i < ARRAY_SIZE(top_dirs) && !err; i++) {
		struct inode *d;
		err = root->ops->create(root, top_dirs[i], strlen(top_dirs[i]), S_IFDIR | 0755, 0, 0,
					0, NULL, &d);
		if (!err)
			inode_put(d);
	}
	if (err) {
		inode_put(root);
		sb->ops->kill(sb);
		return err;
	}
	sb->type = type;
	sb->magic = SYSFS_MAGIC;
	*out = sb;
	return 0;
}

static const struct fs_type sysfs_type = { .name = "sysfs", .mount = sysfs_mount };

int sysfs_register(void)
{
	int err = vfs_register_fs(&sysfs_type);
	return err == -EEXIST ? 0 : err;
}
