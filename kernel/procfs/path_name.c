/*
 * Names of paths (Linux's d_path) for /proc/[pid]/{cwd,root,fd/N} and
 * /proc/mounts. The VFS keeps no names on inodes, so each step up finds
 * the parent's entry for the child's inode number; a non-directory, which
 * has no "..", is first searched for from its mount's root. Runs under the VFS
 * lock, which every lookup already holds (so procfs lookups name paths
 * there; readers take it). Mount crossing reads the VFS's mount records.
 */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/string.h>
#include <kernel/vfs.h>

#include "../fs/vfs_internal.h"
#include "procfs_internal.h"

/* procfs makes a new inode per lookup: the same file is the same number in the same file system. */
static bool same_inode(const struct inode *a, const struct inode *b)
{
	return a == b || (a->sb == b->sb && a->ino == b->ino);
}

struct name_search {
	struct dir_emit emit;
	struct inode *dir;
	struct inode *child;
	char *name;		/* NAME_MAX + 1 bytes */
	bool found;
};

static bool match_actor(struct dir_emit *emit, const char *name, size_t len, uint64_t ino,
			unsigned dtype, uint64_t next_pos)
{
	(void)dtype, (void)next_pos;
	struct name_search *s = (struct name_search *)emit;
	if (ino != s->child->ino || len > NAME_MAX || (len == 1 && name[0] == '.') ||
	    (len == 2 && name[0] == '.' && name[1] == '.'))
		return true;
	/* Inode numbers are per file system: confirm the entry leads to the child. */
	struct inode *found;
	if (s->dir->ops->lookup(s->dir, name, len, &found))
		return true;
	bool same = same_inode(found, s->child);
	inode_put(found);
	if (same) {
		memcpy(s->name, name, len);
		s->name[len] = '\0';
		s->found = true;
	}
	return !same;
}

/* Entries looked at before a search for a non-directory gives up. */
#define SEARCH_MAX 100000
#define QUEUE_MAX 4096

struct tree_search {
	struct dir_emit emit;
	struct inode *dir;
	struct inode *target;
	char *name;
	bool found;
	struct inode **queue;	/* directories still to search, referenced */
	size_t queued, budget;
};

static bool search_actor(struct dir_emit *emit, const char *name, size_t len, uint64_t ino,
			 unsigned dtype, uint64_t next_pos)
{
	(void)next_pos;
	struct tree_search *s = (struct tree_search *)emit;
	if (s->budget == 0)
		return false;
	s->budget--;
	if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.') ||
	    len > NAME_MAX)
		return true;
	if (ino != s->target->ino && dtype != DT_DIR)
		return true;
	struct inode *found;
	if (s->dir->ops->lookup(s->dir, name, len, &found))
		return true;
	if (same_inode(found, s->target)) {
		inode_put(found);
		memcpy(s->name, name, len);
		s->name[len] = '\0';
		s->found = true;
		return false;
	}
	if (S_ISDIR(found->mode) && s->queued < QUEUE_MAX)
		s->queue[s->queued++] = found;
	else
		inode_put(found);
	return true;
}

/*
 * Breadth-first from @top for the directory holding @target: that directory
 * (referenced) and the entry's name, or NULL.
 */
static struct inode *find_parent(struct inode *top, struct inode *target, char *name)
{
	struct inode **queue = kmalloc(QUEUE_MAX * sizeof(*queue));
	if (!queue)
		return NULL;
	struct tree_search s = { { search_actor }, NULL, target, name, false, queue, 0, SEARCH_MAX };
	inode_get(top);
	queue[s.queued++] = top;
	struct inode *result = NULL;
	for (size_t next = 0; next < s.queued; next++) {
		struct inode *dir = queue[next];
		queue[next] = NULL;
		if (!result) {
			s.dir = dir;
			uint64_t cookie = 0;
			dir->ops->iterate(dir, &cookie, &s.emit);
			if (s.found && !result) {
				result = dir;
				continue;
			}
		}
		inode_put(dir);
	}
	kfree(queue);
	return result;
}

int procfs_path_name_locked(const struct path *root, const struct path *p, char *buf, size_t size)
{
	char name[NAME_MAX + 1];
	if (size < 2)
		return -ENAMETOOLONG;
	/* Built right to left at the end of @buf, then moved to the front. */
	size_t pos = size - 1;
	buf[pos] = '\0';
	struct mount *mnt = p->mnt;
	struct inode *cur = p->inode, *held = NULL;
	int err = 0;
	/* A bound on depth keeps a corrupt tree from looping forever. */
	for (int depth = 0; depth < 4096; depth++) {
		if (mnt == root->mnt && cur == root->inode)
			break;
		if (!mnt->root) {
			err = -ENOENT;	/* an internal, never mounted file system (pipes) */
			break;
		}
		if (cur == mnt->root) {
			if (!mnt->parent)
				break;	/* the top of the tree, outside @root */
			cur = mnt->mountpoint;
			mnt = mnt->parent;
			continue;
		}
		struct inode *parent;
		struct name_search s = { { match_actor }, NULL, cur, name, false };
		if (!S_ISDIR(cur->mode)) {
			parent = find_parent(mnt->root, cur, name);
			if (!parent) {
				err = -ENOENT;
				break;
			}
			s.found = true;
		} else if ((err = cur->ops->lookup(cur, "..", 2, &parent))) {
			break;
		} else {
			s.dir = parent;
			uint64_t cookie = 0;
			err = parent->ops->iterate(parent, &cookie, &s.emit);
		}
		if (held)
			inode_put(held);
		held = parent;
		cur = parent;
		if (!err && !s.found)
			err = -ENOENT;	/* removed from its directory */
		if (err)
			break;
		size_t len = strlen(name);
		if (len + 1 > pos) {
			err = -ENAMETOOLONG;
			break;
		}
		pos -= len;
		memcpy(buf + pos, name, len);
		buf[--pos] = '/';
	}
	if (held)
		inode_put(held);
	if (err)
		return err;
	if (pos == size - 1)
		buf[--pos] = '/';
	size_t len = size - 1 - pos;
	memmove(buf, buf + pos, len + 1);
	return (int)len;
}

int procfs_path_name(const struct path *root, const struct path *p, char *buf, size_t size)
{
	vfs_lock();
	int r = procfs_path_name_locked(root, p, buf, size);
	vfs_unlock();
	return r;
}
