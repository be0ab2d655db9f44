/* Pipe internals: data order, EOF, EPIPE with SIGPIPE, O_NONBLOCK, PIPE_BUF atomicity, capacity, poll masks, interrupted waits. */
#include <abi/errno.h>
#include <frame/ktest.h>
#include <frame/string.h>
#include <abi/fcntl.h>
#include <kernel/pipe.h>
#include <kernel/poll.h>

static int sigpipes;
static bool pending;

static bool t_pending(void) { return pending; }
static void t_sigpipe(void) { sigpipes++; }
static bool t_capable(void) { return false; }
static const struct poll_task_hooks t_hooks = { t_pending, t_sigpipe, t_capable };

static struct cred test_cred;

static bool make(uint32_t flags, struct file **r, struct file **w)
{
	cred_init(&test_cred, 1000, 1000);
	return pipe_create(&test_cred, flags, r, w) == 0;
}

KTEST(pipe_roundtrip_eof)
{
	struct file *r, *w;
	KASSERT(make(O_NONBLOCK, &r, &w));
	KEXPECT(file_is_pipe(r) && file_is_pipe(w));
	char buf[16] = { 0 };
	KEXPECT_EQ(vfs_read(r, buf, sizeof buf), -EAGAIN);
	KEXPECT_EQ(vfs_write(w, "hello", 5), 5);
	KEXPECT_EQ(vfs_write(w, "!", 1), 1);
	KEXPECT_EQ(vfs_read(r, buf, 3), 3);
	KEXPECT(memcmp(buf, "hel", 3) == 0);
	KEXPECT_EQ(vfs_read(r, buf, sizeof buf), 3);
	KEXPECT(memcmp(buf, "lo!", 3) == 0);
	KEXPECT_EQ(vfs_read(r, buf, 0), 0);
	/* Wrong direction: the VFS's access-mode check. */
	KEXPECT_EQ(vfs_write(r, "x", 1), -EBADF);
	KEXPECT_EQ(vfs_read(w, buf, 1), -EBADF);
	KEXPECT_EQ(vfs_pread(r, buf, 1, 0), -ESPIPE);
	KEXPECT_EQ(vfs_lseek(r, 0, SEEK_SET), -ESPIPE);
	struct stat st;
	KEXPECT_EQ(vfs_fstat(r, &st), 0);
	KEXPECT(S_ISFIFO(st.st_mode));
	KEXPECT_EQ(st.st_uid, 1000);
	KEXPECT_EQ(vfs_write(w, "z", 1), 1);
	file_put(w);
	/* Data first, then end of file even for a blocking reader. */
	r->flags &= ~(uint32_t)O_NONBLOCK;
	KEXPECT_EQ(vfs_read(r, buf, sizeof buf), 1);
	KEXPECT_EQ(vfs_read(r, buf, sizeof buf), 0);
	file_put(r);
}

KTEST(pipe_epipe_sigpipe)
{
	struct file *r, *w;
	KASSERT(make(0, &r, &w));
	poll_set_task_hooks(&t_hooks);
	sigpipes = 0;
	file_put(r);
	KEXPECT_EQ(vfs_write(w, "x", 1), -EPIPE);
	KEXPECT_EQ(sigpipes, 1);
	/* Linux: still writable as far as space goes, and in error. */
	KEXPECT_EQ(file_poll(w, NULL), POLLOUT | POLLWRNORM | POLLERR);
	poll_set_task_hooks(NULL);
	file_put(w);
}

KTEST(pipe_nonblock_capacity_atomic)
{
	struct file *r, *w;
	KASSERT(make(O_NONBLOCK, &r, &w));
	static char big[PIPE_DEF_SIZE + 100];
	memset(big, 'a', sizeof big);
	KEXPECT_EQ(pipe_get_size(r), PIPE_DEF_SIZE);
	/* A big non-blocking write takes what fits. */
	KEXPECT_EQ(vfs_write(w, big, sizeof big), PIPE_DEF_SIZE);
	KEXPECT_EQ(vfs_write(w, big, 1), -EAGAIN);
	KEXPECT_EQ(file_poll(w, NULL) & POLLOUT, 0);
	KEXPECT_EQ(file_poll(r, NULL), POLLIN | POLLRDNORM);
	/* With PIPE_BUF - 1 bytes free, a PIPE_BUF write must not go in part. */
	char tmp[PIPE_BUF];
	KEXPECT_EQ(vfs_read(r, tmp, PIPE_BUF - 1), PIPE_BUF - 1);
	KEXPECT_EQ(vfs_write(w, big, PIPE_BUF), -EAGAIN);
	KEXPECT_EQ(vfs_write(w, big, PIPE_BUF + 1), PIPE_BUF - 1);
	/* Shrinking below the content is EBUSY; sizes round to a power-of-two number of pages. */
	KEXPECT_EQ(pipe_set_size(r, 4096), -EBUSY);
	KEXPECT_EQ(vfs_read(r, big, sizeof big), PIPE_DEF_SIZE);
	KEXPECT_EQ(pipe_set_size(w, 3 * 4096), 16384);
	KEXPECT_EQ(pipe_get_size(r), 16384);
	KEXPECT_EQ(pipe_set_size(w, 0), 4096);
	/* Above pipe-max-size without CAP_SYS_RESOURCE (the hook says no). */
	poll_set_task_hooks(&t_hooks);
	KEXPECT_EQ(pipe_set_size(w, PIPE_MAX_SIZE * 2), -EPERM);
	poll_set_task_hooks(NULL);
	KEXPECT_EQ(pipe_set_size(w, (1ul << 31) + 1), -EINVAL);
	/* Contents survive a resize, across the ring's wrap. */
	KEXPECT_EQ(vfs_write(w, "0123456789", 10), 10);
	KEXPECT_EQ(pipe_set_size(w, 8192), 8192);
	char out[11] = { 0 };
	KEXPECT_EQ(vfs_read(r, out, 10), 10);
	KEXPECT(memcmp(out, "0123456789", 10) == 0);
	file_put(r);
	file_put(w);
}

KTEST(pipe_blocking_interrupted)
{
	struct file *r, *w;
	KASSERT(make(0, &r, &w));
	poll_set_task_hooks(&t_hooks);
	pending = true;
	char c;
	/* Empty and a writer exists: the wait ends at once on the pending signal. */
	KEXPECT_EQ(vfs_read(r, &c, 1), -ERESTARTSYS);
	static char big[PIPE_DEF_SIZE + 10];
	/* A full pipe: what fitted is reported, not the interruption. */
	KEXPECT_EQ(vfs_write(w, big, sizeof big), PIPE_DEF_SIZE);
	KEXPECT_EQ(vfs_write(w, big, 1), -ERESTARTSYS);
	pending = false;
	poll_set_task_hooks(NULL);
	file_put(r);
	file_put(w);
}

KTEST(pipe_poll_hup)
{
	struct file *r, *w;
	KASSERT(make(0, &r, &w));
	KEXPECT_EQ(file_poll(r, NULL), 0);
	KEXPECT_EQ(file_poll(w, NULL), POLLOUT | POLLWRNORM);
	file_put(w);
	KEXPECT_EQ(file_poll(r, NULL), POLLHUP);
	file_put(r);
}
