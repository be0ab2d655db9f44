/* kernel/futex in the test kernel: argument errors, value mismatch, timeouts, wake and requeue between tasks on a real user mapping. */
#include <abi/futex.h>
#include <frame/clock.h>
#include <frame/sched.h>
#include <frame/task.h>
#include <frame/vm_io.h>
#include <frame/ktest.h>
#include <kernel/futex.h>

#include "mm_fixture.h"

#define FX_BASE 0x10000000ul
#define NONE UINT64_MAX

struct waiter_arg {
	struct mm *mm;
	vaddr_t addr;
	int result;
};

static int waiter_task(void *arg)
{
	struct waiter_arg *w = arg;
	task_set_vm_space(task_current(), mm_vm_space(w->mm));
	vm_space_activate(mm_vm_space(w->mm));
	w->result = (int)futex_op(w->mm, w->addr, FUTEX_WAIT_PRIVATE, 0, NONE, 0, 0, 0);
	return 0;
}

/* Wait (bounded) until @n tasks wait on @addr. */
static bool wait_for_waiters(struct mm *mm, vaddr_t addr, unsigned n)
{
	for (int i = 0; i < 500; i++) {
		if (futex_waiters(mm, addr) == n)
			return true;
		sched_sleep_ns(NSEC_PER_MSEC);
	}
	return false;
}

static struct mm *fx_mm(struct vm_space **prev)
{
	struct mm *mm = mm_create();
	if (!mm)
		return NULL;
	vaddr_t r;
	if (mm_mmap(mm, FX_BASE, PAGE_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0, &r)) {
		mm_put(mm);
		return NULL;
	}
	*prev = vm_space_current();
	task_set_vm_space(task_current(), mm_vm_space(mm));
	vm_space_activate(mm_vm_space(mm));
	return mm;
}

static void fx_done(struct mm *mm, struct vm_space *prev)
{
	task_set_vm_space(task_current(), NULL);
	vm_space_activate(prev);
	mm_put(mm);
}

KTEST(futex_errors)
{
	struct vm_space *prev;
	struct mm *mm = fx_mm(&prev);
	KASSERT(mm);
	KEXPECT_EQ(futex_op(mm, FX_BASE + 1, FUTEX_WAIT, 0, NONE, 0, 0, 0), -EINVAL);
	KEXPECT_EQ(futex_op(mm, FX_BASE, 99, 0, NONE, 0, 0, 0), -ENOSYS);
	KEXPECT_EQ(futex_op(mm, FX_BASE, FUTEX_WAKE_OP, 0, NONE, 0, 0, 0), -ENOSYS);
	KEXPECT_EQ(futex_op(mm, FX_BASE, FUTEX_WAIT_BITSET, 0, NONE, 0, 0, 0), -EINVAL);
	KEXPECT_EQ(futex_op(mm, FX_BASE, FUTEX_WAKE_BITSET, 1, NONE, 0, 0, 0), -EINVAL);
	KEXPECT_EQ(futex_op(mm, FX_BASE, FUTEX_CMP_REQUEUE, (uint32_t)-1, NONE, FX_BASE + 4, 1, 0),
		   -EINVAL);
	KEXPECT_EQ(futex_op(mm, FX_BASE, FUTEX_REQUEUE, 1, NONE, FX_BASE + 2, 1, 0), -EINVAL);
	/* Unmapped user memory and kernel addresses: EFAULT. */
	KEXPECT_EQ(futex_op(mm, FX_BASE + PAGE_SIZE, FUTEX_WAIT, 0, NONE, 0, 0, 0), -EFAULT);
	KEXPECT_EQ(futex_op(mm, 0xffffffff80000000ul, FUTEX_WAKE, 1, NONE, 0, 0, 0), -EFAULT);
	/* Waking a private futex touches no memory: nobody woken. */
	KEXPECT_EQ(futex_op(mm, FX_BASE + PAGE_SIZE, FUTEX_WAKE_PRIVATE, 1, NONE, 0, 0, 0), 0);
	fx_done(mm, prev);
}

