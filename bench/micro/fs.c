/* tmpfs costs: create+delete of a file, sequential write and read of 1 MiB in 64 KiB calls. */
#include "bench.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#define DIR_PATH "/tmp"
#define CREATE_PATH DIR_PATH "/bench-fs-create"
#define DATA_PATH DIR_PATH "/bench-fs-data"
#define MIB (1024 * 1024)
#define CALL (64 * 1024)

static char buf[CALL];

static int create_loop(void *state, long iters)
{
	(void)state;
	for (long i = 0; i < iters; i++) {
		int fd = open(CREATE_PATH, O_CREAT | O_EXCL | O_WRONLY, 0644);
		if (fd < 0 || close(fd))
			return bench_fail("create_delete", "create " CREATE_PATH);
		if (unlink(CREATE_PATH))
			return bench_fail("create_delete", "unlink " CREATE_PATH);
	}
	return 0;
}
BENCH_CASE(create_case, .name = "create_delete",
	   .what = "open(O_CREAT|O_EXCL)+close+unlink of a tmpfs file", .kind = BENCH_LATENCY,
	   .loop = create_loop)

static int data_fd = -1;

static int data_setup(void **state)
{
	(void)state;
	data_fd = open(DATA_PATH, O_CREAT | O_TRUNC | O_RDWR, 0644);
	if (data_fd < 0)
		return bench_fail("tmpfs", "create " DATA_PATH);
	for (int i = 0; i < MIB / CALL; i++)
		if (bench_write_full(data_fd, buf, CALL))
			return bench_fail("tmpfs", "fill " DATA_PATH);
	return 0;
}

static void data_teardown(void *state)
{
	(void)state;
	close(data_fd);
	unlink(DATA_PATH);
}

/* Truncating first makes every pass allocate its pages, as writing a new file does. */
static int write_loop(void *state, long iters)
{
	(void)state;
	for (long i = 0; i < iters; i++) {
		if (ftruncate(data_fd, 0) || lseek(data_fd, 0, SEEK_SET) != 0)
			return bench_fail("tmpfs_write_1MiB", "truncate");
		for (int k = 0; k < MIB / CALL; k++)
			if (write(data_fd, buf, CALL) != CALL)
				return bench_fail("tmpfs_write_1MiB", "write");
	}
	return 0;
}
BENCH_CASE(write_case, .name = "tmpfs_write_1MiB",
	   .what = "truncate then write 1 MiB to a tmpfs file in 64 KiB calls", .kind = BENCH_BANDWIDTH,
	   .bytes = MIB, .setup = data_setup, .loop = write_loop, .teardown = data_teardown)

static int read_loop(void *state, long iters)
{
	(void)state;
	for (long i = 0; i < iters; i++) {
		if (lseek(data_fd, 0, SEEK_SET) != 0)
			return bench_fail("tmpfs_read_1MiB", "lseek");
		for (int k = 0; k < MIB / CALL; k++)
			if (read(data_fd, buf, CALL) != CALL)
				return bench_fail("tmpfs_read_1MiB", "short read");
	}
	return 0;
}
BENCH_CASE(read_case, .name = "tmpfs_read_1MiB",
	   .what = "read 1 MiB of a tmpfs file in 64 KiB calls", .kind = BENCH_BANDWIDTH,
	   .bytes = MIB, .setup = data_setup, .loop = read_loop, .teardown = data_teardown)
