/*
 * sysfs ("sysfs"): mountable at /sys so boot scripts and programs that look
 * there find a file system, with Linux's top-level directories and the CPU
 * files glibc and coreutils read (/sys/devices/system/cpu: online,
 * possible, present, cpuN). Cadre has no device model to export yet.
 */
#include <frame/cpu_local.h>
#include <frame/errno.h>
#include <frame/log.h>
#include <frame/string.h>
#include <kernel/procfs.h>
#include <kernel/vfs.h>

/* Make (or find) directory @name in @dir; its reference goes to *@out. */
static int sub_dir(struct inode *dir, const char *name, struct inode **out)
{
	/* create() wants an absent name: look first. */
	int err = dir->ops->lookup(dir, name, strlen(name), out);
	if (err == -ENOENT)
		err = dir->ops->create(dir, name, strlen(name), S_IFDIR | 0755, 0, 0, 0, NULL, out);
	return err;
}

static int text_file(struct inode *dir, const char *name, const char *text)
{
	struct inode *f;
	int err = dir->ops->create(dir, name, strlen(name), S_IFREG | 0444, 0, 0, 0, NULL, &f);
	if (err)
		return err;
	ssize_t n = f->ops->write(f, 0, text, strlen(text));
	inode_put(f);
	return n < 0 ? (int)n : 0;
}

/* /sys/devices/system/cpu as Linux has it for the CPUs the frame runs. */
static int cpu_files(struct inode *root)
{
	struct inode *devices, *system, *cpu;
	int err = sub_dir(root, "devices", &devices);
	if (err)
		return err;
	err = sub_dir(devices, "system", &system);
	inode_put(devices);
	if (err)
		return err;
	err = sub_dir(system, "cpu", &cpu);
	inode_put(system);
	if (err)
		return err;
	unsigned n = cpu_count();
	char range[32];
	if (n <= 1)
		snprintf(range, sizeof(range), "0\n");
	else
		snprintf(range, sizeof(range), "0-%u\n", n - 1);
	static const char *const lists[] = { "online", "possible", "present" };
	for (size_t i = 0; i < ARRAY_SIZE(lists) && !err; i++)
		err = text_file(cpu, lists[i], range);
	if (!err)
		err = text_file(cpu, "offline", "\n");
	for (unsigned i = 0; i < n && !err; i++) {
		char name[16];
		struct inode *d;
		snprintf(name, sizeof(name), "cpu%u", i);
		err = sub_dir(cpu, name, &d);
		if (!err)
			inode_put(d);
	}
	inode_put(cpu);
	return err;
}

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
	if (!err)
		err = cpu_files(root);
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
