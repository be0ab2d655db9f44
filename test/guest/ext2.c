/*
 * Guest cases: ext2 file systems on virtio disks, mounted read-only — the
 * images test/guest/tools/mkext2 makes (vdb 1 KiB blocks and 128-byte
 * inodes, vdc 2 KiB, vdd 4 KiB with 256-byte inodes, vde revision 0, vdf1-4
 * feature variants): files through direct to triple indirect blocks,
 * directories, symlinks, device nodes, stat and statfs fields, feature checks.
 */
#include "gt.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>

struct img {
	const char *dev;
	unsigned bs, isize, rev;
	int sparse;	/* carries the sparse file and busybox */
};

static const struct img imgs[] = {
	{ "/dev/vdb", 1024, 128, 1, 1 },
	{ "/dev/vdc", 2048, 256, 1, 1 },
	{ "/dev/vdd", 4096, 256, 1, 1 },
	{ "/dev/vde", 1024, 128, 0, 0 },
};
#define NIMGS (sizeof(imgs) / sizeof(imgs[0]))

static char mnt_path[64];

/* Mount @dev read-only on a fresh directory; its path. */
static const char *mount_ro(const char *dev)
{
	snprintf(mnt_path, sizeof mnt_path, "/tmp/ext2-%s-%s", GT_VARIANT, dev + 5);
	if (mkdir(mnt_path, 0755) && errno != EEXIST)
		GT_FAIL("mkdir %s: %s", mnt_path, gt_errno_name(errno));
	/* A case that failed half-way left its mount behind. */
	while (umount(mnt_path) == 0)
		;
	OK(mount(dev, mnt_path, "ext2", MS_RDONLY, NULL));
	return mnt_path;
}

static void unmount(void)
{
	OK(umount(mnt_path));
}

static char path_buf[512];
static const char *at(const char *name)
{
	snprintf(path_buf, sizeof path_buf, "%s/%s", mnt_path, name);
	return path_buf;
}

static unsigned char pattern(long i, int seed)
{
	return (unsigned char)((i * 7 + seed + (i >> 12)) & 0xff);
}

/* 512-byte sectors a file of @size with no holes takes with @bs blocks: data plus indirect blocks. */
static long long file_sectors(long long size, unsigned bs)
{
	long long p = bs / 4, n = (size + bs - 1) / bs, meta = 0;
	long long left = n > 12 ? n - 12 : 0;
	if (left) {
		meta += 1;	/* single indirect */
		left = left > p ? left - p : 0;
	}
	if (left) {
		long long d = left > p * p ? p * p : left;
		meta += 1 + (d + p - 1) / p;
		left -= d;
	}
	if (left)
		meta += 1 + (left + p * p - 1) / (p * p) + (left + p - 1) / p;
	return (n + meta) * (bs / 512);
}

GT_CASE(ext2_mount_and_read_small_files, "mount umount2 open read")
{
	for (size_t i = 0; i < NIMGS; i++) {
		mount_ro(imgs[i].dev);
		char buf[64];
		gt_read_file(at("hello.txt"), buf, sizeof buf);
		STREQ(buf, "hello, ext2\n");
		gt_read_file(at("dir/sub/deep.txt"), buf, sizeof buf);
		STREQ(buf, "deep\n");
		gt_read_file(at("hard2"), buf, sizeof buf);
		STREQ(buf, "linked\n");
		ERR(open(at("nothing"), O_RDONLY), ENOENT);
		ERR(open(at("hello.txt/x"), O_RDONLY), ENOTDIR);
		unmount();
	}
}

GT_CASE(ext2_big_file_through_indirect_blocks, "open read pread64 fstat lseek")
{
	const long size = (1 << 20) + 123;
	unsigned char *buf = malloc(size), *exp = malloc(size);
	CHECK(buf && exp);
	for (long i = 0; i < size; i++)
		exp[i] = pattern(i, 5);
	for (size_t k = 0; k < NIMGS; k++) {
		mount_ro(imgs[k].dev);
		int fd = (int)OK(open(at("big"), O_RDONLY));
		struct stat st;
		OK(fstat(fd, &st));
		EQ(st.st_size, size);
		EQ(st.st_blocks, file_sectors(size, imgs[k].bs));
		EQ(st.st_blksize, imgs[k].bs);
		/* Odd-sized reads cross blocks and pages. */
		long got = 0;
		for (;;) {
			ssize_t r = read(fd, buf + got, size - got < 3001 ? size - got : 3001);
			CHECK(r >= 0);
			if (r == 0)
				break;
			got += r;
		}
		EQ(got, size);
		MEMEQ(buf, exp, size);
		/* Positional reads at the map's seams, and at the end. */
		long offs[] = { 12L * imgs[k].bs - 5, (12L + imgs[k].bs / 4) * imgs[k].bs - 3, size - 10 };
		for (size_t j = 0; j < sizeof offs / sizeof offs[0]; j++) {
			if (offs[j] >= size)
				continue;
			EQ(pread(fd, buf, 100, offs[j]), size - offs[j] < 100 ? size - offs[j] : 100);
			MEMEQ(buf, exp + offs[j], size - offs[j] < 100 ? size - offs[j] : 100);
		}
		EQ(pread(fd, buf, 10, size), 0);
		EQ(pread(fd, buf, 10, size + 100000), 0);
		OK(close(fd));
		unmount();
	}
	free(buf);
	free(exp);
}

