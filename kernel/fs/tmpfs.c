/* tmpfs/ramfs: an in-memory file system — directories as ordered entry lists, symlinks, device nodes, sparse file data. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/page.h>
#include <frame/spinlock.h>
#include <frame/string.h>
#include <abi/fcntl.h>
#include <kernel/fs.h>
#include <kernel/fs_limits.h>

#include "tmpfs_internal.h"

static const struct inode_ops tmpfs_inode_ops;
static const struct super_ops tmpfs_super_ops;

static struct tmpfs_node *node_of(struct inode *inode)
{
	return tmpfs_node_of(inode);
}

static struct tmpfs_sb *fs_of(struct super_block *sb)
{
	return tmpfs_sb_of(sb);
}

bool tmpfs_owns(const struct inode *inode)
{
	return inode->ops == &tmpfs_inode_ops;
}

bool tmpfs_charge_page(struct tmpfs_sb *fs)
{
	uint64_t used = __atomic_add_fetch(&fs->pages_used, 1, __ATOMIC_RELAXED);
	if (used > fs->max_pages) {
		__atomic_sub_fetch(&fs->pages_used, 1, __ATOMIC_RELAXED);
		return false;
	}
	return true;
}

void tmpfs_uncharge_pages(struct tmpfs_sb *fs, uint64_t n)
{
	__atomic_sub_fetch(&fs->pages_used, n, __ATOMIC_RELAXED);
}

static void touch(struct inode *dir)
{
	dir->mtime = dir->ctime = fs_now();
}

static struct tmpfs_node *node_new(struct tmpfs_sb *fs, uint32_t mode)
{
	if (fs->inodes_used >= fs->max_inodes)
		return NULL;
	struct tmpfs_node *n = kzalloc(sizeof(*n));
	if (!n)
		return NULL;
	inode_init(&n->inode, &fs->sb, mode);
	n->inode.ino = fs->next_ino++;
	n->inode.ops = &tmpfs_inode_ops;
	/* As shmem: sealing is closed unless memfd_create(MFD_ALLOW_SEALING) opens it. */
	n->seals = F_SEAL_SEAL;
	if (S_ISDIR(mode)) {
		n->inode.nlink = 2;
		n->next_cookie = 2;
		/* shmem counts "." and ".." in its nominal 20 bytes per entry; ramfs counts nothing. */
		if (fs->sb.magic == TMPFS_MAGIC)
			n->inode.size = 40;
		n->parent = &n->inode;
	}
	spin_lock(&fs->all_lock);
	n->all_next = fs->all;
	if (fs->all)
		fs->all->all_prev = n;
	fs->all = n;
	fs->inodes_used++;
	spin_unlock(&fs->all_lock);
	return n;
}

/* @drop_parent: put the reference a directory holds on its parent (not when the instance dies). */
static void node_free(struct tmpfs_sb *fs, struct tmpfs_node *n, bool drop_parent)
{
	spin_lock(&fs->all_lock);
	if (n->all_prev)
		n->all_prev->all_next = n->all_next;
	else
		fs->all = n->all_next;
	if (n->all_next)
		n->all_next->all_prev = n->all_prev;
	fs->inodes_used--;
	spin_unlock(&fs->all_lock);
	struct tmpfs_dirent *d = n->head;
	while (d) {
		struct tmpfs_dirent *next = d->next;
		kfree(d);
		d = next;
	}
	kfree(n->target);
	tmpfs_data_truncate(&n->data, fs, 0);
	struct inode *parent = n->parent;
	kfree(n);
	if (drop_parent && parent && parent != &n->inode)
		inode_put(parent);
}

static struct tmpfs_dirent *find(struct tmpfs_node *dir, const char *name, size_t len)
{
	for (struct tmpfs_dirent *d = dir->head; d; d = d->next)
		if (d->len == len && memcmp(d->name, name, len) == 0)
			return d;
	return NULL;
}

static int add_entry(struct tmpfs_node *dir, const char *name, size_t len, struct inode *inode)
{
	struct tmpfs_dirent *d = kmalloc(sizeof(*d) + len + 1);
	if (!d)
		return -ENOSPC;
	memcpy(d->name, name, len);
	d->name[len] = 0;
	d->len = len;
	d->inode = inode;
	d->cookie = dir->next_cookie++;
	d->next = NULL;
	d->prev = dir->tail;
	if (dir->tail)
		dir->tail->next = d;
	else
		dir->head = d;
	dir->tail = d;
	dir->inode.size += 20;	/* a nominal size per entry, as tmpfs reports one */
	touch(&dir->inode);
	return 0;
}

