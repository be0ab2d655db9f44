/* What mount(2) was given, kept per mount for /proc/mounts (the VFS records no source, options or names). */
#include <abi/fcntl.h>
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/mutex.h>
#include <frame/string.h>

#include <kernel/vfs.h>

#include "procfs_internal.h"

/* mount(2) flags /proc/mounts shows (Linux's MS_*). */
#define MS_RDONLY 1ul
#define MS_NOSUID 2ul
#define MS_NODEV 4ul
#define MS_NOEXEC 8ul
#define MS_NOATIME 1024ul

struct mount_rec {
	const struct mount *mnt;	/* identity only: never dereferenced */
	uint32_t id, parent_id;		/* for mountinfo, taken at mount time */
	uint64_t dev;
	char *source, *target, *fstype;
	unsigned long flags;
	struct mount_rec *next;
};

static struct mutex recs_lock = MUTEX_INIT("mount records");
static struct mount_rec *recs, **recs_tail = &recs;

static char *dup_str(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = kmalloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}

static void rec_free(struct mount_rec *r)
{
	kfree(r->source);
	kfree(r->target);
	kfree(r->fstype);
	kfree(r);
}

int mounts_record(const struct path *mnt_root, const char *source, const char *target,
		  const char *fstype, unsigned long flags)
{
	struct mount_rec *r = kzalloc(sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->mnt = mnt_root->mnt;
	vfs_mount_ids(mnt_root->mnt, &r->id, &r->parent_id, &r->dev);
	r->source = dup_str(source && *source ? source : "none");
	r->target = dup_str(target);
	r->fstype = dup_str(fstype);
	r->flags = flags;
	if (!r->source || !r->target || !r->fstype) {
		rec_free(r);
		return -ENOMEM;
	}
	mutex_lock(&recs_lock);
	*recs_tail = r;
	recs_tail = &r->next;
	mutex_unlock(&recs_lock);
	return 0;
}

void mounts_forget(const struct path *mnt_root)
{
	mutex_lock(&recs_lock);
	for (struct mount_rec **pp = &recs; *pp; pp = &(*pp)->next) {
		struct mount_rec *r = *pp;
		if (r->mnt != mnt_root->mnt)
			continue;
		*pp = r->next;
		if (recs_tail == &r->next)
			recs_tail = pp;
		rec_free(r);
		break;
	}
	mutex_unlock(&recs_lock);
}

/* Linux's mangle(): space, tab, newline and backslash as octal escapes. */
static void put_escaped(struct sbuf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\\')
			sbuf_printf(b, "\\%03o", (unsigned char)*s);
		else
			sbuf_putn(b, s, 1);
	}
}

void mounts_format(struct sbuf *b, const struct path *root)
{
	(void)root;	/* one namespace and no chroot-relative view yet */
	sbuf_printf(b, "rootfs / rootfs rw 0 0\n");
	mutex_lock(&recs_lock);
	for (struct mount_rec *r = recs; r; r = r->next) {
		put_escaped(b, r->source);
		sbuf_putn(b, " ", 1);
		put_escaped(b, r->target);
		sbuf_printf(b, " %s %s%s%s%s%s 0 0\n", r->fstype, (r->flags & MS_RDONLY) ? "ro" : "rw",
			    (r->flags & MS_NOSUID) ? ",nosuid" : "", (r->flags & MS_NODEV) ? ",nodev" : "",
			    (r->flags & MS_NOEXEC) ? ",noexec" : "",
			    (r->flags & MS_NOATIME) ? ",noatime" : ",relatime");
	}
	mutex_unlock(&recs_lock);
}

/* Per-mount options as Linux's show_mnt_opts() writes them. */
static void put_mount_opts(struct sbuf *b, unsigned long flags)
{
	sbuf_printf(b, "%s%s%s%s%s", (flags & MS_RDONLY) ? "ro" : "rw",
		    (flags & MS_NOSUID) ? ",nosuid" : "", (flags & MS_NODEV) ? ",nodev" : "",
		    (flags & MS_NOEXEC) ? ",noexec" : "", (flags & MS_NOATIME) ? ",noatime" : ",relatime");
}

void mountinfo_format(struct sbuf *b, const struct path *root)
{
	/* The root: Linux's initramfs root has no parent and shows itself as its own. */
	uint32_t id, parent;
	uint64_t dev;
	vfs_mount_ids(root->mnt, &id, &parent, &dev);
	sbuf_printf(b, "%u %u %u:%u / / rw - rootfs rootfs rw\n", id, id, dev_major(dev), dev_minor(dev));
	mutex_lock(&recs_lock);
	for (struct mount_rec *r = recs; r; r = r->next) {
		sbuf_printf(b, "%u %u %u:%u / ", r->id, r->parent_id, dev_major(r->dev), dev_minor(r->dev));
		put_escaped(b, r->target);
		sbuf_putn(b, " ", 1);
		put_mount_opts(b, r->flags);
		sbuf_printf(b, " - %s ", r->fstype);
		put_escaped(b, r->source);
		sbuf_printf(b, " %s\n", (r->flags & MS_RDONLY) ? "ro" : "rw");
	}
	mutex_unlock(&recs_lock);
}
