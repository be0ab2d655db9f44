/* Scheduler core (frame/sched.h): run states, the context switch, preemption points, the tick, policy replacement. */
#include <frame/clock.h>
#include <frame/errno.h>
#include <frame/irq.h>
#include <frame/panic.h>
#include <frame/sched.h>
#include <frame/vm_space.h>
#include <frame/timer.h>
#include <sched/sched_internal.h>
#include <sync/sync_internal.h>
#include <task/task_internal.h>

/*
 * One lock for all run state (task states, the policy's set, the dead list).
 * Always taken with interrupts off, and held across a context switch: the
 * task switched to releases it (sched_finish_switch), so no other CPU ever
 * sees a half-switched task. A per-CPU run queue lock can replace it for SMP.
 */
static spinlock_t sched_lock = SPINLOCK_INIT("sched");
static const struct sched_policy *policy = &sched_fifo_policy;
/* Tasks that exited and left their CPU; their stacks wait for task_reap(). */
static struct task *dead_list;
static bool running;
static struct timer tick_timer;
static uint64_t tick_deadline;

bool sched_is_running(void)
{
	return running;
}

unsigned long sched_lock_irqsave(void)
{
	unsigned long f = irq_save();
	raw_spin_acquire(&sched_lock);
	return f;
}

void sched_unlock_irqrestore(unsigned long flags)
{
	raw_spin_release(&sched_lock);
	irq_restore(flags);
}

static void enqueue_locked(struct task *t)
{
	if (t->queued || t->is_idle)
		return;
	t->queued = true;
	policy->enqueue(t);
}

static struct task *pick_next_locked(void)
{
	struct task *t = policy->pick_next();
	if (t)
		t->queued = false;
	return t;
}

/* Something became runnable: an idle CPU should go and run it. */
static void note_runnable_locked(void)
{
	struct cpu_local *c = this_cpu();
	if (c->current == c->idle)
		c->need_resched = true;
}

void sched_requeue_locked(struct task *t)
{
	if (!t->queued)
		return;
	policy->dequeue(t);
	policy->enqueue(t);
}

/*
 * Pick and switch to the next task; interrupts are off. @preempt: the caller
 * is being preempted rather than giving up the CPU, so it stays in the run
 * set even if it was on its way to sleep (it then goes to sleep when it runs
 * again and calls here itself), else a wake-up arriving later would be lost.
 */
static void schedule_irqs_off(bool preempt)
{
	struct cpu_local *c = this_cpu();
	if (!running)
		return;
	if (c->preempt_count != 0)
		panic("sched: %s would sleep with preemption disabled (count %d)",
		      c->current->name, c->preempt_count);
	raw_spin_acquire(&sched_lock);
	struct task *prev = c->current;
	c->need_resched = false;
	if (prev->state == TASK_RUNNABLE || (preempt && prev->state == TASK_BLOCKED))
		enqueue_locked(prev);
	struct task *next = pick_next_locked();
	if (!next)
		next = c->idle;
	if (next == prev) {
		raw_spin_release(&sched_lock);
		return;
	}
	next->on_cpu = true;
	c->current = next;
	c->switched_from = prev;
	c->switches++;
	uint64_t top = next->stack.slot >= 0 ? (uint64_t)next->stack.base + next->stack.size : 0;
	if (next->space && next->space != vm_space_current())
		vm_space_activate(next->space);
	arch_task_switch(&prev->ctx, &next->ctx, top);
	/* Running as prev again, switched back to by some later switch. */
	sched_finish_switch();
}

void sched_finish_switch(void)
{
	struct cpu_local *c = this_cpu();
	struct task *prev = c->switched_from;
	c->switched_from = NULL;
	prev->on_cpu = false;
	if (prev->state == TASK_DEAD) {
		prev->dead_next = dead_list;
		dead_list = prev;
	}
	raw_spin_release(&sched_lock);
}

void sched_schedule(void)
{
	unsigned long f = irq_save();
	schedule_irqs_off(false);
	irq_restore(f);
}

void sched_yield(void)
{
	sched_schedule();
}

void sched_irq_exit(bool interrupted_irqs_on)
{
	struct cpu_local *c = this_cpu();
	if (c->need_resched && interrupted_irqs_on && c->preempt_count == 0)
		schedule_irqs_off(true);
}

