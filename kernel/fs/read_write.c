/* I/O on open files: read/write/pread/pwrite/lseek/getdents64 and the VFS's file operations. */
#include <frame/errno.h>
#include <frame/string.h>
#include <abi/fcntl.h>
#include <kernel/file.h>
#include <kernel/fs_limits.h>

#include "file_internal.h"

/* Linux's MAX_RW_COUNT: one call moves at most this much. */
#define MAX_RW_COUNT 0x7ffff000u

static ssize_t reg_read(struct file *f, void *buf, size_t len, uint64_t *pos)
{
	struct inode *inode = f->path.inode;
	mutex_lock(&inode->data_lock);
	ssize_t n = inode->ops->read(inode, *pos, buf, len);
	if (n > 0)
		*pos += (uint64_t)n;
	mutex_unlock(&inode->data_lock);
	return n;
}

static ssize_t reg_write(struct file *f, const void *buf, size_t len, uint64_t *pos)
{
	struct inode *inode = f->path.inode;
	uint64_t max = inode->sb->max_file_size;
	mutex_lock(&inode->data_lock);
	if (f->flags & O_APPEND)
		*pos = inode->size;
	ssize_t n;
	if (*pos >= max) {
		n = -EFBIG;
	} else if ((n = len ? fs_check_fsize(*pos, len) : 0) < 0) {
		;	/* past RLIMIT_FSIZE: SIGXFSZ sent (kernel/fs/fs_limits.c) */
	} else {
		len = (size_t)MIN((uint64_t)n, max - *pos);
		/* An unprivileged write drops setuid/setgid, as Linux's file_remove_privs. */
		if (len)
			fs_remove_privs(inode);
		n = len ? inode->ops->write(inode, *pos, buf, len) : 0;
		if (n > 0) {
			*pos += (uint64_t)n;
			inode->mtime = inode->ctime = fs_now();
		}
	}
	mutex_unlock(&inode->data_lock);
	return n;
}

/* New offset from @base + @off, -EINVAL if negative or overflowing. */
static int64_t seek_to(int64_t base, int64_t off)
{
	int64_t r;
	if (__builtin_add_overflow(base, off, &r) || r < 0)
		return -EINVAL;
	return r;
}

static int64_t reg_llseek(struct file *f, int64_t off, int whence)
{
	struct inode *inode = f->path.inode;
	mutex_lock(&inode->data_lock);
	int64_t size = (int64_t)inode->size;
	mutex_unlock(&inode->data_lock);
	switch (whence) {
	case SEEK_SET: return seek_to(0, off);
	case SEEK_CUR: return seek_to((int64_t)f->pos, off);
	case SEEK_END: return seek_to(size, off);
	/* The whole file counts as data: allowed by POSIX, and exact for a file without holes. */
	case SEEK_DATA: return off < 0 ? -EINVAL : off >= size ? -ENXIO : off;
	case SEEK_HOLE: return off < 0 ? -EINVAL : off >= size ? -ENXIO : size;
	default: return -EINVAL;
	}
}

static ssize_t dir_read(struct file *f, void *buf, size_t len, uint64_t *pos)
{
	(void)f, (void)buf, (void)len, (void)pos;
	return -EISDIR;
}

static ssize_t dir_write(struct file *f, const void *buf, size_t len, uint64_t *pos)
{
	(void)f, (void)buf, (void)len, (void)pos;
	return -EISDIR;
}

/* Directory offsets are the file system's cookies: SEEK_SET/SEEK_CUR only, as tmpfs. */
static int64_t dir_llseek(struct file *f, int64_t off, int whence)
{
	if (whence == SEEK_SET)
		return seek_to(0, off);
	if (whence == SEEK_CUR)
		return seek_to((int64_t)f->pos, off);
	return -EINVAL;
}

static ssize_t path_read(struct file *f, void *buf, size_t len, uint64_t *pos)
{
	(void)f, (void)buf, (void)len, (void)pos;
	return -EBADF;
}

static ssize_t path_write(struct file *f, const void *buf, size_t len, uint64_t *pos)
{
	(void)f, (void)buf, (void)len, (void)pos;
	return -EBADF;
}

static int64_t path_llseek(struct file *f, int64_t off, int whence)
{
	(void)f, (void)off, (void)whence;
	return -EBADF;
}

/* Designated, so new members of struct file_ops (poll, ioctl) start NULL. */
const struct file_ops reg_file_ops = {
	.read = reg_read, .write = reg_write, .llseek = reg_llseek, .positional = true,
};
const struct file_ops dir_file_ops = {
	.read = dir_read, .write = dir_write, .llseek = dir_llseek, .positional = true,
};
const struct file_ops path_file_ops = {
	.read = path_read, .write = path_write, .llseek = path_llseek, .positional = true,
};

static bool can_read(const struct file *f)
{
	uint32_t acc = f->flags & O_ACCMODE;
	return !(f->flags & O_PATH) && (acc == O_RDONLY || acc == O_RDWR);
}

static bool can_write(const struct file *f)
{
	uint32_t acc = f->flags & O_ACCMODE;
	return !(f->flags & O_PATH) && (acc == O_WRONLY || acc == O_RDWR);
}

