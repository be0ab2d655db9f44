/*
 * Out-of-memory cases, run alone in a small machine (test part oom): a
 * process touching memory without bound is killed with SIGKILL, the killer
 * honours oom_score_adj, and the system goes on working afterwards.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "gt.h"

#define CHUNK (1u << 20)

/* The kernel log must name @pid as the victim (test/oom/check reads the console for it). */
static void expect_victim(pid_t pid, const char *comm)
{
	printf("OOM-EXPECT pid=%d comm=%s\n", (int)pid, comm);
	fflush(stdout);
}

/* Allocate and touch memory until killed; never returns. */
static void __attribute__((noreturn)) hog(const char *comm)
{
	prctl(PR_SET_NAME, comm, 0, 0, 0);
	for (;;) {
		char *p = mmap(NULL, CHUNK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			_exit(3);	/* the address space, not memory, ran out: wrong */
		for (size_t off = 0; off < CHUNK; off += 4096)
			p[off] = 1;
	}
}

static void set_adj(int adj)
{
	char text[16];
	snprintf(text, sizeof(text), "%d", adj);
	gt_write_file("/proc/self/oom_score_adj", text);
}

GT_CASE(hog_killed_by_sigkill, "mmap")
{
	pid_t pid = gt_fork();
	if (pid == 0)
		hog("oom-hog");
	expect_victim(pid, "oom-hog");
	gt_wait_signal(pid, SIGKILL);
}

GT_CASE(system_runs_after_oom, "fork execve mmap")
{
	/* A new program starts, and memory the victim held can be had again. */
	pid_t pid = gt_fork();
	if (pid == 0) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	gt_wait_exit(pid, 0);
	size_t len = 32u << 20;
	char *p = MAP_OK(mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	for (size_t off = 0; off < len; off += 4096)
		p[off] = (char)off;
	OK(munmap(p, len));
}

GT_CASE(oom_score_adj_chooses_victim, "mmap")
{
	/* A small process with oom_score_adj 1000 goes before a big one with 0. */
	int fds[2];
	OK(pipe(fds));
	pid_t small = gt_fork();
	if (small == 0) {
		prctl(PR_SET_NAME, "oom-bystander", 0, 0, 0);
		set_adj(1000);
		char *p = mmap(NULL, 4 * CHUNK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			       -1, 0);
		if (p == MAP_FAILED)
			_exit(3);
		for (size_t off = 0; off < 4 * CHUNK; off += 4096)
			p[off] = 1;
		if (write(fds[1], "r", 1) != 1)
			_exit(4);
		for (;;)
			pause();
	}
	close(fds[1]);
	char c;
	EQ(read(fds[0], &c, 1), 1);
	close(fds[0]);
	expect_victim(small, "oom-bystander");
	pid_t big = gt_fork();
	if (big == 0)
		hog("oom-hog2");
	expect_victim(big, "oom-hog2");
	/* The hog is killed once memory runs out again after the bystander's went. */
	gt_wait_signal(big, SIGKILL);
	/* Killed by the OOM killer before, or still paused: SIGTERM tells them apart. */
	kill(small, SIGTERM);
	gt_wait_signal(small, SIGKILL);
}
