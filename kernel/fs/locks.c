/*
 * Advisory locks: one list of byte-range locks for all inodes, under one
 * mutex, with one wait queue for F_SETLKW/flock waiters. Owners: a process
 * (POSIX), an open file (OFD, flock). Locks of processes that exited
 * without closing are dropped when found (the exit path does not call us).
 */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/mutex.h>
#include <frame/vm_io.h>
#include <abi/fcntl.h>
#include <kernel/kwait.h>
#include <kernel/proc.h>
#include "locks.h"

#define LOCK_SH 1u
#define LOCK_EX 2u
#define LOCK_NB 4u
#define LOCK_UN 8u
#define OFF_MAX INT64_MAX

enum lock_kind { LK_POSIX, LK_OFD, LK_FLOCK };

struct rlock {
	struct rlock *next;
	struct inode *inode;	/* referenced while the lock exists */
	enum lock_kind kind;
	int type;		/* F_RDLCK / F_WRLCK */
	int64_t start, end;	/* inclusive; end OFF_MAX: to end of file, whatever it becomes */
	int pid;		/* POSIX owner; reported by F_GETLK */
	const struct file *file; /* OFD/flock owner */
};

static struct mutex locks_lock = MUTEX_INIT("file locks");
static struct rlock *locks;
static struct wait_queue locks_wq;
static uint64_t locks_gen;	/* bumped on every release, for waiters */

static bool same_owner(const struct rlock *a, const struct rlock *b)
{
	if (a->kind == LK_POSIX && b->kind == LK_POSIX)
		return a->pid == b->pid;
	if (a->kind != LK_POSIX && b->kind != LK_POSIX)
		return a->file == b->file;
	return false;
}

static bool pid_alive(int pid)
{
	proc_tree_lock();
	struct process *p = process_find(pid);
	bool alive = p && p->state != PROC_ZOMBIE;
	proc_tree_unlock();
	return alive;
}

static void unlink_lock(struct rlock **pp)
{
	struct rlock *l = *pp;
	*pp = l->next;
	inode_put(l->inode);
	kfree(l);
}

/* Under locks_lock: the first lock conflicting with @want, dropping dead owners' on the way. */
static struct rlock *find_conflict(const struct rlock *want)
{
	for (struct rlock **pp = &locks; *pp;) {
		struct rlock *l = *pp;
		bool flock_class = l->kind == LK_FLOCK;
		if (l->inode != want->inode || flock_class != (want->kind == LK_FLOCK) ||
		    same_owner(l, want) || l->end < want->start || want->end < l->start ||
		    (l->type == F_RDLCK && want->type == F_RDLCK)) {
			pp = &l->next;
			continue;
		}
		if (l->kind == LK_POSIX && !pid_alive(l->pid)) {
			unlink_lock(pp);
			__atomic_add_fetch(&locks_gen, 1, __ATOMIC_RELEASE);
			continue;
		}
		return l;
	}
	return NULL;
}

/* Under locks_lock: remove @who's locks over [start, end] on its inode, splitting partial overlaps. */
static int unlock_range(const struct rlock *who)
{
	for (struct rlock **pp = &locks; *pp;) {
		struct rlock *l = *pp;
		if (l->inode != who->inode || l->kind != who->kind || !same_owner(l, who) ||
		    l->end < who->start || who->end < l->start) {
			pp = &l->next;
			continue;
		}
		if (l->start < who->start && l->end > who->end) {
			/* A hole in the middle: keep the head here, the tail in a new lock. */
			struct rlock *tail = kmalloc(sizeof(*tail));
			if (!tail)
				return -ENOLCK;
			*tail = *l;
			tail->start = who->end + 1;
			inode_get(tail->inode);
			l->end = who->start - 1;
			tail->next = l->next;
			l->next = tail;
			pp = &tail->next;
		} else if (l->start < who->start) {
			l->end = who->start - 1;
			pp = &l->next;
		} else if (l->end > who->end) {
			l->start = who->end + 1;
			pp = &l->next;
		} else {
			unlink_lock(pp);
		}
	}
	__atomic_add_fetch(&locks_gen, 1, __ATOMIC_RELEASE);
	return 0;
}

/* Set (or, F_UNLCK, clear) @want; @wait for conflicts to go. */
static int set_lock(const struct rlock *want, bool wait)
{
	struct rlock *nl = NULL;
	if (want->type != F_UNLCK) {
		nl = kmalloc(sizeof(*nl));
		if (!nl)
			return -ENOLCK;
		*nl = *want;
	}
	mutex_lock(&locks_lock);
	for (;;) {
		if (!nl || !find_conflict(want))
			break;
		if (!wait) {
			mutex_unlock(&locks_lock);
			kfree(nl);
			return -EAGAIN;
		}
		uint64_t gen = locks_gen;
		mutex_unlock(&locks_lock);
		int err = wait_event_interruptible(&locks_wq,
						   __atomic_load_n(&locks_gen, __ATOMIC_ACQUIRE) != gen);
		if (err) {
			kfree(nl);
			return err;
		}
		mutex_lock(&locks_lock);
	}
	int err = unlock_range(want);
	if (!err && nl) {
		inode_get(nl->inode);
		nl->next = locks;
		locks = nl;
		nl = NULL;
	}
	mutex_unlock(&locks_lock);
	kfree(nl);
	wait_wake_all(&locks_wq);
	return err;
}

