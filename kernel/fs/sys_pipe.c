/* pipe/pipe2: a pipe's two ends installed as descriptors. */
#include <frame/errno.h>
#include <frame/vm_io.h>
#include <abi/fcntl.h>
#include <kernel/pipe.h>
#include "sys_fs.h"

static int64_t do_pipe(int __user *ufds, uint32_t flags)
{
	fs_syscalls_init();
	if (flags & ~(uint32_t)(O_CLOEXEC | O_NONBLOCK | O_DIRECT))
		return -EINVAL;
	struct file *r, *w;
	int err = pipe_create(fs_ctx()->cred, flags, &r, &w);
	if (err)
		return err;
	bool cloexec = flags & O_CLOEXEC;
	int fds[2] = { fs_install(r, cloexec), -1 };
	if (fds[0] >= 0)
		fds[1] = fs_install(w, cloexec);
	if (fds[0] >= 0 && fds[1] >= 0 && copy_to_user(ufds, fds, sizeof(fds)))
		err = -EFAULT;
	else if (fds[0] < 0)
		err = fds[0];
	else if (fds[1] < 0)
		err = fds[1];
	if (err) {
		/* Nothing may stay installed: the program never learnt the numbers. */
		if (fds[0] >= 0)
			fd_close(fs_fds(), fds[0]);
		if (fds[1] >= 0)
			fd_close(fs_fds(), fds[1]);
	}
	file_put(r);
	file_put(w);
	return err;
}

int64_t sys_pipe(int __user *fds)
{
	return do_pipe(fds, 0);
}

int64_t sys_pipe2(int __user *fds, uint32_t flags)
{
	return do_pipe(fds, flags);
}
