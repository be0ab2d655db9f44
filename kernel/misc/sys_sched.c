/*
 * Scheduling system calls on one CPU: sched_yield, affinity (always CPU 0),
 * policies and priorities (recorded; every task runs under the frame's
 * scheduler), sched_rr_get_interval, getcpu.
 */
#include <abi/errno.h>
#include <abi/sched.h>
#include <frame/clock.h>
#include <frame/sched.h>
#include <frame/task.h>
#include <frame/vm_io.h>
#include <kernel/ktime.h>
#include <kernel/proc.h>
#include <kernel/syscalls.h>

#define SCHED_DEADLINE 6
#define SCHED_RESET_ON_FORK 0x40000000
#define CPUMASK_BYTES 8		/* one unsigned long holds every CPU Cadre runs */
#define RR_TIMESLICE_NS (100 * NSEC_PER_MSEC)

int64_t sys_sched_yield(void)
{
	sched_yield();
	return 0;
}

/* The process of thread @pid (0: the caller), proc_tree_lock held; NULL if none. */
static struct process *target(int pid)
{
	if (pid == 0)
		return process_current();
	struct thread *t = thread_find(pid);
	return t && t->proc->state != PROC_ZOMBIE ? t->proc : NULL;
}

static bool may_change(struct process *p)
{
	const struct cred *me = &process_current()->cred;
	return me->euid == 0 || me->euid == p->cred.uid || me->euid == p->cred.euid;
}

int64_t sys_sched_getaffinity(int pid, uint32_t len, uint64_t __user *mask)
{
	if ((uint64_t)len * 8 < 1 || (len & (sizeof(uint64_t) - 1)))
		return -EINVAL;
	proc_tree_lock();
	struct process *p = target(pid);
	proc_tree_unlock();
	if (!p)
		return -ESRCH;
	uint64_t online = 1;
	if (copy_to_user(mask, &online, CPUMASK_BYTES))
		return -EFAULT;
	return CPUMASK_BYTES;
}

int64_t sys_sched_setaffinity(int pid, uint32_t len, const uint64_t __user *mask)
{
	uint64_t want = 0;
	if (copy_from_user(&want, mask, len < CPUMASK_BYTES ? len : CPUMASK_BYTES))
		return -EFAULT;
	proc_tree_lock();
	struct process *p = target(pid);
	bool allowed = p && may_change(p);
	proc_tree_unlock();
	if (!p)
		return -ESRCH;
	if (!allowed)
		return -EPERM;
	return want & 1 ? 0 : -EINVAL;	/* no CPU of the mask is online */
}

static bool policy_valid(int policy)
{
	return policy == SCHED_NORMAL || policy == SCHED_FIFO || policy == SCHED_RR ||
	       policy == SCHED_BATCH || policy == SCHED_IDLE;
}

int64_t sys_sched_get_priority_max(int policy)
{
	if (policy == SCHED_FIFO || policy == SCHED_RR)
		return 99;
	return policy_valid(policy) || policy == SCHED_DEADLINE ? 0 : -EINVAL;
}

int64_t sys_sched_get_priority_min(int policy)
{
	if (policy == SCHED_FIFO || policy == SCHED_RR)
		return 1;
	return policy_valid(policy) || policy == SCHED_DEADLINE ? 0 : -EINVAL;
}

int64_t sys_sched_getscheduler(int pid)
{
	if (pid < 0)
		return -EINVAL;
	proc_tree_lock();
	struct process *p = target(pid);
	int policy = p ? proc_misc_peek(p).sched_policy : -ESRCH;
	proc_tree_unlock();
	return policy;
}

int64_t sys_sched_getparam(int pid, struct sched_param __user *param)
{
	if (!param || pid < 0)
		return -EINVAL;
	proc_tree_lock();
	struct process *p = target(pid);
	int prio = p ? proc_misc_peek(p).sched_priority : 0;
	proc_tree_unlock();
	if (!p)
		return -ESRCH;
	if (put_user_u32((uint32_t)prio, param))
		return -EFAULT;
	return 0;
}

/* Set @policy (-1: keep) and the priority at @param for thread @pid. */
static int64_t set_scheduler(int pid, int policy, const struct sched_param __user *param)
{
	if (!param || pid < 0)
		return -EINVAL;
	uint32_t prio;
	if (get_user_u32(&prio, param))
		return -EFAULT;
	int err = 0;
	proc_tree_lock();
	struct process *p = target(pid);
	if (!p) {
		proc_tree_unlock();
		return -ESRCH;
	}
	struct proc_misc cur = proc_misc_peek(p);
	if (policy < 0)
		policy = cur.sched_policy;
	policy &= ~SCHED_RESET_ON_FORK;
	bool rt = policy == SCHED_FIFO || policy == SCHED_RR;
	if (!policy_valid(policy) || (int)prio < 0 || prio > 99 || rt != (prio != 0))
		err = -EINVAL;
	else if (!may_change(p) || (rt && process_current()->cred.euid != 0))
		err = -EPERM;	/* real-time needs CAP_SYS_NICE (RLIMIT_RTPRIO 0) */
	if (!err) {
		struct proc_misc *m = proc_misc_get(p);
		if (!m) {
			err = -ENOMEM;
		} else {
			m->sched_policy = policy;
			m->sched_priority = (int)prio;
		}
	}
	proc_tree_unlock();
	return err;
}

int64_t sys_sched_setscheduler(int pid, int policy, const struct sched_param __user *param)
{
	if (policy < 0)
		return -EINVAL;
	return set_scheduler(pid, policy, param);
}

int64_t sys_sched_setparam(int pid, const struct sched_param __user *param)
{
	return set_scheduler(pid, -1, param);
}

int64_t sys_sched_rr_get_interval(int pid, struct timespec __user *interval)
{
	if (pid < 0)
		return -EINVAL;
	proc_tree_lock();
	struct process *p = target(pid);
	int policy = p ? proc_misc_peek(p).sched_policy : 0;
	proc_tree_unlock();
	if (!p)
		return -ESRCH;
	uint64_t ns = policy == SCHED_FIFO ? 0 :
		      policy == SCHED_RR ? RR_TIMESLICE_NS :
		      (uint64_t)(TASK_PRIO_DEFAULT + 1) * CLOCK_TICK_NS;
	struct timespec ts = ns_to_timespec(ns);
	if (copy_to_user(interval, &ts, sizeof(ts)))
		return -EFAULT;
	return 0;
}

int64_t sys_getcpu(uint32_t __user *cpu, uint32_t __user *node)
{
	if (cpu && put_user_u32(0, cpu))
		return -EFAULT;
	if (node && put_user_u32(0, node))
		return -EFAULT;
	return 0;
}
