/* Signal delivery round trip: kill() of the caller itself, handler run, sigreturn back. */
#include "bench.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t caught;

static void on_usr1(int sig)
{
	(void)sig;
	caught++;
}

static int sig_setup(void **state)
{
	(void)state;
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR1, &sa, NULL))
		return bench_fail("signal_roundtrip", "sigaction");
	return 0;
}

static int sig_loop(void *state, long iters)
{
	(void)state;
	pid_t self = getpid();
	caught = 0;
	for (long i = 0; i < iters; i++)
		if (kill(self, SIGUSR1))
			return bench_fail("signal_roundtrip", "kill");
	/* A signal sent to oneself and unblocked is delivered before kill() returns. */
	if (caught != iters)
		return bench_fail("signal_roundtrip", "handler ran a different number of times");
	return 0;
}

static void sig_teardown(void *state)
{
	(void)state;
	signal(SIGUSR1, SIG_DFL);
}
BENCH_CASE(sig_case, .name = "signal_roundtrip",
	   .what = "kill() of self with SIGUSR1, handler, sigreturn", .kind = BENCH_LATENCY,
	   .setup = sig_setup, .loop = sig_loop, .teardown = sig_teardown)
