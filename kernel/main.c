/*
 * The services' entry point: set up the root file system from the
 * initramfs, open the console, and start the first program, as Linux does
 * for an initramfs boot.
 */
#include <abi/fcntl.h>
#include <frame/boot.h>
#include <frame/errno.h>
#include <frame/log.h>
#include <frame/sched.h>
#include <frame/string.h>
#include <kernel/rtc.h>
#include <kernel/sched.h>
#include <kernel/tty.h>
#include <kernel/file.h>
#include <kernel/block.h>
#include <kernel/devices.h>
#include <kernel/page_cache.h>
#include <kernel/virtio.h>
#include <kernel/fs.h>
#include <kernel/inet.h>
#include <kernel/ktime.h>
#include <kernel/proc.h>
#include <kernel/procfs.h>
#include <kernel/vfs.h>
#include "syscall/syscall.h"

#define MAX_INIT_ARGS 32
#define MAX_INIT_ENVS 32

static const char *init_argv[MAX_INIT_ARGS + 2];
static const char *init_envp[MAX_INIT_ENVS + 3] = { "HOME=/", "TERM=linux" };
static char words[4096];

/* Parameters the kernel itself takes; the rest go to init, as Linux passes them. */
static bool kernel_param(const char *w)
{
	static const char *const own[] = {
		"loglevel", "quiet", "console", "ktest", "init", "rdinit", "root",
		"ro", "rw", "mitigations", "panic", "earlyprintk", "nokaslr",
		"no_timer_check", "syscall_trace", "rootfstype",
	};
	for (size_t i = 0; i < ARRAY_SIZE(own); i++) {
		size_t n = strlen(own[i]);
		if (strncmp(w, own[i], n) == 0 && (w[n] == '\0' || w[n] == '='))
			return true;
	}
	return false;
}

/* Words with '=' become init's environment, the others its arguments (after "--" all are arguments). */
static void split_cmdline(void)
{
	char unknown[256] = "";
	size_t unknown_len = 0;
	strlcpy(words, boot_cmdline(), sizeof(words));
	size_t argc = 1, envc = 2;
	bool after_dashes = false;
	for (char *s = words; *s;) {
		while (*s == ' ')
			*s++ = '\0';
		if (!*s)
			break;
		char *w = s;
		while (*s && *s != ' ')
			s++;
		if (*s)
			*s++ = '\0';
		if (!after_dashes && strcmp(w, "--") == 0) {
			after_dashes = true;
			continue;
		}
		if (!after_dashes && kernel_param(w))
			continue;
		if (!after_dashes && unknown_len + strlen(w) + 2 < sizeof(unknown)) {
			if (unknown_len)
				unknown[unknown_len++] = ' ';
			unknown_len += strlcpy(unknown + unknown_len, w, sizeof(unknown) - unknown_len);
		}
		if (!after_dashes && strchr(w, '=')) {
			if (envc < MAX_INIT_ENVS)
				init_envp[envc++] = w;
		} else if (argc < MAX_INIT_ARGS) {
			init_argv[argc++] = w;
		}
	}
	init_argv[argc] = NULL;
	init_envp[envc] = NULL;
	if (unknown_len)
		pr_notice("Unknown kernel command line parameters \"%s\", will be passed to user space.\n",
			  unknown);
}

static int try_init(const struct path *root, const char *path, struct file *console)
{
	init_argv[0] = path;
	int err = proc_start_init(root, path, init_argv, init_envp, console);
	if (err && err != -ENOENT)
		pr_err("Failed to execute %s (error %d)\n", path, err);
	return err;
}