/*
 * Open for it but without the operation (a timerfd or signalfd written, a
 * file kind that only polls): EINVAL, as Linux's FMODE_CAN_READ/WRITE.
 * Every read and write of a file comes through the four functions below.
 */
#define CHECK_OP(f, op) \
	do { \
		if (!(f)->ops->op) \
			return -EINVAL; \
	} while (0)

ssize_t vfs_read(struct file *f, void *buf, size_t len)
{
	if (!can_read(f))
		return -EBADF;
	CHECK_OP(f, read);
	len = MIN(len, (size_t)MAX_RW_COUNT);
	if (!f->ops->positional)
		return f->ops->read(f, buf, len, &f->pos);
	mutex_lock(&f->pos_lock);
	ssize_t n = f->ops->read(f, buf, len, &f->pos);
	mutex_unlock(&f->pos_lock);
	return n;
}

ssize_t vfs_write(struct file *f, const void *buf, size_t len)
{
	if (!can_write(f))
		return -EBADF;
	CHECK_OP(f, write);
	len = MIN(len, (size_t)MAX_RW_COUNT);
	if (!f->ops->positional)
		return f->ops->write(f, buf, len, &f->pos);
	mutex_lock(&f->pos_lock);
	ssize_t n = f->ops->write(f, buf, len, &f->pos);
	mutex_unlock(&f->pos_lock);
	return n;
}

ssize_t vfs_pread(struct file *f, void *buf, size_t len, int64_t off)
{
	if (!can_read(f))
		return -EBADF;
	CHECK_OP(f, read);
	if (!f->ops->positional)
		return -ESPIPE;
	if (off < 0)
		return -EINVAL;
	uint64_t pos = (uint64_t)off;
	return f->ops->read(f, buf, MIN(len, (size_t)MAX_RW_COUNT), &pos);
}

ssize_t vfs_pwrite(struct file *f, const void *buf, size_t len, int64_t off)
{
	if (!can_write(f))
		return -EBADF;
	CHECK_OP(f, write);
	if (!f->ops->positional)
		return -ESPIPE;
	if (off < 0)
		return -EINVAL;
	/* Linux ignores O_APPEND's effect on pwrite only with RWF_NOAPPEND: it appends. */
	uint64_t pos = (uint64_t)off;
	return f->ops->write(f, buf, MIN(len, (size_t)MAX_RW_COUNT), &pos);
}

int64_t vfs_lseek(struct file *f, int64_t off, int whence)
{
	if (!f->ops->llseek)
		return -ESPIPE;
	mutex_lock(&f->pos_lock);
	int64_t r = f->ops->llseek(f, off, whence);
	if (r >= 0)
		f->pos = (uint64_t)r;
	mutex_unlock(&f->pos_lock);
	return r;
}

/* Fills linux_dirent64 records: u64 d_ino, s64 d_off, u16 d_reclen, u8 d_type, name, NUL, 8-aligned. */
struct dirent_fill {
	struct dir_emit emit;
	uint8_t *buf;
	size_t len, used;
	bool too_small;
};

#define DIRENT64_NAME_OFF 19

static bool fill_actor(struct dir_emit *emit, const char *name, size_t len, uint64_t ino,
		       unsigned dtype, uint64_t next_pos)
{
	struct dirent_fill *d = container_of(emit, struct dirent_fill, emit);
	size_t reclen = ALIGN_UP(DIRENT64_NAME_OFF + len + 1, (size_t)8);
	if (d->used + reclen > d->len) {
		d->too_small = d->used == 0;
		return false;
	}
	uint8_t *r = d->buf + d->used;
	int64_t off = (int64_t)next_pos;
	uint16_t rl = (uint16_t)reclen;
	memcpy(r, &ino, 8);
	memcpy(r + 8, &off, 8);
	memcpy(r + 16, &rl, 2);
	r[18] = (uint8_t)dtype;
	memcpy(r + DIRENT64_NAME_OFF, name, len);
	memset(r + DIRENT64_NAME_OFF + len, 0, reclen - DIRENT64_NAME_OFF - len);
	d->used += reclen;
	return true;
}

ssize_t vfs_getdents64(struct file *f, void *buf, size_t len)
{
	if (f->flags & O_PATH)
		return -EBADF;
	struct inode *dir = f->path.inode;
	if (!S_ISDIR(dir->mode))
		return -ENOTDIR;
	struct dirent_fill d = { { fill_actor }, buf, len, 0, false };
	mutex_lock(&f->pos_lock);
	vfs_lock();
	int err = dir->nlink == 0 ? -ENOENT : dir->ops->iterate(dir, &f->pos, &d.emit);
	vfs_unlock();
	mutex_unlock(&f->pos_lock);
	if (err)
		return err;
	if (d.too_small)
		return -EINVAL;
	return (ssize_t)d.used;
}

int vfs_fstat(struct file *f, struct stat *st)
{
	inode_fill_stat(f->path.inode, st);
	return 0;
}

void file_set_status_flags(struct file *f, uint32_t flags)
{
	const uint32_t settable = O_APPEND | O_NONBLOCK | O_NOATIME | O_DIRECT | FASYNC;
	if (f->flags & O_PATH)
		return;
	__atomic_store_n(&f->flags, (f->flags & ~settable) | (flags & settable), __ATOMIC_RELAXED);
}
