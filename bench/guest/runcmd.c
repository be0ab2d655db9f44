/* Times a whole program: runs a command REPS times and prints the median wall time as a BENCH line. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: runcmd NAME REPS COMMAND [ARG...]\n");
		return 2;
	}
	const char *name = argv[1];
	int reps = atoi(argv[2]);
	double samples[32];
	if (reps < 1 || reps > 32) {
		fprintf(stderr, "runcmd: REPS must be 1-32\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int r = 0; r < reps; r++) {
		double t0 = now();
		pid_t pid = fork();
		if (pid == 0) {
			execvp(argv[3], argv + 3);
			_exit(127);
		}
		int status;
		if (pid < 0 || waitpid(pid, &status, 0) != pid) {
			printf("BENCH-FAIL %s: could not run %s\n", name, argv[3]);
			return 1;
		}
		samples[r] = now() - t0;
		/* A failing command finishes early; its time would flatter the kernel. */
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			printf("BENCH-FAIL %s: %s exited with status %#x\n", name, argv[3], status);
			return 1;
		}
	}
	qsort(samples, (size_t)reps, sizeof(samples[0]), cmp_double);
	printf("BENCH %s %.1f ms\n", name, samples[reps / 2] * 1e3);
	return 0;
}
