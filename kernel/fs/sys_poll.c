/* poll/ppoll/select/pselect6: descriptor sets over the poll loop, with timeouts and temporary signal masks. */
#include <frame/clock.h>
#include <abi/errno.h>
#include <frame/heap.h>
#include <frame/string.h>
#include <frame/vm_io.h>
#include <abi/time.h>
#include <kernel/poll.h>
#include <kernel/proc.h>
#include <kernel/signal.h>
#include "sys_fs.h"

#define POLLIN_SET (POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR)
#define POLLOUT_SET (POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR)
#define POLLEX_SET POLLPRI
/* Linux's initial fd table size: select ignores bits beyond the table, which has at least this. */
#define SELECT_MIN_FDS 64u

/* ---- timeouts ---- */

/* A relative timespec: its deadline on the monotonic clock (0: none when @ts NULL), or -EINVAL. */
static int ts_deadline(const struct timespec *ts, uint64_t *deadline, bool *no_wait)
{
	*deadline = 0;
	*no_wait = false;
	if (!ts)
		return 0;
	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= (int64_t)NSEC_PER_SEC)
		return -EINVAL;
	if (ts->tv_sec == 0 && ts->tv_nsec == 0) {
		*no_wait = true;
		return 0;
	}
	uint64_t ns;
	if (__builtin_mul_overflow((uint64_t)ts->tv_sec, NSEC_PER_SEC, &ns) ||
	    __builtin_add_overflow(ns, (uint64_t)ts->tv_nsec, &ns))
		ns = UINT64_MAX;
	*deadline = wait_deadline_after(ns);
	return 0;
}

static uint64_t remaining_ns(uint64_t deadline)
{
	uint64_t now = clock_monotonic_ns();
	return deadline > now ? deadline - now : 0;
}

/* ---- temporary signal masks (ppoll, pselect6), as rt_sigsuspend ---- */

/* SIGKILL and SIGSTOP are never blocked; senders read the mask racily and wake us anyway. */
static void set_blocked(struct thread *t, kernel_sigset_t m)
{
	m &= ~(SIG_BIT(SIGKILL) | SIG_BIT(SIGSTOP));
	__atomic_store_n(&t->sig.blocked, m, __ATOMIC_RELEASE);
}

static int mask_begin(const kernel_sigset_t __user *umask, uint64_t size)
{
	if (!umask)
		return 0;
	if (size != sizeof(kernel_sigset_t))
		return -EINVAL;
	uint64_t m;
	if (get_user_u64(&m, umask))
		return -EFAULT;
	struct thread *t = thread_current();
	t->sig.saved_mask = t->sig.blocked;
	t->sig.restore_mask = true;
	set_blocked(t, m);
	return 0;
}

/* Unless a signal interrupted the call (its handler must run under the temporary mask), put the mask back. */
static void mask_end(const kernel_sigset_t __user *umask, int64_t ret)
{
	if (!umask)
		return;
	struct thread *t = thread_current();
	if (ret == -ERESTARTNOHAND || ret == -EINTR)
		return;
	if (t->sig.restore_mask) {
		t->sig.restore_mask = false;
		set_blocked(t, t->sig.saved_mask);
	}
}

/* ---- poll ---- */

struct poll_ctx {
	struct pollfd *fds;
	size_t n;
};

static int poll_scan(void *arg, struct poll_table *pt)
{
	struct poll_ctx *c = arg;
	int count = 0;
	for (size_t i = 0; i < c->n; i++) {
		struct pollfd *p = &c->fds[i];
		p->revents = 0;
		if (p->fd < 0)
			continue;
		struct file *f = fs_file(p->fd);
		if (!f) {
			p->revents = POLLNVAL;
			count++;
			continue;
		}
		unsigned mask = file_poll(f, pt);
		file_put(f);
		p->revents = (int16_t)(mask & ((uint16_t)p->events | POLLERR | POLLHUP));
		if (p->revents)
			count++;
	}
	return count;
}

