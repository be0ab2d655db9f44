/*
 * Open file descriptions: what open() creates and file descriptors share —
 * the path (inode and mount), the status flags and the offset.
 */
#ifndef KERNEL_FILE_H
#define KERNEL_FILE_H

#include <frame/mutex.h>
#include <frame/types.h>
#include <kernel/vfs.h>

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#define SEEK_DATA 3
#define SEEK_HOLE 4

struct file;
struct poll_table;
struct epitem;

/*
 * How a kind of file is read and written. Regular files and directories get
 * the VFS's own; device nodes, FIFOs and sockets get theirs from the layer
 * that implements them (vfs_set_special_open()).
 */
struct file_ops {
	ssize_t (*read)(struct file *f, void *buf, size_t len, uint64_t *pos);
	ssize_t (*write)(struct file *f, const void *buf, size_t len, uint64_t *pos);
	/* NULL: not seekable, -ESPIPE. */
	int64_t (*llseek)(struct file *f, int64_t off, int whence);
	/* Called when the last reference goes. */
	void (*release)(struct file *f);
	/* False for pipes and the like: pread/pwrite give -ESPIPE. */
	bool positional;
	/*
	 * Added for poll/select and ioctl (issue 5, files); NULL in the VFS's
	 * own ops. poll: the current POLL* mask; a file that can change it
	 * calls poll_wait() (kernel/poll.h) on each of its wait queues with
	 * @pt (which may be NULL). NULL poll: always readable and writable.
	 */
	unsigned (*poll)(struct file *f, struct poll_table *pt);
	/*
	 * ioctl requests the generic layer does not handle; @arg is the raw
	 * argument (a user address for most requests). NULL: -ENOTTY.
	 */
	long (*ioctl)(struct file *f, unsigned cmd, unsigned long arg);
	/* fsync/fdatasync. NULL: nothing to write back (0), except FIFOs and sockets (-EINVAL). */
	int (*fsync)(struct file *f, bool datasync);
};

struct file {
	uint32_t refcount;	/* atomic */
	struct path path;
	uint32_t flags;		/* O_* status and access mode (O_CLOEXEC lives in the fd table) */
	uint64_t pos;		/* guarded by pos_lock */
	struct mutex pos_lock;
	const struct file_ops *ops;
	void *private_data;	/* for special files' ops */
	struct epitem *epitems;	/* epoll entries watching this file (kernel/ipc/epoll.c owns them) */
	bool write_access;	/* holds inode_get_write_access() (a regular file open for writing) */
};

/*
 * Open @name with open(2)'s @flags and @mode (for O_CREAT; the ctx umask
 * applies). On success *@out is a new file with one reference.
 */
int vfs_open(const struct vfs_ctx *ctx, const struct path *at, const char *name,
	     uint32_t flags, uint32_t mode, struct file **out);
/* Open an already resolved path (the caller keeps its reference). */
int vfs_open_path(const struct cred *c, const struct path *path, uint32_t flags,
		  struct file **out);

void file_get(struct file *f);
void file_put(struct file *f);

/* read(2)/write(2) at the file offset; pread/pwrite at @off without moving it. */
ssize_t vfs_read(struct file *f, void *buf, size_t len);
ssize_t vfs_write(struct file *f, const void *buf, size_t len);
ssize_t vfs_pread(struct file *f, void *buf, size_t len, int64_t off);
ssize_t vfs_pwrite(struct file *f, const void *buf, size_t len, int64_t off);
int64_t vfs_lseek(struct file *f, int64_t off, int whence);
/* getdents64 records into @buf: bytes filled, 0 at the end, -EINVAL if the first does not fit. */
ssize_t vfs_getdents64(struct file *f, void *buf, size_t len);
int vfs_fstat(struct file *f, struct stat *st);
/* fsync(2)/fdatasync(2) of an open file: 0, -EIO, -EINVAL (FIFO, socket). */
int vfs_fsync(struct file *f, bool datasync);
/* fcntl(F_SETFL): only O_APPEND, O_NONBLOCK, O_NOATIME, O_DIRECT, FASYNC change. */
void file_set_status_flags(struct file *f, uint32_t flags);

/*
 * Hook for device nodes, FIFOs and sockets: fill f->ops (and private_data)
 * or fail. Without one, opening them gives -ENXIO.
 */
typedef int (*vfs_special_open_fn)(struct file *f);
void vfs_set_special_open(vfs_special_open_fn fn);

#endif
