/* Guest cases: directories — mkdir/rmdir, getdents64, cwd, *at calls with dirfds, renames of directories. */
#include "gt.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* Lists a directory by raw getdents64 into "name:type," sorted by name (order is unspecified). */
static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_dir(int fd, char *out, size_t size)
{
	static char buf[4096];
	static char names[64][300];
	char *ptrs[64];
	int n = 0;
	for (;;) {
		long got = OK(syscall(SYS_getdents64, fd, buf, sizeof buf));
		if (got == 0)
			break;
		for (long off = 0; off < got;) {
			struct linux_dirent64 *d = (void *)(buf + off);
			CHECK(d->d_reclen > 0 && n < 64);
			snprintf(names[n], sizeof names[n], "%s:%d", d->d_name, d->d_type);
			ptrs[n] = names[n];
			n++;
			off += d->d_reclen;
		}
	}
	qsort(ptrs, n, sizeof ptrs[0], cmp_str);
	out[0] = 0;
	for (int i = 0; i < n; i++) {
		strncat(out, ptrs[i], size - strlen(out) - 2);
		strcat(out, ",");
	}
}

GT_CASE(mkdir_rmdir, "mkdir rmdir stat")
{
	OK(mkdir("d", 0755));
	struct stat st;
	OK(stat("d", &st));
	CHECK(S_ISDIR(st.st_mode));
	EQ(st.st_mode & 0777, 0755);
	EQ(st.st_nlink, 2);
	OK(rmdir("d"));
	ERR(stat("d", &st), ENOENT);
}

/* tmpfs reports a nominal 20 bytes per entry, "." and ".." included (ls -l shows it). */
GT_CASE(tmpfs_dir_size, "mkdir stat")
{
	struct statfs sfs;
	OK(statfs(".", &sfs));
	if (sfs.f_type != 0x01021994)
		return;	/* the ext2 round: a directory's size is its blocks there; this case is tmpfs's */
	struct stat st;
	OK(mkdir("d", 0755));
	OK(stat("d", &st));
	EQ(st.st_size, 40);
	OK(close(OK(open("d/f", O_CREAT | O_WRONLY, 0644))));
	OK(mkdir("d/sub", 0755));
	OK(stat("d", &st));
	EQ(st.st_size, 80);
	OK(unlink("d/f"));
	OK(stat("d", &st));
	EQ(st.st_size, 60);
}

GT_CASE(mkdir_errors, "mkdir")
{
	OK(mkdir("d", 0755));
	ERR(mkdir("d", 0755), EEXIST);
	ERR(mkdir("missing/d", 0755), ENOENT);
	gt_write_file("f", "x");
	ERR(mkdir("f/d", 0755), ENOTDIR);
	ERR(syscall(SYS_mkdir, GT_BADPTR, 0755), EFAULT);
	char name[NAME_MAX + 2];
	memset(name, 'n', sizeof name - 1);
	name[sizeof name - 1] = 0;
	ERR(mkdir(name, 0755), ENAMETOOLONG);
}

GT_CASE(mkdir_nlink_parent, "mkdir stat")
{
	OK(mkdir("d", 0755));
	OK(mkdir("d/a", 0755));
	OK(mkdir("d/b", 0755));
	struct stat st;
	OK(stat("d", &st));
	EQ(st.st_nlink, 4);
}

GT_CASE(mkdir_umask, "mkdir umask")
{
	umask(077);
	OK(mkdir("d", 0777));
	struct stat st;
	OK(stat("d", &st));
	EQ(st.st_mode & 0777, 0700);
	EQ(umask(0), 077);
}

GT_CASE(rmdir_errors, "rmdir")
{
	OK(mkdir("d", 0755));
	gt_write_file("d/f", "x");
	ERR(rmdir("d"), ENOTEMPTY);
	ERR(rmdir("d/f"), ENOTDIR);
	ERR(rmdir("missing"), ENOENT);
	ERR(rmdir("d/."), EINVAL);
	ERR(rmdir("/"), EBUSY);
}

