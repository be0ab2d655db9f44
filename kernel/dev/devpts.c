/*
 * devpts: the /dev/pts directory, made up from the pty table on each
 * lookup: "ptmx" (5,2) and one node N (136,N) per pair whose master is
 * open. Nodes are fresh per lookup (so a closed pair's never lingers) and
 * swept once unreferenced, as procfs does.
 */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/log.h>
#include <frame/mutex.h>
#include <frame/string.h>
#include <kernel/chrdev.h>
#include <kernel/tty.h>
#include <kernel/vfs.h>

#include "dev_internal.h"

#define DEVPTS_SUPER_MAGIC 0x1cd1u
/* Inode numbers as Linux's: root 1, ptmx 2, pts N is N + 3. */
#define DEVPTS_ROOT_INO 1
#define DEVPTS_PTMX_INO 2
#define DEVPTS_FIRST_INO 3
/* readdir cookies: 0 ".", 1 "..", 2 "ptmx", then index + PTS_COOKIE + 1 after pts N. */
#define PTS_COOKIE 3ull

struct devpts_node {
	struct inode inode;
	struct devpts_node *next;
};

struct devpts_sb {
	struct super_block sb;
	struct mutex lock;
	struct devpts_node *all;	/* every node but the root */
	struct devpts_node *root;
	uint32_t mode;			/* mode= of pts nodes (0600) */
	uint32_t ptmx_mode;		/* ptmxmode= (0000) */
	bool set_uid, set_gid;		/* uid=, gid= given: they own new nodes */
	uint32_t uid, gid;
};

static const struct inode_ops devpts_inode_ops;

static struct devpts_sb *dsb_of(struct super_block *sb)
{
	return container_of(sb, struct devpts_sb, sb);
}

static struct devpts_node *node_new(struct devpts_sb *ds, uint32_t mode, uint64_t ino,
				    uint64_t rdev, uint32_t uid, uint32_t gid)
{
	struct devpts_node *n = kzalloc(sizeof(*n));
	if (!n)
		return NULL;
	inode_init(&n->inode, &ds->sb, mode);
	n->inode.ino = ino;
	n->inode.ops = &devpts_inode_ops;
	n->inode.rdev = rdev;
	n->inode.uid = uid;
	n->inode.gid = gid;
	mutex_lock(&ds->lock);
	/* Unreferenced nodes can never be found again: free them. */
	for (struct devpts_node **pp = &ds->all; *pp;) {
		struct devpts_node *o = *pp;
		if (__atomic_load_n(&o->inode.refcount, __ATOMIC_ACQUIRE) == 0) {
			*pp = o->next;
			kfree(o);
		} else {
			pp = &o->next;
		}
	}
	n->next = ds->all;
	ds->all = n;
	mutex_unlock(&ds->lock);
	return n;
}

/* A pts name: decimal without leading zeros, below PTY_MAX; -1 otherwise. */
static int64_t parse_index(const char *name, size_t len)
{
	if (len == 0 || len > 9 || (len > 1 && name[0] == '0'))
		return -1;
	int64_t v = 0;
	for (size_t i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -1;
		v = v * 10 + (name[i] - '0');
	}
	return v < PTY_MAX ? v : -1;
}

static int devpts_lookup(struct inode *dir, const char *name, size_t len, struct inode **out)
{
	struct devpts_sb *ds = dsb_of(dir->sb);
	if (len == 2 && name[0] == '.' && name[1] == '.') {
		inode_get(dir);	/* the root is the only directory */
		*out = dir;
		return 0;
	}
	struct devpts_node *n;
	if (len == 4 && !memcmp(name, "ptmx", 4)) {
		n = node_new(ds, S_IFCHR | ds->ptmx_mode, DEVPTS_PTMX_INO,
			     dev_encode(TTYAUX_MAJOR, TTYAUX_PTMX_MINOR), 0, 0);
	} else {
		int64_t index = parse_index(name, len);
		struct pty *pty = index >= 0 ? pty_lookup((uint32_t)index) : NULL;
		if (!pty)
			return -ENOENT;
		uint32_t uid = ds->set_uid ? ds->uid : pty->uid;
		uint32_t gid = ds->set_gid ? ds->gid : pty->gid;
		pty_put(pty);
		n = node_new(ds, S_IFCHR | ds->mode, DEVPTS_FIRST_INO + (uint64_t)index,
			     dev_encode(UNIX98_PTY_SLAVE_MAJOR, (uint32_t)index), uid, gid);
	}
	if (!n)
		return -ENOMEM;
	*out = &n->inode;
	return 0;
}

#define LIST_BATCH 32