KTEST(futex_mismatch_and_timeout)
{
	struct vm_space *prev;
	struct mm *mm = fx_mm(&prev);
	KASSERT(mm);
	KASSERT(put_user_u32(7, user_ptr(FX_BASE)) == 0);
	KEXPECT_EQ(futex_op(mm, FX_BASE, FUTEX_WAIT_PRIVATE, 6, NONE, 0, 0, 0), -EAGAIN);
	uint64_t t0 = clock_monotonic_ns();
	KEXPECT_EQ(futex_op(mm, FX_BASE, FUTEX_WAIT_PRIVATE, 7, t0 + 10 * NSEC_PER_MSEC, 0, 0, 0),
		   -ETIMEDOUT);
	KEXPECT(clock_monotonic_ns() - t0 >= 10 * NSEC_PER_MSEC);
	KEXPECT_EQ(futex_waiters(mm, FX_BASE), 0);	/* the timed-out waiter left the queue */
	/* A past absolute deadline still compares the value first. */
	KEXPECT_EQ(futex_op(mm, FX_BASE, FUTEX_WAIT_BITSET, 1, 1, 0, 0, FUTEX_BITSET_MATCH_ANY),
		   -EAGAIN);
	KEXPECT_EQ(futex_op(mm, FX_BASE, FUTEX_WAIT_BITSET, 7, 1, 0, 0, FUTEX_BITSET_MATCH_ANY),
		   -ETIMEDOUT);
	fx_done(mm, prev);
}

KTEST(futex_wake_between_tasks)
{
	struct vm_space *prev;
	struct mm *mm = fx_mm(&prev);
	KASSERT(mm);
	KASSERT(put_user_u32(0, user_ptr(FX_BASE)) == 0);
	struct waiter_arg w = { mm, FX_BASE, 99 };
	struct task *t;
	KASSERT(task_create("futex-waiter", waiter_task, &w, TASK_PRIO_DEFAULT, &t) == 0);
	KEXPECT(wait_for_waiters(mm, FX_BASE, 1));
	/* Another address, or a bitset that does not match, wakes nobody. */
	KEXPECT_EQ(futex_wake(mm, FX_BASE + 4, false, 1, FUTEX_BITSET_MATCH_ANY), 0);
	KEXPECT_EQ(futex_wake(mm, FX_BASE, false, 1, 0), 0);
	KEXPECT_EQ(w.result, 99);
	KEXPECT_EQ(futex_op(mm, FX_BASE, FUTEX_WAKE_PRIVATE, 1, NONE, 0, 0, 0), 1);
	KEXPECT_EQ(task_join_timeout(t, NSEC_PER_SEC, NULL), 0);
	KEXPECT_EQ(w.result, 0);
	KEXPECT_EQ(futex_waiters(mm, FX_BASE), 0);
	fx_done(mm, prev);
}

KTEST(futex_cmp_requeue)
{
	struct vm_space *prev;
	struct mm *mm = fx_mm(&prev);
	KASSERT(mm);
	KASSERT(put_user_u32(0, user_ptr(FX_BASE)) == 0);
	vaddr_t b = FX_BASE + 64;
	struct waiter_arg w1 = { mm, FX_BASE, 99 }, w2 = { mm, FX_BASE, 99 };
	struct task *t1, *t2;
	KASSERT(task_create("futex-w1", waiter_task, &w1, TASK_PRIO_DEFAULT, &t1) == 0);
	KASSERT(task_create("futex-w2", waiter_task, &w2, TASK_PRIO_DEFAULT, &t2) == 0);
	KEXPECT(wait_for_waiters(mm, FX_BASE, 2));
	/* The compare fails: nothing moves. */
	KEXPECT_EQ(futex_op(mm, FX_BASE, FUTEX_CMP_REQUEUE_PRIVATE, 1, NONE, b, 1, 5), -EAGAIN);
	/* Wake one, move the other to b. */
	KEXPECT_EQ(futex_op(mm, FX_BASE, FUTEX_CMP_REQUEUE_PRIVATE, 1, NONE, b, 1, 0), 2);
	KEXPECT_EQ(futex_waiters(mm, FX_BASE), 0);
	KEXPECT_EQ(futex_waiters(mm, b), 1);
	KEXPECT_EQ(futex_op(mm, b, FUTEX_WAKE_PRIVATE, 5, NONE, 0, 0, 0), 1);
	KEXPECT_EQ(task_join_timeout(t1, NSEC_PER_SEC, NULL), 0);
	KEXPECT_EQ(task_join_timeout(t2, NSEC_PER_SEC, NULL), 0);
	KEXPECT_EQ(w1.result, 0);
	KEXPECT_EQ(w2.result, 0);
	fx_done(mm, prev);
}
