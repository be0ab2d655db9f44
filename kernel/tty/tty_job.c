/* Job control through the process layer's hooks, and the one-session defaults used until it installs its own. */
#include <abi/errno.h>
#include <abi/signal.h>
#include <frame/log.h>
#include "tty_internal.h"

/* The defaults: one session (pid = pgid = sid = 1) that is always in the foreground. */
static struct tty *default_ctty;

static int32_t default_one(void)
{
	return 1;
}

static struct tty *default_current_ctty(void)
{
	return default_ctty;
}

static void default_set_current_ctty(struct tty *tty)
{
	default_ctty = tty;
}

static void default_session_clear_ctty(int32_t sid)
{
	(void)sid;
	default_ctty = NULL;
}

static int32_t default_pgrp_session(int32_t pgid)
{
	return pgid == 1 ? 1 : -ESRCH;
}

static bool default_false_pgid(int32_t pgid)
{
	(void)pgid;
	return false;
}

static bool default_false_sig(int sig)
{
	(void)sig;
	return false;
}

static void default_signal_pgrp(int32_t pgid, int sig)
{
	pr_debug("tty: no process layer: signal %d to group %d dropped\n", sig, (int)pgid);
}

static bool default_false(void)
{
	return false;
}

static bool default_true(void)
{
	return true;
}

static const struct tty_session_ops default_ops = {
	.current_pid = default_one,
	.current_pgid = default_one,
	.current_sid = default_one,
	.current_ctty = default_current_ctty,
	.set_current_ctty = default_set_current_ctty,
	.session_clear_ctty = default_session_clear_ctty,
	.pgrp_session = default_pgrp_session,
	.pgrp_orphaned = default_false_pgid,
	.current_ignores = default_false_sig,
	.signal_pgrp = default_signal_pgrp,
	.signal_pending = default_false,
	.current_capable_admin = default_true,
};

static const struct tty_session_ops *session_ops = &default_ops;

void tty_set_session_ops(const struct tty_session_ops *ops)
{
	__atomic_store_n(&session_ops, ops ? ops : &default_ops, __ATOMIC_RELEASE);
}

const struct tty_session_ops *tty_session(void)
{
	return __atomic_load_n(&session_ops, __ATOMIC_ACQUIRE);
}

int tty_job_check(struct tty *tty, int sig)
{
	const struct tty_session_ops *ops = tty_session();
	/* Only a terminal's own sessions are policed: anyone else may use it freely. */
	if (ops->current_ctty() != tty)
		return 0;
	unsigned long flags = spin_lock_irqsave(&tty->lock);
	int32_t fg = tty->pgrp;
	spin_unlock_irqrestore(&tty->lock, flags);
	int32_t pgrp = ops->current_pgid();
	if (!fg || pgrp == fg)
		return 0;
	if (ops->current_ignores(sig))
		/* A background writer ignoring SIGTTOU may write; a reader ignoring SIGTTIN may not. */
		return sig == SIGTTIN ? -EIO : 0;
	if (ops->pgrp_orphaned(pgrp))
		return -EIO;
	ops->signal_pgrp(pgrp, sig);
	return -ERESTARTSYS;
}
