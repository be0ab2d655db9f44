/* pty tests through the VFS: /dev/ptmx in devtmpfs, devpts mounts and options, /dev/pts/N nodes that come and go with their pair, locked and hung-up slave files. */
#include <abi/poll.h>
#include <frame/ktest.h>
#include <frame/log.h>

#include <kernel/chrdev.h>
#include <kernel/poll.h>
#include <kernel/tty.h>
#include "../../kernel/dev/dev_internal.h"
#include "vfs_fixture.h"

/* Registration is global: what a test registers it takes away again (other tests expect no driver behind 5,2). */
static bool registered_here;

/* The boot path may have registered the devices already (-EBUSY): either way they are there. */
static int pts_setup(struct fx *fx)
{
	int err = pty_devices_register();
	registered_here = !err;
	if (err && err != -EBUSY)
		return err;
	err = devpts_register();
	if (!err)
		err = devtmpfs_register();
	if (!err)
		err = fx_setup(fx, NULL);
	if (!err)
		err = vfs_mkdir(&fx->ctx, NULL, "/dev", 0755);
	if (!err)
		err = vfs_mount(&fx->ctx, NULL, "/dev", "devtmpfs", NULL);
	return err;
}

static int pts_teardown(struct fx *fx)
{
	if (registered_here) {
		chrdev_unregister(TTYAUX_MAJOR, TTYAUX_PTMX_MINOR);
		chrdev_unregister(UNIX98_PTY_SLAVE_MAJOR, 0);
	}
	registered_here = false;
	return fx_teardown(fx);
}

/* True if getdents of @dir lists @name. */
static bool dir_lists(struct fx *fx, const char *dir, const char *name)
{
	struct file *d;
	if (vfs_open(&fx->ctx, NULL, dir, O_RDONLY | O_DIRECTORY, 0, &d))
		return false;
	static uint8_t buf[2048];
	bool found = false;
	ssize_t n;
	while (!found && (n = vfs_getdents64(d, buf, sizeof(buf))) > 0) {
		/* linux_dirent64: ino 8, off 8, reclen 2, type 1, name. */
		for (ssize_t off = 0; off < n;) {
			uint16_t reclen;
			memcpy(&reclen, buf + off + 16, sizeof(reclen));
			if (reclen == 0)
				break;
			if (strcmp((const char *)buf + off + 19, name) == 0)
				found = true;
			off += reclen;
		}
	}
	file_put(d);
	return found;
}

