/* Benchmark runner shared by every bench program: calibrates each case to a target time and prints the median. */
#include "bench.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_CASES 32

static const struct bench_case *cases[MAX_CASES];
static int ncases;

void bench_register(const struct bench_case *c)
{
	if (ncases == MAX_CASES) {
		fprintf(stderr, "bench: too many cases, raise MAX_CASES\n");
		exit(2);
	}
	cases[ncases++] = c;
}

double bench_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int bench_fail(const char *name, const char *why)
{
	printf("BENCH-FAIL %s: %s (%s)\n", name, why, strerror(errno));
	fflush(stdout);
	return -1;
}

int bench_read_full(int fd, void *buf, size_t len)
{
	char *p = buf;
	while (len) {
		ssize_t n = read(fd, p, len);
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int bench_write_full(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/*
 * Quick mode (BENCH_QUICK=1) only proves every case yields a figure, so it
 * spends a tenth of the time; full mode aims at ~0.1 s per run, five runs.
 */
static void timing_params(double *target, int *runs)
{
	const char *q = getenv("BENCH_QUICK");
	if (q && *q && strcmp(q, "0") != 0) {
		*target = 0.01;
		*runs = 3;
	} else {
		*target = 0.08;
		*runs = 5;
	}
}

/* Seconds for iters iterations, or a negative value when the loop failed. */
static double timed(const struct bench_case *c, void *state, long iters)
{
	double t0 = bench_now();
	if (c->loop(state, iters))
		return -1;
	return bench_now() - t0;
}

static int run_case(const struct bench_case *c)
{
	double target, samples[16];
	int runs;
	void *state = NULL;
	timing_params(&target, &runs);
	if (c->setup && c->setup(&state))
		return -1;
	/* Grow the count until one run is long enough that the clock's grain is noise. */
	long iters = 1;
	double t;
	for (;;) {
		t = timed(c, state, iters);
		if (t < 0)
			goto failed;
		if (t >= target / 4 || iters >= (1L << 30))
			break;
		long grow = t > 0 ? (long)(target / 2 / t) : 16;
		iters *= grow < 2 ? 2 : grow > 16 ? 16 : grow;
	}
	if (t > 0 && t < target)
		iters = (long)((double)iters * target / t);
	if (iters < 1)
		iters = 1;
	for (int r = 0; r < runs; r++) {
		t = timed(c, state, iters);
		if (t < 0)
			goto failed;
		samples[r] = t / (double)iters;
	}
	if (c->teardown)
		c->teardown(state);
	qsort(samples, (size_t)runs, sizeof(samples[0]), cmp_double);
	double per_iter = samples[runs / 2];
	if (c->kind == BENCH_LATENCY)
		printf("BENCH %s %.1f ns\n", c->name, per_iter * 1e9);
	else
		printf("BENCH %s %.1f MiB/s\n", c->name,
		       (double)c->bytes / per_iter / (1024.0 * 1024.0));
	fflush(stdout);
	return 0;
failed:
	if (c->teardown)
		c->teardown(state);
	return -1;
}

/*
 * usage: PROG [--list | NAME...]
 * --list prints "name<TAB>unit<TAB>description" per case, so the host knows
 * which figures to expect without booting anything.
 */
int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && strcmp(argv[1], "--list") == 0) {
		for (int i = 0; i < ncases; i++)
			printf("%s\t%s\t%s\n", cases[i]->name,
			       cases[i]->kind == BENCH_LATENCY ? "ns" : "MiB/s", cases[i]->what);
		return 0;
	}
	int failed = 0;
	for (int i = 0; i < ncases; i++) {
		int wanted = argc == 1;
		for (int a = 1; a < argc; a++)
			wanted |= strcmp(argv[a], cases[i]->name) == 0;
		if (wanted && run_case(cases[i])) {
			printf("BENCH-FAIL %s\n", cases[i]->name);
			failed = 1;
		}
	}
	return failed;
}
