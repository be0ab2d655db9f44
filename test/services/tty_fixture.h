/* Shared by the tty tests: a tty on a capturing driver, and session hooks that record signals and can inject input. */
#ifndef TEST_SERVICES_TTY_FIXTURE_H
#define TEST_SERVICES_TTY_FIXTURE_H

#include <abi/errno.h>
#include <abi/signal.h>
#include <frame/clock.h>
#include <frame/heap.h>
#include <frame/string.h>
#include <kernel/tty.h>

#define TT_OUT_MAX 16384
#define TT_SIGS_MAX 16

struct tt {
	struct tty tty;
	char out[TT_OUT_MAX];
	size_t out_len;
	/* Session model the hooks answer from. */
	int32_t pid, pgid, sid;
	struct tty *ctty;
	bool ignores, orphaned, pending, admin;
	int32_t sibling_pgrp;		/* another group of the caller's session */
	int32_t other_pgrp, other_sid;	/* one more group, in another session */
	struct { int32_t pgid; int sig; } sigs[TT_SIGS_MAX];
	size_t nsigs;
	/* Fed to the tty by the signal_pending hook: input "arriving while the reader sleeps". */
	const char *inject;
	size_t pending_calls;
};

/* The fixture the hooks talk to (tests run one at a time). */
static struct tt *tt_cur;

static void tt_write(struct tty *tty, const char *buf, size_t n)
{
	(void)tty;
	struct tt *t = tt_cur;
	for (size_t i = 0; i < n && t->out_len < TT_OUT_MAX; i++)
		t->out[t->out_len++] = buf[i];
}

static const struct tty_driver_ops tt_driver = { .write = tt_write };

static int32_t tt_pid(void) { return tt_cur->pid; }
static int32_t tt_pgid(void) { return tt_cur->pgid; }
static int32_t tt_sid(void) { return tt_cur->sid; }
static struct tty *tt_ctty(void) { return tt_cur->ctty; }
static void tt_set_ctty(struct tty *tty) { tt_cur->ctty = tty; }
static void tt_clear_session(int32_t sid) { (void)sid; tt_cur->ctty = NULL; }
static int32_t tt_pgrp_session(int32_t pgid)
{
	if (pgid == tt_cur->pgid || pgid == tt_cur->sibling_pgrp)
		return tt_cur->sid;
	if (pgid == tt_cur->other_pgrp)
		return tt_cur->other_sid;
	return -ESRCH;
}
static bool tt_orphaned(int32_t pgid) { (void)pgid; return tt_cur->orphaned; }
static bool tt_ignores(int sig) { (void)sig; return tt_cur->ignores; }
static void tt_signal(int32_t pgid, int sig)
{
	struct tt *t = tt_cur;
	if (t->nsigs < TT_SIGS_MAX) {
		t->sigs[t->nsigs].pgid = pgid;
		t->sigs[t->nsigs].sig = sig;
		t->nsigs++;
	}
}
static bool tt_pending(void)
{
	struct tt *t = tt_cur;
	t->pending_calls++;
	if (t->inject) {
		const char *s = t->inject;
		t->inject = NULL;
		tty_receive(&t->tty, (const uint8_t *)s, strlen(s));
	}
	return t->pending;
}
static bool tt_admin(void) { return tt_cur->admin; }

static const struct tty_session_ops tt_ops = {
	.current_pid = tt_pid,
	.current_pgid = tt_pgid,
	.current_sid = tt_sid,
	.current_ctty = tt_ctty,
	.set_current_ctty = tt_set_ctty,
	.session_clear_ctty = tt_clear_session,
	.pgrp_session = tt_pgrp_session,
	.pgrp_orphaned = tt_orphaned,
	.current_ignores = tt_ignores,
	.signal_pgrp = tt_signal,
	.signal_pending = tt_pending,
	.current_capable_admin = tt_admin,
};

/* A fresh tty with Linux's defaults; the caller is pid 10, group 10, session 10 leader, no ctty yet. */
static inline struct tt *tt_new(void)
{
	struct tt *t = kzalloc(sizeof(*t));
	if (!t)
		return NULL;
	tt_cur = t;
	tty_init(&t->tty, "test-tty", &tt_driver, t);
	t->pid = t->pgid = t->sid = 10;
	t->sibling_pgrp = 33;
	t->other_pgrp = 20;
	t->other_sid = 20;
	tty_set_session_ops(&tt_ops);
	return t;
}

static inline void tt_free(struct tt *t)
{
	tty_set_session_ops(NULL);
	tt_cur = NULL;
	kfree(t);
}

static inline void tt_in(struct tt *t, const char *s)
{
	tty_receive(&t->tty, (const uint8_t *)s, strlen(s));
}

/* True if the driver got exactly @s since the last check; the capture is then cleared. */
static inline bool tt_out_is(struct tt *t, const char *s)
{
	size_t n = strlen(s);
	bool ok = t->out_len == n && memcmp(t->out, s, n) == 0;
	t->out_len = 0;
	return ok;
}

/* Read into @buf (NUL-terminated) and return the result. */
static inline ssize_t tt_read(struct tt *t, char *buf, size_t n, int flags)
{
	ssize_t r = tty_read(&t->tty, buf, n - 1, flags);
	buf[r > 0 ? r : 0] = 0;
	return r;
}

static inline bool tt_streq(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

static inline long tt_get(struct tt *t, struct termios *out)
{
	return tty_ioctl(&t->tty, TCGETS, out, 0, true);
}

static inline long tt_set(struct tt *t, unsigned cmd, struct termios *tio)
{
	return tty_ioctl(&t->tty, cmd, tio, 0, true);
}

/* Make the tty the caller's controlling terminal with the caller's group in the foreground. */
static inline long tt_make_ctty(struct tt *t)
{
	return tty_ioctl(&t->tty, TIOCSCTTY, NULL, 0, true);
}

#endif
