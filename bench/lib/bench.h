/* Benchmark library: case registration, iteration calibration, median of runs, the BENCH output line. */
#ifndef BENCH_H
#define BENCH_H

#define _GNU_SOURCE
#include <stddef.h>

enum bench_kind {
	BENCH_LATENCY,   /* reported as ns per iteration; lower is better */
	BENCH_BANDWIDTH, /* reported as MiB/s from bytes per iteration; higher is better */
};

struct bench_case {
	const char *name;
	const char *what; /* one line for the report's table */
	enum bench_kind kind;
	size_t bytes; /* per iteration, for BENCH_BANDWIDTH */
	/* Optional: build what the loop needs (children, files); non-zero means failed. */
	int (*setup)(void **state);
	/* Runs iters iterations; non-zero means the figure is invalid. */
	int (*loop)(void *state, long iters);
	void (*teardown)(void *state);
};

void bench_register(const struct bench_case *c);

/* Registration by constructor keeps each case beside its loop; reports follow source order. */
#define BENCH_CASE(var, ...)                                              \
	static const struct bench_case var = { __VA_ARGS__ };             \
	__attribute__((constructor)) static void bench_reg_##var(void)    \
	{                                                                 \
		bench_register(&var);                                     \
	}

double bench_now(void);
/* Prints "BENCH-FAIL name: why (errno)" and returns -1, for loops and setups. */
int bench_fail(const char *name, const char *why);
/* Reads or writes exactly len bytes, retrying short transfers; 0 on success. */
int bench_read_full(int fd, void *buf, size_t len);
int bench_write_full(int fd, const void *buf, size_t len);

#endif