/* Mount the block device @spec names as the root (rootfstype=, default ext2) and devtmpfs on its /dev. */
static int mount_disk_root(const char *spec, struct path *root)
{
	char fstype[32] = "ext2";
	(void)boot_param("rootfstype", fstype, sizeof(fstype));
	if (!fstype[0])
		strlcpy(fstype, "ext2", sizeof(fstype));
	unsigned long flags = boot_param("rw", NULL, 0) >= 0 ? 0 : 1ul /* MS_RDONLY */;
	uint64_t rdev;
	int err = bdev_parse_name(spec, &rdev);
	if (!err)
		err = vfs_mount_root_dev(fstype, rdev, flags, NULL, root);
	if (err) {
		pr_err("VFS: Cannot open root device \"%s\" or unknown-block(%u,%u): error %d\n", spec,
		       err == -ENXIO ? 0 : dev_major(rdev), err == -ENXIO ? 0 : dev_minor(rdev), err);
		pr_err("Kernel panic - not syncing: VFS: Unable to mount root fs\n");
		return err;
	}
	pr_info("VFS: Mounted root (%s filesystem)%s on device %u:%u.\n", fstype,
		flags ? " readonly" : "", dev_major(rdev), dev_minor(rdev));
	(void)mounts_record(root, "/dev/root", "/", fstype, flags);
	err = devtmpfs_mount_dev(root);
	if (err && err != -ENOENT)
		pr_warn("devtmpfs: error mounting on /dev: %d\n", err);
	return 0;
}

void kernel_main(void)
{
	static char rdinit[256] = "/init", init[256];
	struct path root;
	struct initramfs_stats stats = { 0 };

	/* Cadre's scheduling policy replaces the frame's plain FIFO before anything else runs. */
	if (sched_set_policy(&sched_weighted_rr_policy))
		pr_err("sched: policy %s refused\n", sched_weighted_rr_policy.name);
	/* The wall clock, before anything can stamp a file with it. */
	rtc_cmos_init();
	tmpfs_register();
	ext2_register();
	devices_init();
	page_cache_init();
	/* Disks before the root: root= may name one, and devtmpfs gets their nodes. */
	/* The stack before the devices: virtio-net's interfaces register with it. */
	inet_init();
	virtio_blk_register();
	virtio_net_register();
	virtio_pci_probe_all();
	procfs_init();
	tty_console_init();
	proc_tty_init();
	ktime_init();
	/* Without an initramfs, root= names the disk to boot from (read-only unless "rw"), as Linux. */
	char root_spec[64];
	bool from_disk = boot_initrd_size() == 0 && boot_param("root", root_spec, sizeof(root_spec)) > 0;
	if (from_disk) {
		if (mount_disk_root(root_spec, &root))
			return;
	} else if (vfs_mount_root("tmpfs", NULL, &root)) {
		pr_err("Cadre: no root file system\n");
		return;
	}
	if (from_disk) {
		;	/* the disk's own /init or /sbin/init runs */
	} else if (boot_initrd_size() == 0) {
		pr_notice("initramfs: none given\n");
	} else {
		int err = initramfs_unpack_boot(&root, &stats);
		if (err)
			pr_err("initramfs: unpacking failed (error %d); continuing with what was unpacked\n", err);
		pr_info("initramfs: %u files, %u directories, %u symlinks, %u nodes, %lu bytes\n",
			stats.files, stats.dirs, stats.symlinks, stats.nodes,
			(unsigned long)stats.bytes);
	}

	struct file *console = NULL;
	if (dev_open_console(&root, &console))
		pr_warn("Warning: unable to open an initial console.\n");

	split_cmdline();
	syscall_trace_init();
	boot_param("rdinit", rdinit, sizeof(rdinit));
	bool have_init = boot_param("init", init, sizeof(init)) > 0;
	const char *fallbacks[] = { "/sbin/init", "/etc/init", "/bin/init", "/bin/sh" };
	/* rdinit= is the initramfs's; a disk root starts at init= or the usual places. */
	int err = from_disk ? -ENOENT : try_init(&root, rdinit, console);
	if (err && have_init)
		err = try_init(&root, init, console);
	for (size_t i = 0; err && !have_init && i < ARRAY_SIZE(fallbacks); i++)
		err = try_init(&root, fallbacks[i], console);
	if (console)
		file_put(console);
	if (err) {
		pr_err("No working init found. Try passing init= option to kernel.\n");
		return;
	}
	/* Init runs in its own task now; this one has nothing left to do. */
	for (;;)
		sched_sleep_ns(1000000000ULL * 3600);
}