GT_CASE(ext2_sparse_file_to_triple_indirect, "open pread64 fstat")
{
	long long marks[9];
	int n = 0;
	unsigned sizes[] = { 1024, 2048, 4096 };
	for (int s = 0; s < 3; s++) {
		long long p = sizes[s] / 4, lbs[] = { 12, 12 + p, 12 + p + p * p };
		for (int j = 0; j < 3; j++) {
			long long off = lbs[j] * sizes[s];
			int dup = 0;
			for (int m = 0; m < n; m++)
				dup |= marks[m] == off;
			if (!dup)
				marks[n++] = off;
		}
	}
	long long last = 0;
	for (int m = 0; m < n; m++)
		last = marks[m] > last ? marks[m] : last;
	for (size_t k = 0; k < NIMGS; k++) {
		if (!imgs[k].sparse)
			continue;
		mount_ro(imgs[k].dev);
		int fd = (int)OK(open(at("sparse"), O_RDONLY));
		struct stat st;
		OK(fstat(fd, &st));
		char want[64], buf[4096];
		snprintf(want, sizeof want, "MARK@%lld\n", last);
		EQ(st.st_size, last + (long long)strlen(want));
		/* A few blocks of data and their indirect blocks, nothing for the holes. */
		CHECK(st.st_blocks > 0 && st.st_blocks < 64 * (imgs[k].bs / 512));
		for (int m = 0; m < n; m++) {
			snprintf(want, sizeof want, "MARK@%lld\n", marks[m]);
			memset(buf, 'x', sizeof buf);
			EQ(pread(fd, buf, strlen(want), marks[m]), (long)strlen(want));
			MEMEQ(buf, want, strlen(want));
			/* The hole before it reads as zeros. */
			EQ(pread(fd, buf, sizeof buf, marks[m] - (long long)sizeof buf), (long)sizeof buf);
			for (size_t b = 0; b < sizeof buf; b++)
				if (buf[b] != 0)
					GT_FAIL("byte %zu of the hole before mark %lld is %d", b, marks[m], buf[b]);
		}
		OK(close(fd));
		unmount();
	}
}

/* Names of a directory (sorted: Linux returns hashed order) and their d_type. */
struct ent {
	char name[256];
	unsigned char type;
	unsigned long ino;
};

static int ent_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ent *)a)->name, ((const struct ent *)b)->name);
}

static int list_dir(const char *path, struct ent *out, int max)
{
	DIR *d = opendir(path);
	if (!d)
		GT_FAIL("opendir %s: %s", path, gt_errno_name(errno));
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		CHECK(n < max);
		snprintf(out[n].name, sizeof out[n].name, "%s", e->d_name);
		out[n].type = e->d_type;
		out[n].ino = e->d_ino;
		n++;
	}
	closedir(d);
	qsort(out, n, sizeof *out, ent_cmp);
	return n;
}

GT_CASE(ext2_directory_listing_and_types, "getdents64 openat")
{
	static const struct { const char *name; unsigned char type; } want[] = {
		{ ".", DT_DIR }, { "..", DT_DIR }, { "big", DT_REG }, { "bigdev", DT_CHR },
		{ "busybox", DT_REG }, { "deeplink", DT_LNK }, { "dir", DT_DIR }, { "fastlink", DT_LNK },
		{ "fifo", DT_FIFO }, { "hard1", DT_REG }, { "hard2", DT_REG }, { "hello.txt", DT_REG },
		{ "lost+found", DT_DIR }, { "many", DT_DIR }, { "null", DT_CHR }, { "sda1", DT_BLK },
		{ "slowlink", DT_LNK }, { "sparse", DT_REG },
	};
	static struct ent ents[400];
	for (size_t k = 0; k < NIMGS; k++) {
		mount_ro(imgs[k].dev);
		int n = list_dir(mnt_path, ents, 400);
		int w = 0;
		for (size_t j = 0; j < sizeof want / sizeof want[0]; j++) {
			if (!imgs[k].sparse && (!strcmp(want[j].name, "sparse") ||
						!strcmp(want[j].name, "busybox")))
				continue;
			CHECK(w < n);
			STREQ(ents[w].name, want[j].name);
			/* Revision 0 has no file types in its entries. */
			EQ(ents[w].type, imgs[k].rev ? want[j].type : DT_UNKNOWN);
			struct stat st;
			OK(lstat(at(ents[w].name), &st));
			if (strcmp(ents[w].name, ".."))
				EQ(ents[w].ino, st.st_ino);
			w++;
		}
		EQ(n, w);
		/* 300 entries over several blocks. */
		n = list_dir(at("many"), ents, 400);
		EQ(n, 302);
		for (int j = 0; j < 300; j++) {
			char name[64];
			snprintf(name, sizeof name, "entry-with-a-longer-name-%03d", j);
			STREQ(ents[j + 2].name, name);
		}
		struct stat st;
		OK(stat(at("many/entry-with-a-longer-name-299"), &st));
		CHECK(S_ISREG(st.st_mode));
		EQ(st.st_size, 0);
		EQ(st.st_blocks, 0);
		OK(stat(at("many"), &st));
		CHECK(st.st_size > (long long)imgs[k].bs);
		EQ(st.st_size % imgs[k].bs, 0);
		unmount();
	}
}

