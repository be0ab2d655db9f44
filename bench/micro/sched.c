/* Scheduling costs: a context switch between two processes, futex wake round trip between two threads. */
#include "bench.h"

#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* Linux ABI futex operations; musl ships no header for them. */
#define FUTEX_WAIT_PRIVATE 128
#define FUTEX_WAKE_PRIVATE 129

/*
 * Two processes that do nothing but sched_yield(): on the one vCPU every
 * yield hands the CPU to the other, so a parent yield is two switches.
 */
static pid_t yielder;

static int ctx_setup(void **state)
{
	(void)state;
	yielder = fork();
	if (yielder < 0)
		return bench_fail("context_switch", "fork");
	if (yielder == 0)
		for (;;)
			sched_yield();
	return 0;
}

static int ctx_loop(void *state, long iters)
{
	(void)state;
	/* Each iteration is one switch: half a parent yield's round trip. */
	for (long i = 0; i < iters; i += 2)
		if (sched_yield())
			return bench_fail("context_switch", "sched_yield");
	return 0;
}

static void ctx_teardown(void *state)
{
	(void)state;
	kill(yielder, SIGKILL);
	waitpid(yielder, NULL, 0);
}
BENCH_CASE(ctx_case, .name = "context_switch",
	   .what = "switch between two processes yielding to each other (one vCPU)",
	   .kind = BENCH_LATENCY, .setup = ctx_setup, .loop = ctx_loop, .teardown = ctx_teardown)

/* 1: the main thread is waiting for the helper; 0: the helper has answered; 2: stop. */
static atomic_int turn;
static pthread_t helper;

static long futex(atomic_int *addr, int op, int val)
{
	return syscall(SYS_futex, addr, op, val, NULL, NULL, 0);
}

static void wait_while(int value)
{
	while (atomic_load(&turn) == value)
		futex(&turn, FUTEX_WAIT_PRIVATE, value);
}

static void *helper_main(void *arg)
{
	(void)arg;
	for (;;) {
		wait_while(0);
		if (atomic_load(&turn) == 2)
			return NULL;
		atomic_store(&turn, 0);
		futex(&turn, FUTEX_WAKE_PRIVATE, 1);
	}
}

static int futex_setup(void **state)
{
	(void)state;
	atomic_store(&turn, 0);
	if (pthread_create(&helper, NULL, helper_main, NULL))
		return bench_fail("futex_wake", "pthread_create");
	return 0;
}

static int futex_loop(void *state, long iters)
{
	(void)state;
	for (long i = 0; i < iters; i++) {
		atomic_store(&turn, 1);
		if (futex(&turn, FUTEX_WAKE_PRIVATE, 1) < 0)
			return bench_fail("futex_wake", "FUTEX_WAKE");
		wait_while(1);
	}
	return 0;
}

static void futex_teardown(void *state)
{
	(void)state;
	atomic_store(&turn, 2);
	futex(&turn, FUTEX_WAKE_PRIVATE, 1);
	pthread_join(helper, NULL);
}
BENCH_CASE(futex_case, .name = "futex_wake",
	   .what = "futex wake round trip between two threads (wake, be woken back)",
	   .kind = BENCH_LATENCY, .setup = futex_setup, .loop = futex_loop,
	   .teardown = futex_teardown)
