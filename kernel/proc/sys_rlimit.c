/* Resource limits: getrlimit, setrlimit, prlimit64 (RLIMIT_NOFILE enforced by the fd table users). */
#include <abi/errno.h>
#include <abi/resource.h>
#include <frame/vm_io.h>
#include <kernel/mm.h>
#include <kernel/proc.h>
#include "../syscall/syscall.h"

#define NR_OPEN 1048576	/* Linux's fs.nr_open: the ceiling for RLIMIT_NOFILE */

/* Read and/or change @p's limit @res; the rules of Linux's do_prlimit. */
static int do_prlimit(struct process *p, unsigned res, const struct rlimit *new, struct rlimit *old)
{
	if (res >= RLIM_NLIMITS)
		return -EINVAL;
	struct rlimit *cur = &p->rlim[res];
	if (new) {
		if (new->rlim_cur > new->rlim_max)
			return -EINVAL;
		if (res == RLIMIT_NOFILE && new->rlim_max > NR_OPEN)
			return -EPERM;
		if (new->rlim_max > cur->rlim_max && process_current()->cred.euid != 0)
			return -EPERM;
	}
	if (old)
		*old = *cur;
	if (new) {
		*cur = *new;
		if (p->mm && (res == RLIMIT_AS || res == RLIMIT_DATA || res == RLIMIT_STACK)) {
			struct mm_limits lim = {
				.as = p->rlim[RLIMIT_AS].rlim_cur,
				.data = p->rlim[RLIMIT_DATA].rlim_cur,
				.stack = p->rlim[RLIMIT_STACK].rlim_cur,
			};
			mm_set_limits(p->mm, &lim);
		}
	}
	return 0;
}

int64_t sys_getrlimit(const struct syscall_args *a)
{
	struct rlimit r;
	int err = do_prlimit(process_current(), (unsigned)a->a[0], NULL, &r);
	if (err)
		return err;
	return copy_to_user(user_ptr(a->a[1]), &r, sizeof(r)) ? -EFAULT : 0;
}

int64_t sys_setrlimit(const struct syscall_args *a)
{
	struct rlimit r;
	if (copy_from_user(&r, user_ptr(a->a[1]), sizeof(r)))
		return -EFAULT;
	return do_prlimit(process_current(), (unsigned)a->a[0], &r, NULL);
}

int64_t sys_prlimit64(const struct syscall_args *a)
{
	int pid = (int)a->a[0];
	unsigned res = (unsigned)a->a[1];
	struct rlimit new, old;
	if (a->a[2] && copy_from_user(&new, user_ptr(a->a[2]), sizeof(new)))
		return -EFAULT;
	struct process *self = process_current();
	proc_tree_lock();
	struct process *p = pid ? process_find(pid) : self;
	int err = p && p->state != PROC_ZOMBIE ? 0 : -ESRCH;
	if (!err && p != self && self->cred.euid != 0 &&
	    (p->cred.uid != self->cred.uid || p->cred.euid != self->cred.uid ||
	     p->cred.suid != self->cred.uid))
		err = -EPERM;
	if (!err)
		err = do_prlimit(p, res, a->a[2] ? &new : NULL, &old);
	proc_tree_unlock();
	if (err)
		return err;
	if (a->a[3] && copy_to_user(user_ptr(a->a[3]), &old, sizeof(old)))
		return -EFAULT;
	return 0;
}