static int64_t do_poll(struct pollfd __user *ufds, uint64_t nfds, uint64_t deadline, bool no_wait)
{
	fs_syscalls_init();
	if (nfds > fs_nofile())
		return -EINVAL;
	struct poll_ctx c = { NULL, (size_t)nfds };
	c.fds = kmalloc(sizeof(struct pollfd) * (nfds ? nfds : 1));
	if (!c.fds)
		return -ENOMEM;
	int64_t ret;
	if (nfds && copy_from_user(c.fds, ufds, sizeof(struct pollfd) * nfds)) {
		ret = -EFAULT;
		goto out;
	}
	ret = poll_loop(poll_scan, &c, deadline, no_wait);
	if (ret == -EINTR)
		ret = -ERESTARTNOHAND;
	if (ret >= 0) {
		for (size_t i = 0; i < c.n; i++) {
			/*
			 * Only revents goes back (Linux writes that field alone). By
			 * address, not &ufds[i].revents: the array need not be aligned.
			 */
			vaddr_t at = user_addr(ufds) + i * sizeof(struct pollfd) +
				     __builtin_offsetof(struct pollfd, revents);
			if (copy_to_user(user_ptr(at), &c.fds[i].revents, 2)) {
				ret = -EFAULT;
				break;
			}
		}
	}
out:
	kfree(c.fds);
	return ret;
}

int64_t sys_poll(struct pollfd __user *fds, uint32_t nfds, int timeout_ms)
{
	uint64_t deadline = 0;
	if (timeout_ms > 0)
		deadline = wait_deadline_after((uint64_t)timeout_ms * NSEC_PER_MSEC);
	return do_poll(fds, nfds, deadline, timeout_ms == 0);
}

int64_t sys_ppoll(struct pollfd __user *fds, uint32_t nfds, struct timespec __user *tsp, const kernel_sigset_t __user *sigmask, size_t sigsetsize)
{
	struct timespec ts;
	uint64_t deadline;
	bool no_wait;
	if (tsp && copy_from_user(&ts, tsp, sizeof(ts)))
		return -EFAULT;
	int err = ts_deadline(tsp ? &ts : NULL, &deadline, &no_wait);
	if (err)
		return err;
	if ((err = mask_begin(sigmask, sigsetsize)))
		return err;
	int64_t ret = do_poll(fds, nfds, deadline, no_wait);
	mask_end(sigmask, ret);
	if (tsp && deadline) {
		uint64_t left = ret == 0 ? 0 : remaining_ns(deadline);
		struct timespec r = { (int64_t)(left / NSEC_PER_SEC), (int64_t)(left % NSEC_PER_SEC) };
		/* The time left goes back into the caller's timespec (Linux's poll_select_finish). */
		if (copy_to_user(tsp, &r, sizeof(r)) && ret == -ERESTARTNOHAND)
			ret = -EINTR;
	}
	return ret;
}

/* ---- select ---- */

struct select_ctx {
	uint32_t n;
	size_t words;
	uint64_t *in[3];	/* requested sets (NULL: not given) */
	uint64_t *out[3];	/* results */
};

static const unsigned select_masks[3] = { POLLIN_SET, POLLOUT_SET, POLLEX_SET };

static int select_scan(void *arg, struct poll_table *pt)
{
	struct select_ctx *c = arg;
	int count = 0;
	for (int k = 0; k < 3; k++)
		if (c->out[k])
			memset(c->out[k], 0, c->words * 8);
	for (uint32_t fd = 0; fd < c->n; fd++) {
		size_t w = fd / 64;
		uint64_t bit = 1ull << (fd % 64);
		bool want = false;
		for (int k = 0; k < 3; k++)
			want |= c->in[k] && (c->in[k][w] & bit);
		if (!want)
			continue;
		struct file *f = fs_file((int)fd);
		if (!f)
			return -EBADF;
		unsigned mask = file_poll(f, pt);
		file_put(f);
		for (int k = 0; k < 3; k++) {
			if (c->in[k] && (c->in[k][w] & bit) && (mask & select_masks[k])) {
				c->out[k][w] |= bit;
				count++;
			}
		}
	}
	return count;
}

