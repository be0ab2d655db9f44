/*
 * One-shot timers with callbacks, on the monotonic clock.
 *
 * The caller owns the struct timer (embed it in its own object) and must keep
 * it alive while armed. Callbacks run from the timer interrupt: interrupts
 * off, must not sleep. A callback may re-arm its own timer (periodic timers)
 * or arm/cancel others. Timers fire in deadline order (equal deadlines in
 * arming order), never before their deadline.
 *
 *   static struct timer t;
 *   timer_init(&t, on_timeout, obj);
 *   timer_arm(&t, clock_monotonic_ns() + 10 * NSEC_PER_MSEC);
 */
#ifndef FRAME_TIMER_H
#define FRAME_TIMER_H

#include <frame/types.h>

typedef void (*timer_fn)(void *arg);

struct timer {
	/* Private to the frame. */
	struct timer *next;
	uint64_t deadline_ns;
	timer_fn fn;
	void *arg;
	bool armed;
};

/* Prepare @t to call @fn(@arg); not armed. */
void timer_init(struct timer *t, timer_fn fn, void *arg);

/*
 * Fire @t at monotonic time @deadline_ns (a past deadline fires at the next
 * timer interrupt). Re-arming an armed timer moves it. 0, or -EINVAL if @t
 * was never initialised.
 */
int timer_arm(struct timer *t, uint64_t deadline_ns);
/* timer_arm() at now + @delay_ns. */
int timer_arm_after(struct timer *t, uint64_t delay_ns);

/* Disarm @t. Returns true if it was armed (so its callback will not run now). */
bool timer_cancel(struct timer *t);

/* True while @t is armed and has not fired yet. */
bool timer_pending(const struct timer *t);

#endif
