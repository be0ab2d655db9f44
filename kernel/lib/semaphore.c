/* Counting semaphores (kernel/semaphore.h) on a frame wait queue: down waits for a unit, up returns one. */
#include <frame/spinlock.h>
#include <frame/wait.h>
#include <kernel/semaphore.h>

void semaphore_init(struct semaphore *s, const char *name, int64_t count)
{
	spin_lock_init(&s->lock, name);
	s->count = count;
	wait_queue_init(&s->wq);
}

bool semaphore_try_down(struct semaphore *s)
{
	unsigned long f = spin_lock_irqsave(&s->lock);
	bool ok = s->count > 0;
	if (ok)
		s->count--;
	spin_unlock_irqrestore(&s->lock, f);
	return ok;
}

void semaphore_down(struct semaphore *s)
{
	wait_event(&s->wq, semaphore_try_down(s));
}

int semaphore_down_timeout(struct semaphore *s, uint64_t timeout_ns)
{
	return wait_event_timeout(&s->wq, semaphore_try_down(s), timeout_ns);
}

void semaphore_up(struct semaphore *s)
{
	unsigned long f = spin_lock_irqsave(&s->lock);
	s->count++;
	spin_unlock_irqrestore(&s->lock, f);
	wait_wake_one(&s->wq);
}
