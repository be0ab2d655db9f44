/* fadvise64 and sync_file_range: argument checks as Linux; tmpfs keeps everything in memory, so advice and syncing have nothing to do. */
#include <frame/errno.h>
#include <abi/fcntl.h>
#include "sys_fs.h"

int64_t sys_fadvise64(int fd, int64_t offset, int64_t len, int advice)
{
	(void)offset;	/* any offset is valid advice, even a negative one (as Linux) */
	struct file *f = fs_file(fd);
	if (!f)
		return -EBADF;
	int64_t ret = 0;
	if (f->flags & O_PATH)
		ret = -EBADF;
	else if (S_ISFIFO(f->path.inode->mode))
		ret = -ESPIPE;
	else if (len < 0 || advice < POSIX_FADV_NORMAL || advice > POSIX_FADV_NOREUSE)
		ret = -EINVAL;
	file_put(f);
	return ret;
}

#define SYNC_FILE_RANGE_VALID (SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | \
			       SYNC_FILE_RANGE_WAIT_AFTER)

int64_t sys_sync_file_range(int fd, int64_t offset, int64_t nbytes, uint64_t flags)
{
	int64_t off = offset;
	if (flags & ~(uint64_t)SYNC_FILE_RANGE_VALID)
		return -EINVAL;
	int64_t end;
	if (off < 0 || __builtin_add_overflow(off, nbytes, &end) || end < 0 || end < off)
		return -EINVAL;
	struct file *f = fs_file(fd);
	if (!f)
		return -EBADF;
	uint32_t mode = f->path.inode->mode;
	int64_t ret = 0;
	if (f->flags & O_PATH)
		ret = -EBADF;
	else if (!S_ISREG(mode) && !S_ISBLK(mode) && !S_ISDIR(mode) && !S_ISLNK(mode))
		ret = -ESPIPE;
	file_put(f);
	return ret;
}