GT_CASE(ext2_symlinks_fast_and_slow, "readlink lstat open")
{
	char slow[128] = "dir/";
	memset(slow + 4, 'x', 96);
	slow[100] = 0;
	for (size_t k = 0; k < NIMGS; k++) {
		mount_ro(imgs[k].dev);
		char buf[256];
		ssize_t n = readlink(at("fastlink"), buf, sizeof buf);
		EQ(n, 9);
		MEMEQ(buf, "hello.txt", 9);
		struct stat st;
		OK(lstat(at("fastlink"), &st));
		CHECK(S_ISLNK(st.st_mode));
		EQ(st.st_size, 9);
		EQ(st.st_blocks, 0);
		n = readlink(at("slowlink"), buf, sizeof buf);
		EQ(n, 100);
		MEMEQ(buf, slow, 100);
		OK(lstat(at("slowlink"), &st));
		EQ(st.st_size, 100);
		EQ(st.st_blocks, imgs[k].bs / 512);
		/* A short buffer gets a truncated target. */
		EQ(readlink(at("slowlink"), buf, 10), 10);
		MEMEQ(buf, slow, 10);
		gt_read_file(at("deeplink"), buf, sizeof buf);
		STREQ(buf, "deep\n");
		ERR(open(at("slowlink"), O_RDONLY), ENOENT);	/* dangling */
		unmount();
	}
}

GT_CASE(ext2_device_nodes_and_fifo, "lstat open write")
{
	for (size_t k = 0; k < NIMGS; k++) {
		mount_ro(imgs[k].dev);
		struct stat st;
		OK(lstat(at("null"), &st));
		CHECK(S_ISCHR(st.st_mode));
		EQ(major(st.st_rdev), 1);
		EQ(minor(st.st_rdev), 3);
		OK(lstat(at("sda1"), &st));
		CHECK(S_ISBLK(st.st_mode));
		EQ(major(st.st_rdev), 8);
		EQ(minor(st.st_rdev), 1);
		OK(lstat(at("bigdev"), &st));
		CHECK(S_ISCHR(st.st_mode));
		EQ(major(st.st_rdev), 300);
		EQ(minor(st.st_rdev), 1000);
		OK(lstat(at("fifo"), &st));
		CHECK(S_ISFIFO(st.st_mode));
		/* A device node on a read-only file system is still the device. */
		int fd = (int)OK(open(at("null"), O_WRONLY));
		EQ(write(fd, "abc", 3), 3);
		OK(close(fd));
		unmount();
	}
}

