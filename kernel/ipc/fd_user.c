/* The caller's descriptor table, credential and limits for the socket and event-descriptor calls. */
#include <abi/resource.h>
#include <kernel/proc.h>
#include "fd_user.h"

struct fdtable *fdu_table(void)
{
	return process_current()->fds;
}

const struct cred *fdu_cred(void)
{
	return &process_current()->cred;
}

struct vfs_ctx *fdu_ctx(void)
{
	return &process_current()->fs;
}

uint32_t fdu_nofile(void)
{
	uint64_t cur = process_current()->rlim[RLIMIT_NOFILE].rlim_cur;
	return cur > FDTABLE_NR_OPEN ? FDTABLE_NR_OPEN : (uint32_t)cur;
}

struct file *fdu_get(int fd)
{
	return fd_get(fdu_table(), fd);
}

int fdu_install(struct file *f, bool cloexec)
{
	return fd_install(fdu_table(), f, 0, fdu_nofile(), cloexec);
}

int fdu_install_new(struct file *f, bool cloexec)
{
	int fd = fdu_install(f, cloexec);
	file_put(f);
	return fd;
}
