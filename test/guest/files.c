/* Guest cases: regular files — open/creat/read/write/lseek/truncate/stat and their error paths. */
#include "gt.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>

GT_CASE(open_enoent, "open openat")
{
	ERR(open("missing", O_RDONLY), ENOENT);
}

GT_CASE(open_creat_write_read, "open write read close")
{
	char buf[16] = { 0 };
	int fd = (int)OK(open("f", O_RDWR | O_CREAT | O_EXCL, 0600));
	EQ(write(fd, "hello", 5), 5);
	EQ(lseek(fd, 0, SEEK_SET), 0);
	EQ(read(fd, buf, sizeof buf), 5);
	STREQ(buf, "hello");
	OK(close(fd));
}

GT_CASE(open_bad_pointer, "open")
{
	ERR(syscall(SYS_open, GT_BADPTR, O_RDONLY), EFAULT);
	ERR(syscall(SYS_open, GT_KPTR, O_RDONLY), EFAULT);
}