void sched_preempt_disable(void)
{
	this_cpu()->preempt_count++;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

void sched_preempt_enable(void)
{
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	struct cpu_local *c = this_cpu();
	if (--c->preempt_count < 0)
		panic("sched: preemption enabled more often than disabled");
	/* A reschedule that came due while preemption was off happens here. */
	if (c->preempt_count == 0 && c->need_resched && irq_enabled()) {
		unsigned long f = irq_save();
		schedule_irqs_off(true);
		irq_restore(f);
	}
}

bool sched_preemptible(void)
{
	return this_cpu()->preempt_count == 0 && irq_enabled();
}

uint64_t sched_switch_count(void)
{
	return __atomic_load_n(&this_cpu()->switches, __ATOMIC_RELAXED);
}

uint64_t sched_idle_ticks(void)
{
	return __atomic_load_n(&this_cpu()->idle_ticks, __ATOMIC_RELAXED);
}

void sched_set_current_blocked(void)
{
	unsigned long f = sched_lock_irqsave();
	this_cpu()->current->state = TASK_BLOCKED;
	sched_unlock_irqrestore(f);
}

void sched_set_current_running(void)
{
	unsigned long f = sched_lock_irqsave();
	this_cpu()->current->state = TASK_RUNNABLE;
	sched_unlock_irqrestore(f);
}

bool task_wake(struct task *t)
{
	unsigned long f = sched_lock_irqsave();
	bool was_blocked = t->state == TASK_BLOCKED;
	if (was_blocked) {
		t->state = TASK_RUNNABLE;
		/* A task still on its CPU (about to sleep) just keeps running. */
		if (!t->on_cpu && !t->queued) {
			enqueue_locked(t);
			note_runnable_locked();
		}
	}
	sched_unlock_irqrestore(f);
	return was_blocked;
}

void sched_start_task(struct task *t)
{
	unsigned long f = sched_lock_irqsave();
	t->state = TASK_RUNNABLE;
	enqueue_locked(t);
	note_runnable_locked();
	sched_unlock_irqrestore(f);
}

_Noreturn void sched_exit_current(void)
{
	irq_disable();
	struct cpu_local *c = this_cpu();
	raw_spin_acquire(&sched_lock);
	c->current->state = TASK_DEAD;
	raw_spin_release(&sched_lock);
	schedule_irqs_off(false);
	panic("sched: dead task %s ran again", c->current->name);
}

struct task *sched_take_dead(void)
{
	unsigned long f = sched_lock_irqsave();
	struct task *list = dead_list;
	dead_list = NULL;
	sched_unlock_irqrestore(f);
	return list;
}

/* Timer callback, interrupts off: charge the tick and ask the policy whether to preempt. */
static void sched_tick(void *arg)
{
	(void)arg;
	uint64_t now = clock_monotonic_ns();
	tick_deadline += CLOCK_TICK_NS;
	if (tick_deadline <= now)
		tick_deadline = now + CLOCK_TICK_NS;
	timer_arm(&tick_timer, tick_deadline);

	struct cpu_local *c = this_cpu();
	raw_spin_acquire(&sched_lock);
	struct task *cur = c->current;
	if (cur == c->idle) {
		c->idle_ticks++;
	} else {
		cur->cpu_ticks++;
		if (policy->tick(cur))
			c->need_resched = true;
	}
	raw_spin_release(&sched_lock);
}

void sched_init_cpu(struct task *boot, struct task *idle)
{
	unsigned long f = irq_save();
	struct cpu_local *c = this_cpu();
	c->current = boot;
	c->idle = idle;
	boot->on_cpu = true;
	running = true;
	/* A periodic timer of its own: the frame's timers are the tick hook. */
	timer_init(&tick_timer, sched_tick, NULL);
	tick_deadline = clock_monotonic_ns() + CLOCK_TICK_NS;
	timer_arm(&tick_timer, tick_deadline);
	irq_restore(f);
}

int sched_set_policy(const struct sched_policy *p)
{
	if (!p || !p->enqueue || !p->dequeue || !p->pick_next || !p->tick)
		return -EINVAL;
	unsigned long f = sched_lock_irqsave();
	const struct sched_policy *old = policy;
	struct task *t;
	while ((t = old->pick_next()) != NULL)
		p->enqueue(t);
	policy = p;
	sched_unlock_irqrestore(f);
	return 0;
}

const struct sched_policy *sched_policy_current(void)
{
	return policy;
}

const struct sched_policy *sched_policy_default(void)
{
	return &sched_fifo_policy;
}
