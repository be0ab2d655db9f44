/*
 * File-descriptor tables: fd number -> open file description, with the
 * close-on-exec flag per descriptor. Threads share one table (reference
 * counted); fork copies it.
 */
#ifndef KERNEL_FDTABLE_H
#define KERNEL_FDTABLE_H

#include <frame/mutex.h>
#include <frame/types.h>
#include <kernel/file.h>

/* Hard ceiling on table size whatever RLIMIT_NOFILE says (Linux's fs.nr_open default). */
#define FDTABLE_NR_OPEN (1u << 20)

struct fdtable {
	uint32_t refcount;	/* atomic */
	struct mutex lock;
	uint32_t size;		/* slots allocated */
	struct file **files;
	uint8_t *cloexec;	/* one byte per slot */
};

/* An empty table with one reference; NULL without memory. */
struct fdtable *fdtable_create(void);
/* fork(): a new table with the same descriptors (each file referenced again). */
struct fdtable *fdtable_copy(struct fdtable *t);
void fdtable_get(struct fdtable *t);
/* Drop a reference; the last one closes every descriptor. */
void fdtable_put(struct fdtable *t);

/*
 * Install @f (taking a new reference) at the lowest free fd >= @min below
 * @limit (RLIMIT_NOFILE): the fd, -EMFILE when none is free, -EINVAL if
 * @min >= @limit (F_DUPFD's rule), -ENOMEM.
 */
int fd_install(struct fdtable *t, struct file *f, uint32_t min, uint32_t limit, bool cloexec);
/* The file at @fd with a new reference, or NULL (EBADF). */
struct file *fd_get(struct fdtable *t, int fd);
/* close(): 0 or -EBADF. */
int fd_close(struct fdtable *t, int fd);
/* dup(): lowest free fd, close-on-exec cleared. */
int fd_dup(struct fdtable *t, int oldfd, uint32_t limit);
/* F_DUPFD / F_DUPFD_CLOEXEC. */
int fd_dupfd(struct fdtable *t, int oldfd, uint32_t min, uint32_t limit, bool cloexec);
/* dup2(): same fd is a no-op check; newfd >= @limit is -EBADF. */
int fd_dup2(struct fdtable *t, int oldfd, int newfd, uint32_t limit);
/* dup3(): @flags 0 or O_CLOEXEC (else -EINVAL); same fd is -EINVAL. */
int fd_dup3(struct fdtable *t, int oldfd, int newfd, uint32_t flags, uint32_t limit);
/* F_GETFD / F_SETFD: FD_CLOEXEC or 0, or -EBADF. */
int fd_get_cloexec(struct fdtable *t, int fd);
int fd_set_cloexec(struct fdtable *t, int fd, bool on);
/* execve(): close every close-on-exec descriptor. */
void fdtable_close_on_exec(struct fdtable *t);
/* Descriptors in use (for tests and /proc). */
uint32_t fdtable_count(struct fdtable *t);

#endif
