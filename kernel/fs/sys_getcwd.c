/*
 * getcwd: the working directory's name, rebuilt by walking ".." up to the
 * caller's root and finding each directory's name in its parent (the VFS
 * keeps no names on inodes).
 */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/string.h>
#include <frame/vm_io.h>
#include "sys_fs.h"

/* Names of one directory, gathered by iterate(). */
struct name_list {
	struct dir_emit emit;
	char *buf;		/* records: u64 ino, u8 is_dir, u8 len, name */
	size_t used, cap;
	bool full;
};

static bool collect(struct dir_emit *emit, const char *name, size_t len, uint64_t ino,
		    unsigned dtype, uint64_t next_pos)
{
	(void)next_pos;
	struct name_list *l = container_of(emit, struct name_list, emit);
	if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
		return true;
	if (len > NAME_MAX)
		return true;
	if (l->used + 10 + len > l->cap) {
		l->full = true;
		return false;
	}
	char *r = l->buf + l->used;
	memcpy(r, &ino, 8);
	r[8] = dtype == DT_DIR;
	r[9] = (char)len;
	memcpy(r + 10, name, len);
	l->used += 10 + len;
	return true;
}

/* Look @name up in @parent and compare with @child: the name links them. */
static bool names_child(const struct path *parent, const char *name, const struct path *child)
{
	struct path p;
	if (vfs_lookup(fs_ctx(), parent, name, 0, &p))
		return false;
	bool same = path_equal(&p, child);
	path_put(&p);
	return same;
}

/*
 * Find the entry of @parent naming @child into @name: by inode number
 * first, then (a mount's root has the mountpoint's number there) every
 * subdirectory.
 */
static int find_name(const struct path *parent, const struct path *child, char *name)
{
	struct name_list l = { { collect }, NULL, 0, 16384, false };
	l.buf = kmalloc(l.cap);
	if (!l.buf)
		return -ENOMEM;
	uint64_t pos = 0;
	int err = -ENOENT;
	for (int pass = 0; pass < 2 && err == -ENOENT; pass++) {
		pos = 0;
		do {
			l.used = 0;
			l.full = false;
			vfs_lock();
			int e = parent->inode->ops->iterate(parent->inode, &pos, &l.emit);
			vfs_unlock();
			if (e) {
				err = e;
				break;
			}
			for (size_t off = 0; off < l.used && err == -ENOENT;) {
				uint64_t ino;
				memcpy(&ino, l.buf + off, 8);
				bool is_dir = l.buf[off + 8];
				size_t len = (uint8_t)l.buf[off + 9];
				memcpy(name, l.buf + off + 10, len);
				name[len] = 0;
				off += 10 + len;
				bool candidate = pass == 0 ? ino == child->inode->ino : is_dir;
				if (candidate && names_child(parent, name, child))
					err = 0;
			}
		} while (l.full && err == -ENOENT);
	}
	kfree(l.buf);
	return err;
}

/* The path of the working directory, NUL-terminated at the end of @buf (PATH_MAX): its start. */
static int cwd_path(char *buf, char **start)
{
	struct vfs_ctx *ctx = fs_ctx();
	vfs_lock();
	struct path cur = ctx->cwd, root = ctx->root;
	path_get(&cur);
	path_get(&root);
	vfs_unlock();
	char *name = kmalloc(NAME_MAX + 1);
	int err = name ? 0 : -ENOMEM;
	char *p = buf + PATH_MAX - 1;
	*p = 0;
	if (!err && cur.inode->nlink == 0)
		err = -ENOENT;
	while (!err && !path_equal(&cur, &root)) {
		struct path parent;
		err = vfs_lookup(ctx, &cur, "..", 0, &parent);
		if (err)
			break;
		if (path_equal(&parent, &cur)) {
			/* Above the caller's root (after a chroot): Linux's "(unreachable)" marker. */
			path_put(&parent);
			const char *m = "(unreachable)";
			size_t ml = strlen(m);
			if ((size_t)(p - buf) < ml + 1) {
				err = -ENAMETOOLONG;
				break;
			}
			p -= ml;
			memcpy(p, m, ml);
			break;
		}
		err = find_name(&parent, &cur, name);
		if (!err) {
			size_t len = strlen(name);
			if ((size_t)(p - buf) < len + 1)
				err = -ENAMETOOLONG;
			else {
				p -= len;
				memcpy(p, name, len);
				*--p = '/';
			}
		}
		path_put(&cur);
		cur = parent;
	}
	if (!err && *p == 0)
		*--p = '/';
	kfree(name);
	path_put(&cur);
	path_put(&root);
	*start = p;
	return err;
}

int64_t sys_getcwd(char __user *buf, size_t size)
{
	char *kbuf = kmalloc(PATH_MAX);
	if (!kbuf)
		return -ENOMEM;
	char *start;
	int64_t ret = cwd_path(kbuf, &start);
	if (!ret) {
		size_t len = strlen(start) + 1;
		if (len > size)
			ret = -ERANGE;
		else if (copy_to_user(buf, start, len))
			ret = -EFAULT;
		else
			ret = (int64_t)len;
	}
	kfree(kbuf);

	return ret;
}