static void remove_entry(struct tmpfs_node *dir, struct tmpfs_dirent *d)
{
	if (d->prev)
		d->prev->next = d->next;
	else
		dir->head = d->next;
	if (d->next)
		d->next->prev = d->prev;
	else
		dir->tail = d->prev;
	dir->inode.size -= 20;
	touch(&dir->inode);
	kfree(d);
}

static int tmpfs_lookup(struct inode *dir, const char *name, size_t len, struct inode **out)
{
	struct tmpfs_node *n = node_of(dir);
	struct inode *found = NULL;
	if (len == 2 && name[0] == '.' && name[1] == '.') {
		found = n->parent;
	} else {
		struct tmpfs_dirent *d = find(n, name, len);
		if (d)
			found = d->inode;
	}
	if (!found)
		return -ENOENT;
	inode_get(found);
	*out = found;
	return 0;
}

static int tmpfs_create(struct inode *dir, const char *name, size_t len, uint32_t mode,
			uint32_t uid, uint32_t gid, uint64_t rdev, const char *target,
			struct inode **out)
{
	struct tmpfs_sb *fs = fs_of(dir->sb);
	char *copy = NULL;
	size_t tlen = 0;
	if (S_ISLNK(mode)) {
		tlen = strlen(target);
		copy = kmalloc(tlen + 1);
		if (!copy)
			return -ENOSPC;
		memcpy(copy, target, tlen + 1);
	}
	struct tmpfs_node *n = node_new(fs, mode);
	if (!n) {
		kfree(copy);
		return -ENOSPC;
	}
	n->inode.uid = uid;
	n->inode.gid = gid;
	n->inode.rdev = rdev;
	n->target = copy;
	n->target_len = tlen;
	if (copy)
		n->inode.size = tlen;
	int err = add_entry(node_of(dir), name, len, &n->inode);
	if (err) {
		node_free(fs, n, false);
		return err;
	}
	if (S_ISDIR(mode)) {
		n->parent = dir;
		inode_get(dir);
		dir->nlink++;
	}
	*out = &n->inode;
	return 0;
}

int tmpfs_create_unlinked(struct inode *dir, uint32_t mode, uint32_t uid, uint32_t gid,
			  struct inode **out)
{
	struct tmpfs_node *n = node_new(fs_of(dir->sb), S_IFREG | (mode & 07777));
	if (!n)
		return -ENOSPC;
	n->inode.uid = uid;
	n->inode.gid = gid;
	/* No entry names it: the last reference evicts it (inode_put with nlink 0). */
	n->inode.nlink = 0;
	*out = &n->inode;
	return 0;
}

static int tmpfs_link(struct inode *dir, const char *name, size_t len, struct inode *inode)
{
	int err = add_entry(node_of(dir), name, len, inode);
	if (err)
		return err;
	inode->nlink++;
	inode->ctime = fs_now();
	return 0;
}

/* Drop one link of @inode, which left a directory (a directory loses all: its "." too). */
static void drop_link(struct inode *parent, struct inode *inode)
{
	if (S_ISDIR(inode->mode)) {
		inode->nlink = 0;
		parent->nlink--;
	} else {
		inode->nlink--;
	}
	inode->ctime = fs_now();
}

static int tmpfs_unlink(struct inode *dir, const char *name, size_t len, struct inode *inode)
{
	struct tmpfs_dirent *d = find(node_of(dir), name, len);
	/* memfd's directory may hold several entries of one name: take the one naming @inode. */
	while (d && d->inode != inode) {
		d = d->next;
		while (d && (d->len != len || memcmp(d->name, name, len) != 0))
			d = d->next;
	}
	if (!d)
		return -ENOENT;
	remove_entry(node_of(dir), d);
	drop_link(dir, inode);
	return 0;
}

static void reparent(struct inode *dir, struct inode *from, struct inode *to)
{
	struct tmpfs_node *n = node_of(dir);
	inode_get(to);
	n->parent = to;
	from->nlink--;
	to->nlink++;
	inode_put(from);
}

static int tmpfs_rename(struct inode *odir, const char *oname, size_t olen, struct inode *ndir,
			const char *nname, size_t nlen, bool exchange)
{
	struct tmpfs_node *on = node_of(odir), *nn = node_of(ndir);
	struct tmpfs_dirent *od = find(on, oname, olen);
	struct tmpfs_dirent *nd = find(nn, nname, nlen);
	if (!od || (exchange && !nd))
		return -ENOENT;
	struct inode *moving = od->inode;
	if (exchange) {
		struct inode *other = nd->inode;
		od->inode = other;
		nd->inode = moving;
		if (S_ISDIR(moving->mode) && odir != ndir)
			reparent(moving, odir, ndir);
		if (S_ISDIR(other->mode) && odir != ndir)
			reparent(other, ndir, odir);
		touch(odir);
		touch(ndir);
		moving->ctime = other->ctime = fs_now();
		return 0;
	}
	if (nd) {
		/* Replace in place: the entry keeps its cookie, the victim loses a link. */
		struct inode *victim = nd->inode;
		nd->inode = moving;
		drop_link(ndir, victim);
		touch(ndir);
	} else {
		int err = add_entry(nn, nname, nlen, moving);
		if (err)
			return err;
	}
	remove_entry(on, od);
	if (S_ISDIR(moving->mode) && odir != ndir)
		reparent(moving, odir, ndir);
	moving->ctime = fs_now();
	return 0;
}

