/* File-descriptor tables: lowest-free allocation, close-on-exec, dup family, sharing and fork copies. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/string.h>
#include <abi/fcntl.h>
#include <kernel/fdtable.h>

#define INITIAL_SLOTS 16

struct fdtable *fdtable_create(void)
{
	struct fdtable *t = kzalloc(sizeof(*t));
	if (!t)
		return NULL;
	t->refcount = 1;
	mutex_init(&t->lock, "fdtable");
	return t;
}

/* Make room for fd @fd (< FDTABLE_NR_OPEN); under the table lock. */
static int grow(struct fdtable *t, uint32_t fd)
{
	if (fd < t->size)
		return 0;
	uint32_t size = t->size ? t->size : INITIAL_SLOTS;
	while (size <= fd)
		size *= 2;
	size = MIN(size, (uint32_t)FDTABLE_NR_OPEN);
	struct file **files = kcalloc(size, sizeof(*files));
	uint8_t *cloexec = kzalloc(size);
	if (!files || !cloexec) {
		kfree(files);
		kfree(cloexec);
		return -ENOMEM;
	}
	if (t->size) {
		memcpy(files, t->files, t->size * sizeof(*files));
		memcpy(cloexec, t->cloexec, t->size);
	}
	kfree(t->files);
	kfree(t->cloexec);
	t->files = files;
	t->cloexec = cloexec;
	t->size = size;
	return 0;
}

/* Lowest free fd in [@min, @limit), or -EMFILE; under the lock. */
static int find_free(struct fdtable *t, uint32_t min, uint32_t limit)
{
	limit = MIN(limit, (uint32_t)FDTABLE_NR_OPEN);
	for (uint32_t fd = min; fd < limit; fd++) {
		if (fd >= t->size || !t->files[fd]) {
			int err = grow(t, fd);
			return err ? err : (int)fd;
		}
	}
	return -EMFILE;
}

int fd_install(struct fdtable *t, struct file *f, uint32_t min, uint32_t limit, bool cloexec)
{
	if (min >= limit)
		return -EINVAL;
	mutex_lock(&t->lock);
	int fd = find_free(t, min, limit);
	if (fd >= 0) {
		file_get(f);
		t->files[fd] = f;
		t->cloexec[fd] = cloexec;
	}
	mutex_unlock(&t->lock);
	return fd;
}

struct file *fd_get(struct fdtable *t, int fd)
{
	struct file *f = NULL;
	mutex_lock(&t->lock);
	if (fd >= 0 && (uint32_t)fd < t->size && (f = t->files[fd]))
		file_get(f);
	mutex_unlock(&t->lock);
	return f;
}

int fd_close(struct fdtable *t, int fd)
{
	struct file *f = NULL;
	mutex_lock(&t->lock);
	if (fd >= 0 && (uint32_t)fd < t->size && (f = t->files[fd])) {
		t->files[fd] = NULL;
		t->cloexec[fd] = 0;
	}
	mutex_unlock(&t->lock);
	if (!f)
		return -EBADF;
	file_put(f);	/* outside the lock: a release may sleep or take other locks */
	return 0;
}

int fd_dupfd(struct fdtable *t, int oldfd, uint32_t min, uint32_t limit, bool cloexec)
{
	struct file *f = fd_get(t, oldfd);
	if (!f)
		return -EBADF;
	int fd = fd_install(t, f, min, limit, cloexec);
	file_put(f);
	return fd;
}

int fd_dup(struct fdtable *t, int oldfd, uint32_t limit)
{
	if (limit == 0) {
		struct file *f = fd_get(t, oldfd);
		file_put(f);
		return f ? -EMFILE : -EBADF;
	}
	return fd_dupfd(t, oldfd, 0, limit, false);
}

