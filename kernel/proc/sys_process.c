/* Process system calls: ids, exit, clone/fork/vfork, execve, thread-id bookkeeping, TLS. */
#include <abi/errno.h>
#include <abi/fcntl.h>
#include <abi/sched.h>
#include <frame/heap.h>
#include <frame/string.h>
#include <frame/vm_io.h>
#include <frame/log.h>
#include <kernel/exec.h>
#include <kernel/fdtable.h>
#include <kernel/file.h>
#include <kernel/proc.h>
#include <kernel/syscalls.h>
#include "proc_internal.h"

#define PATH_MAX 4096
#define EXEC_ARGS_MAX (2 * 1024 * 1024)	/* all of argv and envp, as a quarter of the 8 MiB stack */
#define EXEC_ARGC_MAX 0x7fffffff

#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004

int64_t sys_getpid(void)
{
	return process_current()->pid;
}

int64_t sys_gettid(void)
{
	return thread_current()->tid;
}

int64_t sys_getppid(void)
{
	struct process *p = process_current();
	proc_tree_lock();
	int ppid = p->parent ? p->parent->pid : 0;
	proc_tree_unlock();
	return ppid;
}

_Noreturn int64_t sys_exit(int status);
_Noreturn int64_t sys_exit_group(int status);

_Noreturn int64_t sys_exit(int status)
{
	struct thread *t = thread_current();
	t->exit_code = (int)(status & 0xff);
	proc_exit_thread(t->exit_code);
}

_Noreturn int64_t sys_exit_group(int status)
{
	proc_exit_group(W_EXITCODE((int)(status & 0xff)));
}

int64_t sys_set_tid_address(vaddr_t tidptr)
{
	struct thread *t = thread_current();
	t->clear_child_tid = tidptr;
	return t->tid;
}

int64_t sys_set_robust_list(vaddr_t head, size_t len)
{
	/* Linux's struct robust_list_head is 24 bytes; the list is walked at exit. */
	if (len != 24)
		return -EINVAL;
	struct thread *t = thread_current();
	t->robust_list = head;
	t->robust_len = len;
	return 0;
}

int64_t sys_arch_prctl(uint64_t code, vaddr_t addr)
{
	struct user_context *ctx = &thread_current()->ctx;
	switch (code) {
	case ARCH_SET_FS:
		if (addr >= EXEC_USER_END + PAGE_SIZE)
			return -EPERM;
		user_context_set_tls(ctx, addr);
		return 0;
	case ARCH_GET_FS:
		return put_user_u64(user_context_tls(ctx), user_ptr(addr)) ? -EFAULT : 0;
	case ARCH_SET_GS:
		if (addr >= EXEC_USER_END + PAGE_SIZE)
			return -EPERM;
		user_context_regs(ctx)->gs_base = addr;
		return 0;
	case ARCH_GET_GS:
		return put_user_u64(user_context_regs(ctx)->gs_base, user_ptr(addr)) ? -EFAULT : 0;
	default:
		return -EINVAL;
	}
}

