/* Hosted frame wait queues: one thread, so a sleep ends at once if something woke it before, at its deadline, or never (a panic). */
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

static size_t wake(struct wait_queue *wq, bool all)
{
	size_t woken = 0;
	while (wq->head) {
		entry_remove(wq, wq->head);
		woken++;
		if (!all)
			break;
	}
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
	return wq->head != NULL;
}
