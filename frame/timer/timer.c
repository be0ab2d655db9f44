/* Arch-independent timers (frame/timer.h) and the periodic tick, driven by one one-shot event source. */
#include <frame/clock.h>
#include <frame/errno.h>
#include <frame/irq.h>
#include <frame/timer.h>
#include <internal/arch.h>
#include <timer/timer_internal.h>

/*
 * One list sorted by deadline, plus the next tick. The hardware is always
 * programmed for the earlier of the two, so the tick stays periodic (absolute
 * deadlines, no drift) while timers fire as close to their deadline as the
 * hardware allows. A linear list is fine for the handful of timers there are
 * now; a heap or wheel can replace it behind the same API.
 */
static struct timer *timer_head;
static uint64_t next_tick_ns;
static uint64_t programmed_ns;
static volatile uint64_t ticks;
static bool started;

/* Callbacks run per interrupt at most; the rest waits for an immediate re-fire. */
#define MAX_CALLBACKS_PER_INTERRUPT 64

uint64_t clock_ticks(void)
{
	return ticks;
}

void timer_init(struct timer *t, timer_fn fn, void *arg)
{
	t->next = NULL;
	t->deadline_ns = 0;
	t->fn = fn;
	t->arg = arg;
	t->armed = false;
}

static void unlink_timer(struct timer *t)
{
	for (struct timer **pp = &timer_head; *pp; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	}
	t->next = NULL;
	t->armed = false;
}

static void program_next(void)
{
	if (!started)
		return;
	uint64_t next = next_tick_ns;
	if (timer_head && timer_head->deadline_ns < next)
		next = timer_head->deadline_ns;
	programmed_ns = next;
	arch_timer_program(next);
}

int timer_arm(struct timer *t, uint64_t deadline_ns)
{
	if (!t || !t->fn)
		return -EINVAL;
	unsigned long f = irq_save();
	if (t->armed)
		unlink_timer(t);
	t->deadline_ns = deadline_ns;
	struct timer **pp = &timer_head;
	while (*pp && (*pp)->deadline_ns <= deadline_ns)
		pp = &(*pp)->next;
	t->next = *pp;
	*pp = t;
	t->armed = true;
	if (timer_head == t && deadline_ns < programmed_ns)
		program_next();
	irq_restore(f);
	return 0;
}

int timer_arm_after(struct timer *t, uint64_t delay_ns)
{
	return timer_arm(t, clock_monotonic_ns() + delay_ns);
}

bool timer_cancel(struct timer *t)
{
	unsigned long f = irq_save();
	bool was = t->armed;
	if (was)
		unlink_timer(t);
	irq_restore(f);
	return was;
}

bool timer_pending(const struct timer *t)
{
	return t->armed;
}

void timer_start(void)
{
	unsigned long f = irq_save();
	next_tick_ns = arch_clock_ns() + CLOCK_TICK_NS;
	started = true;
	program_next();
	irq_restore(f);
}

void timer_interrupt(void)
{
	uint64_t now = arch_clock_ns();
	if (now >= next_tick_ns) {
		/* Count every tick period that passed, even if interrupts were held off for long. */
		uint64_t n = (now - next_tick_ns) / CLOCK_TICK_NS + 1;
		ticks += n;
		next_tick_ns += n * CLOCK_TICK_NS;
	}
	for (int i = 0; i < MAX_CALLBACKS_PER_INTERRUPT; i++) {
		struct timer *t = timer_head;
		if (!t || t->deadline_ns > now)
			break;
		timer_head = t->next;
		t->next = NULL;
		t->armed = false;
		t->fn(t->arg);
		now = arch_clock_ns();
	}
	program_next();
}
