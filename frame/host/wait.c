/* Hosted frame wait queues: one thread, so a sleep ends at once if something woke it before, at its deadline, or never (a panic); wake callbacks run as in the kernel. */
#include <time.h>

#include <frame/clock.h>
#include <frame/errno.h>
#include <frame/panic.h>
#include <frame/wait.h>

/*
 * Nothing runs while the only thread sleeps, so the only wake-ups a sleeper
 * can get are those made between wait_prepare() and wait_sleep() (by the
 * condition's side effects, or a hook the code under test calls). A wake
 * takes the entry off its queue, exactly as in the kernel; wait_sleep() reads
 * "off the queue" as "woken".
 */

void wait_queue_init(struct wait_queue *wq)
{
	spin_lock_init(&wq->lock, "wait_queue");
	wq->head = wq->tail = NULL;
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

void wait_prepare(struct wait_queue *wq, struct wait_entry *w)
{
	if (w->queued)
		return;
	w->next = NULL;
	w->prev = wq->tail;
	if (wq->tail)
		wq->tail->next = w;
	else
		wq->head = w;
	wq->tail = w;
	w->queued = true;
}

uint64_t wait_deadline_after(uint64_t timeout_ns)
{
	uint64_t now = clock_monotonic_ns();
	return now + timeout_ns < now ? UINT64_MAX : now + timeout_ns;
}

int wait_sleep(struct wait_entry *w, uint64_t deadline_ns)
{
	if (!w->queued)
		return 0;
	if (!deadline_ns)
		panic("hosted frame: a sleep without deadline that nothing can wake");
	uint64_t now = clock_monotonic_ns();
	if (now < deadline_ns) {
		uint64_t left = deadline_ns - now;
		struct timespec ts = { (time_t)(left / NSEC_PER_SEC), (long)(left % NSEC_PER_SEC) };
		while (nanosleep(&ts, &ts) != 0)
			;
	}
	return -ETIMEDOUT;
}

void wait_finish(struct wait_queue *wq, struct wait_entry *w)
{
	if (w->queued)
		entry_remove(wq, w);
}

/* As the kernel's: task entries leave when woken, callbacks stay, exclusive ones until one returns true. */
static size_t wake(struct wait_queue *wq, bool all, uint32_t key)
{
	size_t woken = 0;
	bool task_done = false, excl_done = false;
	spin_lock(&wq->lock);
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
			woken++;
			task_done = !all;
		}
		w = next;
	}
	spin_unlock(&wq->lock);
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

void wait_add_callback(struct wait_queue *wq, struct wait_entry *w, wait_wake_fn fn, bool exclusive)
{
	w->task = NULL;
	w->fn = fn;
	w->exclusive = exclusive;
	w->on = wq;
	wait_prepare(wq, w);
}

void wait_remove_callback(struct wait_entry *w)
{
	struct wait_queue *wq = w->on;
	if (wq && w->queued)
		entry_remove(wq, w);
	w->on = NULL;
}

void wait_queue_release(struct wait_queue *wq)
{
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
}

bool wait_queue_active(struct wait_queue *wq)
{
	return wq->head != NULL;
}
