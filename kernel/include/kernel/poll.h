/*
 * Waiting on many files at once (poll, select, blocking pipe/FIFO calls):
 * file poll ops, the poll table they register wait queues in, and the
 * hooks that tie sleeping to the process layer's signals.
 *
 * A file's poll op returns its current POLL* mask and calls poll_wait()
 * for each wait queue that will be woken when the mask may change. The
 * poller's loop (poll_loop) scans every file with a table, scans once more
 * without one (so a wake-up between two registrations is never lost:
 * wakers make their condition true before waking), then sleeps until a
 * queue, a signal or the deadline wakes it. Wakers must use
 * wait_wake_all(): a poller woken by wake_one might not consume the event.
 */
#ifndef KERNEL_POLL_H
#define KERNEL_POLL_H

#include <abi/errno.h>
#include <abi/poll.h>
#include <frame/types.h>
#include <frame/wait.h>

struct file;

/* Entries per chunk of poll_loop's table (chunks never move, so queued wait entries stay valid). */
#define POLL_CHUNK_ENTRIES 16

/*
 * What a file's poll op registers its wait queues with: poll_loop's table
 * (entries that wake the polling task, gone when the call ends) or epoll's
 * (wake callbacks that last as long as the epoll entry: the queue must
 * stay valid until the file's last reference goes, or be released with
 * wait_queue_release() before it is freed).
 */
struct poll_table {
	void (*queue)(struct poll_table *pt, struct file *f, struct wait_queue *wq);
};

/* A file's poll op: register @wq (woken when @f's mask may change) with @pt (NULL: nothing). */
void poll_wait(struct file *f, struct wait_queue *wq, struct poll_table *pt);

/* @f's mask (its poll op, or POLLIN|POLLOUT|POLLRDNORM|POLLWRNORM without one). */
unsigned file_poll(struct file *f, struct poll_table *pt);

/*
 * One scan over the caller's files: the count of ready ones (> 0 ends the
 * wait), 0, or a negative errno. Registers with @pt when it is not NULL.
 */
typedef int (*poll_scan_fn)(void *ctx, struct poll_table *pt);

/*
 * Scan until something is ready, a signal is pending (-EINTR: the caller
 * turns it into -ERESTARTNOHAND or what its call needs), @deadline_ns on
 * the monotonic clock passes (0 returned), or at once when @no_wait.
 * @deadline_ns 0: no deadline.
 */
int poll_loop(poll_scan_fn scan, void *ctx, uint64_t deadline_ns, bool no_wait);

/*
 * What the file layer needs from the process layer; installed by the
 * system-call layer (poll_set_task_hooks), defaults for host tests: no
 * signals ever pending, SIGPIPE dropped.
 */
struct poll_task_hooks {
	/* The current thread has a signal that ends interruptible sleeps. */
	bool (*signal_pending)(void);
	/* A write to a pipe without readers: send SIGPIPE to the current thread. */
	void (*raise_sigpipe)(void);
	/* The caller may exceed the pipe size limit (CAP_SYS_RESOURCE: root). */
	bool (*capable_resource)(void);
};

void poll_set_task_hooks(const struct poll_task_hooks *hooks);
bool poll_signal_pending(void);
void poll_raise_sigpipe(void);
bool poll_capable_resource(void);

/*
 * Sleep on @wq until @cond holds (0), a signal is pending (-ERESTARTSYS),
 * or, for a non-zero @deadline_ns, the deadline passes (-ETIMEDOUT). The
 * hook-based twin of kwait.h's wait_event_interruptible, for file code that
 * also runs in host tests.
 */
#define poll_wait_event(wq, cond, deadline_ns) \
	({ \
		struct wait_entry pwe_w_ = { .task = NULL }; \
		int pwe_ret_ = 0; \
		for (;;) { \
			wait_prepare((wq), &pwe_w_); \
			if (cond) \
				break; \
			if (poll_signal_pending()) { \
				pwe_ret_ = -ERESTARTSYS; \
				break; \
			} \
			if (wait_sleep(&pwe_w_, (deadline_ns)) == -ETIMEDOUT) { \
				pwe_ret_ = (cond) ? 0 : -ETIMEDOUT; \
				break; \
			} \
		} \
		wait_finish((wq), &pwe_w_); \
		pwe_ret_; \
	})

#endif