GT_CASE(getdents64_lists, "getdents64 openat")
{
	OK(mkdir("d", 0755));
	gt_write_file("d/file", "x");
	OK(mkdir("d/sub", 0755));
	OK(symlink("file", "d/link"));
	int fd = (int)OK(open("d", O_RDONLY | O_DIRECTORY));
	char out[512];
	list_dir(fd, out, sizeof out);
	char want[128];
	snprintf(want, sizeof want, "..:%d,.:%d,file:%d,link:%d,sub:%d,", DT_DIR, DT_DIR, DT_REG,
		 DT_LNK, DT_DIR);
	STREQ(out, want);
	OK(close(fd));
}

GT_CASE(getdents64_errors, "getdents64")
{
	char buf[256];
	gt_write_file("f", "x");
	int fd = (int)OK(open("f", O_RDONLY));
	ERR(syscall(SYS_getdents64, fd, buf, sizeof buf), ENOTDIR);
	OK(close(fd));
	ERR(syscall(SYS_getdents64, -1, buf, sizeof buf), EBADF);
	fd = (int)OK(open(".", O_RDONLY | O_DIRECTORY));
	ERR(syscall(SYS_getdents64, fd, buf, 1), EINVAL);
	ERR(syscall(SYS_getdents64, fd, GT_BADPTR, sizeof buf), EFAULT);
	OK(close(fd));
}

GT_CASE(getdents64_rewind, "getdents64 lseek")
{
	int fd = (int)OK(open(".", O_RDONLY | O_DIRECTORY));
	char buf[1024];
	long a = OK(syscall(SYS_getdents64, fd, buf, sizeof buf));
	CHECK(a > 0);
	EQ(syscall(SYS_getdents64, fd, buf, sizeof buf), 0);
	OK(lseek(fd, 0, SEEK_SET));
	EQ(syscall(SYS_getdents64, fd, buf, sizeof buf), a);
	OK(close(fd));
}

GT_CASE(getdents_legacy, "getdents")
{
	int fd = (int)OK(open(".", O_RDONLY | O_DIRECTORY));
	char buf[1024];
	CHECK(OK(syscall(SYS_getdents, fd, buf, sizeof buf)) > 0);
	OK(close(fd));
}

GT_CASE(readdir_many, "getdents64")
{
	char name[32];
	for (int i = 0; i < 200; i++) {
		snprintf(name, sizeof name, "file%03d", i);
		gt_write_file(name, "");
	}
	DIR *d = opendir(".");
	CHECK(d != NULL);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL)
		n++;
	EQ(n, 202);
	closedir(d);
}

GT_CASE(chdir_getcwd, "chdir getcwd")
{
	char start[PATH_MAX], buf[PATH_MAX];
	CHECK(getcwd(start, sizeof start) != NULL);
	OK(mkdir("d", 0755));
	OK(chdir("d"));
	CHECK(getcwd(buf, sizeof buf) != NULL);
	strcat(start, "/d");
	STREQ(buf, start);
	OK(chdir(".."));
	OK(chdir("/"));
	CHECK(getcwd(buf, sizeof buf) != NULL);
	STREQ(buf, "/");
}

GT_CASE(chdir_errors, "chdir fchdir")
{
	gt_write_file("f", "x");
	ERR(chdir("f"), ENOTDIR);
	ERR(chdir("missing"), ENOENT);
	ERR(syscall(SYS_chdir, GT_KPTR), EFAULT);
	ERR(fchdir(-1), EBADF);
	int fd = (int)OK(open("f", O_RDONLY));
	ERR(fchdir(fd), ENOTDIR);
	OK(close(fd));
}

GT_CASE(getcwd_errors, "getcwd")
{
	char buf[4];
	ERR(syscall(SYS_getcwd, buf, 1), ERANGE);
	ERR(syscall(SYS_getcwd, buf, 0), ERANGE);
	char big[PATH_MAX];
	ERR(syscall(SYS_getcwd, GT_BADPTR, sizeof big), EFAULT);
	/* the raw call returns the length including the NUL */
	OK(chdir("/"));
	EQ(syscall(SYS_getcwd, big, sizeof big), 2);
	STREQ(big, "/");
}

GT_CASE(getcwd_deleted, "getcwd rmdir")
{
	OK(mkdir("d", 0755));
	OK(chdir("d"));
	OK(rmdir("../d"));
	char buf[PATH_MAX];
	ERR(syscall(SYS_getcwd, buf, sizeof buf), ENOENT);
}

