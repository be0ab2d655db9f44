/* procfs and sysfs mounted in the test kernel (no user process runs): global files, sysctl writes, links, refusals. */
#include <frame/ktest.h>

#include <kernel/procfs.h>
#include <kernel/utsname.h>
#include "vfs_fixture.h"

static int mount_proc(struct fx *fx)
{
	int err = procfs_init();
	if (!err)
		err = vfs_mkdir(&fx->ctx, NULL, "/proc", 0555);
	return err ? err : vfs_mount(&fx->ctx, NULL, "/proc", "proc", NULL);
}

KTEST(procfs_global_files)
{
	struct fx fx;
	KASSERT(fx_setup(&fx, NULL) == 0);
	KASSERT(mount_proc(&fx) == 0);
	static char buf[8192];
	KEXPECT(fx_read(&fx.ctx, "/proc/meminfo", buf, sizeof(buf)) > 0);
	KEXPECT(!strncmp(buf, "MemTotal:", 9));
	KEXPECT(fx_read(&fx.ctx, "/proc/uptime", buf, sizeof(buf)) > 0);
	KEXPECT(buf[0] >= '0' && buf[0] <= '9');
	KEXPECT(fx_read(&fx.ctx, "/proc/stat", buf, sizeof(buf)) > 0);
	KEXPECT(!strncmp(buf, "cpu  ", 5));
	KEXPECT(fx_read(&fx.ctx, "/proc/sys/kernel/ostype", buf, sizeof(buf)) == 6);
	KEXPECT(!strcmp(buf, "Linux\n"));
	KEXPECT(fx_read(&fx.ctx, "/proc/filesystems", buf, sizeof(buf)) > 0);
	KEXPECT(!strncmp(buf, "nodev\t", 6));
	/* Reads at an offset see the same text, cut. */
	struct file *f;
	KASSERT(vfs_open(&fx.ctx, NULL, "/proc/sys/kernel/ostype", O_RDONLY, 0, &f) == 0);
	KEXPECT_EQ(vfs_pread(f, buf, 3, 2), 3);
	KEXPECT(!memcmp(buf, "nux", 3));
	KEXPECT_EQ(vfs_pread(f, buf, 3, 100), 0);
	KEXPECT_EQ(vfs_write(f, "x", 1), -EBADF);
	file_put(f);
	struct stat st;
	KEXPECT_EQ(fx_stat(&fx.ctx, "/proc/meminfo", 0, &st), 0);
	KEXPECT_EQ(st.st_mode, S_IFREG | 0444);
	KEXPECT_EQ(st.st_size, 0);
	char link[32];
	KEXPECT_EQ(vfs_readlink(&fx.ctx, NULL, "/proc/mounts", link, sizeof(link)), 11);
	KEXPECT(!memcmp(link, "self/mounts", 11));
	KEXPECT_EQ(vfs_readlink(&fx.ctx, NULL, "/proc/self", link, sizeof(link)), -ENOENT);
	KEXPECT_EQ(fx_stat(&fx.ctx, "/proc/99999", 0, &st), -ENOENT);
	KEXPECT_EQ(fx_stat(&fx.ctx, "/proc/nonesuch", 0, &st), -ENOENT);
	KEXPECT_EQ(vfs_mkdir(&fx.ctx, NULL, "/proc/x", 0755), -EACCES);
	KEXPECT_EQ(vfs_unlink(&fx.ctx, NULL, "/proc/meminfo"), -EPERM);
	KEXPECT_EQ(fx_write(&fx.uctx, "/proc/sys/kernel/hostname", "u"), -EACCES);
	KEXPECT_EQ(vfs_umount(&fx.ctx, NULL, "/proc"), 0);
	KEXPECT_EQ(fx_teardown(&fx), 0);
}

