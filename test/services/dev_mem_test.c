/* Device tests: the memory devices' semantics through devtmpfs nodes, the registry's range checks, and the devtmpfs tree. */
#include <frame/ktest.h>

#include <kernel/chrdev.h>
#include <kernel/special.h>
#include "../../kernel/dev/dev_internal.h"
#include "vfs_fixture.h"

/* Registration is global: each test registers the memory devices and takes them away again. */
static bool registered_here;

static int dev_setup(void)
{
	int err = mem_devices_register();
	registered_here = !err;
	if (err == -EBUSY)
		err = 0;	/* the boot path registered them already */
	return err ? err : devtmpfs_register();
}

static void dev_teardown(void)
{
	if (registered_here)
		mem_devices_unregister();
	registered_here = false;
}

static int mount_dev(struct fx *fx)
{
	int err = vfs_mkdir(&fx->ctx, NULL, "/dev", 0755);
	return err ? err : vfs_mount(&fx->ctx, NULL, "/dev", "devtmpfs", NULL);
}

KTEST(dev_null_zero_full_semantics)
{
	struct fx fx;
	KASSERT(dev_setup() == 0);
	KASSERT(fx_setup(&fx, NULL) == 0);
	KASSERT(mount_dev(&fx) == 0);
	struct file *n, *z, *f;
	char buf[8] = "abcdefg";
	KASSERT(vfs_open(&fx.ctx, NULL, "/dev/null", O_RDWR, 0, &n) == 0);
	KEXPECT_EQ(vfs_write(n, buf, 8), 8);
	KEXPECT_EQ(vfs_read(n, buf, 8), 0);
	KEXPECT_EQ(vfs_lseek(n, 100, SEEK_SET), 0);
	KEXPECT_EQ(vfs_pread(n, buf, 8, 5), 0);
	KASSERT(vfs_open(&fx.ctx, NULL, "/dev/zero", O_RDONLY, 0, &z) == 0);
	KEXPECT_EQ(vfs_read(z, buf, 8), 8);
	KEXPECT_EQ(buf[0] | buf[7], 0);
	KEXPECT_EQ(vfs_write(z, buf, 1), -EBADF);	/* opened read-only */
	KASSERT(vfs_open(&fx.ctx, NULL, "/dev/full", O_RDWR, 0, &f) == 0);
	KEXPECT_EQ(vfs_write(f, buf, 1), -ENOSPC);
	buf[3] = 'x';
	KEXPECT_EQ(vfs_read(f, buf, 8), 8);
	KEXPECT_EQ(buf[3], 0);
	file_put(n);
	file_put(z);
	file_put(f);
	KEXPECT_EQ(vfs_umount(&fx.ctx, NULL, "/dev"), 0);
	KEXPECT_EQ(fx_teardown(&fx), 0);
	dev_teardown();
}

KTEST(dev_urandom_differs)
{
	struct fx fx;
	KASSERT(dev_setup() == 0);
	KASSERT(fx_setup(&fx, NULL) == 0);
	KASSERT(mount_dev(&fx) == 0);
	struct file *u;
	uint8_t a[32] = { 0 }, b[32] = { 0 };
	KASSERT(vfs_open(&fx.ctx, NULL, "/dev/urandom", O_RDONLY, 0, &u) == 0);
	KEXPECT_EQ(vfs_read(u, a, sizeof(a)), 32);
	KEXPECT_EQ(vfs_read(u, b, sizeof(b)), 32);
	KEXPECT(memcmp(a, b, sizeof(a)) != 0);
	file_put(u);
	KEXPECT_EQ(vfs_umount(&fx.ctx, NULL, "/dev"), 0);
	KEXPECT_EQ(fx_teardown(&fx), 0);
	dev_teardown();
}

KTEST(dev_devtmpfs_nodes)
{
	struct fx fx;
	KASSERT(dev_setup() == 0);
	KASSERT(fx_setup(&fx, NULL) == 0);
	KASSERT(mount_dev(&fx) == 0);
	struct stat st;
	KEXPECT_EQ(fx_stat(&fx.ctx, "/dev/null", 0, &st), 0);
	KEXPECT_EQ(st.st_mode, S_IFCHR | 0666);
	KEXPECT_EQ(st.st_rdev, dev_encode(1, 3));
	KEXPECT_EQ(fx_stat(&fx.ctx, "/dev/console", 0, &st), 0);
	KEXPECT_EQ(st.st_mode, S_IFCHR | 0600);
	KEXPECT_EQ(st.st_rdev, dev_encode(5, 1));
	KEXPECT_EQ(fx_stat(&fx.ctx, "/dev/ttyS0", 0, &st), 0);
	KEXPECT_EQ(st.st_rdev, dev_encode(4, 64));
	KEXPECT_EQ(fx_stat(&fx.ctx, "/dev", 0, &st), 0);
	KEXPECT_EQ(st.st_mode, S_IFDIR | 0755);
	char link[32];
	ssize_t n = vfs_readlink(&fx.ctx, NULL, "/dev/fd", link, sizeof(link));
	KEXPECT_EQ(n, 13);
	KEXPECT(n == 13 && memcmp(link, "/proc/self/fd", 13) == 0);
	/* A node of a number nothing registered opens to ENXIO, as Linux. */
	struct file *f;
	KEXPECT_EQ(vfs_mknod(&fx.ctx, NULL, "/dev/nothing", S_IFCHR | 0600, dev_encode(250, 7)), 0);
	KEXPECT_EQ(vfs_open(&fx.ctx, NULL, "/dev/nothing", O_RDONLY, 0, &f), -ENXIO);
	/* Each mount is a fresh instance. */
	KEXPECT_EQ(vfs_umount(&fx.ctx, NULL, "/dev"), 0);
	KEXPECT_EQ(fx_stat(&fx.ctx, "/dev/null", 0, &st), -ENOENT);
	KEXPECT_EQ(vfs_mount(&fx.ctx, NULL, "/dev", "devtmpfs", NULL), 0);
	KEXPECT_EQ(fx_stat(&fx.ctx, "/dev/nothing", 0, &st), -ENOENT);
	KEXPECT_EQ(vfs_umount(&fx.ctx, NULL, "/dev"), 0);
	KEXPECT_EQ(fx_teardown(&fx), 0);
	dev_teardown();
}

static const struct file_ops dummy_fops = { .positional = true };
static const struct chrdev_ops dummy = { .fops = &dummy_fops };

KTEST(dev_chrdev_register_ranges)
{
	KASSERT(dev_setup() == 0);
	KEXPECT_EQ(chrdev_register(1, 3, 1, &dummy), -EBUSY);	/* /dev/null's */
	KEXPECT_EQ(chrdev_register(1, 0, 4, &dummy), -EBUSY);	/* overlaps 3 */
	KEXPECT_EQ(chrdev_register(240, 0, 0, &dummy), -EINVAL);
	KEXPECT_EQ(chrdev_register(0x1000, 0, 1, &dummy), -EINVAL);
	KEXPECT_EQ(chrdev_register(240, 0xfffff, 2, &dummy), -EINVAL);
	KEXPECT_EQ(chrdev_register(240, 0, 1, NULL), -EINVAL);
	KEXPECT(chrdev_lookup(dev_encode(1, 9)) != NULL);
	KEXPECT(chrdev_lookup(dev_encode(1, 10)) == NULL);
	KEXPECT(chrdev_lookup(dev_encode(241, 0)) == NULL);
	dev_teardown();
}
