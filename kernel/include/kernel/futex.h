/* Futexes: sleeping on a user-memory word until another thread wakes it. */
#ifndef KERNEL_FUTEX_H
#define KERNEL_FUTEX_H

#include <frame/types.h>

struct mm;

/*
 * The operation behind futex(2), for the current thread in @mm: @op with
 * its flags, @val, @timeout_ns (relative, or absolute on the monotonic
 * clock if @abs; UINT64_MAX: none), @uaddr2, @val2 (requeue count) and
 * @val3. Returns what the system call returns.
 */
int64_t futex_op(struct mm *mm, vaddr_t uaddr, int op, uint32_t val, uint64_t deadline_ns,
		 vaddr_t uaddr2, uint32_t val2, uint32_t val3);

/* Wake up to @nr waiters on @uaddr of @mm (private, or shared if @shared): how many woke. */
int futex_wake(struct mm *mm, vaddr_t uaddr, bool shared, uint32_t nr, uint32_t bitset);

/* Waiters currently queued on @uaddr of @mm (tests). */
unsigned futex_waiters(struct mm *mm, vaddr_t uaddr);

/* Thread exit with CLONE_CHILD_CLEARTID: write 0 to the u32 at @uaddr and wake one waiter there. */
void futex_wake_cleartid(vaddr_t uaddr);

#endif
