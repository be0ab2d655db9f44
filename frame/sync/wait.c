/* Wait queues (frame/wait.h): FIFO of sleeping tasks and wake callbacks, woken one or all, with optional deadlines and keys. */
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
 * Task entries leave the queue when woken, so a second wake_one reaches the
 * next sleeper. An entry whose task is already awake (timed out, or woken by
 * task_wake) is dropped without counting: its task re-checks anyway.
 * Callback entries stay; exclusive ones run until one returns true.
 */
static size_t wake(struct wait_queue *wq, bool all, uint32_t key)
{
	size_t woken = 0;
	bool task_done = false, excl_done = false;
	unsigned long f = spin_lock_irqsave(&wq->lock);
	struct wait_entry *w = wq->head;
	while (w) {
		struct wait_entry *next = w->next;
		if (w->fn) {
			if (!(w->exclusive && excl_done) && w->fn(w, key)) {
				woken++;
				if (w->exclusive)
					excl_done = true;
			}
		} else if (!task_done) {
			entry_remove(wq, w);
			if (task_wake(w->task)) {
				woken++;
				task_done = !all;
			}
		}
		w = next;
	}
	spin_unlock_irqrestore(&wq->lock, f);
	return woken;
}

size_t wait_wake_one(struct wait_queue *wq)
{
	return wake(wq, false, 0);
}

size_t wait_wake_all(struct wait_queue *wq)
{
	return wake(wq, true, 0);
}

size_t wait_wake_one_key(struct wait_queue *wq, uint32_t key)
{
	return wake(wq, false, key);
}

size_t wait_wake_all_key(struct wait_queue *wq, uint32_t key)
{
	return wake(wq, true, key);
}

/*
 * Taken around every removal of a callback entry and every queue release,
 * outside the queues' locks: a remover reads @w->on and locks that queue
 * while no release can free it.
 */
static spinlock_t detach_lock = SPINLOCK_INIT("wait_detach");

void wait_add_callback(struct wait_queue *wq, struct wait_entry *w, wait_wake_fn fn, bool exclusive)
{
	unsigned long f = spin_lock_irqsave(&wq->lock);
	w->task = NULL;
	w->fn = fn;
	w->exclusive = exclusive;
	w->on = wq;
	entry_append(wq, w);
	spin_unlock_irqrestore(&wq->lock, f);
}

void wait_remove_callback(struct wait_entry *w)
{
	unsigned long f = spin_lock_irqsave(&detach_lock);
	struct wait_queue *wq = w->on;
	if (wq) {
		spin_lock(&wq->lock);
		if (w->queued)
			entry_remove(wq, w);
		w->on = NULL;
		spin_unlock(&wq->lock);
	}
	spin_unlock_irqrestore(&detach_lock, f);
}

void wait_queue_release(struct wait_queue *wq)
{
	unsigned long f = spin_lock_irqsave(&detach_lock);
	spin_lock(&wq->lock);
	struct wait_entry *w = wq->head;
	while (w) {
		struct wait_entry *next = w->next;
		if (w->fn) {
			entry_remove(wq, w);
			w->on = NULL;
			w->fn(w, WAIT_KEY_RELEASE);
		}
		w = next;
	}
	spin_unlock(&wq->lock);
	spin_unlock_irqrestore(&detach_lock, f);
}

bool wait_queue_active(struct wait_queue *wq)
{
	return __atomic_load_n(&wq->head, __ATOMIC_RELAXED) != NULL;
}
