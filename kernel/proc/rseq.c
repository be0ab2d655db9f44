/*
 * Restartable sequences (rseq(2), Linux 6.1's): a thread registers a
 * struct rseq; the kernel keeps its cpu fields current and, when the
 * thread was interrupted (possibly preempted) or gets a signal inside the
 * critical section its rseq_cs names, moves it to the section's abort
 * handler. Cadre cannot tell a preempting interrupt from another, so every
 * interrupt or exception counts: more aborts than Linux, which the ABI
 * allows at any point of a section.
 */
#include <abi/errno.h>
#include <abi/rseq.h>
#include <abi/signal.h>
#include <frame/cpu_local.h>
#include <frame/user.h>
#include <frame/vm_io.h>
#include <kernel/mm.h>
#include <kernel/proc.h>
#include <kernel/signal.h>
#include <kernel/syscalls.h>

#define RSEQ_AREA_SIZE sizeof(struct rseq)	/* 32: the size and alignment 6.1 accepts */

static int put_cpu_ids(vaddr_t area, uint32_t start, uint32_t cpu)
{
	if (put_user_u32(start, user_ptr(area + offsetof(struct rseq, cpu_id_start))) ||
	    put_user_u32(cpu, user_ptr(area + offsetof(struct rseq, cpu_id))))
		return -EFAULT;
	return 0;
}

int64_t sys_rseq(vaddr_t area, uint32_t len, int flags, uint32_t sig)
{
	struct thread *t = thread_current();
	if (flags & RSEQ_FLAG_UNREGISTER) {
		if (flags & ~RSEQ_FLAG_UNREGISTER)
			return -EINVAL;
		if (!t->rseq || t->rseq != area || len != t->rseq_len)
			return -EINVAL;
		if (sig != t->rseq_sig)
			return -EPERM;
		int err = put_cpu_ids(area, 0, (uint32_t)RSEQ_CPU_ID_UNINITIALIZED);
		if (err)
			return err;
		t->rseq = 0;
		t->rseq_len = t->rseq_sig = 0;
		t->rseq_resume = false;
		return 0;
	}
	if (flags)
		return -EINVAL;
	if (t->rseq) {
		if (t->rseq != area || len != t->rseq_len)
			return -EINVAL;
		return sig != t->rseq_sig ? -EPERM : -EBUSY;
	}
	if ((area & (RSEQ_AREA_SIZE - 1)) || len != RSEQ_AREA_SIZE)
		return -EINVAL;
	if (!user_range_ok(area, len))
		return -EFAULT;
	t->rseq = area;
	t->rseq_len = len;
	t->rseq_sig = sig;
	t->rseq_resume = true;	/* the cpu fields are written on the way out */
	return 0;
}

/* Linux's rseq_ip_fixup(): 0, or -EFAULT/-EINVAL (the thread gets SIGSEGV). */
static int ip_fixup(struct thread *t)
{
	uint64_t cs_addr;
	if (get_user_u64(&cs_addr, user_ptr(t->rseq + offsetof(struct rseq, rseq_cs))))
		return -EFAULT;
	if (!cs_addr)
		return 0;
	struct rseq_cs cs;
	if (cs_addr >= MM_USER_END)
		return -EINVAL;
	if (copy_from_user(&cs, user_ptr(cs_addr), sizeof(cs)))
		return -EFAULT;
	if (cs.start_ip >= MM_USER_END || cs.start_ip + cs.post_commit_offset >= MM_USER_END ||
	    cs.abort_ip >= MM_USER_END || cs.version > 0 ||
	    cs.start_ip + cs.post_commit_offset < cs.start_ip ||
	    cs.abort_ip - cs.start_ip < cs.post_commit_offset)
		return -EINVAL;
	uint32_t sig;
	if (get_user_u32(&sig, user_ptr(cs.abort_ip - sizeof(uint32_t))))
		return -EFAULT;
	if (sig != t->rseq_sig)
		return -EINVAL;
	uint32_t flags;
	if (get_user_u32(&flags, user_ptr(t->rseq + offsetof(struct rseq, flags))))
		return -EFAULT;
	/* 6.1 refuses the deprecated no-restart flags, in either place. */
	if (flags || cs.flags)
		return -EINVAL;
	/* Out of the section or not, the descriptor is done with. */
	if (put_user_u64(0, user_ptr(t->rseq + offsetof(struct rseq, rseq_cs))))
		return -EFAULT;
	vaddr_t ip = user_context_ip(&t->ctx);
	if (ip - cs.start_ip < cs.post_commit_offset)
		user_context_set_ip(&t->ctx, cs.abort_ip);
	return 0;
}

static void rseq_fail(struct thread *t)
{
	struct ksiginfo info = { .signo = SIGSEGV, .code = SI_KERNEL, .forced = true };
	signal_send_thread(t, SIGSEGV, &info);
}

void rseq_event(struct thread *t)
{
	if (!t->rseq)
		return;
	if (ip_fixup(t))
		rseq_fail(t);
	t->rseq_resume = true;
}

void rseq_before_user(struct thread *t)
{
	if (!t->rseq || !t->rseq_resume)
		return;
	t->rseq_resume = false;
	uint32_t cpu = cpu_id();
	if (put_cpu_ids(t->rseq, cpu, cpu))
		rseq_fail(t);
}