/* dup2/dup3 body: @newfd replaced atomically, the old file closed after. */
static int dup_to(struct fdtable *t, int oldfd, int newfd, bool cloexec, uint32_t limit)
{
	if (newfd < 0 || (uint32_t)newfd >= limit || (uint32_t)newfd >= FDTABLE_NR_OPEN)
		return -EBADF;
	mutex_lock(&t->lock);
	struct file *f = NULL, *old = NULL;
	int err = -EBADF;
	if (oldfd >= 0 && (uint32_t)oldfd < t->size && (f = t->files[oldfd]) &&
	    !(err = grow(t, (uint32_t)newfd))) {
		file_get(f);
		old = t->files[newfd];
		t->files[newfd] = f;
		t->cloexec[newfd] = cloexec;
	}
	mutex_unlock(&t->lock);
	file_put(old);
	return err ? err : newfd;
}

int fd_dup2(struct fdtable *t, int oldfd, int newfd, uint32_t limit)
{
	if (oldfd == newfd) {
		struct file *f = fd_get(t, oldfd);
		if (!f)
			return -EBADF;
		file_put(f);
		return newfd;
	}
	return dup_to(t, oldfd, newfd, false, limit);
}

int fd_dup3(struct fdtable *t, int oldfd, int newfd, uint32_t flags, uint32_t limit)
{
	if (flags & ~(uint32_t)O_CLOEXEC)
		return -EINVAL;
	if (oldfd == newfd)
		return -EINVAL;
	return dup_to(t, oldfd, newfd, flags & O_CLOEXEC, limit);
}

int fd_get_cloexec(struct fdtable *t, int fd)
{
	int r = -EBADF;
	mutex_lock(&t->lock);
	if (fd >= 0 && (uint32_t)fd < t->size && t->files[fd])
		r = t->cloexec[fd] ? FD_CLOEXEC : 0;
	mutex_unlock(&t->lock);
	return r;
}

int fd_set_cloexec(struct fdtable *t, int fd, bool on)
{
	int r = -EBADF;
	mutex_lock(&t->lock);
	if (fd >= 0 && (uint32_t)fd < t->size && t->files[fd]) {
		t->cloexec[fd] = on;
		r = 0;
	}
	mutex_unlock(&t->lock);
	return r;
}

struct fdtable *fdtable_copy(struct fdtable *t)
{
	struct fdtable *n = fdtable_create();
	if (!n)
		return NULL;
	mutex_lock(&t->lock);
	if (t->size && grow(n, t->size - 1)) {
		mutex_unlock(&t->lock);
		fdtable_put(n);
		return NULL;
	}
	for (uint32_t fd = 0; fd < t->size; fd++) {
		if (t->files[fd]) {
			file_get(t->files[fd]);
			n->files[fd] = t->files[fd];
			n->cloexec[fd] = t->cloexec[fd];
		}
	}
	mutex_unlock(&t->lock);
	return n;
}

void fdtable_get(struct fdtable *t)
{
	__atomic_add_fetch(&t->refcount, 1, __ATOMIC_RELAXED);
}

void fdtable_put(struct fdtable *t)
{
	if (!t || __atomic_sub_fetch(&t->refcount, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	for (uint32_t fd = 0; fd < t->size; fd++)
		file_put(t->files[fd]);
	kfree(t->files);
	kfree(t->cloexec);
	kfree(t);
}

void fdtable_close_on_exec(struct fdtable *t)
{
	for (;;) {
		struct file *f = NULL;
		mutex_lock(&t->lock);
		for (uint32_t fd = 0; fd < t->size && !f; fd++) {
			if (t->files[fd] && t->cloexec[fd]) {
				f = t->files[fd];
				t->files[fd] = NULL;
				t->cloexec[fd] = 0;
			}
		}
		mutex_unlock(&t->lock);
		if (!f)
			return;
		file_put(f);
	}
}

uint32_t fdtable_count(struct fdtable *t)
{
	uint32_t n = 0;
	mutex_lock(&t->lock);
	for (uint32_t fd = 0; fd < t->size; fd++)
		n += t->files[fd] != NULL;
	mutex_unlock(&t->lock);
	return n;
}
