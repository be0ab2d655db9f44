/* Sleeping mutexes (frame/mutex.h): FIFO waiters, ownership handed straight to the longest waiter. */
#include <frame/clock.h>
#include <frame/errno.h>
#include <frame/mutex.h>
#include <frame/panic.h>
#include <frame/task.h>
#include <frame/timer.h>
#include <task/task_internal.h>

/* One blocked locker; lives on its stack while queued. */
struct mutex_waiter {
	struct mutex_waiter *next;
	struct task *task;
	bool granted; /* set by the unlocker under m->lock: the mutex is ours */
};

void mutex_init(struct mutex *m, const char *name)
{
	spin_lock_init(&m->lock, name);
	m->owner = NULL;
	m->head = m->tail = NULL;
}

static const char *mutex_name(const struct mutex *m)
{
	return m->lock.name ? m->lock.name : "?";
}

static void waiter_remove(struct mutex *m, struct mutex_waiter *w)
{
	struct mutex_waiter *prev = NULL;
	for (struct mutex_waiter *it = m->head; it; prev = it, it = it->next) {
		if (it != w)
			continue;
		if (prev)
			prev->next = w->next;
		else
			m->head = w->next;
		if (m->tail == w)
			m->tail = prev;
		return;
	}
}

static void mutex_timeout(void *arg)
{
	task_wake(arg);
}

/* Acquire; @deadline_ns 0 means wait forever. 0 or -ETIMEDOUT. */
static int mutex_acquire(struct mutex *m, uint64_t deadline_ns)
{
	struct task *me = task_current();
	unsigned long f = spin_lock_irqsave(&m->lock);
	if (!m->owner) {
		m->owner = me;
		spin_unlock_irqrestore(&m->lock, f);
		return 0;
	}
	if (m->owner == me)
		panic("mutex %s: locked again by its owner %s", mutex_name(m), task_name(me));
	if (deadline_ns && clock_monotonic_ns() >= deadline_ns) {
		spin_unlock_irqrestore(&m->lock, f);
		return -ETIMEDOUT;
	}

	struct mutex_waiter w = { NULL, me, false };
	if (m->tail)
		m->tail->next = &w;
	else
		m->head = &w;
	m->tail = &w;
	struct timer t;
	if (deadline_ns) {
		timer_init(&t, mutex_timeout, me);
		timer_arm(&t, deadline_ns);
	}
	int ret = 0;
	for (;;) {
		/* Marked before the lock drops: an unlock in between wakes us for sure. */
		sched_set_current_blocked();
		spin_unlock_irqrestore(&m->lock, f);
		sched_schedule();
		f = spin_lock_irqsave(&m->lock);
		if (w.granted)
			break;
		if (deadline_ns && clock_monotonic_ns() >= deadline_ns) {
			waiter_remove(m, &w);
			ret = -ETIMEDOUT;
			break;
		}
	}
	sched_set_current_running();
	spin_unlock_irqrestore(&m->lock, f);
	if (deadline_ns)
		timer_cancel(&t);
	return ret;
}

void mutex_lock(struct mutex *m)
{
	mutex_acquire(m, 0);
}

int mutex_lock_timeout(struct mutex *m, uint64_t timeout_ns)
{
	return mutex_acquire(m, wait_deadline_after(timeout_ns));
}

bool mutex_trylock(struct mutex *m)
{
	unsigned long f = spin_lock_irqsave(&m->lock);
	bool ok = m->owner == NULL;
	if (ok)
		m->owner = task_current();
	spin_unlock_irqrestore(&m->lock, f);
	return ok;
}

void mutex_unlock(struct mutex *m)
{
	struct task *me = task_current();
	unsigned long f = spin_lock_irqsave(&m->lock);
	if (m->owner != me)
		panic("mutex %s: unlocked by %s, owner is %s", mutex_name(m), task_name(me),
		      m->owner ? task_name(m->owner) : "nobody");
	struct mutex_waiter *w = m->head;
	if (w) {
		m->head = w->next;
		if (!m->head)
			m->tail = NULL;
		/* Hand-off: no newcomer can barge in between, so waiters are served in order. */
		m->owner = w->task;
		w->granted = true;
		task_wake(w->task);
	} else {
		m->owner = NULL;
	}
	spin_unlock_irqrestore(&m->lock, f);
}

bool mutex_held_by_me(const struct mutex *m)
{
	return __atomic_load_n(&m->owner, __ATOMIC_RELAXED) == task_current();
}