GT_CASE(fchdir_works, "fchdir getcwd")
{
	OK(mkdir("d", 0755));
	int fd = (int)OK(open("d", O_RDONLY | O_DIRECTORY));
	OK(fchdir(fd));
	struct stat a, b;
	OK(stat(".", &a));
	OK(fstat(fd, &b));
	EQ(a.st_ino, b.st_ino);
	OK(close(fd));
}

GT_CASE(openat_dirfd, "openat mkdirat")
{
	OK(mkdir("d", 0755));
	int dfd = (int)OK(open("d", O_RDONLY | O_DIRECTORY));
	int fd = (int)OK(openat(dfd, "f", O_CREAT | O_WRONLY, 0644));
	OK(close(fd));
	OK(mkdirat(dfd, "sub", 0755));
	struct stat st;
	OK(stat("d/f", &st));
	OK(stat("d/sub", &st));
	CHECK(S_ISDIR(st.st_mode));
	OK(close(dfd));
}

GT_CASE(openat_errors, "openat")
{
	gt_write_file("f", "x");
	int fd = (int)OK(open("f", O_RDONLY));
	ERR(openat(fd, "x", O_RDONLY), ENOTDIR);
	ERR(openat(-5, "x", O_RDONLY), EBADF);
	/* an absolute path ignores the dirfd, even a bad one */
	int a = (int)OK(openat(-5, "/", O_RDONLY));
	OK(close(a));
	OK(close(fd));
}

GT_CASE(unlinkat_removedir, "unlinkat")
{
	OK(mkdir("d", 0755));
	gt_write_file("f", "x");
	ERR(unlinkat(AT_FDCWD, "d", 0), EISDIR);
	ERR(unlinkat(AT_FDCWD, "f", AT_REMOVEDIR), ENOTDIR);
	OK(unlinkat(AT_FDCWD, "d", AT_REMOVEDIR));
	OK(unlinkat(AT_FDCWD, "f", 0));
	ERR(unlinkat(AT_FDCWD, "f", 0x1), EINVAL);
}

GT_CASE(rename_dir, "rename")
{
	OK(mkdir("a", 0755));
	gt_write_file("a/f", "x");
	OK(rename("a", "b"));
	struct stat st;
	OK(stat("b/f", &st));
	OK(mkdir("c", 0755));
	OK(rename("b", "c")); /* over an empty directory */
	OK(stat("c/f", &st));
	OK(mkdir("e", 0755));
	ERR(rename("e", "c"), ENOTEMPTY);
}

GT_CASE(rename_into_self_einval, "rename")
{
	OK(mkdir("a", 0755));
	OK(mkdir("a/b", 0755));
	ERR(rename("a", "a/b/c"), EINVAL);
	ERR(rename(".", "x"), EBUSY);
}

GT_CASE(renameat2_noreplace, "renameat2")
{
	gt_write_file("a", "A");
	gt_write_file("b", "B");
	ERR(syscall(SYS_renameat2, AT_FDCWD, "a", AT_FDCWD, "b", RENAME_NOREPLACE), EEXIST);
	OK(syscall(SYS_renameat2, AT_FDCWD, "a", AT_FDCWD, "c", RENAME_NOREPLACE));
	ERR(syscall(SYS_renameat2, AT_FDCWD, "c", AT_FDCWD, "b", RENAME_NOREPLACE | RENAME_EXCHANGE),
	    EINVAL);
}

GT_CASE(renameat2_exchange, "renameat2")
{
	gt_write_file("a", "A");
	OK(mkdir("b", 0755));
	OK(syscall(SYS_renameat2, AT_FDCWD, "a", AT_FDCWD, "b", RENAME_EXCHANGE));
	struct stat st;
	OK(stat("a", &st));
	CHECK(S_ISDIR(st.st_mode));
	char buf[4];
	gt_read_file("b", buf, sizeof buf);
	STREQ(buf, "A");
	ERR(syscall(SYS_renameat2, AT_FDCWD, "a", AT_FDCWD, "none", RENAME_EXCHANGE), ENOENT);
}

