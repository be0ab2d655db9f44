/*
 * mount(2) and umount2(2) over the VFS's vfs_mount/vfs_umount, with Linux's
 * argument checks and errors; each mount is recorded for /proc/mounts.
 */
#include <abi/errno.h>
#include <frame/heap.h>
#include <frame/page.h>
#include <frame/string.h>
#include <frame/vm_io.h>
#include <kernel/proc.h>
#include <kernel/procfs.h>
#include <kernel/syscalls.h>
#include <kernel/vfs.h>

/* Linux's MS_* and umount flags (include/uapi/linux/mount.h). */
#define MS_RDONLY 1ul
#define MS_REMOUNT 32ul
#define MS_BIND 4096ul
#define MS_MOVE 8192ul
#define MS_REC 16384ul
#define MS_UNBINDABLE (1ul << 17)
#define MS_PRIVATE (1ul << 18)
#define MS_SLAVE (1ul << 19)
#define MS_SHARED (1ul << 20)
#define MS_MGC_MSK 0xffff0000ul
#define MS_MGC_VAL 0xc0ed0000ul
#define MNT_FORCE 1u
#define MNT_DETACH 2u
#define MNT_EXPIRE 4u
#define UMOUNT_NOFOLLOW 8u

/* A user string into a fresh buffer of @max bytes: -EFAULT, or @toolong without a NUL. */
static int get_string(const char __user *uaddr, size_t max, int toolong, char **out)
{
	char *buf = kmalloc(max);
	if (!buf)
		return -ENOMEM;
	ssize_t n = strncpy_from_user(buf, uaddr, max);
	if (n < 0 || (size_t)n == max) {
		kfree(buf);
		return n < 0 ? (int)n : toolong;
	}
	*out = buf;
	return 0;
}

static bool capable_admin(void)
{
	return process_current()->cred.euid == 0;
}

/* Record the new mount at @target (resolved again: it now names the mount's root). */
static void record(const struct vfs_ctx *ctx, const char *source, const char *target,
		   const char *fstype, unsigned long flags)
{
	struct path p;
	if (vfs_lookup(ctx, NULL, target, LOOKUP_FOLLOW, &p))
		return;
	char *name = kmalloc(PATH_MAX);
	if (name && procfs_path_name(&ctx->root, &p, name, PATH_MAX) >= 0)
		mounts_record(&p, source, name, fstype, flags);
	kfree(name);
	path_put(&p);
}

int64_t sys_mount(const char __user *usource, const char __user *utarget, const char __user *ufstype,
		  uint64_t flags, const void __user *udata)
{
	if ((flags & MS_MGC_MSK) == MS_MGC_VAL)
		flags &= ~MS_MGC_MSK;
	char *source = NULL, *target = NULL, *fstype = NULL, *data = NULL;
	int err = 0;
	/* Linux copies the type, source and options before looking at the target. */
	if (ufstype && (err = get_string(ufstype, PAGE_SIZE, -EINVAL, &fstype)))
		goto out;
	if (usource && (err = get_string(usource, PAGE_SIZE, -EINVAL, &source)))
		goto out;
	/* The options are a string for every file system Cadre has. */
	if (udata && (err = get_string(udata, PAGE_SIZE, -EINVAL, &data)))
		goto out;
	if ((err = get_string(utarget, PATH_MAX, -ENAMETOOLONG, &target)))
		goto out;
	if (!*target) {
		err = -ENOENT;
		goto out;
	}
	struct vfs_ctx *ctx = &process_current()->fs;
	struct path p;
	if ((err = vfs_lookup(ctx, NULL, target, LOOKUP_FOLLOW, &p)))
		goto out;
	path_put(&p);
	if (!capable_admin()) {
		err = -EPERM;
	} else if (flags & (MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE)) {
		/* One namespace and no propagation: every mount is already private. */
		err = 0;
	} else if (flags & MS_REMOUNT) {
		/* Flags are recorded, not enforced: a remount changes nothing else. */
		err = 0;
	} else if (flags & (MS_BIND | MS_MOVE)) {
		err = -EINVAL;	/* the VFS has no bind or move mounts yet */
	} else if (!fstype) {
		err = -EINVAL;
	} else if (!(err = vfs_mount_dev(ctx, NULL, target, fstype, source, flags, data))) {
		record(ctx, source, target, fstype, flags & MS_RDONLY);
	}
out:
	kfree(source);
	kfree(target);
	kfree(fstype);
	kfree(data);
	return err;
}

int64_t sys_umount2(const char __user *utarget, uint32_t flags)
{
	if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
		return -EINVAL;
	if ((flags & MNT_EXPIRE) && (flags & (MNT_FORCE | MNT_DETACH)))
		return -EINVAL;
	char *target = NULL;
	int err = get_string(utarget, PATH_MAX, -ENAMETOOLONG, &target);
	if (err)
		return err;
	struct vfs_ctx *ctx = &process_current()->fs;
	struct path p;
	unsigned lflags = (flags & UMOUNT_NOFOLLOW) ? 0 : LOOKUP_FOLLOW;
	if (!*target) {
		err = -ENOENT;
	} else if (!(err = vfs_lookup(ctx, NULL, target, lflags, &p))) {
		struct path key = p;	/* identity only, after the reference goes */
		path_put(&p);
		if (!capable_admin())
			err = -EPERM;
		else if (flags & MNT_EXPIRE)
			err = -EAGAIN;	/* Linux: the first MNT_EXPIRE only marks the mount */
		/* MNT_DETACH cannot detach a busy mount here: it unmounts an idle one. */
		else if (!(err = vfs_umount(ctx, NULL, target)))
			mounts_forget(&key);
	}
	kfree(target);
	return err;
}