GT_CASE(ext2_stat_fields, "stat lstat statx")
{
	for (size_t k = 0; k < NIMGS; k++) {
		mount_ro(imgs[k].dev);
		struct stat st, dev;
		OK(stat(imgs[k].dev, &dev));
		OK(stat(at("hello.txt"), &st));
		EQ(st.st_dev, dev.st_rdev);
		EQ(st.st_mode, S_IFREG | 0640);
		EQ(st.st_uid, 1234);
		EQ(st.st_gid, 5678);
		EQ(st.st_nlink, 1);
		EQ(st.st_size, 12);
		EQ(st.st_blocks, imgs[k].bs / 512);
		EQ(st.st_blksize, imgs[k].bs);
		EQ(st.st_mtim.tv_sec, 1600000000);
		/* Nanoseconds live in the large inode's extra fields. */
		EQ(st.st_mtim.tv_nsec, imgs[k].isize > 128 ? 123456789 : 0);
		EQ(st.st_atim.tv_sec, 1600000001);
		EQ(st.st_ctim.tv_sec, 1500000000);
		struct stat h1, h2;
		OK(stat(at("hard1"), &h1));
		OK(stat(at("hard2"), &h2));
		EQ(h1.st_ino, h2.st_ino);
		EQ(h1.st_nlink, 2);
		/* 32-bit owners: the high halves sit in the inode's OS-dependent words. */
		EQ(h1.st_uid, 100000);
		EQ(h1.st_gid, 200000);
		OK(stat(at("dir"), &st));
		EQ(st.st_mode, S_IFDIR | 0750);
		EQ(st.st_nlink, 3);
		EQ(st.st_size, imgs[k].bs);
		OK(stat(mnt_path, &st));
		EQ(st.st_ino, 2);
		EQ(st.st_nlink, 5);	/* ., lost+found, dir, many: each subdirectory's ".." */
		unmount();
	}
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int has_super(uint32_t g, int sparse)
{
	if (!sparse || g <= 1)
		return 1;
	for (uint32_t b = 3; b <= 7; b += 2) {
		uint32_t p = b;
		while (p < g)
			p *= b;
		if (p == g)
			return 1;
	}
	return 0;
}

GT_CASE(ext2_statfs_figures, "statfs fstatfs")
{
	for (size_t k = 0; k < NIMGS; k++) {
		/* The superblock as the disk holds it, read before mounting. */
		unsigned char sb[1024];
		int fd = (int)OK(open(imgs[k].dev, O_RDONLY));
		EQ(pread(fd, sb, sizeof sb, 1024), 1024);
		OK(close(fd));
		uint32_t inodes = le32(sb), blocks = le32(sb + 4), rblocks = le32(sb + 8);
		uint32_t fblocks = le32(sb + 12), finodes = le32(sb + 16), first = le32(sb + 20);
		uint32_t bpg = le32(sb + 32), ipg = le32(sb + 40), rev = le32(sb + 76);
		uint32_t isize = rev ? (sb[88] | sb[89] << 8) : 128;
		int sparse = rev && (le32(sb + 100) & 1);
		uint32_t rgdt = rev ? (sb[206] | sb[207] << 8) : 0;
		uint32_t groups = (blocks - first + bpg - 1) / bpg;
		uint32_t gdt = (groups * 32 + imgs[k].bs - 1) / imgs[k].bs;
		uint32_t itb = (ipg * isize + imgs[k].bs - 1) / imgs[k].bs;
		long long overhead = first;
		for (uint32_t g = 0; g < groups; g++)
			overhead += (has_super(g, sparse) ? 1 + gdt + rgdt : 0) + 2 + itb;
		mount_ro(imgs[k].dev);
		struct statfs s;
		OK(statfs(mnt_path, &s));
		EQ(s.f_type, 0xef53);
		EQ(s.f_bsize, imgs[k].bs);
		EQ(s.f_frsize, imgs[k].bs);
		EQ(s.f_namelen, 255);
		EQ(s.f_files, inodes);
		EQ(s.f_ffree, finodes);
		EQ(s.f_bfree, fblocks);
		EQ(s.f_bavail, fblocks - rblocks);
		EQ(s.f_blocks, blocks - overhead);
		fd = (int)OK(open(at("hello.txt"), O_RDONLY));
		struct statfs f;
		OK(fstatfs(fd, &f));
		EQ(f.f_blocks, s.f_blocks);
		EQ(f.f_fsid.__val[0], s.f_fsid.__val[0]);
		OK(close(fd));
		unmount();
	}
}

GT_CASE(ext2_read_only_mount_refuses_writes, "open mkdir unlink rmdir rename chmod chown utimensat truncate symlink link access")
{
	mount_ro(imgs[0].dev);
	ERR(open(at("hello.txt"), O_WRONLY), EROFS);
	ERR(open(at("hello.txt"), O_RDONLY | O_TRUNC), EROFS);
	ERR(open(at("new"), O_WRONLY | O_CREAT, 0644), EROFS);
	ERR(mkdir(at("newdir"), 0755), EROFS);
	ERR(unlink(at("hello.txt")), EROFS);
	ERR(rmdir(at("lost+found")), EROFS);
	char other[512];
	snprintf(other, sizeof other, "%s/renamed", mnt_path);
	ERR(rename(at("hello.txt"), other), EROFS);
	ERR(chmod(at("hello.txt"), 0600), EROFS);
	ERR(chown(at("hello.txt"), 1, 1), EROFS);
	ERR(utimensat(AT_FDCWD, at("hello.txt"), NULL, 0), EROFS);
	ERR(truncate(at("hello.txt"), 0), EROFS);
	ERR(symlink("x", at("newlink")), EROFS);
	ERR(link(at("hello.txt"), other), EROFS);
	ERR(access(at("hello.txt"), W_OK), EROFS);
	OK(access(at("hello.txt"), R_OK));
	/* The file is as it was. */
	char buf[64];
	gt_read_file(at("hello.txt"), buf, sizeof buf);
	STREQ(buf, "hello, ext2\n");
	unmount();
}

GT_CASE(ext2_mmap_and_exec, "mmap execve")
{
	for (size_t k = 0; k < NIMGS; k++) {
		if (!imgs[k].sparse)
			continue;
		mount_ro(imgs[k].dev);
		int fd = (int)OK(open(at("big"), O_RDONLY));
		const long size = (1 << 20) + 123;
		unsigned char *p = MAP_OK(mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0));
		for (long i = 0; i < size; i += 997)
			if (p[i] != pattern(i, 5))
				GT_FAIL("byte %ld of the mapping is %d", i, p[i]);
		OK(munmap(p, size));
		OK(close(fd));
		/* A program from the disk runs. */
		pid_t pid = gt_fork();
		if (pid == 0) {
			char *argv[] = { "busybox", "true", NULL };
			execv(at("busybox"), argv);
			_exit(127);
		}
		gt_wait_exit(pid, 0);
		unmount();
	}
}

GT_CASE(ext2_mount_checks_features, "mount umount2")
{
	const char *mp = mount_ro("/dev/vdf4");	/* sets mnt_path; no file types */
	static struct ent ents[8];
	int n = list_dir(mp, ents, 8);
	EQ(n, 3);
	STREQ(ents[2].name, "lost+found");
	EQ(ents[2].type, DT_UNKNOWN);
	unmount();
	/* An incompatible feature ext2 lacks (extents): refused, even read-only. */
	ERR(mount("/dev/vdf1", mnt_path, "ext2", MS_RDONLY, NULL), EINVAL);
	ERR(mount("/dev/vdf1", mnt_path, "ext2", 0, NULL), EINVAL);
	/* A read-only-compatible one (huge_file): read-only only. */
	ERR(mount("/dev/vdf2", mnt_path, "ext2", 0, NULL), EINVAL);
	OK(mount("/dev/vdf2", mnt_path, "ext2", MS_RDONLY, NULL));
	OK(umount(mnt_path));
	/* No file system at all. */
	ERR(mount("/dev/vdf3", mnt_path, "ext2", MS_RDONLY, NULL), EINVAL);
	/* Not a block device. */
	char file[600];
	snprintf(file, sizeof file, "%s.file", mnt_path);
	gt_write_file(file, "x");
	ERR(mount(file, mnt_path, "ext2", MS_RDONLY, NULL), ENOTBLK);
	/* Busy while a file is open. */
	mount_ro(imgs[0].dev);
	int fd = (int)OK(open(at("hello.txt"), O_RDONLY));
	ERR(umount(mnt_path), EBUSY);
	OK(close(fd));
	unmount();
}