GT_CASE(renameat_dirfds, "renameat")
{
	OK(mkdir("x", 0755));
	OK(mkdir("y", 0755));
	gt_write_file("x/f", "1");
	int a = (int)OK(open("x", O_RDONLY | O_DIRECTORY));
	int b = (int)OK(open("y", O_RDONLY | O_DIRECTORY));
	OK(renameat(a, "f", b, "g"));
	struct stat st;
	OK(stat("y/g", &st));
	OK(close(a));
	OK(close(b));
}

GT_CASE(linkat_symlinkat_readlinkat, "linkat symlinkat readlinkat")
{
	OK(mkdir("d", 0755));
	int dfd = (int)OK(open("d", O_RDONLY | O_DIRECTORY));
	gt_write_file("d/f", "x");
	OK(linkat(dfd, "f", dfd, "g", 0));
	OK(symlinkat("f", dfd, "l"));
	char buf[8];
	EQ(readlinkat(dfd, "l", buf, sizeof buf), 1);
	EQ(buf[0], 'f');
	ERR(linkat(dfd, "f", dfd, "h", 0x1), EINVAL);
	OK(linkat(dfd, "l", dfd, "h", AT_SYMLINK_FOLLOW));
	struct stat st;
	OK(lstat("d/h", &st));
	CHECK(S_ISREG(st.st_mode));
	EQ(st.st_nlink, 3);
	OK(close(dfd));
}

GT_CASE(mknod_fifo_and_reg, "mknod mknodat")
{
	OK(mknod("fifo", S_IFIFO | 0644, 0));
	OK(mknodat(AT_FDCWD, "reg", S_IFREG | 0600, 0));
	struct stat st;
	OK(stat("fifo", &st));
	CHECK(S_ISFIFO(st.st_mode));
	OK(stat("reg", &st));
	CHECK(S_ISREG(st.st_mode));
	EQ(st.st_size, 0);
	ERR(mknod("fifo", S_IFIFO | 0644, 0), EEXIST);
}

GT_CASE(mknod_chardev_root, "mknod")
{
	OK(mknod("null", S_IFCHR | 0666, makedev(1, 3)));
	int fd = (int)OK(open("null", O_RDWR));
	EQ(write(fd, "abc", 3), 3);
	char c;
	EQ(read(fd, &c, 1), 0);
	OK(close(fd));
}

GT_CASE(dotdot_of_root, "stat")
{
	struct stat a, b;
	OK(stat("/", &a));
	OK(stat("/..", &b));
	EQ(a.st_ino, b.st_ino);
}

GT_CASE(trailing_slash, "open stat")
{
	gt_write_file("f", "x");
	struct stat st;
	ERR(stat("f/", &st), ENOTDIR);
	OK(mkdir("d", 0755));
	OK(stat("d/", &st));
	ERR(open("new/", O_CREAT | O_WRONLY, 0644), EISDIR);
}

GT_CASE(chroot_root, "chroot")
{
	OK(mkdir("jail", 0755));
	gt_write_file("jail/inside", "x");
	pid_t pid = gt_fork();
	if (pid == 0) {
		OK(chroot("jail"));
		OK(chdir("/"));
		struct stat st;
		OK(stat("/inside", &st));
		ERR(stat("/proc", &st), ENOENT);
		_exit(0);
	}
	gt_wait_exit(pid, 0);
	ERR(chroot("missing"), ENOENT);
}

GT_CASE(dir_mtime_changes, "mkdir stat utimensat")
{
	OK(mkdir("d", 0755));
	struct timespec ts[2] = { { 1, 0 }, { 1, 0 } };
	OK(utimensat(AT_FDCWD, "d", ts, 0));
	gt_write_file("d/f", "x");
	struct stat st;
	OK(stat("d", &st));
	CHECK(st.st_mtim.tv_sec > 1);
}

GT_CASE(statfs_tmp, "statfs fstatfs")
{
	char buf[256];
	OK(syscall(SYS_statfs, ".", buf));
	int fd = (int)OK(open(".", O_RDONLY));
	OK(syscall(SYS_fstatfs, fd, buf));
	ERR(syscall(SYS_statfs, "missing", buf), ENOENT);
	ERR(syscall(SYS_fstatfs, -1, buf), EBADF);
	OK(close(fd));
}
