/* Completions (kernel/completion.h): a counted event on a frame wait queue; "all" opens it for good. */
#include <frame/spinlock.h>
#include <frame/wait.h>
#include <kernel/completion.h>

/* done == COMPLETION_ALL: every wait passes without consuming. */
#define COMPLETION_ALL UINT32_MAX

void completion_init(struct completion *c)
{
	wait_queue_init(&c->wq);
	c->done = 0;
}

bool completion_try_wait(struct completion *c)
{
	unsigned long f = spin_lock_irqsave(&c->wq.lock);
	bool ok = c->done != 0;
	if (ok && c->done != COMPLETION_ALL)
		c->done--;
	spin_unlock_irqrestore(&c->wq.lock, f);
	return ok;
}

void completion_signal(struct completion *c)
{
	unsigned long f = spin_lock_irqsave(&c->wq.lock);
	if (c->done < COMPLETION_ALL - 1)
		c->done++;
	spin_unlock_irqrestore(&c->wq.lock, f);
	wait_wake_one(&c->wq);
}

void completion_signal_all(struct completion *c)
{
	unsigned long f = spin_lock_irqsave(&c->wq.lock);
	c->done = COMPLETION_ALL;
	spin_unlock_irqrestore(&c->wq.lock, f);
	wait_wake_all(&c->wq);
}

void completion_wait(struct completion *c)
{
	wait_event(&c->wq, completion_try_wait(c));
}

int completion_wait_timeout(struct completion *c, uint64_t timeout_ns)
{
	return wait_event_timeout(&c->wq, completion_try_wait(c), timeout_ns);
}