static int devpts_iterate(struct inode *dir, uint64_t *pos, struct dir_emit *emit)
{
	if (*pos == 0) {
		if (!emit->actor(emit, ".", 1, dir->ino, DT_DIR, 1))
			return 0;
		*pos = 1;
	}
	if (*pos == 1) {
		if (!emit->actor(emit, "..", 2, dir->ino, DT_DIR, 2))
			return 0;
		*pos = 2;
	}
	if (*pos == 2) {
		if (!emit->actor(emit, "ptmx", 4, DEVPTS_PTMX_INO, DT_CHR, PTS_COOKIE))
			return 0;
		*pos = PTS_COOKIE;
	}
	uint32_t ids[LIST_BATCH];
	for (;;) {
		int64_t after = (int64_t)(*pos - PTS_COOKIE) - 1;
		size_t n = pty_list(after, ids, LIST_BATCH);
		if (n == 0)
			return 0;
		for (size_t i = 0; i < n; i++) {
			char name[12];
			int len = snprintf(name, sizeof(name), "%u", ids[i]);
			uint64_t next = PTS_COOKIE + ids[i] + 1;
			if (!emit->actor(emit, name, (size_t)len, DEVPTS_FIRST_INO + ids[i], DT_CHR, next))
				return 0;
			*pos = next;
		}
	}
}

static int devpts_create(struct inode *dir, const char *name, size_t len, uint32_t mode,
			 uint32_t uid, uint32_t gid, uint64_t rdev, const char *target,
			 struct inode **out)
{
	(void)dir, (void)name, (void)len, (void)mode, (void)uid, (void)gid, (void)rdev;
	(void)target, (void)out;
	return -EACCES;	/* Linux's devpts has no create, mknod or mkdir (creat gives EACCES, the others EPERM) */
}

static const struct inode_ops devpts_inode_ops = {
	.lookup = devpts_lookup,
	.create = devpts_create,
	.iterate = devpts_iterate,
};

static void devpts_kill(struct super_block *sb)
{
	struct devpts_sb *ds = dsb_of(sb);
	while (ds->all) {
		struct devpts_node *n = ds->all;
		ds->all = n->next;
		kfree(n);
	}
	kfree(ds->root);
	kfree(ds);
}

static const struct super_ops devpts_super_ops = {
	.kill = devpts_kill,
};

/* An option's number (@base 8 for modes, 10 for ids), whole value, in range. */
static int parse_num(const char *s, size_t len, unsigned base, uint64_t max, uint32_t *out)
{
	if (len == 0 || len > 11)
		return -EINVAL;
	uint64_t v = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned d = (unsigned)(s[i] - '0');
		if (s[i] < '0' || d >= base)
			return -EINVAL;
		v = v * base + d;
	}
	if (v > max)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

/* Linux's devpts options; any other is refused with EINVAL, as Linux does. */
static int parse_options(struct devpts_sb *ds, const char *data)
{
	while (data && *data) {
		const char *end = data;
		while (*end && *end != ',')
			end++;
		const char *eq = data;
		while (eq < end && *eq != '=')
			eq++;
		size_t klen = (size_t)(eq - data);
		const char *val = eq < end ? eq + 1 : end;
		size_t vlen = (size_t)(end - val);
		uint32_t v = 0, max;
		int err = 0;
#define KEY(k) (klen == sizeof(k) - 1 && !memcmp(data, k, klen))
		if (KEY("newinstance") && eq == end) {
			/* One pty namespace here: every instance shows the same pairs. */
		} else if (KEY("mode") && eq < end) {
			err = parse_num(val, vlen, 8, 07777, &v);
			ds->mode = v & 07777;
		} else if (KEY("ptmxmode") && eq < end) {
			err = parse_num(val, vlen, 8, 07777, &v);
			ds->ptmx_mode = v & 07777;
		} else if (KEY("uid") && eq < end) {
			err = parse_num(val, vlen, 10, 0xfffffffe, &ds->uid);
			ds->set_uid = true;
		} else if (KEY("gid") && eq < end) {
			err = parse_num(val, vlen, 10, 0xfffffffe, &ds->gid);
			ds->set_gid = true;
		} else if (KEY("max") && eq < end) {
			err = parse_num(val, vlen, 10, 0xfffffffe, &max);	/* the table's own size caps it */
		} else {
			err = -EINVAL;
		}
#undef KEY
		if (err)
			return err;
		data = *end ? end + 1 : end;
	}
	return 0;
}

static int devpts_mount(const struct fs_type *type, const char *data, struct super_block **out)
{
	struct devpts_sb *ds = kzalloc(sizeof(*ds));
	struct devpts_node *root = kzalloc(sizeof(*root));
	if (!ds || !root) {
		kfree(ds);
		kfree(root);
		return -ENOMEM;
	}
	ds->mode = 0600;
	ds->ptmx_mode = 0;
	int err = parse_options(ds, data);
	if (err) {
		kfree(ds);
		kfree(root);
		return err;
	}
	mutex_init(&ds->lock, "devpts nodes");
	ds->sb.type = type;
	ds->sb.ops = &devpts_super_ops;
	ds->sb.magic = DEVPTS_SUPER_MAGIC;
	ds->sb.dev = vfs_anon_dev();
	ds->sb.max_file_size = 0;
	inode_init(&root->inode, &ds->sb, S_IFDIR | 0755);
	root->inode.ino = DEVPTS_ROOT_INO;
	root->inode.ops = &devpts_inode_ops;
	root->inode.nlink = 2;
	ds->root = root;
	ds->sb.root = &root->inode;
	*out = &ds->sb;
	return 0;
}

static const struct fs_type devpts_type = { .name = "devpts", .mount = devpts_mount };

int devpts_register(void)
{
	int err = vfs_register_fs(&devpts_type);
	return err == -EEXIST ? 0 : err;
}
