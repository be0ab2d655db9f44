/* Spin locks (frame/spinlock.h): an atomic word plus preemption and interrupt control. */
#include <frame/irq.h>
#include <frame/sched.h>
#include <frame/spinlock.h>
#include <sync/sync_internal.h>

void spin_lock_init(spinlock_t *lock, const char *name)
{
	lock->locked = 0;
	lock->owner_cpu = 0;
	lock->name = name;
}

void spin_lock(spinlock_t *lock)
{
	sched_preempt_disable();
	raw_spin_acquire(lock);
}

bool spin_trylock(spinlock_t *lock)
{
	sched_preempt_disable();
	if (raw_spin_try_acquire(lock))
		return true;
	sched_preempt_enable();
	return false;
}

void spin_unlock(spinlock_t *lock)
{
	raw_spin_release(lock);
	sched_preempt_enable();
}

unsigned long spin_lock_irqsave(spinlock_t *lock)
{
	unsigned long flags = irq_save();
	sched_preempt_disable();
	raw_spin_acquire(lock);
	return flags;
}

void spin_unlock_irqrestore(spinlock_t *lock, unsigned long flags)
{
	raw_spin_release(lock);
	/*
	 * Restore interrupts before the preemption point in enable, so a
	 * reschedule that became due inside the section happens now, with the
	 * caller's own interrupt state.
	 */
	irq_restore(flags);
	sched_preempt_enable();
}

bool spin_is_locked(const spinlock_t *lock)
{
	return __atomic_load_n(&lock->locked, __ATOMIC_RELAXED) != 0;
}
