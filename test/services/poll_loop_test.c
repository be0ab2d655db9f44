/* The poll loop: ready at once, registration with file references, timeouts, interruption by a signal, ENOMEM-free growth past a chunk. */
#include <frame/clock.h>
#include <frame/errno.h>
#include <frame/ktest.h>
#include <abi/fcntl.h>
#include <kernel/pipe.h>
#include <kernel/poll.h>

#define NPIPES (POLL_CHUNK_ENTRIES * 2 + 3)

struct scan_ctx {
	struct file *files[NPIPES];
	size_t n;
	int scans;
	unsigned want;
};

static int scan(void *arg, struct poll_table *pt)
{
	struct scan_ctx *c = arg;
	int ready = 0;
	c->scans++;
	for (size_t i = 0; i < c->n; i++)
		if (file_poll(c->files[i], pt) & c->want)
			ready++;
	return ready;
}

static bool sig_pending(void) { return true; }
static void no_sigpipe(void) {}
static bool capable(void) { return true; }
static const struct poll_task_hooks pending_hooks = { sig_pending, no_sigpipe, capable };

KTEST(poll_loop_ready_and_timeout)
{
	struct cred cr;
	cred_init(&cr, 0, 0);
	struct scan_ctx c = { .n = NPIPES, .want = POLLIN };
	struct file *w[NPIPES];
	for (size_t i = 0; i < NPIPES; i++)
		KASSERT(pipe_create(&cr, O_NONBLOCK, &c.files[i], &w[i]) == 0);
	/* Nothing readable, no wait. */
	KEXPECT_EQ(poll_loop(scan, &c, 0, true), 0);
	KEXPECT_EQ(c.scans, 1);
	/* A deadline with nothing ready: 0 after about that long, entries for every pipe (more than a chunk). */
	uint64_t t0 = clock_monotonic_ns();
	KEXPECT_EQ(poll_loop(scan, &c, wait_deadline_after(20 * NSEC_PER_MSEC), false), 0);
	KEXPECT(clock_monotonic_ns() - t0 >= 19 * NSEC_PER_MSEC);
	/* The table dropped its file references: only ours and the pipe's remain. */
	KEXPECT_EQ(__atomic_load_n(&c.files[0]->refcount, __ATOMIC_RELAXED), 1);
	/* Ready ones are counted. */
	KEXPECT_EQ(vfs_write(w[3], "x", 1), 1);
	KEXPECT_EQ(vfs_write(w[NPIPES - 1], "y", 1), 1);
	KEXPECT_EQ(poll_loop(scan, &c, 0, false), 2);
	/* A pending signal ends a wait with -EINTR. */
	c.want = POLLPRI;
	poll_set_task_hooks(&pending_hooks);
	KEXPECT_EQ(poll_loop(scan, &c, 0, false), -EINTR);
	poll_set_task_hooks(NULL);
	for (size_t i = 0; i < NPIPES; i++) {
		file_put(c.files[i]);
		file_put(w[i]);
	}
}
