/* Guest cases: a virtio disk as a block device (/dev/vda, a 16 MiB scratch disk the runs attach) — stat, size ioctls, positional I/O, the end of the device, O_DIRECT, flushing, mmap. */
#include "gt.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#define DISK "/dev/vda"
#define DISK_SIZE (16ll << 20)

/* Each case uses its own stretch of the disk, so the two libc rounds and the cases stay independent. */
#define AREA(n) ((long long)(n) << 20)

static int open_disk(int flags)
{
	return (int)OK(open(DISK, flags));
}

static void fill(char *buf, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)(seed + i * 31 + (i >> 9));
}

GT_CASE(blkdev_node_is_a_block_device, "stat open fstat")
{
	struct stat st;
	OK(stat(DISK, &st));
	CHECK(S_ISBLK(st.st_mode));
	/* Linux's virtio_blk: the first dynamic block major, 16 minors per disk. */
	EQ(major(st.st_rdev), 254);
	EQ(minor(st.st_rdev), 0);
	int fd = open_disk(O_RDONLY);
	struct stat fst;
	OK(fstat(fd, &fst));
	EQ(fst.st_rdev, st.st_rdev);
	EQ(fst.st_size, 0);
	OK(close(fd));
}

GT_CASE(blkdev_size_ioctls, "ioctl lseek")
{
	int fd = open_disk(O_RDONLY);
	uint64_t bytes = 0;
	unsigned long sectors = 0;
	int ssz = 0;
	unsigned pbsz = 0;
	OK(ioctl(fd, BLKGETSIZE64, &bytes));
	EQ(bytes, DISK_SIZE);
	OK(ioctl(fd, BLKGETSIZE, &sectors));
	EQ(sectors, DISK_SIZE / 512);
	OK(ioctl(fd, BLKSSZGET, &ssz));
	EQ(ssz, 512);
	OK(ioctl(fd, BLKPBSZGET, &pbsz));
	EQ(pbsz, 512);
	int ro = -1;
	OK(ioctl(fd, BLKROGET, &ro));
	EQ(ro, 0);
	EQ(lseek(fd, 0, SEEK_END), DISK_SIZE);
	ERR(ioctl(fd, BLKGETSIZE64, GT_BADPTR), EFAULT);
	OK(close(fd));
	/* Not a block device: no such ioctl. */
	gt_write_file("f", "x");
	fd = (int)OK(open("f", O_RDONLY));
	ERR(ioctl(fd, BLKGETSIZE64, &bytes), ENOTTY);
	OK(close(fd));
}

GT_CASE(blkdev_pwrite_pread_roundtrip, "pwrite64 pread64 write read lseek")
{
	int fd = open_disk(O_RDWR);
	char out[8192], in[8192];
	fill(out, sizeof out, 3);
	/* Aligned, then at odd offsets inside sectors (the cache reads the rest first). */
	EQ(pwrite(fd, out, 4096, AREA(1)), 4096);
	EQ(pread(fd, in, 4096, AREA(1)), 4096);
	MEMEQ(in, out, 4096);
	EQ(pwrite(fd, out + 100, 10, AREA(1) + 4096 + 7), 10);
	memset(in, 0, sizeof in);
	EQ(pread(fd, in, 20, AREA(1) + 4096), 20);
	MEMEQ(in + 7, out + 100, 10);
	/* Across a page boundary, with the file offset. */
	EQ(lseek(fd, AREA(1) + 3 * 4096 - 1000, SEEK_SET), AREA(1) + 3 * 4096 - 1000);
	EQ(write(fd, out, 5000), 5000);
	EQ(lseek(fd, AREA(1) + 3 * 4096 - 1000, SEEK_SET), AREA(1) + 3 * 4096 - 1000);
	memset(in, 0, sizeof in);
	EQ(read(fd, in, 5000), 5000);
	MEMEQ(in, out, 5000);
	OK(close(fd));
	/* Another open file sees the same data. */
	fd = open_disk(O_RDONLY);
	EQ(pread(fd, in, 4096, AREA(1)), 4096);
	MEMEQ(in, out, 4096);
	OK(close(fd));
}

GT_CASE(blkdev_end_of_device, "pread64 pwrite64 lseek")
{
	int fd = open_disk(O_RDWR);
	char buf[200];
	memset(buf, 'e', sizeof buf);
	EQ(pread(fd, buf, sizeof buf, DISK_SIZE), 0);
	EQ(pread(fd, buf, sizeof buf, DISK_SIZE + 4096), 0);
	EQ(pread(fd, buf, sizeof buf, DISK_SIZE - 100), 100);
	/* Writes stop at the end: short, then ENOSPC. */
	EQ(pwrite(fd, buf, sizeof buf, DISK_SIZE - 100), 100);
	ERR(pwrite(fd, buf, sizeof buf, DISK_SIZE), ENOSPC);
	ERR(pwrite(fd, buf, 1, DISK_SIZE + 512), ENOSPC);
	ERR(pwrite(fd, buf, 1, -1), EINVAL);
	/* Seeking stays within the device. */
	EQ(lseek(fd, DISK_SIZE, SEEK_SET), DISK_SIZE);
	ERR(lseek(fd, DISK_SIZE + 1, SEEK_SET), EINVAL);
	ERR(lseek(fd, 1, SEEK_END), EINVAL);
	ERR(lseek(fd, -1, SEEK_SET), EINVAL);
	EQ(lseek(fd, -512, SEEK_END), DISK_SIZE - 512);
	OK(close(fd));
}

