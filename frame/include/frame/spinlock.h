/*
 * Spin locks: busy-waiting mutual exclusion for short critical sections,
 * usable from interrupt handlers. Written for several CPUs (an atomic lock
 * word); on one CPU they keep the holder from being preempted.
 *
 * Rules:
 * - spin_lock() disables preemption until spin_unlock(); never sleep (block,
 *   mutex_lock, wait_event, sched_sleep_ns) while holding a spin lock.
 * - A lock also taken by an interrupt handler must be taken with
 *   spin_lock_irqsave() everywhere else, or the handler can spin forever on
 *   a lock its own CPU holds.
 * - Taking a lock this CPU already holds is a bug: it panics with the lock's
 *   name instead of hanging.
 *
 *   static spinlock_t lock = SPINLOCK_INIT("dev");
 *   unsigned long flags = spin_lock_irqsave(&lock);
 *   ...
 *   spin_unlock_irqrestore(&lock, flags);
 */
#ifndef FRAME_SPINLOCK_H
#define FRAME_SPINLOCK_H

#include <frame/types.h>

typedef struct spinlock {
	/* Private to the frame. */
	uint32_t locked;	/* 0 free, 1 held; changed atomically only */
	uint32_t owner_cpu;	/* holder's cpu_id() + 1, for recursion checks */
	const char *name;	/* shown in panics */
} spinlock_t;

#define SPINLOCK_INIT(lock_name) { 0, 0, (lock_name) }

/* Initialise an unlocked lock; @name (kept by the caller) appears in panics. */
void spin_lock_init(spinlock_t *lock, const char *name);

/* Acquire, spinning while another CPU holds it; preemption is off until unlock. */
void spin_lock(spinlock_t *lock);
/* Release a lock taken by spin_lock()/spin_trylock(); may preempt afterwards. */
void spin_unlock(spinlock_t *lock);
/* Acquire if free: true (held, as after spin_lock()) or false (nothing changed). */
bool spin_trylock(spinlock_t *lock);

/*
 * Disable interrupts on this CPU, then acquire. Returns the previous
 * interrupt state to hand to spin_unlock_irqrestore().
 */
unsigned long spin_lock_irqsave(spinlock_t *lock);
/* Release, then put the interrupt state back to @flags. */
void spin_unlock_irqrestore(spinlock_t *lock, unsigned long flags);

/* True while some CPU holds @lock (for assertions only: it may change at once). */
bool spin_is_locked(const spinlock_t *lock);

#endif