/* ---- read-write: vdg1/vdg3 for the musl round, vdg2/vdg4 for glibc (1 KiB and 4 KiB blocks) ---- */

struct rw_fs {
	const char *dev;
	unsigned bs;
};

static struct rw_fs rw_fss[2];

static void rw_pick(void)
{
	int glibc = !strcmp(GT_VARIANT, "glibc");
	rw_fss[0] = (struct rw_fs){ glibc ? "/dev/vdg2" : "/dev/vdg1", 1024 };
	rw_fss[1] = (struct rw_fs){ glibc ? "/dev/vdg4" : "/dev/vdg3", 4096 };
}

/* Mount read-write (fresh mount point); a case-named directory made anew inside it. */
static const char *mount_rw(const struct rw_fs *f, const char *dir)
{
	snprintf(mnt_path, sizeof mnt_path, "/tmp/ext2rw-%s-%s", GT_VARIANT, f->dev + 5);
	if (mkdir(mnt_path, 0755) && errno != EEXIST)
		GT_FAIL("mkdir %s: %s", mnt_path, gt_errno_name(errno));
	while (umount(mnt_path) == 0)
		;
	OK(mount(f->dev, mnt_path, "ext2", 0, NULL));
	if (dir) {
		char cmd[600];
		snprintf(cmd, sizeof cmd, "rm -rf %s/%s", mnt_path, dir);
		CHECK(system(cmd) == 0);
		OK(mkdir(at(dir), 0755));
	}
	return mnt_path;
}

static void remount(const struct rw_fs *f)
{
	OK(umount(mnt_path));
	OK(mount(f->dev, mnt_path, "ext2", 0, NULL));
}

static void write_pattern(const char *path, long off, long len, int seed, int flags)
{
	int fd = (int)OK(open(path, O_WRONLY | O_CREAT | flags, 0644));
	unsigned char buf[5000];
	for (long done = 0; done < len;) {
		long n = len - done < (long)sizeof buf ? len - done : (long)sizeof buf;
		for (long i = 0; i < n; i++)
			buf[i] = pattern(off + done + i, seed);
		EQ(pwrite(fd, buf, n, off + done), n);
		done += n;
	}
	OK(close(fd));
}

/* Bytes [off, off + len) of @path are the pattern (@seed >= 0) or zeros (@seed < 0). */
static void check_pattern(const char *path, long off, long len, int seed)
{
	int fd = (int)OK(open(path, O_RDONLY));
	unsigned char buf[4096];
	for (long done = 0; done < len;) {
		long n = len - done < (long)sizeof buf ? len - done : (long)sizeof buf;
		EQ(pread(fd, buf, n, off + done), n);
		for (long i = 0; i < n; i++) {
			unsigned char want = seed < 0 ? 0 : pattern(off + done + i, seed);
			if (buf[i] != want)
				GT_FAIL("%s: byte %ld is %d, want %d", path, off + done + i, buf[i], want);
		}
		done += n;
	}
	OK(close(fd));
}

static long long free_blocks(void)
{
	struct statfs s;
	OK(statfs(mnt_path, &s));
	return (long long)s.f_bfree;
}

static long long free_inodes(void)
{
	struct statfs s;
	OK(statfs(mnt_path, &s));
	return (long long)s.f_ffree;
}

GT_CASE(ext2_rw_write_read_and_remount, "open write pwrite64 pread64 fsync umount2 mount")
{
	rw_pick();
	for (int k = 0; k < 2; k++) {
		mount_rw(&rw_fss[k], "wr");
		const long size = 300 * 1024 + 77;
		write_pattern(at("wr/f"), 0, size, 9, O_TRUNC);
		check_pattern(at("wr/f"), 0, size, 9);
		struct stat st;
		OK(stat(at("wr/f"), &st));
		EQ(st.st_size, size);
		EQ(st.st_blocks, file_sectors(size, rw_fss[k].bs));
		int fd = (int)OK(open(at("wr/f"), O_RDWR));
		OK(fsync(fd));
		OK(fdatasync(fd));
		OK(close(fd));
		remount(&rw_fss[k]);
		check_pattern(at("wr/f"), 0, size, 9);
		OK(stat(at("wr/f"), &st));
		EQ(st.st_size, size);
		EQ(st.st_blocks, file_sectors(size, rw_fss[k].bs));
		/* Appending goes on from the end. */
		fd = (int)OK(open(at("wr/f"), O_WRONLY | O_APPEND));
		EQ(write(fd, "tail", 4), 4);
		OK(close(fd));
		OK(stat(at("wr/f"), &st));
		EQ(st.st_size, size + 4);
		unmount();
	}
}

