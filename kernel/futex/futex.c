/*
 * Futexes: waiters queue in a hash of buckets keyed by user address; a
 * waiter is identified by (mm, address). The value is compared under the
 * bucket's lock, which wakers also take, so a wake between the compare and
 * the sleep is never lost. Bucket locks are mutexes because reading the
 * word may fault a page in (and sleep).
 *
 * Private futexes match on (mm, address), as Linux. Shared futexes should
 * match on the physical page; with no page lookup in the mm interface yet
 * they match on the address alone among shared waiters, which is exact for
 * memory shared across fork (same address in both) and otherwise can only
 * wake an unrelated shared waiter spuriously (callers re-check their word).
 */
#include <abi/errno.h>
#include <abi/futex.h>
#include <frame/mutex.h>
#include <frame/vm_io.h>
#include <frame/wait.h>
#include <kernel/futex.h>
#include <kernel/kwait.h>
#include <kernel/proc.h>

#define FUTEX_BUCKETS 64

struct futex_q {
	struct futex_q *next, *prev;
	struct mm *mm;
	vaddr_t addr;
	bool shared;
	uint32_t bitset;
	uint32_t woken;		/* set (atomically) by the waker, under the bucket lock */
	unsigned bucket;	/* changes under both bucket locks when requeued */
	struct wait_queue wq;	/* only its owner sleeps here */
};

struct futex_bucket {
	struct mutex lock;
	struct futex_q *head;
};

static struct futex_bucket buckets[FUTEX_BUCKETS] = {
	[0 ... FUTEX_BUCKETS - 1] = { MUTEX_INIT("futex"), NULL },
};

static unsigned bucket_of(vaddr_t addr)
{
	uint64_t h = (addr >> 2) * 0x9e3779b97f4a7c15ULL;
	return (unsigned)(h >> 58) % FUTEX_BUCKETS;
}

static void q_link(struct futex_bucket *b, struct futex_q *q)
{
	q->prev = NULL;
	q->next = b->head;
	if (b->head)
		b->head->prev = q;
	b->head = q;
}

static void q_unlink(struct futex_bucket *b, struct futex_q *q)
{
	if (q->prev)
		q->prev->next = q->next;
	else
		b->head = q->next;
	if (q->next)
		q->next->prev = q->prev;
	q->next = q->prev = NULL;
}

static bool q_matches(const struct futex_q *q, struct mm *mm, vaddr_t addr, bool shared)
{
	return q->addr == addr && (q->mm == mm || (shared && q->shared));
}

/* Oldest first: waiters are linked at the head, so walk from the tail. */
static struct futex_q *q_tail(struct futex_bucket *b)
{
	struct futex_q *q = b->head;
	while (q && q->next)
		q = q->next;
	return q;
}

static void q_wake(struct futex_bucket *b, struct futex_q *q)
{
	q_unlink(b, q);
	__atomic_store_n(&q->woken, 1, __ATOMIC_RELEASE);
	wait_wake_one(&q->wq);
}

static int check_addr(vaddr_t uaddr)
{
	if (uaddr & 3)
		return -EINVAL;
	return user_range_ok(uaddr, 4) ? 0 : -EFAULT;
}

/* Lock the bucket @q is in now (a requeue may move it while we wait for the lock). */
static struct futex_bucket *lock_q_bucket(struct futex_q *q)
{
	for (;;) {
		unsigned i = __atomic_load_n(&q->bucket, __ATOMIC_ACQUIRE);
		mutex_lock(&buckets[i].lock);
		if (__atomic_load_n(&q->bucket, __ATOMIC_ACQUIRE) == i)
			return &buckets[i];
		mutex_unlock(&buckets[i].lock);
	}
}

static int64_t futex_wait(struct mm *mm, vaddr_t uaddr, bool shared, uint32_t val,
			  uint64_t deadline_ns, uint32_t bitset)
{
	int err = check_addr(uaddr);
	if (err)
		return err;
	struct futex_q q = { .mm = mm, .addr = uaddr, .shared = shared, .bitset = bitset,
			     .bucket = bucket_of(uaddr) };
	wait_queue_init(&q.wq);
	struct futex_bucket *b = &buckets[q.bucket];
	mutex_lock(&b->lock);
	uint32_t cur;
	if (get_user_u32(&cur, user_ptr(uaddr))) {
		mutex_unlock(&b->lock);
		return -EFAULT;
	}
	if (cur != val) {
		mutex_unlock(&b->lock);
		return -EAGAIN;
	}
	q_link(b, &q);
	mutex_unlock(&b->lock);

	uint64_t deadline = deadline_ns == UINT64_MAX ? 0 : (deadline_ns ? deadline_ns : 1);
	int ret = wait_event_interruptible_until(&q.wq, __atomic_load_n(&q.woken, __ATOMIC_ACQUIRE),
						 deadline);
	b = lock_q_bucket(&q);
	bool woken = __atomic_load_n(&q.woken, __ATOMIC_ACQUIRE);
	if (!woken)
		q_unlink(b, &q);
	mutex_unlock(&b->lock);
	if (woken)
		return 0;
	if (ret == -ETIMEDOUT)
		return -ETIMEDOUT;
	/* Linux restarts an untimed wait after SA_RESTART handlers; a timed one only without handler. */
	return deadline_ns == UINT64_MAX ? -ERESTARTSYS : -ERESTARTNOHAND;
}