KTEST(pty_devpts_nodes_follow_pairs)
{
	struct fx fx;
	KASSERT(pts_setup(&fx) == 0);
	struct stat st;
	KEXPECT_EQ(fx_stat(&fx.ctx, "/dev/ptmx", 0, &st), 0);
	KEXPECT_EQ(st.st_mode, S_IFCHR | 0666);
	KEXPECT_EQ(st.st_rdev, dev_encode(5, 2));
	KEXPECT_EQ(fx_stat(&fx.ctx, "/dev/pts", 0, &st), 0);
	KEXPECT_EQ(st.st_mode, S_IFDIR | 0755);
	/* Options as Linux: unknown ones refused, ptmxmode= sets the ptmx node's mode. */
	KEXPECT_EQ(vfs_mount(&fx.ctx, NULL, "/dev/pts", "devpts", "bogus"), -EINVAL);
	KEXPECT_EQ(vfs_mount(&fx.ctx, NULL, "/dev/pts", "devpts", "mode=99"), -EINVAL);
	KASSERT(vfs_mount(&fx.ctx, NULL, "/dev/pts", "devpts", "newinstance,ptmxmode=0666,gid=5,mode=620") == 0);
	KEXPECT_EQ(fx_stat(&fx.ctx, "/dev/pts/ptmx", 0, &st), 0);
	KEXPECT_EQ(st.st_mode, S_IFCHR | 0666);
	KEXPECT_EQ(st.st_ino, 2);
	KEXPECT_EQ(vfs_mknod(&fx.ctx, NULL, "/dev/pts/x", S_IFCHR | 0600, dev_encode(1, 3)), -EACCES);

	struct file *m, *s, *s2;
	KASSERT(vfs_open(&fx.ctx, NULL, "/dev/ptmx", O_RDWR | O_NOCTTY, 0, &m) == 0);
	struct pty *pty = m->private_data;
	char path[24];
	snprintf(path, sizeof(path), "/dev/pts/%u", pty->index);
	char name[12];
	snprintf(name, sizeof(name), "%u", pty->index);
	KEXPECT_EQ(fx_stat(&fx.ctx, path, 0, &st), 0);
	KEXPECT_EQ(st.st_mode, S_IFCHR | 0620);
	KEXPECT_EQ(st.st_gid, 5);
	KEXPECT_EQ(st.st_rdev, dev_encode(136, pty->index));
	KEXPECT_EQ(st.st_ino, pty->index + 3);
	KEXPECT(dir_lists(&fx, "/dev/pts", name));
	KEXPECT(dir_lists(&fx, "/dev/pts", "ptmx"));
	/* Locked until TIOCSPTLCK 0. */
	KEXPECT_EQ(vfs_open(&fx.ctx, NULL, path, O_RDWR | O_NOCTTY, 0, &s), -EIO);
	int32_t unlock = 0;
	KEXPECT_EQ(pty_master_ioctl(pty, TIOCSPTLCK, &unlock, 0, true), 0);
	KASSERT(vfs_open(&fx.ctx, NULL, path, O_RDWR | O_NOCTTY, 0, &s) == 0);
	KEXPECT_EQ(vfs_write(m, "hi\n", 3), 3);
	char buf[16];
	KEXPECT_EQ(vfs_read(s, buf, sizeof(buf)), 3);
	KEXPECT_EQ(vfs_read(m, buf, sizeof(buf)), 4);	/* echo "hi\r\n" */
	KEXPECT_EQ(vfs_pread(s, buf, 1, 0), -ESPIPE);
	KEXPECT(file_poll(s, NULL) & POLLOUT);
	KEXPECT(!(file_poll(m, NULL) & POLLIN));
	KASSERT(vfs_open(&fx.ctx, NULL, path, O_RDONLY | O_NOCTTY, 0, &s2) == 0);
	/* The master goes: slave files are hung up, the node disappears. */
	file_put(m);
	KEXPECT_EQ(vfs_read(s, buf, sizeof(buf)), 0);
	KEXPECT_EQ(vfs_write(s, "x", 1), -EIO);
	KEXPECT(file_poll(s2, NULL) & POLLHUP);
	KEXPECT_EQ(fx_stat(&fx.ctx, path, 0, &st), -ENOENT);
	KEXPECT(!dir_lists(&fx, "/dev/pts", name));
	file_put(s);
	file_put(s2);
	KEXPECT_EQ(vfs_umount(&fx.ctx, NULL, "/dev/pts"), 0);
	KEXPECT_EQ(vfs_umount(&fx.ctx, NULL, "/dev"), 0);
	KEXPECT_EQ(pts_teardown(&fx), 0);
}

KTEST(pty_devpts_slave_close_then_master_eio)
{
	struct fx fx;
	KASSERT(pts_setup(&fx) == 0);
	KASSERT(vfs_mount(&fx.ctx, NULL, "/dev/pts", "devpts", NULL) == 0);
	struct stat st;
	KEXPECT_EQ(fx_stat(&fx.ctx, "/dev/pts/ptmx", 0, &st), 0);
	KEXPECT_EQ(st.st_mode, S_IFCHR);		/* ptmxmode defaults to 0000 */
	struct file *m, *s;
	KASSERT(vfs_open(&fx.ctx, NULL, "/dev/ptmx", O_RDWR | O_NOCTTY, 0, &m) == 0);
	struct pty *pty = m->private_data;
	char path[24];
	snprintf(path, sizeof(path), "/dev/pts/%u", pty->index);
	KEXPECT_EQ(fx_stat(&fx.ctx, path, 0, &st), 0);
	KEXPECT_EQ(st.st_mode, S_IFCHR | 0600);
	int32_t unlock = 0;
	KEXPECT_EQ(pty_master_ioctl(pty, TIOCSPTLCK, &unlock, 0, true), 0);
	KASSERT(vfs_open(&fx.ctx, NULL, path, O_RDWR | O_NOCTTY, 0, &s) == 0);
	file_put(s);
	char c;
	KEXPECT_EQ(vfs_read(m, &c, 1), -EIO);
	KEXPECT(file_poll(m, NULL) & POLLHUP);
	file_put(m);
	KEXPECT_EQ(vfs_umount(&fx.ctx, NULL, "/dev/pts"), 0);
	KEXPECT_EQ(vfs_umount(&fx.ctx, NULL, "/dev"), 0);
	KEXPECT_EQ(pts_teardown(&fx), 0);
}