GT_CASE(ext2_rw_holes_and_partial_blocks, "pwrite64 pread64 lseek")
{
	rw_pick();
	for (int k = 0; k < 2; k++) {
		mount_rw(&rw_fss[k], "holes");
		long bs = rw_fss[k].bs;
		/* A write into the middle of a block of a hole: the rest of that block reads as zeros. */
		write_pattern(at("holes/f"), 5 * bs + 100, 50, 3, 0);
		write_pattern(at("holes/f"), 40 * bs - 10, 20, 3, 0);	/* across two blocks */
		write_pattern(at("holes/f"), 2000 * bs + 1, 1, 3, 0);	/* far, in the double indirect range */
		for (int pass = 0; pass < 2; pass++) {
			check_pattern(at("holes/f"), 0, 5 * bs + 100, -1);
			check_pattern(at("holes/f"), 5 * bs + 100, 50, 3);
			check_pattern(at("holes/f"), 5 * bs + 150, 40 * bs - 10 - (5 * bs + 150), -1);
			check_pattern(at("holes/f"), 40 * bs - 10, 20, 3);
			check_pattern(at("holes/f"), 40 * bs + 10, 2000 * bs + 1 - (40 * bs + 10), -1);
			check_pattern(at("holes/f"), 2000 * bs + 1, 1, 3);
			struct stat st;
			OK(stat(at("holes/f"), &st));
			EQ(st.st_size, 2000 * bs + 2);
			/* Four data blocks, one single indirect, a double with one below it. */
			EQ(st.st_blocks, (4 + 1 + 2) * (bs / 512));
			remount(&rw_fss[k]);
		}
		/* Overwriting in place keeps the blocks. */
		write_pattern(at("holes/f"), 5 * bs + 100, 50, 4, 0);
		check_pattern(at("holes/f"), 5 * bs + 100, 50, 4);
		unmount();
	}
}

GT_CASE(ext2_rw_truncate_frees_and_zeroes, "truncate ftruncate statfs")
{
	rw_pick();
	for (int k = 0; k < 2; k++) {
		mount_rw(&rw_fss[k], "trunc");
		long bs = rw_fss[k].bs;
		long long before = free_blocks();
		const long size = 600 * 1024;
		write_pattern(at("trunc/f"), 0, size, 7, O_TRUNC);
		CHECK(free_blocks() < before - size / bs);
		/* Down into the middle of a block, then up again: the cut-off bytes read as zeros. */
		OK(truncate(at("trunc/f"), 10 * bs + 33));
		struct stat st;
		OK(stat(at("trunc/f"), &st));
		EQ(st.st_size, 10 * bs + 33);
		EQ(st.st_blocks, file_sectors(10 * bs + 33, bs));
		OK(truncate(at("trunc/f"), 20 * bs));
		check_pattern(at("trunc/f"), 0, 10 * bs + 33, 7);
		check_pattern(at("trunc/f"), 10 * bs + 33, 10 * bs - 33, -1);
		remount(&rw_fss[k]);
		check_pattern(at("trunc/f"), 10 * bs + 33, 10 * bs - 33, -1);
		int fd = (int)OK(open(at("trunc/f"), O_RDWR));
		OK(ftruncate(fd, 0));
		OK(fstat(fd, &st));
		EQ(st.st_size, 0);
		EQ(st.st_blocks, 0);
		OK(close(fd));
		EQ(free_blocks(), before);
		/* O_TRUNC too. */
		write_pattern(at("trunc/f"), 0, 5000, 1, 0);
		fd = (int)OK(open(at("trunc/f"), O_WRONLY | O_TRUNC));
		OK(close(fd));
		EQ(free_blocks(), before);
		unmount();
	}
}

GT_CASE(ext2_rw_directories, "mkdir rmdir getdents64 unlink statfs")
{
	rw_pick();
	static struct ent ents[700];
	for (int k = 0; k < 2; k++) {
		mount_rw(&rw_fss[k], "dirs");
		long long inodes = free_inodes(), blocks = free_blocks();
		struct stat st;
		OK(mkdir(at("dirs/a"), 0700));
		OK(mkdir(at("dirs/a/b"), 0755));
		OK(stat(at("dirs/a"), &st));
		EQ(st.st_nlink, 3);
		EQ(st.st_mode, S_IFDIR | 0700);
		EQ(st.st_size, rw_fss[k].bs);
		ERR(mkdir(at("dirs/a/b"), 0755), EEXIST);
		ERR(rmdir(at("dirs/a")), ENOTEMPTY);
		/* Many entries: the directory grows by blocks. */
		char name[300];
		for (int i = 0; i < 600; i++) {
			snprintf(name, sizeof name, "dirs/a/b/file-number-%04d", i);
			gt_write_file(at(name), "");
		}
		int n = list_dir(at("dirs/a/b"), ents, 700);
		EQ(n, 602);
		for (int i = 0; i < 600; i++) {
			snprintf(name, sizeof name, "file-number-%04d", i);
			STREQ(ents[i + 2].name, name);
			EQ(ents[i + 2].type, DT_REG);
		}
		remount(&rw_fss[k]);
		n = list_dir(at("dirs/a/b"), ents, 700);
		EQ(n, 602);
		for (int i = 0; i < 600; i += 2) {
			snprintf(name, sizeof name, "dirs/a/b/file-number-%04d", i);
			OK(unlink(at(name)));
		}
		n = list_dir(at("dirs/a/b"), ents, 700);
		EQ(n, 302);
		STREQ(ents[2].name, "file-number-0001");
		/* Removed names leave room that new ones use. */
		gt_write_file(at("dirs/a/b/new-one"), "n");
		for (int i = 1; i < 600; i += 2) {
			snprintf(name, sizeof name, "dirs/a/b/file-number-%04d", i);
			OK(unlink(at(name)));
		}
		OK(unlink(at("dirs/a/b/new-one")));
		EQ(list_dir(at("dirs/a/b"), ents, 700), 2);
		OK(rmdir(at("dirs/a/b")));
		OK(stat(at("dirs/a"), &st));
		EQ(st.st_nlink, 2);
		OK(rmdir(at("dirs/a")));
		ERR(stat(at("dirs/a"), &st), ENOENT);
		EQ(free_inodes(), inodes);
		EQ(free_blocks(), blocks);
		unmount();
	}
}