int futex_wake(struct mm *mm, vaddr_t uaddr, bool shared, uint32_t nr, uint32_t bitset)
{
	struct futex_bucket *b = &buckets[bucket_of(uaddr)];
	int woken = 0;
	mutex_lock(&b->lock);
	for (struct futex_q *q = q_tail(b), *prev; q; q = prev) {
		prev = q->prev;
		if (!q_matches(q, mm, uaddr, shared) || !(q->bitset & bitset))
			continue;
		q_wake(b, q);
		/* As Linux: a count of 0 still wakes one. */
		if (++woken >= (int)nr)
			break;
	}
	mutex_unlock(&b->lock);
	return woken;
}

static void lock_two(unsigned a, unsigned b)
{
	if (a == b) {
		mutex_lock(&buckets[a].lock);
	} else if (a < b) {
		mutex_lock(&buckets[a].lock);
		mutex_lock(&buckets[b].lock);
	} else {
		mutex_lock(&buckets[b].lock);
		mutex_lock(&buckets[a].lock);
	}
}

static void unlock_two(unsigned a, unsigned b)
{
	mutex_unlock(&buckets[a].lock);
	if (a != b)
		mutex_unlock(&buckets[b].lock);
}

static int64_t futex_requeue(struct mm *mm, vaddr_t uaddr, bool shared, int nr_wake,
			     vaddr_t uaddr2, int nr_requeue, bool cmp, uint32_t cmpval)
{
	if (nr_wake < 0 || nr_requeue < 0)
		return -EINVAL;
	int err = check_addr(uaddr);
	if (!err)
		err = check_addr(uaddr2);
	if (err)
		return err;
	unsigned i1 = bucket_of(uaddr), i2 = bucket_of(uaddr2);
	lock_two(i1, i2);
	if (cmp) {
		uint32_t cur;
		if (get_user_u32(&cur, user_ptr(uaddr))) {
			unlock_two(i1, i2);
			return -EFAULT;
		}
		if (cur != cmpval) {
			unlock_two(i1, i2);
			return -EAGAIN;
		}
	}
	struct futex_bucket *b1 = &buckets[i1], *b2 = &buckets[i2];
	int woken = 0, moved = 0;
	for (struct futex_q *q = q_tail(b1), *prev; q; q = prev) {
		prev = q->prev;
		if (!q_matches(q, mm, uaddr, shared))
			continue;
		if (woken < nr_wake) {
			q_wake(b1, q);
			woken++;
		} else if (moved < nr_requeue) {
			q_unlink(b1, q);
			q->addr = uaddr2;
			__atomic_store_n(&q->bucket, i2, __ATOMIC_RELEASE);
			q_link(b2, q);
			moved++;
		} else {
			break;
		}
	}
	unlock_two(i1, i2);
	return woken + moved;
}

unsigned futex_waiters(struct mm *mm, vaddr_t uaddr)
{
	struct futex_bucket *b = &buckets[bucket_of(uaddr)];
	unsigned n = 0;
	mutex_lock(&b->lock);
	for (struct futex_q *q = b->head; q; q = q->next)
		if (q_matches(q, mm, uaddr, false))
			n++;
	mutex_unlock(&b->lock);
	return n;
}

int64_t futex_op(struct mm *mm, vaddr_t uaddr, int op, uint32_t val, uint64_t deadline_ns,
		 vaddr_t uaddr2, uint32_t val2, uint32_t val3)
{
	bool shared = !(op & FUTEX_PRIVATE_FLAG);
	switch (op & FUTEX_CMD_MASK) {
	case FUTEX_WAIT:
		val3 = FUTEX_BITSET_MATCH_ANY;
		/* fall through */
	case FUTEX_WAIT_BITSET:
		if (!val3)
			return -EINVAL;
		return futex_wait(mm, uaddr, shared, val, deadline_ns, val3);
	case FUTEX_WAKE:
		val3 = FUTEX_BITSET_MATCH_ANY;
		/* fall through */
	case FUTEX_WAKE_BITSET: {
		if (!val3)
			return -EINVAL;
		int err = check_addr(uaddr);
		if (err)
			return err;
		if (shared) {	/* Linux looks the page up for a shared key */
			uint32_t probe;
			if (get_user_u32(&probe, user_ptr(uaddr)))
				return -EFAULT;
		}
		return futex_wake(mm, uaddr, shared, val, val3);
	}
	case FUTEX_REQUEUE:
		return futex_requeue(mm, uaddr, shared, (int)val, uaddr2, (int)val2, false, 0);
	case FUTEX_CMP_REQUEUE:
		return futex_requeue(mm, uaddr, shared, (int)val, uaddr2, (int)val2, true, val3);
	default:
		return -ENOSYS;	/* FUTEX_FD, WAKE_OP and the PI operations */
	}
}

void futex_wake_cleartid(vaddr_t uaddr)
{
	struct process *p = process_current();
	if (!p || (uaddr & 3))
		return;
	if (put_user_u32(0, user_ptr(uaddr)))
		return;
	futex_wake(p->mm, uaddr, true, 1, FUTEX_BITSET_MATCH_ANY);
}
