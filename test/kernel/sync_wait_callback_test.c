/* Wait-queue wake callbacks (frame/wait.h), in the test kernel and on the host: keys, staying queued, exclusive entries, removal and release. */
#include <frame/ktest.h>
#include <frame/wait.h>

struct watcher {
	struct wait_entry w;
	int calls;
	uint32_t last_key;
	bool result;
};

static bool count_wake(struct wait_entry *w, uint32_t key)
{
	struct watcher *c = w->arg;
	c->calls++;
	c->last_key = key;
	return c->result;
}

KTEST(sync_wait_callback_keys)
{
	struct wait_queue wq;
	wait_queue_init(&wq);
	struct watcher a = { .result = true };
	a.w.arg = &a;
	wait_add_callback(&wq, &a.w, count_wake, false);
	KEXPECT(wait_queue_active(&wq));
	KEXPECT_EQ(wait_wake_all_key(&wq, 0x41), 1);
	KEXPECT_EQ(a.calls, 1);
	KEXPECT_EQ(a.last_key, 0x41);
	/* Unlike a sleeping task, a callback stays queued: every wake runs it, wake_one too. */
	KEXPECT_EQ(wait_wake_one(&wq), 1);
	KEXPECT_EQ(a.calls, 2);
	KEXPECT_EQ(a.last_key, 0);
	a.result = false;
	KEXPECT_EQ(wait_wake_all(&wq), 0);
	KEXPECT_EQ(a.calls, 3);
	wait_remove_callback(&a.w);
	KEXPECT(!wait_queue_active(&wq));
	KEXPECT_EQ(wait_wake_all(&wq), 0);
	KEXPECT_EQ(a.calls, 3);
	/* Removing twice is harmless. */
	wait_remove_callback(&a.w);
}

KTEST(sync_wait_callback_exclusive)
{
	struct wait_queue wq;
	wait_queue_init(&wq);
	struct watcher x = { .result = false }, y = { .result = true }, z = { .result = true };
	struct watcher plain = { .result = true };
	x.w.arg = &x;
	y.w.arg = &y;
	z.w.arg = &z;
	plain.w.arg = &plain;
	wait_add_callback(&wq, &x.w, count_wake, true);
	wait_add_callback(&wq, &y.w, count_wake, true);
	wait_add_callback(&wq, &z.w, count_wake, true);
	wait_add_callback(&wq, &plain.w, count_wake, false);
	/* Exclusive entries run until one returns true; non-exclusive ones always. */
	KEXPECT_EQ(wait_wake_all(&wq), 2);
	KEXPECT_EQ(x.calls, 1);
	KEXPECT_EQ(y.calls, 1);
	KEXPECT_EQ(z.calls, 0);
	KEXPECT_EQ(plain.calls, 1);
	wait_remove_callback(&y.w);
	KEXPECT_EQ(wait_wake_all(&wq), 2);
	KEXPECT_EQ(x.calls, 2);
	KEXPECT_EQ(z.calls, 1);
	KEXPECT_EQ(plain.calls, 2);
	/* Release: each callback runs once with WAIT_KEY_RELEASE and leaves; later removals do nothing. */
	wait_queue_release(&wq);
	KEXPECT_EQ(x.last_key, WAIT_KEY_RELEASE);
	KEXPECT_EQ(z.last_key, WAIT_KEY_RELEASE);
	KEXPECT_EQ(plain.calls, 3);
	KEXPECT(!wait_queue_active(&wq));
	wait_remove_callback(&x.w);
	wait_remove_callback(&z.w);
	wait_remove_callback(&plain.w);
	KEXPECT_EQ(wait_wake_all(&wq), 0);
	KEXPECT_EQ(plain.calls, 3);
}