GT_CASE(blkdev_o_direct_alignment, "open pread64 pwrite64")
{
	int fd = open_disk(O_RDWR | O_DIRECT);
	void *buf;
	CHECK(posix_memalign(&buf, 4096, 8192) == 0);
	fill(buf, 8192, 9);
	EQ(pwrite(fd, buf, 4096, AREA(2)), 4096);
	ERR(pwrite(fd, buf, 4096, AREA(2) + 100), EINVAL);
	ERR(pwrite(fd, buf, 100, AREA(2)), EINVAL);
	ERR(pread(fd, buf, 4096, AREA(2) + 1), EINVAL);
	ERR(pread(fd, buf, 700, AREA(2)), EINVAL);
	/* Sector multiples are enough. */
	EQ(pread(fd, (char *)buf + 4096, 512, AREA(2) + 512), 512);
	char expect[512];
	fill(expect, sizeof expect, 9);
	char want[4096];
	fill(want, sizeof want, 9);
	MEMEQ((char *)buf + 4096, want + 512, 512);
	OK(close(fd));
	/* What went around the cache is what a cached reader sees. */
	fd = open_disk(O_RDONLY);
	char in[4096];
	EQ(pread(fd, in, sizeof in, AREA(2)), 4096);
	MEMEQ(in, want, 4096);
	OK(close(fd));
	free(buf);
	(void)expect;
}

GT_CASE(blkdev_direct_write_replaces_cached_data, "open pread64 pwrite64")
{
	int cached = open_disk(O_RDWR);
	char old[4096], in[4096];
	memset(old, 'o', sizeof old);
	EQ(pwrite(cached, old, sizeof old, AREA(3)), 4096);
	OK(fsync(cached));
	EQ(pread(cached, in, sizeof in, AREA(3)), 4096);
	int direct = open_disk(O_RDWR | O_DIRECT);
	void *buf;
	CHECK(posix_memalign(&buf, 4096, 4096) == 0);
	memset(buf, 'n', 4096);
	EQ(pwrite(direct, buf, 4096, AREA(3)), 4096);
	EQ(pread(cached, in, sizeof in, AREA(3)), 4096);
	MEMEQ(in, buf, 4096);
	OK(close(direct));
	OK(close(cached));
	free(buf);
}

GT_CASE(blkdev_flush_calls, "fsync fdatasync ioctl sync syncfs")
{
	int fd = open_disk(O_RDWR);
	EQ(pwrite(fd, "flush", 5, AREA(4)), 5);
	OK(fsync(fd));
	OK(fdatasync(fd));
	OK(syncfs(fd));
	sync();
	OK(ioctl(fd, BLKFLSBUF, 0));
	/* Data survives dropping the cache: it was on the disk. */
	char in[5];
	EQ(pread(fd, in, 5, AREA(4)), 5);
	MEMEQ(in, "flush", 5);
	OK(close(fd));
}

GT_CASE(blkdev_o_sync_write, "open pwrite64 pread64")
{
	int fd = open_disk(O_RDWR | O_SYNC);
	EQ(pwrite(fd, "synced", 6, AREA(5) + 3), 6);
	OK(ioctl(fd, BLKFLSBUF, 0));
	char in[6];
	EQ(pread(fd, in, 6, AREA(5) + 3), 6);
	MEMEQ(in, "synced", 6);
	OK(close(fd));
}

GT_CASE(blkdev_mmap_shared, "mmap msync munmap pread64")
{
	int fd = open_disk(O_RDWR);
	char *p = MAP_OK(mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, AREA(6)));
	EQ(pwrite(fd, "before", 6, AREA(6) + 4096), 6);
	MEMEQ(p + 4096, "before", 6);
	memcpy(p + 10, "mapped", 6);
	OK(msync(p, 8192, MS_SYNC));
	char in[6];
	EQ(pread(fd, in, 6, AREA(6) + 10), 6);
	MEMEQ(in, "mapped", 6);
	OK(munmap(p, 8192));
	/* A read-only open cannot map it shared and writable. */
	int ro = open_disk(O_RDONLY);
	errno = 0;
	CHECK(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0) == MAP_FAILED);
	EQ(errno, EACCES);
	p = MAP_OK(mmap(NULL, 4096, PROT_READ, MAP_SHARED, ro, AREA(6)));
	MEMEQ(p + 10, "mapped", 6);
	OK(munmap(p, 4096));
	OK(close(ro));
	OK(close(fd));
}

GT_CASE(blkdev_no_such_device, "open mknod")
{
	/* A node for a disk that is not there. */
	OK(mknod("nodisk", S_IFBLK | 0600, makedev(254, 200)));
	ERR(open("nodisk", O_RDONLY), ENXIO);
	OK(mknod("nomajor", S_IFBLK | 0600, makedev(250, 0)));
	ERR(open("nomajor", O_RDONLY), ENXIO);
}
