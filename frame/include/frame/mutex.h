/*
 * Sleeping locks for task context: mutexes (one owner, FIFO hand-off, so no
 * waiter starves); counting semaphores are the kernel's, over wait queues
 * (kernel/semaphore.h). Waiters sleep instead of
 * spinning, so these may be held across anything that sleeps, but they must
 * never be taken from interrupt handlers or timer callbacks, nor while a
 * spin lock is held.
 *
 *   static struct mutex lock = MUTEX_INIT("table");
 *   mutex_lock(&lock);
 *   ...
 *   mutex_unlock(&lock);
 */
#ifndef FRAME_MUTEX_H
#define FRAME_MUTEX_H

#include <frame/spinlock.h>
#include <frame/types.h>
#include <frame/wait.h>

struct task;
struct mutex_waiter;

struct mutex {
	/* Private to the frame. */
	spinlock_t lock;
	struct task *owner;
	struct mutex_waiter *head, *tail;
};

#define MUTEX_INIT(lock_name) { SPINLOCK_INIT(lock_name), NULL, NULL, NULL }

/* Initialise an unlocked mutex; @name (kept by the caller) appears in panics. */
void mutex_init(struct mutex *m, const char *name);

/* Acquire, sleeping while another task owns it. Re-locking a mutex the caller owns panics. */
void mutex_lock(struct mutex *m);
/* Acquire, sleeping at most @timeout_ns: 0, or -ETIMEDOUT (not acquired). */
int mutex_lock_timeout(struct mutex *m, uint64_t timeout_ns);
/* Acquire if free, without sleeping. */
bool mutex_trylock(struct mutex *m);
/*
 * Release; the longest waiter becomes the owner. Only the owner may unlock
 * (anyone else panics).
 */
void mutex_unlock(struct mutex *m);
/* True if the caller owns @m. */
bool mutex_held_by_me(const struct mutex *m);

#endif
