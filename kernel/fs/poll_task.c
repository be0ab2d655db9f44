/* The process-layer hooks file waits use (signals, SIGPIPE, privilege), with defaults for host tests. */
#include <kernel/poll.h>

static bool default_false(void)
{
	return false;
}

static void default_sigpipe(void)
{
}

static bool default_capable(void)
{
	return true;
}

static const struct poll_task_hooks default_hooks = {
	default_false, default_sigpipe, default_capable,
};

static const struct poll_task_hooks *hooks = &default_hooks;

void poll_set_task_hooks(const struct poll_task_hooks *h)
{
	__atomic_store_n(&hooks, h ? h : &default_hooks, __ATOMIC_RELEASE);
}

static const struct poll_task_hooks *cur(void)
{
	return __atomic_load_n(&hooks, __ATOMIC_ACQUIRE);
}

bool poll_signal_pending(void)
{
	return cur()->signal_pending();
}

void poll_raise_sigpipe(void)
{
	cur()->raise_sigpipe();
}

bool poll_capable_resource(void)
{
	return cur()->capable_resource();
}
