/* Resource limits: getrlimit, setrlimit, prlimit64 (RLIMIT_NOFILE enforced by the fd table users). */
#include <abi/errno.h>
#include <abi/resource.h>
#include <frame/vm_io.h>
#include <kernel/mm.h>
#include <kernel/proc.h>
#include <kernel/syscalls.h>

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

int64_t sys_getrlimit(uint32_t resource, struct rlimit __user *rlim)
{
	struct rlimit r;
	int err = do_prlimit(process_current(), resource, NULL, &r);
	if (err)
		return err;
	return copy_to_user(rlim, &r, sizeof(r)) ? -EFAULT : 0;
}

int64_t sys_setrlimit(uint32_t resource, const struct rlimit __user *rlim)
{
	struct rlimit r;
	if (copy_from_user(&r, rlim, sizeof(r)))
		return -EFAULT;
	return do_prlimit(process_current(), resource, &r, NULL);
}

int64_t sys_prlimit64(int pid, uint32_t resource, const struct rlimit64 __user *new_rlim, struct rlimit64 __user *old_rlim)
{
	unsigned res = resource;
	struct rlimit new, old;
	if (new_rlim && copy_from_user(&new, new_rlim, sizeof(new)))
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
		err = do_prlimit(p, res, new_rlim ? &new : NULL, &old);
	proc_tree_unlock();
	if (err)
		return err;
	if (old_rlim && copy_to_user(old_rlim, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}
