/*
 * The frame's built-in policy: one FIFO run queue, a turn of one tick, no
 * weighting. It is what a kernel on the frame alone runs with (kit new) and
 * what runs until the services install theirs (Cadre's weighted round-robin,
 * kernel/sched/policy_rr.c); it only has to be simple and starve nothing.
 */
#include <frame/sched.h>
#include <frame/task.h>
#include <sched/sched_internal.h>

/* Circular list; the head is a sentinel. Only touched under the scheduler lock. */
static struct sched_entity fifo_queue = { &fifo_queue, &fifo_queue, 0, 0, NULL };

static void fifo_enqueue(struct task *t)
{
	struct sched_entity *se = task_sched_entity(t);
	se->next = &fifo_queue;
	se->prev = fifo_queue.prev;
	fifo_queue.prev->next = se;
	fifo_queue.prev = se;
}

static void fifo_dequeue(struct task *t)
{
	struct sched_entity *se = task_sched_entity(t);
	se->prev->next = se->next;
	se->next->prev = se->prev;
	se->next = se->prev = se;
}

static struct task *fifo_pick_next(void)
{
	if (fifo_queue.next == &fifo_queue)
		return NULL;
	struct task *t = sched_entity_task(fifo_queue.next);
	fifo_dequeue(t);
	return t;
}

static bool fifo_tick(struct task *curr)
{
	(void)curr;
	return true;
}

const struct sched_policy sched_fifo_policy = {
	.name = "fifo",
	.enqueue = fifo_enqueue,
	.dequeue = fifo_dequeue,
	.pick_next = fifo_pick_next,
	.tick = fifo_tick,
};