/* A NULL-terminated array of user strings into one kernel block: pointers then bytes. */
static int copy_strings(const char __user *const __user *uvec, const char ***out, size_t *budget)
{
	size_t n = 0;
	uint64_t p;
	*out = NULL;
	if (uvec) {
		for (;; n++) {
			if (get_user_u64(&p, &uvec[n]))
				return -EFAULT;
			if (!p)
				break;
			if (n >= *budget / 8)
				return -E2BIG;
		}
	}
	const char **v = kmalloc((n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		get_user_u64(&p, &uvec[i]);
		size_t max = MIN(*budget, (size_t)EXEC_MAX_ARG_STRLEN);
		char *s = kmalloc(max + 1 > 4096 ? 4096 : max + 1);
		ssize_t len = s ? strncpy_from_user(s, user_ptr(p), MIN(max + 1, (size_t)4096)) : -ENOMEM;
		if (len >= 0 && (size_t)len == MIN(max + 1, (size_t)4096)) {
			/* Longer than the first chunk: copy it whole. */
			kfree(s);
			s = kmalloc(max + 1);
			len = s ? strncpy_from_user(s, user_ptr(p), max + 1) : -ENOMEM;
			if (len >= 0 && (size_t)len > max)
				len = -E2BIG;
		}
		if (len < 0) {
			kfree(s);
			v[i] = NULL;
			for (size_t k = 0; k < i; k++)
				kfree(v[k]);
			kfree(v);
			return (int)len;
		}
		v[i] = s;
		*budget -= (size_t)len + 1 + 8;
	}
	v[n] = NULL;
	*out = v;
	return 0;
}

static void free_strings(const char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		kfree(v[i]);
	kfree(v);
}

/* execve and execveat: copy the path and the vectors in, then exec relative to @dirfd. */
static int64_t do_execveat(int dirfd, const char __user *upath, const char __user *const __user *uargv,
			   const char __user *const __user *uenvp, int flags)
{
	if (flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
		return -EINVAL;
	char *path = kmalloc(PATH_MAX + 32);
	if (!path)
		return -ENOMEM;
	ssize_t len = strncpy_from_user(path, upath, PATH_MAX);
	int err = len < 0 ? (int)len : len == PATH_MAX ? -ENAMETOOLONG : 0;
	if (!err && len == 0 && !(flags & AT_EMPTY_PATH))
		err = -ENOENT;
	struct file *dir = NULL;
	if (!err && dirfd != AT_FDCWD && (path[0] != '/' || len == 0)) {
		dir = fd_get(process_current()->fds, dirfd);
		if (!dir)
			err = -EBADF;
	}
	/* What the program sees as its path when it was named by a descriptor (Linux's /dev/fd/N). */
	char *name = path + PATH_MAX;
	if (!err && len == 0)
		snprintf(name, 32, "/dev/fd/%d", dirfd);
	const char **argv = NULL, **envp = NULL;
	size_t budget = EXEC_ARGS_MAX;
	if (!err)
		err = copy_strings(uargv, &argv, &budget);
	if (!err)
		err = copy_strings(uenvp, &envp, &budget);
	if (!err)
		err = proc_exec_at(dir ? &dir->path : NULL, path, len ? path : name,
				   !(flags & AT_SYMLINK_NOFOLLOW), argv, envp);
	if (dir)
		file_put(dir);
	free_strings(argv);
	free_strings(envp);
	kfree(path);
	return err ? err : SYSCALL_RET_KEEP_REGS;
}

int64_t sys_execve(const char __user *path, const char __user *const __user *argv, const char __user *const __user *envp)
{
	return do_execveat(AT_FDCWD, path, argv, envp, 0);
}

int64_t sys_execveat(int dirfd, const char __user *path, const char __user *const __user *argv, const char __user *const __user *envp, int flags)
{
	return do_execveat(dirfd, path, argv, envp, flags);
}

int64_t sys_clone(uint64_t flags, vaddr_t newsp, vaddr_t parent_tid, vaddr_t child_tid, vaddr_t tls)
{
	/* x86_64 order: flags, stack, parent_tid, child_tid, tls. */
	return proc_clone(flags, newsp, parent_tid, child_tid, tls);
}

/*
 * clone3: Linux's argument checks, then clone's work. Not supported (EINVAL,
 * as a kernel without them): CLONE_PIDFD (no pidfds), set_tid (choosing
 * the child's pid), CLONE_CLEAR_SIGHAND and CLONE_INTO_CGROUP.
 */
int64_t sys_clone3(struct clone_args __user *uargs, size_t size)
{
	struct clone_args a;
	if (size > PAGE_SIZE)
		return -E2BIG;
	if (size < CLONE_ARGS_SIZE_VER0)
		return -EINVAL;
	memset(&a, 0, sizeof(a));
	if (copy_from_user(&a, uargs, MIN(size, sizeof(a))))
		return -EFAULT;
	/* A newer, larger struct is accepted only if what we do not know of it is zero. */
	for (size_t off = sizeof(a); off < size; off++) {
		uint8_t b;
		if (get_user_u8(&b, (const uint8_t __user *)uargs + off))
			return -EFAULT;
		if (b)
			return -E2BIG;
	}
	if (a.set_tid_size > 32 || (!a.set_tid && a.set_tid_size) || (a.set_tid && !a.set_tid_size))
		return -EINVAL;
	if ((a.exit_signal & ~(uint64_t)CSIGNAL) || a.exit_signal > KERNEL_NSIG)
		return -EINVAL;
	if ((a.flags & CLONE_INTO_CGROUP) && (a.cgroup > 0x7fffffff || size < CLONE_ARGS_SIZE_VER2))
		return -EINVAL;
	/* clone3_args_valid(): the CSIGNAL bits and CLONE_DETACHED are not flags here. */
	if (a.flags & ~(0xffffffffULL | CLONE_CLEAR_SIGHAND | CLONE_INTO_CGROUP))
		return -EINVAL;
	if (a.flags & (CLONE_DETACHED | CSIGNAL))
		return -EINVAL;
	if ((a.flags & (CLONE_SIGHAND | CLONE_CLEAR_SIGHAND)) == (CLONE_SIGHAND | CLONE_CLEAR_SIGHAND))
		return -EINVAL;
	if ((a.flags & (CLONE_THREAD | CLONE_PARENT)) && a.exit_signal)
		return -EINVAL;
	if (!a.stack != !a.stack_size)
		return -EINVAL;
	if (a.stack && (a.stack + a.stack_size < a.stack || !user_range_ok(a.stack, a.stack_size)))
		return -EINVAL;
	if (a.set_tid || (a.flags & (CLONE_PIDFD | CLONE_CLEAR_SIGHAND | CLONE_INTO_CGROUP)))
		return -EINVAL;
	/* The stack is given as its lowest address and size: it grows down from the top. */
	return proc_clone(a.flags | a.exit_signal, a.stack ? a.stack + a.stack_size : 0,
			  a.parent_tid, a.child_tid, a.tls);
}

int64_t sys_fork(void)
{
	return proc_clone(SIGCHLD, 0, 0, 0, 0);
}

int64_t sys_vfork(void)
{
	return proc_clone(CLONE_VM | CLONE_VFORK | SIGCHLD, 0, 0, 0, 0);
}