GT_CASE(ext2_rw_rename, "rename renameat2")
{
	rw_pick();
	for (int k = 0; k < 2; k++) {
		mount_rw(&rw_fss[k], "ren");
		long long inodes = free_inodes();
		char a[512], b[512];
		gt_write_file(at("ren/x"), "xx");
		gt_write_file(at("ren/y"), "yyy");
		OK(mkdir(at("ren/d1"), 0755));
		OK(mkdir(at("ren/d2"), 0755));
		OK(mkdir(at("ren/d1/sub"), 0755));
		snprintf(a, sizeof a, "%s", at("ren/x"));
		snprintf(b, sizeof b, "%s", at("ren/d1/x2"));
		OK(rename(a, b));	/* across directories */
		char buf[16];
		gt_read_file(b, buf, sizeof buf);
		STREQ(buf, "xx");
		ERR(stat(a, &(struct stat){ 0 }), ENOENT);
		/* Over an existing file: the old one is gone. */
		snprintf(a, sizeof a, "%s", at("ren/y"));
		OK(rename(a, b));
		gt_read_file(b, buf, sizeof buf);
		STREQ(buf, "yyy");
		EQ(free_inodes(), inodes - 4);	/* y (now x2), d1, d2, sub */
		/* A directory to another parent: its ".." and both parents' link counts follow. */
		snprintf(a, sizeof a, "%s", at("ren/d1/sub"));
		snprintf(b, sizeof b, "%s", at("ren/d2/sub"));
		OK(rename(a, b));
		struct stat st, p;
		OK(stat(at("ren/d2/sub/.."), &st));
		OK(stat(at("ren/d2"), &p));
		EQ(st.st_ino, p.st_ino);
		EQ(p.st_nlink, 3);
		OK(stat(at("ren/d1"), &p));
		EQ(p.st_nlink, 2);
		/* Exchange a file and a directory. */
		snprintf(a, sizeof a, "%s", at("ren/d1/x2"));
		snprintf(b, sizeof b, "%s", at("ren/d2/sub"));
		OK(syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, 2 /* RENAME_EXCHANGE */));
		OK(stat(at("ren/d1/x2"), &st));
		CHECK(S_ISDIR(st.st_mode));
		OK(stat(at("ren/d1/x2/.."), &st));
		OK(stat(at("ren/d1"), &p));
		EQ(st.st_ino, p.st_ino);
		EQ(p.st_nlink, 3);
		OK(stat(at("ren/d2"), &p));
		EQ(p.st_nlink, 2);
		gt_read_file(at("ren/d2/sub"), buf, sizeof buf);
		STREQ(buf, "yyy");
		remount(&rw_fss[k]);
		gt_read_file(at("ren/d2/sub"), buf, sizeof buf);
		STREQ(buf, "yyy");
		OK(stat(at("ren/d1/x2/.."), &st));
		OK(stat(at("ren/d1"), &p));
		EQ(st.st_ino, p.st_ino);
		unmount();
	}
}

GT_CASE(ext2_rw_links_symlinks_nodes, "link unlink symlink readlink mknod")
{
	rw_pick();
	for (int k = 0; k < 2; k++) {
		mount_rw(&rw_fss[k], "lnk");
		char a[512], b[512], buf[4200];
		gt_write_file(at("lnk/f"), "data");
		snprintf(a, sizeof a, "%s", at("lnk/f"));
		snprintf(b, sizeof b, "%s", at("lnk/g"));
		OK(link(a, b));
		struct stat st;
		OK(stat(a, &st));
		EQ(st.st_nlink, 2);
		OK(unlink(a));
		OK(stat(b, &st));
		EQ(st.st_nlink, 1);
		gt_read_file(b, buf, sizeof buf);
		STREQ(buf, "data");
		OK(symlink("g", at("lnk/fast")));
		char slow[300];
		memset(slow, 's', 200);
		slow[200] = 0;
		OK(symlink(slow, at("lnk/slow")));
		/* The target and its NUL must fit one block. */
		memset(buf, 'L', rw_fss[k].bs);
		buf[rw_fss[k].bs] = 0;
		ERR(symlink(buf, at("lnk/long")), ENAMETOOLONG);
		OK(mknod(at("lnk/fifo"), S_IFIFO | 0644, 0));
		OK(mknod(at("lnk/chr"), S_IFCHR | 0600, makedev(1, 5)));
		OK(mknod(at("lnk/big"), S_IFBLK | 0600, makedev(259, 300)));
		remount(&rw_fss[k]);
		EQ(readlink(at("lnk/fast"), buf, sizeof buf), 1);
		EQ(readlink(at("lnk/slow"), buf, sizeof buf), 200);
		MEMEQ(buf, slow, 200);
		OK(lstat(at("lnk/slow"), &st));
		EQ(st.st_blocks, rw_fss[k].bs / 512);
		OK(lstat(at("lnk/fast"), &st));
		EQ(st.st_blocks, 0);
		gt_read_file(at("lnk/fast"), buf, sizeof buf);
		STREQ(buf, "data");
		OK(lstat(at("lnk/fifo"), &st));
		CHECK(S_ISFIFO(st.st_mode));
		OK(lstat(at("lnk/chr"), &st));
		CHECK(S_ISCHR(st.st_mode));
		EQ(st.st_rdev, makedev(1, 5));
		OK(lstat(at("lnk/big"), &st));
		CHECK(S_ISBLK(st.st_mode));
		EQ(major(st.st_rdev), 259);
		EQ(minor(st.st_rdev), 300);
		OK(unlink(at("lnk/slow")));
		OK(unlink(at("lnk/fifo")));
		unmount();
	}
}

