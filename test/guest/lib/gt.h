/* Guest test library: case registration, assertions reporting file:line and errno names, helpers. */
#ifndef GT_H
#define GT_H

#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>
#include <sys/syscall.h>
#include <unistd.h>

typedef void (*gt_fn)(void);

struct gt_case {
	const char *name;
	const char *syscalls; /* space-separated syscall names this case covers */
	const char *file;
	int line;
	gt_fn fn;
};

void gt_register(const struct gt_case *c);

/*
 * GT_CASE(name, "sys1 sys2") { body }
 * Registration by constructor keeps each case next to its body; the runner
 * sorts by file:line so the report order is the source order.
 */
#define GT_CASE(cname, sys)                                                        \
	static void gt_case_##cname(void);                                          \
	__attribute__((constructor)) static void gt_reg_##cname(void)               \
	{                                                                           \
		static const struct gt_case c = { #cname, sys, __FILE__, __LINE__,   \
						  gt_case_##cname };                \
		gt_register(&c);                                                    \
	}                                                                           \
	static void gt_case_##cname(void)

__attribute__((noreturn, format(printf, 3, 4)))
void gt_fail(const char *file, int line, const char *fmt, ...);
const char *gt_errno_name(int e);
const char *gt_signal_name(int s);

/*
 * Pointers the kernel must reject with EFAULT: 8 is below mmap_min_addr (never
 * mappable), the other is the kernel text base. Kept in variables so the
 * compiler cannot see through them and refuse to build the call.
 */
extern uintptr_t gt_badptr_addr, gt_kptr_addr;
#define GT_BADPTR ((void *)gt_badptr_addr)
#define GT_KPTR ((void *)gt_kptr_addr)

#define GT_FAIL(...) gt_fail(__FILE__, __LINE__, __VA_ARGS__)

#define CHECK(cond)                                                         \
	do {                                                                \
		if (!(cond))                                                \
			GT_FAIL("check failed: %s", #cond);                 \
	} while (0)

/* Expect a call that signals failure with -1 to succeed; yields its value. */
#define OK(expr)                                                            \
	({                                                                  \
		errno = 0;                                                  \
		long gt_r_ = (long)(expr);                                  \
		if (gt_r_ == -1)                                            \
			GT_FAIL("%s failed with errno %s", #expr,           \
				gt_errno_name(errno));                      \
		gt_r_;                                                      \
	})

/* Expect -1 with errno E. */
#define ERR(expr, e)                                                        \
	do {                                                                \
		errno = 0;                                                  \
		long gt_r_ = (long)(expr);                                  \
		int gt_e_ = errno;                                          \
		if (gt_r_ != -1)                                            \
			GT_FAIL("expected errno %s from %s, got success (%ld)", \
				gt_errno_name(e), #expr, gt_r_);            \
		if (gt_e_ != (e))                                           \
			GT_FAIL("expected errno %s got %s from %s",         \
				gt_errno_name(e), gt_errno_name(gt_e_), #expr); \
	} while (0)

/* Expect -1 with errno being one of two values (only where Linux itself documents either). */
#define ERR2(expr, e1, e2)                                                  \
	do {                                                                \
		errno = 0;                                                  \
		long gt_r_ = (long)(expr);                                  \
		int gt_e_ = errno;                                          \
		if (gt_r_ != -1 || (gt_e_ != (e1) && gt_e_ != (e2)))         \
			GT_FAIL("expected errno %s or %s got %s (ret %ld) from %s", \
				gt_errno_name(e1), gt_errno_name(e2),       \
				gt_errno_name(gt_e_), gt_r_, #expr);        \
	} while (0)

#define EQ(a, b)                                                            \
	do {                                                                \
		long long gt_a_ = (long long)(a), gt_b_ = (long long)(b);   \
		if (gt_a_ != gt_b_)                                         \
			GT_FAIL("expected %s == %s, got %lld vs %lld", #a, #b, \
				gt_a_, gt_b_);                              \
	} while (0)

#define NE(a, b)                                                            \
	do {                                                                \
		long long gt_a_ = (long long)(a), gt_b_ = (long long)(b);   \
		if (gt_a_ == gt_b_)                                         \
			GT_FAIL("expected %s != %s, both %lld", #a, #b, gt_a_); \
	} while (0)

#define STREQ(a, b)                                                         \
	do {                                                                \
		const char *gt_a_ = (a), *gt_b_ = (b);                      \
		if (strcmp(gt_a_, gt_b_) != 0)                              \
			GT_FAIL("expected %s == \"%s\", got \"%s\"", #a, gt_b_, gt_a_); \
	} while (0)

#define MEMEQ(a, b, n)                                                      \
	do {                                                                \
		if (memcmp((a), (b), (n)) != 0)                             \
			GT_FAIL("memory differs: %s vs %s (%zu bytes)", #a, #b, \
				(size_t)(n));                               \
	} while (0)

/* Expect an mmap-style call to succeed (MAP_FAILED on error). */
#define MAP_OK(expr)                                                        \
	({                                                                  \
		errno = 0;                                                  \
		void *gt_p_ = (expr);                                       \
		if (gt_p_ == (void *)-1)                                    \
			GT_FAIL("%s failed with errno %s", #expr,           \
				gt_errno_name(errno));                      \
		gt_p_;                                                      \
	})

/* Optional per program: `PROG --helper ARGS` runs it, so exec tests have a target of ours. */
int gt_helper(int argc, char **argv) __attribute__((weak));

/* Helpers (each fails the case on unexpected errors). */
void gt_drop_privs(uid_t uid);          /* setgroups(0), setgid(uid), setuid(uid) */
pid_t gt_fork(void);                    /* fork that fails the case on error */
int gt_wait(pid_t pid);                 /* waitpid, returns raw status */
void gt_wait_exit(pid_t pid, int code); /* child must exit normally with code */
void gt_wait_signal(pid_t pid, int sig);/* child must be killed by sig */
void gt_write_file(const char *path, const char *text);
size_t gt_read_file(const char *path, char *buf, size_t size); /* NUL-terminates */
void gt_write_all(int fd, const void *buf, size_t n);
void gt_sleep_ms(long ms);
long long gt_now_ns(void);              /* CLOCK_MONOTONIC */

#endif
