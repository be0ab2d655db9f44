/* System-call entry costs: null call, one-byte read/write on /dev/null, open+close and stat of a tmpfs file. */
#include "bench.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* A two-component path on tmpfs: the lookup is part of what open and stat cost. */
#define FILE_PATH "/tmp/bench-syscall-file"

static int null_loop(void *state, long iters)
{
	(void)state;
	for (long i = 0; i < iters; i++)
		/* syscall() rather than getppid() so no libc can answer from a cache. */
		if (syscall(SYS_getppid) < 0)
			return bench_fail("null_syscall", "getppid");
	return 0;
}
BENCH_CASE(null_case, .name = "null_syscall", .what = "getppid()", .kind = BENCH_LATENCY,
	   .loop = null_loop)

static int devnull_setup(void **state)
{
	int fd = open("/dev/null", O_RDWR);
	if (fd < 0)
		return bench_fail("devnull", "open /dev/null");
	*state = (void *)(intptr_t)fd;
	return 0;
}

static void devnull_teardown(void *state)
{
	close((int)(intptr_t)state);
}

static int read_loop(void *state, long iters)
{
	int fd = (int)(intptr_t)state;
	char c;
	for (long i = 0; i < iters; i++)
		if (read(fd, &c, 1) != 0)
			return bench_fail("read_devnull", "read of /dev/null did not return 0");
	return 0;
}
BENCH_CASE(read_case, .name = "read_devnull", .what = "read() of 1 byte from /dev/null",
	   .kind = BENCH_LATENCY, .setup = devnull_setup, .loop = read_loop,
	   .teardown = devnull_teardown)

static int write_loop(void *state, long iters)
{
	int fd = (int)(intptr_t)state;
	char c = 'x';
	for (long i = 0; i < iters; i++)
		if (write(fd, &c, 1) != 1)
			return bench_fail("write_devnull", "write to /dev/null");
	return 0;
}
BENCH_CASE(write_case, .name = "write_devnull", .what = "write() of 1 byte to /dev/null",
	   .kind = BENCH_LATENCY, .setup = devnull_setup, .loop = write_loop,
	   .teardown = devnull_teardown)

static int file_setup(void **state)
{
	(void)state;
	int fd = open(FILE_PATH, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	if (fd < 0)
		return bench_fail("file", "create " FILE_PATH);
	close(fd);
	return 0;
}

static void file_teardown(void *state)
{
	(void)state;
	unlink(FILE_PATH);
}

static int open_loop(void *state, long iters)
{
	(void)state;
	for (long i = 0; i < iters; i++) {
		int fd = open(FILE_PATH, O_RDONLY);
		if (fd < 0 || close(fd))
			return bench_fail("open_close", "open/close " FILE_PATH);
	}
	return 0;
}
BENCH_CASE(open_case, .name = "open_close", .what = "open()+close() of a tmpfs file",
	   .kind = BENCH_LATENCY, .setup = file_setup, .loop = open_loop,
	   .teardown = file_teardown)

static int stat_loop(void *state, long iters)
{
	(void)state;
	struct stat st;
	for (long i = 0; i < iters; i++)
		if (stat(FILE_PATH, &st))
			return bench_fail("stat", "stat " FILE_PATH);
	return 0;
}
BENCH_CASE(stat_case, .name = "stat", .what = "stat() of a tmpfs file", .kind = BENCH_LATENCY,
	   .setup = file_setup, .loop = stat_loop, .teardown = file_teardown)