GT_CASE(ext2_rw_unlinked_open_file, "unlink open read write close")
{
	rw_pick();
	for (int k = 0; k < 2; k++) {
		mount_rw(&rw_fss[k], "open");
		long long blocks = free_blocks(), inodes = free_inodes();
		write_pattern(at("open/f"), 0, 100000, 2, 0);
		int fd = (int)OK(open(at("open/f"), O_RDWR));
		OK(unlink(at("open/f")));
		/* Still there for whoever holds it open. */
		unsigned char buf[100];
		EQ(pread(fd, buf, 100, 50000), 100);
		for (int i = 0; i < 100; i++)
			EQ(buf[i], pattern(50000 + i, 2));
		EQ(pwrite(fd, "zz", 2, 200000), 2);
		CHECK(free_blocks() < blocks);
		OK(close(fd));
		EQ(free_blocks(), blocks);
		EQ(free_inodes(), inodes);
		unmount();
	}
}

GT_CASE(ext2_rw_mmap_shared_write, "mmap msync munmap")
{
	rw_pick();
	for (int k = 0; k < 2; k++) {
		mount_rw(&rw_fss[k], "map");
		const long size = 3 * 4096 + 100;
		write_pattern(at("map/f"), 0, size, 6, 0);
		int fd = (int)OK(open(at("map/f"), O_RDWR));
		unsigned char *p = MAP_OK(mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));
		for (long i = 0; i < size; i += 1000)
			p[i] = (unsigned char)(i / 1000);
		OK(msync(p, size, MS_SYNC));
		OK(munmap(p, size));
		OK(close(fd));
		remount(&rw_fss[k]);
		fd = (int)OK(open(at("map/f"), O_RDONLY));
		unsigned char c;
		for (long i = 0; i < size; i++) {
			EQ(pread(fd, &c, 1, i), 1);
			EQ(c, i % 1000 ? pattern(i, 6) : (unsigned char)(i / 1000));
		}
		OK(close(fd));
		unmount();
	}
}

GT_CASE(ext2_rw_times_and_attributes, "utimensat chmod chown")
{
	rw_pick();
	for (int k = 0; k < 2; k++) {
		mount_rw(&rw_fss[k], "attr");
		gt_write_file(at("attr/f"), "t");
		struct timespec ts[2] = { { 1111111111, 0 }, { 1222222222, 0 } };
		OK(utimensat(AT_FDCWD, at("attr/f"), ts, 0));
		OK(chmod(at("attr/f"), 04751));
		OK(chown(at("attr/f"), 70000, 80000));
		remount(&rw_fss[k]);
		struct stat st;
		OK(stat(at("attr/f"), &st));
		EQ(st.st_atim.tv_sec, 1111111111);
		EQ(st.st_mtim.tv_sec, 1222222222);
		EQ(st.st_uid, 70000);
		EQ(st.st_gid, 80000);
		/* chown dropped the setuid bit (Linux's rule for a non-directory). */
		EQ(st.st_mode, S_IFREG | 0751);
		/* Writing moves mtime to now. */
		time_t before = time(NULL);
		int fd = (int)OK(open(at("attr/f"), O_WRONLY));
		EQ(write(fd, "u", 1), 1);
		OK(close(fd));
		OK(stat(at("attr/f"), &st));
		CHECK(st.st_mtim.tv_sec >= before);
		unmount();
	}
}

GT_CASE(ext2_rw_enospc_leaves_it_usable, "write statfs unlink")
{
	rw_pick();
	for (int k = 0; k < 2; k++) {
		mount_rw(&rw_fss[k], "full");
		long long blocks = free_blocks();
		int fd = (int)OK(open(at("full/fill"), O_WRONLY | O_CREAT, 0644));
		static char chunk[65536];
		memset(chunk, 'F', sizeof chunk);
		long long total = 0;
		for (;;) {
			ssize_t n = write(fd, chunk, sizeof chunk);
			if (n < 0) {
				EQ(errno, ENOSPC);
				break;
			}
			CHECK(n > 0);
			total += n;
		}
		OK(close(fd));
		/* Linux keeps a few blocks back for the indirect blocks a write may need. */
		CHECK(free_blocks() < 16);
		CHECK(total > (blocks - 50) * rw_fss[k].bs);
		/* A new file may get one of the few blocks left, or not; the rest still works. */
		fd = (int)OK(open(at("full/more"), O_WRONLY | O_CREAT, 0644));
		ssize_t w = write(fd, "x", 1);
		CHECK(w == 1 || (w < 0 && errno == ENOSPC));
		OK(close(fd));
		OK(unlink(at("full/fill")));
		OK(unlink(at("full/more")));
		EQ(free_blocks(), blocks);
		gt_write_file(at("full/after"), "ok");
		char buf[8];
		gt_read_file(at("full/after"), buf, sizeof buf);
		STREQ(buf, "ok");
		unmount();
	}
}