static ssize_t tmpfs_readlink(struct inode *inode, char *buf, size_t len)
{
	struct tmpfs_node *n = node_of(inode);
	memcpy(buf, n->target, MIN(len, n->target_len));
	return (ssize_t)n->target_len;
}

static ssize_t tmpfs_read(struct inode *inode, uint64_t off, void *buf, size_t len)
{
	if (off >= inode->size)
		return 0;
	len = (size_t)MIN((uint64_t)len, inode->size - off);
	tmpfs_data_read(&node_of(inode)->data, off, buf, len);
	return (ssize_t)len;
}

static ssize_t tmpfs_write(struct inode *inode, uint64_t off, const void *buf, size_t len)
{
	struct tmpfs_node *n = node_of(inode);
	/* memfd seals, as shmem_write_begin checks them. */
	if ((n->seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)) || ((n->seals & F_SEAL_GROW) && off + len > inode->size))
		return -EPERM;
	ssize_t done = tmpfs_data_write(&n->data, fs_of(inode->sb), off, buf, len);
	if (done > 0 && off + (uint64_t)done > inode->size)
		inode->size = off + (uint64_t)done;
	inode->blocks = n->data.pages * (PAGE_SIZE / 512);
	return done;
}

static int tmpfs_truncate(struct inode *inode, uint64_t size)
{
	struct tmpfs_node *n = node_of(inode);
	if (((n->seals & F_SEAL_SHRINK) && size < inode->size) ||
	    ((n->seals & F_SEAL_GROW) && size > inode->size))
		return -EPERM;
	/* Growing past RLIMIT_FSIZE: SIGXFSZ and -EFBIG (Linux's inode_newsize_ok). */
	if (size > inode->size) {
		int err = fs_check_newsize(size);
		if (err)
			return err;
	}
	if (size < inode->size)
		tmpfs_data_truncate(&n->data, fs_of(inode->sb), size);
	inode->size = size;
	inode->blocks = n->data.pages * (PAGE_SIZE / 512);
	return 0;
}

static int tmpfs_iterate(struct inode *dir, uint64_t *pos, struct dir_emit *emit)
{
	struct tmpfs_node *n = node_of(dir);
	if (*pos == 0) {
		if (!emit->actor(emit, ".", 1, dir->ino, DT_DIR, 1))
			return 0;
		*pos = 1;
	}
	if (*pos == 1) {
		if (!emit->actor(emit, "..", 2, n->parent->ino, DT_DIR, 2))
			return 0;
		*pos = 2;
	}
	for (struct tmpfs_dirent *d = n->head; d; d = d->next) {
		if (d->cookie < *pos)
			continue;
		if (!emit->actor(emit, d->name, d->len, d->inode->ino,
				 mode_to_dtype(d->inode->mode), d->cookie + 1))
			return 0;
		*pos = d->cookie + 1;
	}
	return 0;
}

static void tmpfs_evict(struct inode *inode)
{
	node_free(fs_of(inode->sb), node_of(inode), true);
}

static int tmpfs_statfs(struct super_block *sb, struct statfs *out)
{
	struct tmpfs_sb *fs = fs_of(sb);
	uint64_t used = __atomic_load_n(&fs->pages_used, __ATOMIC_RELAXED);
	memset(out, 0, sizeof(*out));
	out->f_type = sb->magic;
	out->f_bsize = PAGE_SIZE;
	out->f_frsize = PAGE_SIZE;
	out->f_namelen = NAME_MAX;
	if (sb->magic == TMPFS_MAGIC) {
		out->f_blocks = fs->max_pages;
		out->f_bfree = out->f_bavail = fs->max_pages - MIN(used, fs->max_pages);
		out->f_files = fs->max_inodes;
		out->f_ffree = fs->max_inodes - MIN(fs->inodes_used, fs->max_inodes);
	}
	out->f_fsid.val[0] = (int32_t)(sb->dev & 0x7fffffff);
	return 0;
}

static void tmpfs_kill(struct super_block *sb)
{
	struct tmpfs_sb *fs = fs_of(sb);
	while (fs->all)
		node_free(fs, fs->all, false);
	kfree(fs);
}

