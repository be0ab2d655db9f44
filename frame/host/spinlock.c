/* Hosted frame spin locks: one thread, so a lock only records its holder and catches recursion. */
#include <frame/panic.h>
#include <frame/spinlock.h>

void spin_lock_init(spinlock_t *lock, const char *name)
{
	lock->locked = 0;
	lock->owner_cpu = 0;
	lock->name = name;
}

void spin_lock(spinlock_t *lock)
{
	/* Nobody else could ever release it: spinning would hang the test. */
	if (lock->locked)
		panic("spin lock %s taken twice", lock->name ? lock->name : "?");
	lock->locked = 1;
	lock->owner_cpu = 1;
}

void spin_unlock(spinlock_t *lock)
{
	if (!lock->locked)
		panic("spin lock %s released while free", lock->name ? lock->name : "?");
	lock->locked = 0;
	lock->owner_cpu = 0;
}

bool spin_trylock(spinlock_t *lock)
{
	if (lock->locked)
		return false;
	spin_lock(lock);
	return true;
}

/* No interrupts in a process: the saved state is always "enabled". */
unsigned long spin_lock_irqsave(spinlock_t *lock)
{
	spin_lock(lock);
	return 1;
}

void spin_unlock_irqrestore(spinlock_t *lock, unsigned long flags)
{
	(void)flags;
	spin_unlock(lock);
}

bool spin_is_locked(const spinlock_t *lock)
{
	return lock->locked != 0;
}
