/* The futex system call: decodes the timeout for the wait operations and calls futex_op(). */
#include <abi/errno.h>
#include <abi/futex.h>
#include <abi/time.h>
#include <frame/clock.h>
#include <frame/wait.h>
#include <kernel/futex.h>
#include <kernel/ktime.h>
#include <kernel/proc.h>
#include "../syscall/syscall.h"

#define FUTEX_WAIT_REQUEUE_PI 11
#define FUTEX_LOCK_PI2 13

static bool cmd_has_timeout(int cmd)
{
	return cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET || cmd == FUTEX_LOCK_PI ||
	       cmd == FUTEX_WAIT_REQUEUE_PI || cmd == FUTEX_LOCK_PI2;
}

int64_t sys_futex(const struct syscall_args *a)
{
	vaddr_t uaddr = a->a[0];
	int op = (int)a->a[1];
	uint32_t val = (uint32_t)a->a[2];
	int cmd = op & FUTEX_CMD_MASK;
	if ((op & FUTEX_CLOCK_REALTIME) && cmd != FUTEX_WAIT_BITSET &&
	    cmd != FUTEX_WAIT_REQUEUE_PI && cmd != FUTEX_LOCK_PI2)
		return -ENOSYS;
	uint64_t deadline = UINT64_MAX;
	uint32_t val2 = (uint32_t)a->a[3];
	if (a->a[3] && cmd_has_timeout(cmd)) {
		struct timespec ts;
		int err = timespec_from_user(a->a[3], &ts);
		if (err)
			return err;
		uint64_t ns = timespec_to_ns(&ts);
		if (cmd == FUTEX_WAIT)
			deadline = wait_deadline_after(ns);
		else
			deadline = ktime_abs_to_monotonic((op & FUTEX_CLOCK_REALTIME) ? CLOCK_REALTIME
										: CLOCK_MONOTONIC, ns);
		if (deadline == UINT64_MAX)
			deadline--;
	}
	return futex_op(process_current()->mm, uaddr, op, val, deadline, a->a[4], val2,
			(uint32_t)a->a[5]);
}