static const struct inode_ops tmpfs_inode_ops = {
	.lookup = tmpfs_lookup,
	.create = tmpfs_create,
	.link = tmpfs_link,
	.unlink = tmpfs_unlink,
	.rename = tmpfs_rename,
	.readlink = tmpfs_readlink,
	.read = tmpfs_read,
	.write = tmpfs_write,
	.truncate = tmpfs_truncate,
	.iterate = tmpfs_iterate,
};

static const struct super_ops tmpfs_super_ops = {
	.evict = tmpfs_evict,
	.statfs = tmpfs_statfs,
	.kill = tmpfs_kill,
};

/* "N", "Nk", "Nm", "Ng" -> N bytes; false on junk or overflow. */
static bool parse_size(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	size_t i = 0;
	if (len == 0)
		return false;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
		if (v > (UINT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	unsigned shift = 0;
	if (i < len) {
		char c = s[i++];
		shift = (c == 'k' || c == 'K') ? 10 : (c == 'm' || c == 'M') ? 20 :
			(c == 'g' || c == 'G') ? 30 : 64;
		if (shift == 64 || i != len)
			return false;
	}
	if (i == 0 || (shift && v > (UINT64_MAX >> shift)))
		return false;
	*out = v << shift;
	return true;
}

/* Parse "size=...,nr_inodes=...,mode=..."; anything else is -EINVAL, as Linux's tmpfs says. */
static int parse_options(struct tmpfs_sb *fs, const char *data, uint32_t *root_mode)
{
	while (data && *data) {
		const char *end = strchr(data, ',');
		size_t len = end ? (size_t)(end - data) : strlen(data);
		const char *eq = NULL;
		for (size_t i = 0; i < len && !eq; i++)
			if (data[i] == '=')
				eq = data + i;
		uint64_t v;
		if (eq && (size_t)(eq - data) == 4 && !memcmp(data, "size", 4)) {
			if (!parse_size(eq + 1, len - 5, &v))
				return -EINVAL;
			fs->max_pages = (v + PAGE_SIZE - 1) >> PAGE_SHIFT;
		} else if (eq && (size_t)(eq - data) == 9 && !memcmp(data, "nr_inodes", 9)) {
			if (!parse_size(eq + 1, len - 10, &v))
				return -EINVAL;
			fs->max_inodes = v;
		} else if (eq && (size_t)(eq - data) == 4 && !memcmp(data, "mode", 4)) {
			uint32_t m = 0;
			for (const char *p = eq + 1; p < data + len; p++) {
				if (*p < '0' || *p > '7' || m > 07777)
					return -EINVAL;
				m = m * 8 + (uint32_t)(*p - '0');
			}
			*root_mode = m & 07777;
		} else if (len) {
			return -EINVAL;
		}
		data = end ? end + 1 : NULL;
	}
	return 0;
}

static int tmpfs_mount(const struct fs_type *type, const char *data, struct super_block **out)
{
	struct tmpfs_sb *fs = kzalloc(sizeof(*fs));
	if (!fs)
		return -ENOMEM;
	bool ram = type->name[0] == 'r';
	uint64_t total = page_count_total();
	fs->max_pages = ram ? UINT64_MAX : total / 2;
	fs->max_inodes = ram ? UINT64_MAX : total / 2;
	uint32_t root_mode = 01777;
	int err = ram ? 0 : parse_options(fs, data, &root_mode);
	if (err) {
		kfree(fs);
		return err;
	}
	spin_lock_init(&fs->all_lock, "tmpfs inodes");
	fs->sb.type = type;
	fs->sb.ops = &tmpfs_super_ops;
	fs->sb.magic = ram ? RAMFS_MAGIC : TMPFS_MAGIC;
	fs->sb.dev = vfs_anon_dev();
	fs->sb.max_file_size = TMPFS_MAX_FILE_SIZE;
	fs->next_ino = 1;
	struct tmpfs_node *root = node_new(fs, S_IFDIR | (ram ? 0755 : root_mode));
	if (!root) {
		kfree(fs);
		return -ENOMEM;
	}
	/* The root is linked from nowhere but has its nlink 2: the superblock holds it by reference. */
	fs->sb.root = &root->inode;
	*out = &fs->sb;
	return 0;
}

static const struct fs_type tmpfs_type = { .name = "tmpfs", .mount = tmpfs_mount };
static const struct fs_type ramfs_type = { .name = "ramfs", .mount = tmpfs_mount };

int tmpfs_register(void)
{
	int err = vfs_register_fs(&tmpfs_type);
	if (err && err != -EEXIST)
		return err;
	err = vfs_register_fs(&ramfs_type);
	return err == -EEXIST ? 0 : err;
}
