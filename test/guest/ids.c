/* Guest cases: identities and permissions — uid/gid calls, supplementary groups, access checks as a non-root user. */
#include "gt.h"

#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <sys/fsuid.h>
#include <sys/resource.h>
#include <sys/stat.h>

/* Lets a dropped user work in the case directory, which mkdtemp made 0700 root. */
static void open_cwd(void)
{
	OK(chmod(".", 0777));
}

GT_CASE(root_ids, "getuid geteuid getgid getegid getresuid getresgid")
{
	EQ(getuid(), 0);
	EQ(geteuid(), 0);
	EQ(getgid(), 0);
	EQ(getegid(), 0);
	uid_t r, e, s;
	OK(getresuid(&r, &e, &s));
	EQ(r + e + s, 0);
	gid_t gr, ge, gs;
	OK(getresgid(&gr, &ge, &gs));
	EQ(gr + ge + gs, 0);
	ERR(syscall(SYS_getresuid, GT_BADPTR, &e, &s), EFAULT);
}

GT_CASE(setuid_root_drops_all, "setuid getresuid")
{
	OK(setuid(1000));
	uid_t r, e, s;
	OK(getresuid(&r, &e, &s));
	EQ(r, 1000);
	EQ(e, 1000);
	EQ(s, 1000);
	ERR(setuid(0), EPERM);
}

GT_CASE(seteuid_and_back, "setresuid geteuid")
{
	OK(seteuid(1000));
	EQ(geteuid(), 1000);
	EQ(getuid(), 0);
	OK(seteuid(0)); /* saved uid is still 0 */
	EQ(geteuid(), 0);
}

GT_CASE(setresuid_rules, "setresuid getresuid")
{
	OK(setresuid(1000, 1001, 1002));
	uid_t r, e, s;
	OK(getresuid(&r, &e, &s));
	EQ(r, 1000);
	EQ(e, 1001);
	EQ(s, 1002);
	OK(setresuid(-1, 1002, -1)); /* any of r/e/s is allowed */
	EQ(geteuid(), 1002);
	ERR(setresuid(-1, 5, -1), EPERM);
	ERR(setresuid(0, -1, -1), EPERM);
}

GT_CASE(setreuid_swaps, "setreuid")
{
	OK(setreuid(1000, 2000));
	EQ(getuid(), 1000);
	EQ(geteuid(), 2000);
	OK(setreuid(2000, 1000));
	EQ(getuid(), 2000);
	EQ(geteuid(), 1000);
	ERR(setreuid(3000, -1), EPERM);
}

GT_CASE(setgid_family, "setgid setregid setresgid getresgid")
{
	OK(setresgid(10, 20, 30));
	gid_t r, e, s;
	OK(getresgid(&r, &e, &s));
	EQ(r, 10);
	EQ(e, 20);
	EQ(s, 30);
	OK(setregid(20, 10));
	EQ(getgid(), 20);
	EQ(getegid(), 10);
	OK(setgid(5));
	EQ(getgid(), 5);
	gt_drop_privs(1000);
	ERR(setgid(0), EPERM);
	ERR(setresgid(0, -1, -1), EPERM);
}

GT_CASE(setuid_invalid, "setuid setgid")
{
	ERR(setuid(-1), EINVAL);
	ERR(setgid(-1), EINVAL);
}

GT_CASE(groups_roundtrip, "setgroups getgroups")
{
	gid_t set[3] = { 5, 7, 9 };
	OK(setgroups(3, set));
	gid_t got[8];
	EQ(getgroups(0, NULL), 3);
	EQ(getgroups(8, got), 3);
	EQ(got[0] + got[1] + got[2], 21);
	ERR(getgroups(1, got), EINVAL);
	ERR(syscall(SYS_setgroups, -1, set), EINVAL);
	ERR(syscall(SYS_setgroups, 3, GT_BADPTR), EFAULT);
}

GT_CASE(setgroups_nonroot_eperm, "setgroups")
{
	gt_drop_privs(1000);
	gid_t g = 1;
	ERR(setgroups(1, &g), EPERM);
	EQ(getgroups(0, NULL), 0);
}

GT_CASE(open_eacces_nonroot, "open")
{
	open_cwd();
	gt_write_file("secret", "s");
	OK(chmod("secret", 0600));
	gt_drop_privs(1000);
	ERR(open("secret", O_RDONLY), EACCES);
	ERR(open("secret", O_WRONLY), EACCES);
	ERR(open("/root/x", O_CREAT | O_WRONLY, 0644), EACCES);
}

GT_CASE(mode_bits_owner_group_other, "open")
{
	open_cwd();
	gt_write_file("g", "g");
	OK(chown("g", 0, 1000));
	OK(chmod("g", 0040)); /* group may read, owner class wins over group for the owner */
	gt_write_file("o", "o");
	OK(chown("o", 1000, 0));
	OK(chmod("o", 0004)); /* owner has no bits: the owner is denied though others may read */
	gt_drop_privs(1000);
	int fd = (int)OK(open("g", O_RDONLY));
	OK(close(fd));
	ERR(open("o", O_RDONLY), EACCES);
}

GT_CASE(dir_search_permission, "open stat")
{
	open_cwd();
	OK(mkdir("d", 0755));
	gt_write_file("d/f", "x");
	OK(chmod("d", 0644)); /* readable but not searchable */
	gt_drop_privs(1000);
	struct stat st;
	ERR(stat("d/f", &st), EACCES);
	ERR(chdir("d"), EACCES);
}

