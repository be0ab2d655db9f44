/* Counting semaphores for task context, built on the frame's wait queues (kernel/lib/semaphore.c). */
#ifndef KERNEL_SEMAPHORE_H
#define KERNEL_SEMAPHORE_H

#include <frame/spinlock.h>
#include <frame/types.h>
#include <frame/wait.h>

/* Like a mutex, never taken from interrupt handlers (only semaphore_up() may be). */
struct semaphore {
	/* Private to kernel/lib/semaphore.c. */
	spinlock_t lock;
	int64_t count;
	struct wait_queue wq;
};

/* Initialise with @count units available. */
void semaphore_init(struct semaphore *s, const char *name, int64_t count);
/* Take a unit, sleeping until one is available. */
void semaphore_down(struct semaphore *s);
/* Same with a limit: 0, or -ETIMEDOUT (nothing taken). */
int semaphore_down_timeout(struct semaphore *s, uint64_t timeout_ns);
/* Take a unit if one is available, without sleeping. */
bool semaphore_try_down(struct semaphore *s);
/* Return a unit and wake a waiter. Safe from interrupt handlers. */
void semaphore_up(struct semaphore *s);

#endif
