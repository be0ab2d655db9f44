/* The IPv4 stack's lock, clock, timer heap, input backlog and counters, and its start. */
#include <frame/clock.h>
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/mutex.h>
#include <frame/string.h>
#include "ip.h"
#include "netif.h"
#include "stack.h"

struct net_mib net_mib;

static struct mutex net_mutex = MUTEX_INIT("inet");
static struct pkt_queue backlog;
static bool draining;

static uint64_t default_now(void)
{
	return clock_monotonic_ns();
}

static const struct net_env default_env = { default_now, NULL };
static const struct net_env *env = &default_env;

void net_set_env(const struct net_env *e)
{
	env = e ? e : &default_env;
}

uint64_t net_now(void)
{
	return env->now();
}

/* ---- timers: a binary min-heap of armed timers ---- */

/* The first entries need no allocation (nor do tests that leave nothing armed leak one). */
#define HEAP_STATIC 64u
static struct ntimer *heap_static[HEAP_STATIC];
static struct ntimer **heap = heap_static;
static uint32_t heap_len, heap_cap = HEAP_STATIC;
static uint64_t reported;	/* the earliest deadline env->timer_changed last heard of */
/* Timers armed when the heap was full and could not grow: unsorted, usually empty. */
static struct ntimer *overflow;
static uint32_t overflow_len;

static void overflow_unlink(struct ntimer *t)
{
	for (struct ntimer **pp = &overflow; *pp; pp = &(*pp)->overflow_next) {
		if (*pp == t) {
			*pp = t->overflow_next;
			t->overflow_next = NULL;
			t->slot = 0;
			overflow_len--;
			return;
		}
	}
}

void ntimer_init(struct ntimer *t, ntimer_fn fn)
{
	t->deadline = 0;
	t->slot = 0;
	t->fn = fn;
	t->overflow_next = NULL;
}

static void heap_set(uint32_t i, struct ntimer *t)
{
	heap[i] = t;
	t->slot = i + 1;
}

static void sift_up(uint32_t i)
{
	struct ntimer *t = heap[i];
	while (i) {
		uint32_t parent = (i - 1) / 2;
		if (heap[parent]->deadline <= t->deadline)
			break;
		heap_set(i, heap[parent]);
		i = parent;
	}
	heap_set(i, t);
}

static void sift_down(uint32_t i)
{
	struct ntimer *t = heap[i];
	for (;;) {
		uint32_t c = 2 * i + 1;
		if (c >= heap_len)
			break;
		if (c + 1 < heap_len && heap[c + 1]->deadline < heap[c]->deadline)
			c++;
		if (heap[c]->deadline >= t->deadline)
			break;
		heap_set(i, heap[c]);
		i = c;
	}
	heap_set(i, t);
}

static void report_next(void)
{
	uint64_t next = ntimer_next();
	if (next != reported && env->timer_changed) {
		reported = next;
		env->timer_changed(next);
	}
}

static void heap_remove(uint32_t i)
{
	struct ntimer *t = heap[i];
	t->slot = 0;
	heap_len--;
	if (!heap_len && heap != heap_static) {
		kfree(heap);
		heap = heap_static;
		heap_cap = HEAP_STATIC;
		return;
	}
	if (i == heap_len)
		return;
	struct ntimer *moved = heap[heap_len];
	heap_set(i, moved);
	sift_down(i);
	sift_up(moved->slot - 1);
}

/* Room for one more in the heap: 0, or -ENOMEM. */
static int heap_grow(void)
{
	if (heap_len < heap_cap)
		return 0;
	uint32_t cap = heap_cap * 2;
	struct ntimer **n = kmalloc(sizeof(*n) * cap);
	if (!n)
		return -ENOMEM;
	memcpy(n, heap, sizeof(*n) * heap_len);
	if (heap != heap_static)
		kfree(heap);
	heap = n;
	heap_cap = cap;
	return 0;
}

static void heap_insert(struct ntimer *t)
{
	heap_set(heap_len, t);
	heap_len++;
	sift_up(heap_len - 1);
}

/* Overflowed timers go back into the heap once it can hold them. */
static void overflow_drain(void)
{
	while (overflow && heap_grow() == 0) {
		struct ntimer *t = overflow;
		overflow = t->overflow_next;
		t->overflow_next = NULL;
		overflow_len--;
		heap_insert(t);
	}
}

void ntimer_arm(struct ntimer *t, uint64_t deadline)
{
	if (t->slot == NTIMER_OVERFLOW) {
		t->deadline = deadline;
		report_next();
		return;
	}
	if (t->slot) {
		uint32_t i = t->slot - 1;
		t->deadline = deadline;
		sift_down(i);
		sift_up(t->slot - 1);
		report_next();
		return;
	}
	t->deadline = deadline;
	if (heap_grow() != 0) {
		/* No memory for a bigger heap: the timer still fires, from the list. */
		t->slot = NTIMER_OVERFLOW;
		t->overflow_next = overflow;
		overflow = t;
		overflow_len++;
	} else {
		heap_insert(t);
	}
	report_next();
}

void ntimer_arm_after(struct ntimer *t, uint64_t delay_ns)
{
	ntimer_arm(t, net_now() + delay_ns);
}

void ntimer_cancel(struct ntimer *t)
{
	if (!t->slot)
		return;
	if (t->slot == NTIMER_OVERFLOW)
		overflow_unlink(t);
	else
		heap_remove(t->slot - 1);
	report_next();
}

/* The earliest overflowed timer, or NULL. */
static struct ntimer *overflow_first(void)
{
	struct ntimer *best = NULL;
	for (struct ntimer *t = overflow; t; t = t->overflow_next)
		if (!best || t->deadline < best->deadline)
			best = t;
	return best;
}

uint64_t ntimer_next(void)
{
	uint64_t next = heap_len ? heap[0]->deadline : 0;
	struct ntimer *o = overflow_first();
	if (o && (!next || o->deadline < next))
		next = o->deadline;
	return next;
}

uint32_t ntimer_count(void)
{
	return heap_len + overflow_len;
}

static bool run_one_timer(uint64_t now)
{
	overflow_drain();
	struct ntimer *o = overflow_first();
	struct ntimer *t = heap_len ? heap[0] : NULL;
	if (o && (!t || o->deadline < t->deadline))
		t = o;
	if (!t || t->deadline > now)
		return false;
	if (t == o)
		overflow_unlink(t);
	else
		heap_remove(0);
	t->fn(t);
	return true;
}

/* ---- the lock and the backlog ---- */

void net_backlog_push(struct pkt *p)
{
	if (backlog.count >= NET_BACKLOG_MAX) {
		NET_INC(backlog_drops);
		pkt_free(p);
		return;
	}
	pkt_queue_push(&backlog, p);
}

void net_lock(void)
{
	mutex_lock(&net_mutex);
}

bool net_lock_held(void)
{
	return mutex_held_by_me(&net_mutex);
}

static void drain(void)
{
	if (draining)
		return;
	draining = true;
	for (;;) {
		struct pkt *p = pkt_queue_pop(&backlog);
		if (p) {
			netif_rx(p->dev, p);
			continue;
		}
		if (!run_one_timer(net_now()))
			break;
	}
	draining = false;
	report_next();
}

void net_unlock(void)
{
	drain();
	mutex_unlock(&net_mutex);
}

/* ---- start ---- */

int inet_stack_init(void)
{
	net_lock();
	int err = loopback_init();
	net_unlock();
	return err;
}