/* struct flock -> a range on @f: 0, -EINVAL, -EOVERFLOW. */
static int flock_range(struct file *f, const struct flock *fl, int64_t *start, int64_t *end)
{
	int64_t base;
	switch (fl->l_whence) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = (int64_t)f->pos; break;
	case SEEK_END:
		mutex_lock(&f->path.inode->data_lock);
		base = (int64_t)f->path.inode->size;
		mutex_unlock(&f->path.inode->data_lock);
		break;
	default: return -EINVAL;
	}
	int64_t s;
	if (__builtin_add_overflow(base, fl->l_start, &s))
		return -EOVERFLOW;
	if (fl->l_len > 0) {
		int64_t e;
		if (__builtin_add_overflow(s, fl->l_len - 1, &e))
			return -EOVERFLOW;
		*start = s;
		*end = e;
	} else if (fl->l_len < 0) {
		if (s + fl->l_len < 0)
			return -EINVAL;
		*start = s + fl->l_len;
		*end = s - 1;
	} else {
		*start = s;
		*end = OFF_MAX;
	}
	return *start < 0 ? -EINVAL : 0;
}

int64_t fs_fcntl_lock(struct file *f, unsigned cmd, uint64_t arg)
{
	struct flock fl;
	if (copy_from_user(&fl, user_ptr(arg), sizeof(fl)))
		return -EFAULT;
	bool ofd = cmd == F_OFD_GETLK || cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;
	bool get = cmd == F_GETLK || cmd == F_OFD_GETLK;
	if (fl.l_type != F_RDLCK && fl.l_type != F_WRLCK && fl.l_type != F_UNLCK)
		return -EINVAL;
	if (ofd && fl.l_pid != 0)
		return -EINVAL;
	struct rlock want = { .inode = f->path.inode, .kind = ofd ? LK_OFD : LK_POSIX,
			      .type = fl.l_type, .pid = process_current()->pid, .file = f };
	int err = flock_range(f, &fl, &want.start, &want.end);
	if (err)
		return err;
	if (get) {
		if (fl.l_type == F_UNLCK)
			return -EINVAL;
		mutex_lock(&locks_lock);
		struct rlock *c = find_conflict(&want);
		if (!c) {
			fl.l_type = F_UNLCK;
		} else {
			fl.l_type = (int16_t)c->type;
			fl.l_whence = SEEK_SET;
			fl.l_start = c->start;
			fl.l_len = c->end == OFF_MAX ? 0 : c->end - c->start + 1;
			fl.l_pid = c->kind == LK_POSIX ? c->pid : -1;
		}
		mutex_unlock(&locks_lock);
		return copy_to_user(user_ptr(arg), &fl, sizeof(fl)) ? -EFAULT : 0;
	}
	uint32_t acc = f->flags & O_ACCMODE;
	if ((fl.l_type == F_RDLCK && acc == O_WRONLY) || (fl.l_type == F_WRLCK && acc == O_RDONLY))
		return -EBADF;
	return set_lock(&want, cmd == F_SETLKW || cmd == F_OFD_SETLKW);
}

int64_t fs_flock(struct file *f, unsigned op)
{
	unsigned what = op & ~LOCK_NB;
	if (what != LOCK_SH && what != LOCK_EX && what != LOCK_UN)
		return -EINVAL;
	struct rlock want = { .inode = f->path.inode, .kind = LK_FLOCK, .start = 0, .end = OFF_MAX,
			      .file = f,
			      .type = what == LOCK_SH ? F_RDLCK : what == LOCK_EX ? F_WRLCK : F_UNLCK };
	int err = set_lock(&want, !(op & LOCK_NB));
	return err == -EAGAIN ? -EWOULDBLOCK : err;
}

void fs_locks_close(struct file *f, int pid, bool last)
{
	bool any = false;
	mutex_lock(&locks_lock);
	for (struct rlock **pp = &locks; *pp;) {
		struct rlock *l = *pp;
		if (l->inode == f->path.inode &&
		    ((l->kind == LK_POSIX && l->pid == pid) || (last && l->kind != LK_POSIX && l->file == f))) {
			unlink_lock(pp);
			any = true;
		} else {
			pp = &l->next;
		}
	}
	if (any)
		__atomic_add_fetch(&locks_gen, 1, __ATOMIC_RELEASE);
	mutex_unlock(&locks_lock);
	if (any)
		wait_wake_all(&locks_wq);
}
