/* In-kernel tests of wait queues, completions and semaphores: ping-pong, timeouts, wake counts. */
#include <frame/clock.h>
#include <frame/errno.h>
#include <frame/ktest.h>
#include <frame/mutex.h>
#include <frame/sched.h>
#include <frame/task.h>
#include <frame/wait.h>
#include <kernel/completion.h>
#include <kernel/semaphore.h>

#define ROUNDS 500

struct pingpong {
	struct wait_queue wq;
	int turn;          /* whose move: 0 ping, 1 pong */
	int moves[2];
	int out_of_turn;   /* a player that woke and found it was not its turn, yet moved */
};

struct player {
	struct pingpong *pp;
	int me;
};

static int play(void *arg)
{
	struct player *p = arg;
	struct pingpong *pp = p->pp;
	for (int i = 0; i < ROUNDS; i++) {
		if (wait_event_timeout(&pp->wq, __atomic_load_n(&pp->turn, __ATOMIC_ACQUIRE) == p->me,
				       2 * NSEC_PER_SEC) != 0)
			return -ETIMEDOUT;
		if (pp->turn != p->me)
			pp->out_of_turn++;
		pp->moves[p->me]++;
		__atomic_store_n(&pp->turn, 1 - p->me, __ATOMIC_RELEASE);
		wait_wake_all(&pp->wq);
	}
	return 0;
}

KTEST(sync_wait_queue_ping_pong)
{
	struct pingpong pp = { .turn = 0 };
	wait_queue_init(&pp.wq);
	struct player ping = { &pp, 0 }, pong = { &pp, 1 };
	struct task *a, *b;
	KASSERT(task_create("pong", play, &pong, TASK_PRIO_DEFAULT, &b) == 0);
	KASSERT(task_create("ping", play, &ping, TASK_PRIO_DEFAULT, &a) == 0);
	int ca = -1, cb = -1;
	KEXPECT_EQ(task_join(a, &ca), 0);
	KEXPECT_EQ(task_join(b, &cb), 0);
	KEXPECT_EQ(ca, 0);
	KEXPECT_EQ(cb, 0);
	KEXPECT_EQ(pp.moves[0], ROUNDS);
	KEXPECT_EQ(pp.moves[1], ROUNDS);
	KEXPECT_EQ(pp.out_of_turn, 0);
	KEXPECT_EQ(pp.turn, 0);
	KEXPECT(!wait_queue_active(&pp.wq));
}

KTEST(sync_wait_timeout_returns_etimedout)
{
	struct wait_queue wq;
	wait_queue_init(&wq);
	bool never = false;
	uint64_t t0 = clock_monotonic_ns();
	KEXPECT_EQ(wait_event_timeout(&wq, __atomic_load_n(&never, __ATOMIC_RELAXED), 20 * NSEC_PER_MSEC),
		   -ETIMEDOUT);
	KEXPECT(clock_monotonic_ns() - t0 >= 20 * NSEC_PER_MSEC);
	KEXPECT(!wait_queue_active(&wq));
	/* A true condition returns at once, even with a zero timeout. */
	KEXPECT_EQ(wait_event_timeout(&wq, true, 0), 0);

	struct completion c;
	completion_init(&c);
	KEXPECT_EQ(completion_wait_timeout(&c, 5 * NSEC_PER_MSEC), -ETIMEDOUT);
	KEXPECT(!completion_try_wait(&c));

	struct semaphore s;
	semaphore_init(&s, "test", 1);
	KEXPECT(semaphore_try_down(&s));
	KEXPECT_EQ(semaphore_down_timeout(&s, 5 * NSEC_PER_MSEC), -ETIMEDOUT);
	semaphore_up(&s);
	KEXPECT_EQ(semaphore_down_timeout(&s, 5 * NSEC_PER_MSEC), 0);
}

struct delayed_set {
	struct wait_queue wq;
	bool flag;
};

static int set_after_5ms(void *arg)
{
	struct delayed_set *d = arg;
	sched_sleep_ns(5 * NSEC_PER_MSEC);
	__atomic_store_n(&d->flag, true, __ATOMIC_RELEASE);
	return (int)wait_wake_one(&d->wq);
}

KTEST(sync_wait_timeout_succeeds_when_woken)
{
	struct delayed_set d = { .flag = false };
	wait_queue_init(&d.wq);
	struct task *t;
	KASSERT(task_create("setter", set_after_5ms, &d, TASK_PRIO_DEFAULT, &t) == 0);
	uint64_t t0 = clock_monotonic_ns();
	KEXPECT_EQ(wait_event_timeout(&d.wq, __atomic_load_n(&d.flag, __ATOMIC_ACQUIRE),
				      2 * NSEC_PER_SEC), 0);
	KEXPECT(clock_monotonic_ns() - t0 < NSEC_PER_SEC);
	int woken = -1;
	KEXPECT_EQ(task_join(t, &woken), 0);
	KEXPECT_EQ(woken, 1);
}

struct gate {
	struct completion go;
	struct completion done;
	int passed;
};

static int pass_gate(void *arg)
{
	struct gate *g = arg;
	completion_wait(&g->go);
	__atomic_add_fetch(&g->passed, 1, __ATOMIC_RELAXED);
	completion_signal(&g->done);
	return 0;
}

KTEST(sync_completion_counts_signals)
{
	struct gate g = { .passed = 0 };
	completion_init(&g.go);
	completion_init(&g.done);
	struct task *ts[4];
	for (int i = 0; i < 4; i++)
		KASSERT(task_create("gate", pass_gate, &g, TASK_PRIO_DEFAULT, &ts[i]) == 0);
	sched_sleep_ns(10 * NSEC_PER_MSEC);
	KEXPECT_EQ(g.passed, 0);
	/* One signal lets exactly one through. */
	completion_signal(&g.go);
	KEXPECT_EQ(completion_wait_timeout(&g.done, NSEC_PER_SEC), 0);
	sched_sleep_ns(10 * NSEC_PER_MSEC);
	KEXPECT_EQ(g.passed, 1);
	/* ...and consumed the signal. */
	KEXPECT(!completion_try_wait(&g.go));
	completion_signal_all(&g.go);
	for (int i = 0; i < 4; i++)
		KEXPECT_EQ(task_join(ts[i], NULL), 0);
	KEXPECT_EQ(g.passed, 4);
	KEXPECT(completion_try_wait(&g.go));
}