static int64_t do_select(int64_t n, uint64_t __user *const usets[3], uint64_t deadline, bool no_wait)
{
	fs_syscalls_init();
	if (n < 0)
		return -EINVAL;
	struct fdtable *t = fs_fds();
	uint32_t max = MAX(__atomic_load_n(&t->size, __ATOMIC_ACQUIRE), SELECT_MIN_FDS);
	struct select_ctx c = { .n = (uint32_t)MIN((uint64_t)n, (uint64_t)max) };
	c.words = (c.n + 63) / 64;
	size_t bytes = c.words * 8;
	int64_t ret = 0;
	for (int k = 0; k < 3 && !ret; k++) {
		if (!usets[k] || !c.words)
			continue;
		c.in[k] = kmalloc(bytes);
		c.out[k] = kmalloc(bytes);
		if (!c.in[k] || !c.out[k])
			ret = -ENOMEM;
		else if (copy_from_user(c.in[k], usets[k], bytes))
			ret = -EFAULT;
		/* Bits past n in the last word are not asked for. */
		else if (c.n % 64)
			c.in[k][c.words - 1] &= (1ull << (c.n % 64)) - 1;
	}
	if (!ret) {
		ret = poll_loop(select_scan, &c, deadline, no_wait);
		if (ret == -EINTR)
			ret = -ERESTARTNOHAND;
	}
	for (int k = 0; k < 3 && ret >= 0; k++)
		if (c.out[k] && copy_to_user(usets[k], c.out[k], bytes))
			ret = -EFAULT;
	for (int k = 0; k < 3; k++) {
		kfree(c.in[k]);
		kfree(c.out[k]);
	}
	return ret;
}

int64_t sys_select(int n, uint64_t __user *inp, uint64_t __user *outp, uint64_t __user *exp, struct timeval __user *tvp)
{
	uint64_t deadline = 0;
	bool no_wait = false;
	if (tvp) {
		struct timeval tv;
		if (copy_from_user(&tv, tvp, sizeof(tv)))
			return -EFAULT;
		if (tv.tv_sec < 0 || tv.tv_usec < 0 || tv.tv_usec >= 1000000)
			return -EINVAL;
		struct timespec ts = { tv.tv_sec, tv.tv_usec * 1000 };
		ts_deadline(&ts, &deadline, &no_wait);
	}
	uint64_t __user *const sets[3] = { inp, outp, exp };
	int64_t ret = do_select(n, sets, deadline, no_wait);
	/* Linux writes the time left back (0 when it ran out). */
	if (tvp && ret != -EINVAL && ret != -EFAULT) {
		uint64_t left = (no_wait || ret == 0) ? 0 : remaining_ns(deadline);
		struct timeval r = { (int64_t)(left / NSEC_PER_SEC),
				     (int64_t)(left % NSEC_PER_SEC) / 1000 };
		if (copy_to_user(tvp, &r, sizeof(r)) && ret == -ERESTARTNOHAND)
			ret = -EINTR;
	}
	return ret;
}

int64_t sys_pselect6(int n, uint64_t __user *inp, uint64_t __user *outp, uint64_t __user *exp, struct timespec __user *tsp, const void __user *sig)
{
	struct timespec ts;
	uint64_t deadline;
	bool no_wait;
	if (tsp && copy_from_user(&ts, tsp, sizeof(ts)))
		return -EFAULT;
	int err = ts_deadline(tsp ? &ts : NULL, &deadline, &no_wait);
	if (err)
		return err;
	uint64_t usig[2] = { 0, 0 };	/* { const sigset_t *ss; size_t ss_len; } */
	if (sig && copy_from_user(usig, sig, sizeof(usig)))
		return -EFAULT;
	const kernel_sigset_t __user *umask = user_ptr(usig[0]);
	if ((err = mask_begin(umask, usig[1])))
		return err;
	uint64_t __user *const sets[3] = { inp, outp, exp };
	int64_t ret = do_select(n, sets, deadline, no_wait);
	mask_end(umask, ret);
	if (tsp && deadline && ret != -EINVAL && ret != -EFAULT) {
		uint64_t left = ret == 0 ? 0 : remaining_ns(deadline);
		struct timespec r = { (int64_t)(left / NSEC_PER_SEC), (int64_t)(left % NSEC_PER_SEC) };
		if (copy_to_user(tsp, &r, sizeof(r)) && ret == -ERESTARTNOHAND)

			ret = -EINTR;
	}
	return ret;
}
