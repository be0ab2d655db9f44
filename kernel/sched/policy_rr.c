/*
 * Cadre's scheduling policy: one FIFO run queue, each turn lasting
 * (priority + 1) ticks, so busy tasks share the CPU in proportion to their
 * priority plus one and none starves. A service on the frame's pluggable
 * policy interface (frame/sched.h), installed at boot by kernel_main().
 */
#include <frame/sched.h>
#include <frame/task.h>
#include <kernel/sched.h>

/* Circular list; the head is a sentinel. Only touched under the scheduler lock. */
static struct sched_entity rr_queue = { &rr_queue, &rr_queue, 0, 0, NULL };

static void rr_enqueue(struct task *t)
{
	struct sched_entity *se = task_sched_entity(t);
	/* A fresh turn every time: a task that blocked early does not bank time. */
	se->slice = task_priority(t) + 1;
	se->next = &rr_queue;
	se->prev = rr_queue.prev;
	rr_queue.prev->next = se;
	rr_queue.prev = se;
}

static void rr_dequeue(struct task *t)
{
	struct sched_entity *se = task_sched_entity(t);
	se->prev->next = se->next;
	se->next->prev = se->prev;
	se->next = se->prev = se;
}

static struct task *rr_pick_next(void)
{
	if (rr_queue.next == &rr_queue)
		return NULL;
	struct task *t = sched_entity_task(rr_queue.next);
	rr_dequeue(t);
	return t;
}

static bool rr_tick(struct task *curr)
{
	return --task_sched_entity(curr)->slice <= 0;
}

const struct sched_policy sched_weighted_rr_policy = {
	.name = "weighted-rr",
	.enqueue = rr_enqueue,
	.dequeue = rr_dequeue,
	.pick_next = rr_pick_next,
	.tick = rr_tick,
};
