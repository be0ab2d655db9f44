/* Interruptible sleeping for system calls: a wait ends early when a signal is pending. */
#ifndef KERNEL_KWAIT_H
#define KERNEL_KWAIT_H

#include <abi/errno.h>
#include <frame/wait.h>
#include <kernel/proc.h>
#include <kernel/signal.h>

/*
 * Sleep on @wq until @cond holds (0) or a signal is pending for the current
 * thread (-ERESTARTSYS: the signal code turns it into EINTR or a restart).
 * Signal senders wake the thread with task_wake(), which ends the sleep.
 */
#define wait_event_interruptible(wq, cond) \
	({ \
		struct wait_entry kwait_w_ = { .task = NULL }; \
		int kwait_ret_ = 0; \
		for (;;) { \
			wait_prepare((wq), &kwait_w_); \
			if (cond) \
				break; \
			if (signal_pending(thread_current())) { \
				kwait_ret_ = -ERESTARTSYS; \
				break; \
			} \
			wait_sleep(&kwait_w_, 0); \
		} \
		wait_finish((wq), &kwait_w_); \
		kwait_ret_; \
	})

/* The same with a deadline on the monotonic clock (0: none): -ETIMEDOUT when it passes. */
#define wait_event_interruptible_until(wq, cond, deadline_ns) \
	({ \
		struct wait_entry kwait_w_ = { .task = NULL }; \
		int kwait_ret_ = 0; \
		for (;;) { \
			wait_prepare((wq), &kwait_w_); \
			if (cond) \
				break; \
			if (signal_pending(thread_current())) { \
				kwait_ret_ = -ERESTARTSYS; \
				break; \
			} \
			if (wait_sleep(&kwait_w_, (deadline_ns)) == -ETIMEDOUT) { \
				kwait_ret_ = (cond) ? 0 : -ETIMEDOUT; \
				break; \
			} \
		} \
		wait_finish((wq), &kwait_w_); \
		kwait_ret_; \
	})

#endif
