/* In-kernel tests of mutexes and spin locks: exclusion under preemption, hand-off, timeouts, irq state. */
#include <frame/clock.h>
#include <frame/errno.h>
#include <frame/irq.h>
#include <frame/ktest.h>
#include <frame/mutex.h>
#include <frame/sched.h>
#include <frame/spinlock.h>
#include <frame/task.h>
#include <kernel/completion.h>

#define WORKERS 4
#define ITERATIONS 150

struct shared {
	struct mutex lock;
	int inside;             /* tasks inside the critical section right now */
	int overlaps;           /* times a task found another inside */
	uint64_t counter;       /* read-modify-write with a delay in between */
	uint64_t preempted_inside; /* critical sections during which another task ran */
};

static int hammer(void *arg)
{
	struct shared *s = arg;
	for (int i = 0; i < ITERATIONS; i++) {
		mutex_lock(&s->lock);
		if (s->inside++ != 0)
			s->overlaps++;
		uint64_t switches = sched_switch_count();
		uint64_t v = s->counter;
		/* Now and then stay for over a tick, so preemption lands inside. */
		clock_delay_ns((i % 8 == 0) ? 5 * NSEC_PER_MSEC : 20 * NSEC_PER_USEC);
		s->counter = v + 1;
		if (sched_switch_count() != switches)
			s->preempted_inside++;
		s->inside--;
		mutex_unlock(&s->lock);
	}
	return 0;
}

KTEST(sync_mutex_excludes_under_preemption)
{
	static struct shared s;
	s = (struct shared){ .counter = 0 };
	mutex_init(&s.lock, "hammer");
	struct task *ts[WORKERS];
	for (int i = 0; i < WORKERS; i++)
		KASSERT(task_create("hammer", hammer, &s, TASK_PRIO_DEFAULT, &ts[i]) == 0);
	for (int i = 0; i < WORKERS; i++)
		KEXPECT_EQ(task_join(ts[i], NULL), 0);
	KEXPECT_EQ(s.counter, WORKERS * ITERATIONS);
	KEXPECT_EQ(s.overlaps, 0);
	/* Without this the test would prove nothing about preemption. */
	KEXPECT(s.preempted_inside > 0);
	KEXPECT(!mutex_held_by_me(&s.lock));
	KEXPECT(mutex_trylock(&s.lock));
	mutex_unlock(&s.lock);
}

struct holder {
	struct mutex *m;
	struct completion locked;
	struct completion release;
};

static int hold_mutex(void *arg)
{
	struct holder *h = arg;
	mutex_lock(h->m);
	completion_signal(&h->locked);
	completion_wait(&h->release);
	mutex_unlock(h->m);
	return 0;
}

KTEST(sync_mutex_timeout_and_handoff)
{
	struct mutex m = MUTEX_INIT("held");
	struct holder h = { .m = &m };
	completion_init(&h.locked);
	completion_init(&h.release);
	struct task *t;
	KASSERT(task_create("holder", hold_mutex, &h, TASK_PRIO_DEFAULT, &t) == 0);
	KASSERT(completion_wait_timeout(&h.locked, NSEC_PER_SEC) == 0);

	KEXPECT(!mutex_trylock(&m));
	uint64_t t0 = clock_monotonic_ns();
	KEXPECT_EQ(mutex_lock_timeout(&m, 20 * NSEC_PER_MSEC), -ETIMEDOUT);
	KEXPECT(clock_monotonic_ns() - t0 >= 20 * NSEC_PER_MSEC);
	KEXPECT(!mutex_held_by_me(&m));

	/* Once released, the waiter gets the mutex. */
	completion_signal(&h.release);
	KEXPECT_EQ(mutex_lock_timeout(&m, NSEC_PER_SEC), 0);
	KEXPECT(mutex_held_by_me(&m));
	mutex_unlock(&m);
	KEXPECT_EQ(task_join(t, NULL), 0);
}

KTEST(sync_spinlock_states)
{
	spinlock_t l = SPINLOCK_INIT("test");
	KEXPECT(irq_enabled());
	unsigned long f = spin_lock_irqsave(&l);
	KEXPECT(spin_is_locked(&l));
	KEXPECT(!irq_enabled());
	KEXPECT(!sched_preemptible());
	KEXPECT(!spin_trylock(&l));
	spin_unlock_irqrestore(&l, f);
	KEXPECT(irq_enabled());
	KEXPECT(sched_preemptible());
	KEXPECT(!spin_is_locked(&l));

	spin_lock(&l);
	KEXPECT(irq_enabled());
	KEXPECT(!sched_preemptible());
	spin_unlock(&l);
	KEXPECT(spin_trylock(&l));
	spin_unlock(&l);
	KEXPECT(sched_preemptible());
}

KTEST(fatal_spinlock_recursion)
{
	static spinlock_t l = SPINLOCK_INIT("recursive");
	spin_lock(&l);
	spin_lock(&l);
	KEXPECT(false);
}