KTEST(procfs_hostname_sysctl)
{
	struct fx fx;
	KASSERT(fx_setup(&fx, NULL) == 0);
	KASSERT(mount_proc(&fx) == 0);
	struct new_utsname saved, u;
	utsname_get(&saved);
	char buf[80];
	KEXPECT_EQ(fx_write(&fx.ctx, "/proc/sys/kernel/hostname", "ktest-host\n"), 0);
	utsname_get(&u);
	KEXPECT(!strcmp(u.nodename, "ktest-host"));
	KEXPECT(fx_read(&fx.ctx, "/proc/sys/kernel/hostname", buf, sizeof(buf)) == 11);
	KEXPECT(!strcmp(buf, "ktest-host\n"));
	static char longname[70];
	memset(longname, 'h', 69);
	KEXPECT(fx_write(&fx.ctx, "/proc/sys/kernel/hostname", longname) != 0);
	utsname_set_hostname(saved.nodename, strlen(saved.nodename));
	KEXPECT_EQ(vfs_umount(&fx.ctx, NULL, "/proc"), 0);
	KEXPECT_EQ(fx_teardown(&fx), 0);
}

KTEST(procfs_path_names)
{
	struct fx fx;
	KASSERT(fx_setup(&fx, NULL) == 0);
	KASSERT(vfs_mkdir(&fx.ctx, NULL, "/a", 0755) == 0);
	KASSERT(vfs_mkdir(&fx.ctx, NULL, "/a/b", 0755) == 0);
	KASSERT(fx_write(&fx.ctx, "/a/b/file", "x") == 0);
	KASSERT(vfs_mkdir(&fx.ctx, NULL, "/m", 0755) == 0);
	KASSERT(vfs_mount(&fx.ctx, NULL, "/m", "tmpfs", NULL) == 0);
	KASSERT(vfs_mkdir(&fx.ctx, NULL, "/m/in", 0755) == 0);
	char name[64];
	struct path p;
	KASSERT(vfs_lookup(&fx.ctx, NULL, "/a/b/file", 0, &p) == 0);
	KEXPECT_EQ(procfs_path_name(&fx.root, &p, name, sizeof(name)), 9);
	KEXPECT(!strcmp(name, "/a/b/file"));
	KEXPECT_EQ(procfs_path_name(&fx.root, &p, name, 6), -ENAMETOOLONG);
	path_put(&p);
	KASSERT(vfs_lookup(&fx.ctx, NULL, "/m/in", 0, &p) == 0);
	KEXPECT_EQ(procfs_path_name(&fx.root, &p, name, sizeof(name)), 5);
	KEXPECT(!strcmp(name, "/m/in"));
	path_put(&p);
	KEXPECT_EQ(procfs_path_name(&fx.root, &fx.root, name, sizeof(name)), 1);
	KEXPECT(!strcmp(name, "/"));
	KEXPECT_EQ(vfs_umount(&fx.ctx, NULL, "/m"), 0);
	KEXPECT_EQ(fx_teardown(&fx), 0);
}

KTEST(procfs_sysfs_tree)
{
	struct fx fx;
	KASSERT(fx_setup(&fx, NULL) == 0);
	KASSERT(procfs_init() == 0);
	KASSERT(vfs_mkdir(&fx.ctx, NULL, "/sys", 0555) == 0);
	KASSERT(vfs_mount(&fx.ctx, NULL, "/sys", "sysfs", NULL) == 0);
	struct stat st;
	KEXPECT_EQ(fx_stat(&fx.ctx, "/sys/devices", 0, &st), 0);
	KEXPECT(S_ISDIR(st.st_mode));
	struct path p;
	struct statfs sf;
	KASSERT(vfs_lookup(&fx.ctx, NULL, "/sys", LOOKUP_FOLLOW, &p) == 0);
	KEXPECT_EQ(vfs_statfs(p.inode, &sf), 0);
	KEXPECT_EQ(sf.f_type, SYSFS_MAGIC);
	path_put(&p);
	KEXPECT_EQ(vfs_umount(&fx.ctx, NULL, "/sys"), 0);
	KEXPECT_EQ(fx_teardown(&fx), 0);
}
