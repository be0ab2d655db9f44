/* devtmpfs: a tmpfs instance born holding the nodes of the devices Cadre provides; and opening the console for init. */
#include <abi/fcntl.h>
#include <frame/errno.h>
#include <frame/spinlock.h>
#include <frame/string.h>
#include <kernel/chrdev.h>
#include <kernel/devices.h>
#include <kernel/fs.h>

#include "dev_internal.h"

struct dev_node {
	const char *name;
	uint32_t mode;
	uint32_t major, minor;
	const char *target;	/* symlinks */
};

/* Modes as Linux's drivers ask devtmpfs for them (0600 when a driver names none). */
static const struct dev_node nodes[] = {
	{ "null", S_IFCHR | 0666, MEM_MAJOR, MEM_NULL_MINOR, NULL },
	{ "zero", S_IFCHR | 0666, MEM_MAJOR, MEM_ZERO_MINOR, NULL },
	{ "full", S_IFCHR | 0666, MEM_MAJOR, MEM_FULL_MINOR, NULL },
	{ "random", S_IFCHR | 0666, MEM_MAJOR, MEM_RANDOM_MINOR, NULL },
	{ "urandom", S_IFCHR | 0666, MEM_MAJOR, MEM_URANDOM_MINOR, NULL },
	{ "tty", S_IFCHR | 0666, TTYAUX_MAJOR, TTYAUX_TTY_MINOR, NULL },
	{ "console", S_IFCHR | 0600, TTYAUX_MAJOR, TTYAUX_CONSOLE_MINOR, NULL },
	{ "ttyS0", S_IFCHR | 0600, TTY_MAJOR, TTY_S0_MINOR, NULL },
	/* ptys: Linux's devtmpfs has ptmx (0666); pts, devpts's mount point, is made by init there but always here. */
	{ "ptmx", S_IFCHR | 0666, TTYAUX_MAJOR, TTYAUX_PTMX_MINOR, NULL },
	{ "pts", S_IFDIR | 0755, 0, 0, NULL },
	/* What udev adds on a Linux system; programs (bash's <(...), busybox) expect them. */
	{ "fd", S_IFLNK | 0777, 0, 0, "/proc/self/fd" },
	{ "stdin", S_IFLNK | 0777, 0, 0, "/proc/self/fd/0" },
	{ "stdout", S_IFLNK | 0777, 0, 0, "/proc/self/fd/1" },
	{ "stderr", S_IFLNK | 0777, 0, 0, "/proc/self/fd/2" },
};

/* Nodes drivers found at boot (disks and their partitions): every later devtmpfs mount has them. */
#define MAX_EXTRA_NODES 64
static struct {
	char name[16];
	uint32_t mode;
	uint64_t rdev;
} extra[MAX_EXTRA_NODES];
static size_t nr_extra;
static spinlock_t extra_lock = SPINLOCK_INIT("devtmpfs nodes");

int devtmpfs_add_node(const char *name, uint32_t mode, uint64_t rdev)
{
	if (strlen(name) >= sizeof(extra[0].name))
		return -ENAMETOOLONG;
	int err = -ENOSPC;
	spin_lock(&extra_lock);
	if (nr_extra < MAX_EXTRA_NODES) {
		strlcpy(extra[nr_extra].name, name, sizeof(extra[0].name));
		extra[nr_extra].mode = mode;
		extra[nr_extra].rdev = rdev;
		nr_extra++;
		err = 0;
	}
	spin_unlock(&extra_lock);
	return err;
}

static int populate(struct inode *root)
{
	for (size_t i = 0; i < ARRAY_SIZE(nodes); i++) {
		const struct dev_node *n = &nodes[i];
		struct inode *inode;
		int err = root->ops->create(root, n->name, strlen(n->name), n->mode, 0, 0,
					    dev_encode(n->major, n->minor), n->target, &inode);
		if (err)
			return err;
		inode_put(inode);
	}
	spin_lock(&extra_lock);
	size_t count = nr_extra;
	spin_unlock(&extra_lock);
	/* Entries are only ever appended, so the first @count stay as they are. */
	for (size_t i = 0; i < count; i++) {
		struct inode *inode;
		int err = root->ops->create(root, extra[i].name, strlen(extra[i].name), extra[i].mode,
					    0, 0, extra[i].rdev, NULL, &inode);
		if (err)
			return err;
		inode_put(inode);
	}
	return 0;
}

static int devtmpfs_mount(const struct fs_type *type, const char *data, struct super_block **out)
{
	const struct fs_type *tmpfs = vfs_find_fs("tmpfs");
	if (!tmpfs)
		return -ENODEV;
	/* Linux's devtmpfs root is 0755; options a tmpfs takes are accepted too. */
	struct super_block *sb;
	int err = tmpfs->mount(type, data && *data ? data : "mode=755", &sb);
	if (err)
		return err;
	/* Not yet visible to anyone: filled without the VFS lock. */
	err = populate(sb->root);
	if (err) {
		inode_put(sb->root);
		sb->ops->kill(sb);
		return err;
	}
	*out = sb;
	return 0;
}

static const struct fs_type devtmpfs_type = { .name = "devtmpfs", .mount = devtmpfs_mount };

int devtmpfs_register(void)
{
	int err = tmpfs_register();
	if (err)
		return err;
	err = vfs_register_fs(&devtmpfs_type);
	return err == -EEXIST ? 0 : err;
}

int devtmpfs_mount_dev(const struct path *root)
{
	struct cred c;
	cred_init(&c, 0, 0);
	struct vfs_ctx ctx = { &c, *root, *root, 022 };
	return vfs_mount(&ctx, NULL, "/dev", "devtmpfs", NULL);
}

int dev_open_console(const struct path *root, struct file **out)
{
	struct cred c;
	cred_init(&c, 0, 0);
	struct vfs_ctx ctx = { &c, *root, *root, 022 };
	int err = vfs_open(&ctx, NULL, "/dev/console", O_RDWR, 0, out);
	if (err != -ENOENT)
		return err;
	err = vfs_mkdir(&ctx, NULL, "/dev", 0755);
	if (err && err != -EEXIST)
		return err;
	err = vfs_mknod(&ctx, NULL, "/dev/console", S_IFCHR | 0600,
			dev_encode(TTYAUX_MAJOR, TTYAUX_CONSOLE_MINOR));
	if (err && err != -EEXIST)
		return err;
	return vfs_open(&ctx, NULL, "/dev/console", O_RDWR, 0, out);
}
