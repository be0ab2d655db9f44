/* Process creation costs: fork+exit+wait, fork+execve+wait and vfork+execve+wait of a static hello. */
#include "bench.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static const char *hello_path(void)
{
	const char *p = getenv("BENCH_HELLO");
	return p && *p ? p : "/bench/hello";
}

/* The child's exit status must be 0, or the loop measured a failure path. */
static int reap(pid_t pid, const char *name)
{
	int status;
	if (pid < 0)
		return bench_fail(name, "fork");
	if (waitpid(pid, &status, 0) != pid)
		return bench_fail(name, "waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return bench_fail(name, "child did not exit 0");
	return 0;
}

static int fork_loop(void *state, long iters)
{
	(void)state;
	for (long i = 0; i < iters; i++) {
		pid_t pid = fork();
		if (pid == 0)
			_exit(0);
		if (reap(pid, "fork_exit_wait"))
			return -1;
	}
	return 0;
}
BENCH_CASE(fork_case, .name = "fork_exit_wait", .what = "fork(), child _exit(0), parent waitpid()",
	   .kind = BENCH_LATENCY, .loop = fork_loop)

/* The hello's greeting goes to /dev/null: console output would dominate the figure. */
static void exec_hello(void)
{
	int fd = open("/dev/null", O_WRONLY);
	if (fd < 0 || dup2(fd, 1) < 0)
		_exit(126);
	char *argv[] = { (char *)"hello", NULL };
	execve(hello_path(), argv, environ);
	_exit(127);
}

static int exec_check(void **state)
{
	(void)state;
	if (access(hello_path(), X_OK))
		return bench_fail("exec", "hello program not executable (set BENCH_HELLO)");
	return 0;
}

static int fork_exec_loop(void *state, long iters)
{
	(void)state;
	for (long i = 0; i < iters; i++) {
		pid_t pid = fork();
		if (pid == 0)
			exec_hello();
		if (reap(pid, "fork_exec_wait"))
			return -1;
	}
	return 0;
}
BENCH_CASE(fork_exec_case, .name = "fork_exec_wait",
	   .what = "fork(), child execve() of a static hello, parent waitpid()", .kind = BENCH_LATENCY,
	   .setup = exec_check, .loop = fork_exec_loop)

/* Its own frame, so the loop's variables are not live across vfork(); the child never returns here. */
static __attribute__((noinline)) pid_t vfork_hello(void)
{
	pid_t pid = vfork();
	if (pid == 0)
		exec_hello();
	return pid;
}

static int vfork_exec_loop(void *state, long iters)
{
	(void)state;
	for (long i = 0; i < iters; i++) {
		pid_t pid = vfork_hello();
		if (reap(pid, "vfork_exec_wait"))
			return -1;
	}
	return 0;
}
BENCH_CASE(vfork_exec_case, .name = "vfork_exec_wait",
	   .what = "vfork(), child execve() of a static hello, parent waitpid()", .kind = BENCH_LATENCY,
	   .setup = exec_check, .loop = vfork_exec_loop)
