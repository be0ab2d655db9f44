/* Helpers shared by the file system calls: the caller's context, path arguments, dirfds, descriptors. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/vm_io.h>
#include <abi/fcntl.h>
#include <abi/resource.h>
#include <kernel/fs_limits.h>
#include <kernel/poll.h>
#include <kernel/proc.h>
#include <kernel/signal.h>
#include <kernel/special.h>
#include "sys_fs.h"

struct vfs_ctx *fs_ctx(void)
{
	return &process_current()->fs;
}

struct fdtable *fs_fds(void)
{
	return process_current()->fds;
}

uint32_t fs_nofile(void)
{
	uint64_t cur = process_current()->rlim[RLIMIT_NOFILE].rlim_cur;
	return cur > FDTABLE_NR_OPEN ? FDTABLE_NR_OPEN : (uint32_t)cur;
}

struct file *fs_file(int fd)
{
	return fd_get(fs_fds(), fd);
}

int fs_getname(const char __user *upath, char **out)
{
	char *buf = kmalloc(PATH_MAX);
	if (!buf)
		return -ENOMEM;
	ssize_t n = strncpy_from_user(buf, upath, PATH_MAX);
	if (n < 0 || n >= PATH_MAX) {
		kfree(buf);
		return n < 0 ? (int)n : -ENAMETOOLONG;
	}
	*out = buf;
	return 0;
}

void fs_name_free(char *name)
{
	kfree(name);
}

int fs_at_get(int dirfd, const char __user *upath, bool empty_ok, struct fs_at *out)
{
	out->dir = NULL;
	out->at = NULL;
	int err = fs_getname(upath, &out->name);
	if (err)
		return err;
	const char *name = out->name;
	if (name[0] == '/')
		return 0;
	if (name[0] == 0 && !empty_ok) {
		err = -ENOENT;
		goto fail;
	}
	if (dirfd == AT_FDCWD) {
		if (name[0] == 0)
			out->at = &fs_ctx()->cwd;
		return 0;
	}
	out->dir = fs_file(dirfd);
	if (!out->dir) {
		err = -EBADF;
		goto fail;
	}
	if (name[0] && !S_ISDIR(out->dir->path.inode->mode)) {
		err = -ENOTDIR;
		goto fail;
	}
	out->at = &out->dir->path;
	return 0;
fail:
	fs_at_put(out);
	return err;
}

void fs_at_put(struct fs_at *a)
{
	if (a->dir)
		file_put(a->dir);
	a->dir = NULL;
	fs_name_free(a->name);
	a->name = NULL;
}

int fs_install(struct file *f, bool cloexec)
{
	return fd_install(fs_fds(), f, 0, fs_nofile(), cloexec);
}

/* ---- the process layer's side of file waits ---- */

static bool hook_signal_pending(void)
{
	return signal_pending(thread_current());
}

static void hook_sigpipe(void)
{
	struct ksiginfo info = { .signo = SIGPIPE, .code = SI_USER,
				 .pid = process_current()->pid,
				 .uid = process_current()->cred.uid };
	signal_send_thread(thread_current(), SIGPIPE, &info);
}

static bool hook_capable_resource(void)
{
	return process_current()->cred.euid == 0;
}

static const struct poll_task_hooks task_hooks = {
	hook_signal_pending, hook_sigpipe, hook_capable_resource,
};

void fs_syscalls_init(void)
{
	static bool done;
	if (__atomic_load_n(&done, __ATOMIC_ACQUIRE))
		return;
	special_init();
	poll_set_task_hooks(&task_hooks);
	fs_limit_hooks_install();	/* RLIMIT_FSIZE, SIGXFSZ, setuid drop on write (kernel/fs/fs_limits.c) */
	__atomic_store_n(&done, true, __ATOMIC_RELEASE);
}

int fs_lookup_at(int dirfd, const char __user *upath, bool follow, bool empty_ok, struct path *out)
{
	struct fs_at a;
	int err = fs_at_get(dirfd, upath, empty_ok, &a);
	if (err)
		return err;
	if (a.name[0] == 0) {
		*out = *a.at;
		path_get(out);
	} else {
		err = vfs_lookup(fs_ctx(), a.at, a.name, follow ? LOOKUP_FOLLOW : 0, out);
	}
	fs_at_put(&a);
	return err;
}