GT_CASE(dir_write_permission, "mkdir unlink")
{
	open_cwd();
	OK(mkdir("d", 0755));
	gt_write_file("d/f", "x");
	gt_drop_privs(1000);
	ERR(mkdir("d/sub", 0755), EACCES);
	ERR(unlink("d/f"), EACCES);
	ERR(rename("d/f", "d/g"), EACCES);
}

GT_CASE(sticky_dir_unlink, "unlink")
{
	open_cwd();
	OK(mkdir("t", 0755));
	OK(chmod("t", 01777)); /* mkdir's mode is filtered by the umask */
	gt_write_file("t/rootfile", "x");
	OK(chmod("t/rootfile", 0666));
	gt_drop_privs(1000);
	ERR(unlink("t/rootfile"), EPERM);
	gt_write_file("t/mine", "x");
	OK(unlink("t/mine"));
}

GT_CASE(access_uses_real_uid, "access faccessat2")
{
	open_cwd();
	gt_write_file("f", "x");
	OK(chmod("f", 0600));
	OK(setresuid(1000, 0, 0));
	ERR(access("f", R_OK), EACCES); /* real uid 1000 */
	OK(faccessat(AT_FDCWD, "f", R_OK, AT_EACCESS)); /* effective uid 0 */
	int fd = (int)OK(open("f", O_RDONLY));
	OK(close(fd));
}

GT_CASE(chmod_chown_nonowner_eperm, "chmod chown fchown")
{
	open_cwd();
	gt_write_file("f", "x");
	gt_drop_privs(1000);
	ERR(chmod("f", 0777), EPERM);
	ERR(chown("f", 1000, 1000), EPERM);
	gt_write_file("mine", "x");
	OK(chmod("mine", 0600));
	ERR(chown("mine", 0, -1), EPERM);
	ERR(chown("mine", -1, 0), EPERM); /* not a member of group 0 */
	OK(chown("mine", 1000, 1000));
}

GT_CASE(setgid_bit_kept_for_own_group, "chmod stat")
{
	open_cwd();
	gt_drop_privs(1000);
	gt_write_file("f", "x");
	OK(chmod("f", 02755));
	struct stat st;
	OK(stat("f", &st));
	EQ(st.st_mode & 07777, 02755); /* owner's group is its own gid */
}

GT_CASE(setuid_bit_cleared_on_write, "write stat")
{
	open_cwd();
	gt_write_file("f", "x");
	OK(chown("f", 1000, 1000));
	OK(chmod("f", 04777));
	gt_drop_privs(1000);
	int fd = (int)OK(open("f", O_WRONLY));
	EQ(write(fd, "y", 1), 1);
	struct stat st;
	OK(fstat(fd, &st));
	EQ(st.st_mode & 04000, 0);
}

GT_CASE(new_file_owner_is_euid, "open stat")
{
	open_cwd();
	OK(setresgid(300, 300, 300));
	OK(setresuid(0, 200, 0));
	gt_write_file("f", "x");
	struct stat st;
	OK(stat("f", &st));
	EQ(st.st_uid, 200);
	EQ(st.st_gid, 300);
}

GT_CASE(setfsuid_returns_previous, "setfsuid setfsgid")
{
	EQ(setfsuid(1000), 0);
	EQ(setfsuid(0), 1000);
	EQ(setfsgid(50), 0);
	EQ(setfsgid(0), 50);
}

GT_CASE(nonroot_mknod_chardev_eperm, "mknod")
{
	open_cwd();
	gt_drop_privs(1000);
	ERR(mknod("null", S_IFCHR | 0666, 0x103), EPERM);
	OK(mknod("fifo", S_IFIFO | 0600, 0));
}

GT_CASE(nonroot_chroot_eperm, "chroot")
{
	gt_drop_privs(1000);
	ERR(chroot("/"), EPERM);
}

GT_CASE(nonroot_sethostname_eperm, "sethostname setdomainname")
{
	gt_drop_privs(1000);
	ERR(sethostname("x", 1), EPERM);
	ERR(setdomainname("x", 1), EPERM);
}

GT_CASE(nonroot_setpriority_lower_eacces, "setpriority")
{
	gt_drop_privs(1000);
	OK(setpriority(PRIO_PROCESS, 0, 5));
	ERR(setpriority(PRIO_PROCESS, 0, 0), EACCES);
	ERR(setpriority(PRIO_PROCESS, 1, 10), EPERM);
}

GT_CASE(nonroot_kill_own_child, "kill")
{
	gt_drop_privs(1000);
	pid_t pid = gt_fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	OK(kill(pid, SIGTERM));
	gt_wait_signal(pid, SIGTERM);
}

GT_CASE(nonroot_link_protection, "linkat")
{
	open_cwd();
	gt_write_file("rootfile", "x");
	OK(chmod("rootfile", 0600));
	gt_drop_privs(1000);
	ERR(link("rootfile", "mylink"), EPERM); /* fs.protected_hardlinks */
}

GT_CASE(proc_status_shows_ids, "setresuid")
{
	OK(setresuid(1000, 1001, 0));
	char buf[4096];
	gt_read_file("/proc/self/status", buf, sizeof buf);
	CHECK(strstr(buf, "\nUid:\t1000\t1001\t0\t1001\n") != NULL);
}
