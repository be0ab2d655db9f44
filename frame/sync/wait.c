/* Wait queues (frame/wait.h): FIFO of sleeping tasks, woken one or all, with optional deadlines. */
#include <frame/clock.h>
#include <frame/errno.h>
#include <frame/task.h>
#include <frame/timer.h>
#include <frame/wait.h>
#include <task/task_internal.h>

void wait_queue_init(struct wait_queue *wq)
{
	spin_lock_init(&wq->lock, "wait_queue");
	wq->head = wq->tail = NULL;
}

static void entry_append(struct wait_queue *wq, struct wait_entry *w)
{
	w->next = NULL;
	w->prev = wq->tail;
	if (wq->tail)
		wq->tail->next = w;
	else
		wq->head = w;
	wq->tail = w;
	w->queued = true;
}

static void entry_remove(struct wait_queue *wq, struct wait_entry *w)
{
	if (w->prev)
		w->prev->next = w->next;
	else
		wq->head = w->next;
	if (w->next)
		w->next->prev = w->prev;
	else
		wq->tail = w->prev;
	w->next = w->prev = NULL;
	w->queued = false;
}

uint64_t wait_deadline_after(uint64_t timeout_ns)
{
	uint64_t now = clock_monotonic_ns();
	return now + timeout_ns < now ? UINT64_MAX : now + timeout_ns;
}

void wait_prepare(struct wait_queue *wq, struct wait_entry *w)
{
	struct task *me = task_current();
	unsigned long f = spin_lock_irqsave(&wq->lock);
	/* Off the queue after a wake-up that did not satisfy the condition: queue again. */
	if (!w->queued) {
		w->task = me;
		entry_append(wq, w);
	}
	sched_set_current_blocked();
	spin_unlock_irqrestore(&wq->lock, f);
}

static void wait_timeout(void *arg)
{
	task_wake(arg);
}

int wait_sleep(struct wait_entry *w, uint64_t deadline_ns)
{
	if (deadline_ns) {
		if (clock_monotonic_ns() >= deadline_ns)
			return -ETIMEDOUT;
		timer_init(&w->timer, wait_timeout, w->task);
		timer_arm(&w->timer, deadline_ns);
	}
	sched_schedule();
	if (deadline_ns) {
		timer_cancel(&w->timer);
		if (clock_monotonic_ns() >= deadline_ns)
			return -ETIMEDOUT;
	}
	return 0;
}

void wait_finish(struct wait_queue *wq, struct wait_entry *w)
{
	sched_set_current_running();
	unsigned long f = spin_lock_irqsave(&wq->lock);
	if (w->queued)
		entry_remove(wq, w);
	spin_unlock_irqrestore(&wq->lock, f);
}

/*
 * Entries leave the queue when woken, so a second wake_one reaches the next
 * sleeper. An entry whose task is already awake (timed out, or woken by
 * task_wake) is dropped without counting: its task re-checks anyway.
 */
static size_t wake(struct wait_queue *wq, bool all)
{
	size_t woken = 0;
	unsigned long f = spin_lock_irqsave(&wq->lock);
	while (wq->head) {
		struct wait_entry *w = wq->head;
		entry_remove(wq, w);
		if (task_wake(w->task)) {
			woken++;
			if (!all)
				break;
		}
	}
	spin_unlock_irqrestore(&wq->lock, f);
	return woken;
}

size_t wait_wake_one(struct wait_queue *wq)
{
	return wake(wq, false);
}

size_t wait_wake_all(struct wait_queue *wq)
{
	return wake(wq, true);
}

bool wait_queue_active(struct wait_queue *wq)
{
	return __atomic_load_n(&wq->head, __ATOMIC_RELAXED) != NULL;
}
