/*
 * The corrupted-image walker (test-corrupt): for each block device named,
 * mount it read-only and walk everything (stat, directories, file data,
 * link targets), then mount it read-write and create, write, rename and
 * remove there. Every failure must be an error a file system may give for
 * a damaged disk; any other errno is a "WALK-FAIL" line. The kernel must
 * survive it all: the host reads the console for the sanitizers' reports.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static int checked, errors, bad;

static void note(const char *dev, const char *what, const char *path, int e)
{
	static const int allowed[] = { EIO, EUCLEAN, EINVAL, ENOENT, ENOTDIR, ELOOP, EFBIG, ENOSPC,
				       ENAMETOOLONG, EEXIST, ENOTEMPTY, EISDIR, EMLINK, EROFS,
				       ESTALE, EOVERFLOW, EBADMSG, ENODATA, ENXIO, EUCLEAN };
	errors++;
	for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
		if (e == allowed[i])
			return;
	bad++;
	printf("WALK-FAIL %s: %s %s: %s\n", dev, what, path, strerror(e));
}

static void walk(const char *dev, const char *path, int depth)
{
	struct stat st;
	checked++;
	if (lstat(path, &st)) {
		note(dev, "lstat", path, errno);
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		if (depth >= 12)
			return;	/* a loop in the tree */
		DIR *d = opendir(path);
		if (!d) {
			note(dev, "opendir", path, errno);
			return;
		}
		struct dirent *e;
		int n = 0;
		errno = 0;
		while ((e = readdir(d)) && n++ < 3000) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			char sub[4096];
			snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
			walk(dev, sub, depth + 1);
			errno = 0;
		}
		if (errno)
			note(dev, "readdir", path, errno);
		closedir(d);
	} else if (S_ISREG(st.st_mode)) {
		int fd = open(path, O_RDONLY);
		if (fd < 0) {
			note(dev, "open", path, errno);
			return;
		}
		static char buf[65536];
		for (int i = 0; i < 8; i++) {
			ssize_t r = read(fd, buf, sizeof buf);
			if (r < 0)
				note(dev, "read", path, errno);
			if (r <= 0)
				break;
		}
		if (st.st_size > 100 && pread(fd, buf, 100, st.st_size - 100) < 0)
			note(dev, "pread", path, errno);
		close(fd);
	} else if (S_ISLNK(st.st_mode)) {
		char target[4096];
		if (readlink(path, target, sizeof target) < 0)
			note(dev, "readlink", path, errno);
	}
}

static void scribble(const char *dev, const char *mp)
{
	char a[256], b[256];
	snprintf(a, sizeof a, "%s/walk-file", mp);
	int fd = open(a, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		note(dev, "create", a, errno);
	} else {
		static char buf[200000];
		memset(buf, 'w', sizeof buf);
		if (write(fd, buf, sizeof buf) < 0)
			note(dev, "write", a, errno);
		if (fsync(fd))
			note(dev, "fsync", a, errno);
		close(fd);
	}
	snprintf(b, sizeof b, "%s/walk-dir", mp);
	if (mkdir(b, 0755))
		note(dev, "mkdir", b, errno);
	snprintf(b, sizeof b, "%s/walk-dir/f", mp);
	if (rename(a, b))
		note(dev, "rename", a, errno);
	for (int i = 0; i < 40; i++) {
		snprintf(a, sizeof a, "%s/walk-%d", mp, i);
		fd = open(a, O_WRONLY | O_CREAT, 0644);
		if (fd < 0)
			note(dev, "create", a, errno);
		else
			close(fd);
	}
	for (int i = 0; i < 40; i++) {
		snprintf(a, sizeof a, "%s/walk-%d", mp, i);
		if (unlink(a))
			note(dev, "unlink", a, errno);
	}
	if (unlink(b))
		note(dev, "unlink", b, errno);
	snprintf(b, sizeof b, "%s/walk-dir", mp);
	if (rmdir(b))
		note(dev, "rmdir", b, errno);
	/* Whatever was there before: truncate and remove the first file the walk can reach. */
	snprintf(a, sizeof a, "%s/big", mp);
	if (truncate(a, 1000))
		note(dev, "truncate", a, errno);
	snprintf(a, sizeof a, "%s/hello.txt", mp);
	if (unlink(a))
		note(dev, "unlink", a, errno);
	sync();
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	for (int i = 1; i < argc; i++) {
		const char *dev = argv[i];
		char mp[64];
		/* A mount point each: one left busy by a failed unmount must not stack the next. */
		snprintf(mp, sizeof mp, "/tmp/walk%d", i);
		mkdir(mp, 0755);
		printf("WALK %s\n", dev);
		if (mount(dev, mp, "ext2", MS_RDONLY, NULL)) {
			note(dev, "mount", "ro", errno);
			continue;
		}
		walk(dev, mp, 0);
		if (umount(mp))
			note(dev, "umount", "ro", errno);
		if (mount(dev, mp, "ext2", 0, NULL)) {
			note(dev, "mount", "rw", errno);
			continue;
		}
		scribble(dev, mp);
		walk(dev, mp, 0);
		if (umount(mp))
			note(dev, "umount", "rw", errno);
	}
	printf("WALK-DONE checked=%d errors=%d bad=%d\n", checked, errors, bad);
	return bad != 0;
}
