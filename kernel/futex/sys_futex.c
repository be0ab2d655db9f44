/* The futex system call: decodes the timeout for the wait operations and calls futex_op(). */
#include <abi/errno.h>
#include <abi/futex.h>
#include <abi/time.h>
#include <frame/clock.h>
#include <frame/wait.h>
#include <kernel/futex.h>
#include <kernel/ktime.h>
#include <kernel/proc.h>
#include <frame/vm_io.h>
#include <kernel/syscalls.h>

#define FUTEX_WAIT_REQUEUE_PI 11
#define FUTEX_LOCK_PI2 13

static bool cmd_has_timeout(int cmd)
{
	return cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET || cmd == FUTEX_LOCK_PI ||
	       cmd == FUTEX_WAIT_REQUEUE_PI || cmd == FUTEX_LOCK_PI2;
}

int64_t sys_futex(vaddr_t uaddr, int op, uint32_t val, vaddr_t timeout, vaddr_t uaddr2, uint32_t val3)
{
	int cmd = op & FUTEX_CMD_MASK;
	if ((op & FUTEX_CLOCK_REALTIME) && cmd != FUTEX_WAIT_BITSET &&
	    cmd != FUTEX_WAIT_REQUEUE_PI && cmd != FUTEX_LOCK_PI2)
		return -ENOSYS;
	uint64_t deadline = UINT64_MAX;
	uint32_t val2 = (uint32_t)timeout;
	if (timeout && cmd_has_timeout(cmd)) {
		struct timespec ts;
		int err = timespec_from_user(user_ptr(timeout), &ts);
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
	return futex_op(process_current()->mm, uaddr, op, val, deadline, uaddr2, val2,
			val3);
}
