/*
 * Wait queues: a task sleeps until a condition holds and another task or an
 * interrupt handler wakes the queue; with or without a timeout. Completions
 * (one-shot or counted events) are built on them.
 *
 *   static struct wait_queue data_wq;     (all zero is a valid, empty queue)
 *   static bool data_ready;
 *
 *   consumer:  int err = wait_event_timeout(&data_wq, data_ready, 10 * NSEC_PER_MSEC);
 *   producer:  data_ready = true; wait_wake_all(&data_wq);
 *
 * The condition is evaluated by the sleeping task each time it is woken (and
 * once first); it must not sleep. Wakers must make the condition true before
 * waking, and the condition must read shared data the way its writers write
 * it (under a lock, or with __atomic builtins). Waits are not interruptible
 * by signals yet.
 */
#ifndef FRAME_WAIT_H
#define FRAME_WAIT_H

#include <frame/errno.h>
#include <frame/spinlock.h>
#include <frame/timer.h>
#include <frame/types.h>

struct task;

struct wait_entry;

/*
 * A wake callback (see "Wake callbacks" below): run for each wake of the
 * queue with the waker's @key; true if it counts as a waiter woken.
 */
typedef bool (*wait_wake_fn)(struct wait_entry *w, uint32_t key);

/*
 * One waiter on a queue: a sleeping task (on that task's stack), or a wake
 * callback (in its owner's object). Fields other than @arg are private to
 * the frame.
 */
struct wait_entry {
	struct wait_entry *next, *prev;
	struct task *task;
	bool queued;
	bool exclusive;
	struct timer timer;
	wait_wake_fn fn;
	struct wait_queue *on;	/* a callback entry's queue, NULL once removed */
	void *arg;		/* the callback owner's, untouched by the frame */
};

/* FIFO of sleepers. The caller owns it; it must be empty when freed. */
struct wait_queue {
	/* Private to the frame. */
	spinlock_t lock;
	struct wait_entry *head, *tail;
};

/* Make @wq empty (same as zero-filling it). */
void wait_queue_init(struct wait_queue *wq);

/*
 * Wake the longest-waiting sleeper that is still asleep / every sleeper,
 * and run every callback entry (below). Each woken task re-checks its
 * condition. Return how many tasks were woken plus how many callbacks
 * returned true. Safe from interrupt handlers and timer callbacks.
 */
size_t wait_wake_one(struct wait_queue *wq);
size_t wait_wake_all(struct wait_queue *wq);

/*
 * The same with a key for the callbacks: a 32-bit value the frame passes on
 * without reading it (the services pass the POLL* events that may have
 * become true; 0 means "anything may have changed", what the unkeyed calls
 * pass). Sleeping tasks are woken whatever the key.
 */
size_t wait_wake_one_key(struct wait_queue *wq, uint32_t key);
size_t wait_wake_all_key(struct wait_queue *wq, uint32_t key);

/*
 * Wake callbacks: an entry that runs a function at each wake of a queue
 * instead of waking a task (what epoll builds its ready list with). It
 * stays on the queue across wakes until wait_remove_callback() or
 * wait_queue_release().
 *
 * wait_add_callback() queues @w (zero-filled, or removed before) on @wq with
 * @fn; @w->arg is the caller's to set before or after. An @exclusive entry
 * is one of several alternatives: a wake runs exclusive callbacks in queue
 * order only until one of them returns true (non-exclusive ones always
 * run).
 *
 * The callback runs with @wq's lock held and interrupts off, possibly in an
 * interrupt handler, on whatever CPU woke the queue. It must:
 *   - not sleep (no mutexes, no waits, no allocation that may sleep);
 *   - not add, remove or wake entries of @wq itself, nor call
 *     wait_remove_callback() or wait_queue_release() on any queue;
 *   - take only irq-saving spin locks, and wake only other queues, such that
 *     no chain of callbacks ever comes back to @wq (lock order: a queue's
 *     lock, then what its callbacks take);
 *   - expect @key WAIT_KEY_RELEASE from wait_queue_release(): the entry is
 *     already off the queue and the queue is going away.
 *
 * wait_remove_callback() takes @w off its queue if it is still on one; when
 * it returns the callback is not running and never runs again, so @w may be
 * freed. It never sleeps; never call it from a callback.
 *
 * wait_queue_release(): for a queue that may be freed while other objects'
 * callback entries are on it (their owners cannot know when it goes): takes
 * each callback entry off and runs it once with WAIT_KEY_RELEASE. Afterwards
 * the queue has no callback entries and may be freed once its sleepers are
 * gone.
 */
#define WAIT_KEY_RELEASE (1u << 31)
void wait_add_callback(struct wait_queue *wq, struct wait_entry *w, wait_wake_fn fn, bool exclusive);
void wait_remove_callback(struct wait_entry *w);
void wait_queue_release(struct wait_queue *wq);

/* True if some task waits on @wq (a hint: it may change at once). */
bool wait_queue_active(struct wait_queue *wq);

/*
 * Steps behind wait_event(), for waits the macros do not fit:
 * wait_prepare() queues the caller's @w (once) and marks the caller as going
 * to sleep; wait_sleep() sleeps until woken or @deadline_ns (0: no deadline)
 * and returns 0 or -ETIMEDOUT; wait_finish() marks the caller running again
 * and takes @w off the queue. @w must start zero-filled and stay on the
 * caller's stack (or in its object) until wait_finish(). The condition is checked between prepare and
 * sleep, so a wake-up in that window is never lost.
 */
void wait_prepare(struct wait_queue *wq, struct wait_entry *w);
int wait_sleep(struct wait_entry *w, uint64_t deadline_ns);
void wait_finish(struct wait_queue *wq, struct wait_entry *w);
/* clock_monotonic_ns() + @timeout_ns, saturating (a huge timeout never wraps). */
uint64_t wait_deadline_after(uint64_t timeout_ns);

/* Sleep on @wq until @cond is true. */
#define wait_event(wq, cond) \
	do { \
		struct wait_entry wait_event_w_ = { .task = NULL }; \
		for (;;) { \
			wait_prepare((wq), &wait_event_w_); \
			if (cond) \
				break; \
			wait_sleep(&wait_event_w_, 0); \
		} \
		wait_finish((wq), &wait_event_w_); \
	} while (0)

/*
 * Sleep on @wq until @cond is true or @timeout_ns nanoseconds passed.
 * Evaluates to 0 if @cond became true (checked once more at the deadline),
 * -ETIMEDOUT if it is still false.
 */
#define wait_event_timeout(wq, cond, timeout_ns) \
	({ \
		struct wait_entry wait_event_w_ = { .task = NULL }; \
		uint64_t wait_event_deadline_ = wait_deadline_after(timeout_ns); \
		int wait_event_ret_; \
		for (;;) { \
			wait_prepare((wq), &wait_event_w_); \
			if (cond) { \
				wait_event_ret_ = 0; \
				break; \
			} \
			if (wait_sleep(&wait_event_w_, wait_event_deadline_) == -ETIMEDOUT) { \
				wait_event_ret_ = (cond) ? 0 : -ETIMEDOUT; \
				break; \
			} \
		} \
		wait_finish((wq), &wait_event_w_); \
		wait_event_ret_; \
	})

#endif
