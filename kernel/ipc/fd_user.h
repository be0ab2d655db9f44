/* What the socket and event-descriptor system calls need of the caller: its descriptors, credential and name context. */
#ifndef KERNEL_IPC_FD_USER_H
#define KERNEL_IPC_FD_USER_H

#include <frame/types.h>
#include <kernel/cred.h>
#include <kernel/fdtable.h>
#include <kernel/file.h>
#include <kernel/vfs.h>

struct fdtable *fdu_table(void);
const struct cred *fdu_cred(void);
struct vfs_ctx *fdu_ctx(void);
/* RLIMIT_NOFILE, capped as the fd table caps it. */
uint32_t fdu_nofile(void);
/* The file at @fd with a reference, or NULL (EBADF). */
struct file *fdu_get(int fd);
/* Install @f (the caller keeps its reference) at the lowest free fd: the fd or -EMFILE/-ENOMEM. */
int fdu_install(struct file *f, bool cloexec);
/* Install a new file and drop the creator's reference: the fd, or the error (the file is gone then). */
int fdu_install_new(struct file *f, bool cloexec);

#endif
