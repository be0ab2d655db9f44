/* Guest cases: memory — mmap/munmap/mprotect/mremap/brk, file and shared mappings, madvise, mlock, memfd. */
#include "gt.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

#define PG 4096UL

static void *anon(size_t len, int prot)
{
	return MAP_OK(mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
}

/* Runs fn in a child and returns the signal that killed it (0 if it exited). */
static int fault_signal(void (*fn)(void *), void *arg)
{
	pid_t pid = gt_fork();
	if (pid == 0) {
		fn(arg);
		_exit(0);
	}
	int st = gt_wait(pid);
	return WIFSIGNALED(st) ? WTERMSIG(st) : 0;
}

static void poke(void *p)
{
	*(volatile char *)p = 1;
}

static void peek(void *p)
{
	(void)*(volatile char *)p;
}

GT_CASE(mmap_anon_zeroed, "mmap munmap")
{
	char *p = anon(3 * PG, PROT_READ | PROT_WRITE);
	EQ((uintptr_t)p % PG, 0);
	for (size_t i = 0; i < 3 * PG; i += 512)
		EQ(p[i], 0);
	p[0] = 1;
	p[3 * PG - 1] = 2;
	OK(munmap(p, 3 * PG));
}

GT_CASE(mmap_errors, "mmap")
{
	ERR(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), EINVAL);
	ERR(mmap(NULL, PG, PROT_READ, MAP_ANONYMOUS, -1, 0), EINVAL); /* neither private nor shared */
	ERR(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, -1, 0), EBADF);
	ERR(mmap((void *)(0x100000 + 1), PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
	    EINVAL);
	gt_write_file("f", "x");
	int fd = (int)OK(open("f", O_RDONLY));
	ERR(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 1), EINVAL); /* unaligned offset */
	ERR(mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), EACCES);
	ERR(mmap(NULL, (size_t)-PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), ENOMEM);
}

GT_CASE(mmap_wronly_file_eacces, "mmap")
{
	gt_write_file("f", "x");
	int fd = (int)OK(open("f", O_WRONLY));
	ERR(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 0), EACCES);
}

GT_CASE(mmap_directory_enodev, "mmap")
{
	int fd = (int)OK(open(".", O_RDONLY));
	ERR(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 0), ENODEV);
}

GT_CASE(mmap_fixed_replaces, "mmap")
{
	char *p = anon(2 * PG, PROT_READ | PROT_WRITE);
	p[PG] = 5;
	char *q = MAP_OK(mmap(p + PG, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
			      -1, 0));
	CHECK(q == p + PG);
	EQ(q[0], 0);
}

GT_CASE(mmap_fixed_noreplace, "mmap")
{
	char *p = anon(PG, PROT_READ);
	ERR(mmap(p, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0), EEXIST);
	OK(munmap(p, PG));
	char *q = MAP_OK(mmap(p, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0));
	CHECK(q == p);
}

GT_CASE(mmap_hint_respected_when_free, "mmap")
{
	void *hint = (void *)0x200000000UL;
	void *p = MAP_OK(mmap(hint, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	CHECK(p == hint);
}

GT_CASE(munmap_then_fault, "munmap")
{
	char *p = anon(PG, PROT_READ | PROT_WRITE);
	OK(munmap(p, PG));
	EQ(fault_signal(peek, p), SIGSEGV);
}

GT_CASE(munmap_errors, "munmap")
{
	char *p = anon(PG, PROT_READ);
	ERR(munmap(p + 1, PG), EINVAL);
	ERR(munmap(p, 0), EINVAL);
	OK(munmap(p, PG));
	OK(munmap(p, PG)); /* unmapping nothing is fine */
}

GT_CASE(munmap_partial_middle, "munmap")
{
	char *p = anon(3 * PG, PROT_READ | PROT_WRITE);
	OK(munmap(p + PG, PG));
	p[0] = 1;
	p[2 * PG] = 1;
	EQ(fault_signal(poke, p + PG), SIGSEGV);
}

GT_CASE(mprotect_readonly_faults, "mprotect")
{
	char *p = anon(PG, PROT_READ | PROT_WRITE);
	p[0] = 1;
	OK(mprotect(p, PG, PROT_READ));
	EQ(p[0], 1);
	EQ(fault_signal(poke, p), SIGSEGV);
	OK(mprotect(p, PG, PROT_NONE));
	EQ(fault_signal(peek, p), SIGSEGV);
	OK(mprotect(p, PG, PROT_READ | PROT_WRITE));
	p[0] = 2;
}

GT_CASE(mprotect_errors, "mprotect")
{
	char *p = anon(PG, PROT_READ);
	ERR(syscall(SYS_mprotect, p + 1, PG, PROT_READ), EINVAL); /* musl rounds the start down */
	ERR(mprotect(p, PG, 0x1000), EINVAL);
	OK(munmap(p, PG));
	ERR(mprotect(p, PG, PROT_READ), ENOMEM);
}

GT_CASE(mprotect_shared_readonly_file_eacces, "mprotect")
{
	gt_write_file("f", "data");
	int fd = (int)OK(open("f", O_RDONLY));
	char *p = MAP_OK(mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0));
	ERR(mprotect(p, PG, PROT_READ | PROT_WRITE), EACCES);
}

GT_CASE(mmap_file_private, "mmap")
{
	gt_write_file("f", "file contents");
	int fd = (int)OK(open("f", O_RDWR));
	char *p = MAP_OK(mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0));
	MEMEQ(p, "file contents", 13);
	EQ(p[13], 0); /* tail of the page past EOF is zero */
	p[0] = 'F';
	char buf[16];
	gt_read_file("f", buf, sizeof buf);
	STREQ(buf, "file contents");
}

GT_CASE(mmap_file_shared_writes_through, "mmap msync")
{
	gt_write_file("f", "aaaa");
	int fd = (int)OK(open("f", O_RDWR));
	char *p = MAP_OK(mmap(NULL, 4, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));
	p[1] = 'B';
	OK(msync(p, 4, MS_SYNC));
	char buf[8];
	gt_read_file("f", buf, sizeof buf);
	STREQ(buf, "aBaa");
	EQ(pwrite(fd, "Z", 1, 3), 1);
	EQ(p[3], 'Z');
	ERR(msync(p, 4, MS_SYNC | MS_ASYNC), EINVAL);
	ERR(msync(p + 1, 4, MS_SYNC), EINVAL);
}

GT_CASE(mmap_offset, "mmap")
{
	int fd = (int)OK(open("f", O_RDWR | O_CREAT, 0644));
	OK(ftruncate(fd, 2 * PG));
	EQ(pwrite(fd, "second", 6, PG), 6);
	char *p = MAP_OK(mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, PG));
	MEMEQ(p, "second", 6);
}

GT_CASE(mmap_beyond_eof_sigbus, "mmap")
{
	gt_write_file("f", "x");
	int fd = (int)OK(open("f", O_RDONLY));
	char *p = MAP_OK(mmap(NULL, 2 * PG, PROT_READ, MAP_SHARED, fd, 0));
	EQ(p[0], 'x');
	EQ(fault_signal(peek, p + PG), SIGBUS);
}

GT_CASE(map_shared_anon_across_fork, "mmap fork")
{
	int *p = MAP_OK(mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
	pid_t pid = gt_fork();
	if (pid == 0) {
		*p = 99;
		_exit(0);
	}
	gt_wait_exit(pid, 0);
	EQ(*p, 99);
}

GT_CASE(map_private_cow_across_fork, "mmap fork")
{
	int *p = anon(PG, PROT_READ | PROT_WRITE);
	*p = 1;
	pid_t pid = gt_fork();
	if (pid == 0) {
		*p = 2;
		_exit(*p);
	}
	gt_wait_exit(pid, 2);
	EQ(*p, 1);
}

GT_CASE(mremap_grow_move, "mremap")
{
	char *p = anon(PG, PROT_READ | PROT_WRITE);
	p[0] = 'm';
	char *q = MAP_OK(mremap(p, PG, 4 * PG, MREMAP_MAYMOVE));
	EQ(q[0], 'm');
	q[4 * PG - 1] = 1;
	char *r = MAP_OK(mremap(q, 4 * PG, PG, 0));
	CHECK(r == q);
	EQ(fault_signal(poke, q + 2 * PG), SIGSEGV);
}

GT_CASE(mremap_errors, "mremap")
{
	char *p = anon(PG, PROT_READ);
	ERR(mremap(p + 1, PG, PG, 0), EINVAL);
	ERR(mremap(p, PG, 2 * PG, 0x100), EINVAL);
	ERR(mremap(p, PG, 0, 0), EINVAL);
	char *q = anon(PG, PROT_READ);
	(void)q;
	OK(munmap(p, PG));
	ERR(mremap(p, PG, PG, 0), EFAULT);
}

GT_CASE(brk_grow_shrink, "brk")
{
	uintptr_t cur = (uintptr_t)syscall(SYS_brk, 0);
	CHECK(cur != 0);
	uintptr_t want = cur + 64 * 1024;
	EQ(syscall(SYS_brk, want), want);
	volatile char *p = (char *)cur;
	p[0] = 1;
	p[64 * 1024 - 1] = 2;
	EQ(syscall(SYS_brk, cur), cur);
	/* an impossible break leaves it unchanged; the raw call reports the current break */
	EQ(syscall(SYS_brk, 0x10), cur);
}

GT_CASE(madvise_dontneed_zeroes, "madvise")
{
	char *p = anon(2 * PG, PROT_READ | PROT_WRITE);
	p[0] = 7;
	OK(madvise(p, PG, MADV_DONTNEED));
	EQ(p[0], 0);
	ERR(madvise(p + 1, PG, MADV_DONTNEED), EINVAL);
	ERR(madvise(p, PG, 12345), EINVAL);
	OK(madvise(p, 2 * PG, MADV_WILLNEED));
}

GT_CASE(mincore_resident, "mincore")
{
	char *p = anon(2 * PG, PROT_READ | PROT_WRITE);
	p[0] = 1;
	unsigned char vec[2];
	OK(mincore(p, 2 * PG, vec));
	EQ(vec[0] & 1, 1);
	ERR(mincore(p + 1, PG, vec), EINVAL);
	OK(munmap(p, 2 * PG));
	ERR(mincore(p, PG, vec), ENOMEM);
}

GT_CASE(mlock_munlock, "mlock munlock mlockall munlockall")
{
	char *p = anon(PG, PROT_READ | PROT_WRITE);
	OK(mlock(p, PG));
	OK(munlock(p, PG));
	OK(munmap(p, PG));
	ERR(mlock(p, PG), ENOMEM);
	OK(mlockall(MCL_CURRENT));
	OK(munlockall());
	ERR(mlockall(0), EINVAL);
}

GT_CASE(mlock_nonroot_rlimit, "mlock")
{
	struct rlimit rl = { 0, 0 };
	OK(setrlimit(RLIMIT_MEMLOCK, &rl));
	char *p = anon(PG, PROT_READ | PROT_WRITE);
	gt_drop_privs(1000);
	ERR(mlock(p, PG), EPERM);
}

GT_CASE(memfd_create_basic, "memfd_create ftruncate mmap")
{
	int fd = (int)OK(memfd_create("gt", MFD_CLOEXEC));
	EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	OK(ftruncate(fd, PG));
	char *p = MAP_OK(mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));
	p[10] = 'q';
	char c;
	EQ(pread(fd, &c, 1, 10), 1);
	EQ(c, 'q');
	char link[64], buf[64];
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	long n = OK(readlink(link, buf, sizeof buf - 1));
	buf[n] = 0;
	STREQ(buf, "/memfd:gt (deleted)");
	ERR(memfd_create("gt", 0x1000), EINVAL);
}

GT_CASE(memfd_seals, "memfd_create fcntl")
{
	int fd = (int)OK(memfd_create("s", MFD_ALLOW_SEALING));
	OK(ftruncate(fd, 100));
	OK(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW));
	EQ(fcntl(fd, F_GET_SEALS), F_SEAL_SHRINK | F_SEAL_GROW);
	ERR(ftruncate(fd, 50), EPERM);
	ERR(ftruncate(fd, 200), EPERM);
	int nf = (int)OK(memfd_create("n", 0));
	ERR(fcntl(nf, F_ADD_SEALS, F_SEAL_WRITE), EPERM);
}

GT_CASE(proc_self_maps_shows_mapping, "mmap")
{
	char *p = anon(PG, PROT_READ);
	static char buf[65536];
	gt_read_file("/proc/self/maps", buf, sizeof buf);
	char want[32];
	snprintf(want, sizeof want, "%lx-%lx r--p", (unsigned long)p, (unsigned long)p + PG);
	CHECK(strstr(buf, want) != NULL);
}

GT_CASE(stack_grows, "mmap")
{
	/* touching 1 MiB of stack must work under the default 8 MiB limit */
	volatile char big[1 << 20];
	big[0] = 1;
	big[sizeof big - 1] = 2;
	EQ(big[0] + big[sizeof big - 1], 3);
}

GT_CASE(exec_memory_runs, "mmap mprotect")
{
	/* x86-64 "mov eax, 42; ret" placed in a fresh executable page */
	static const unsigned char code[] = { 0xb8, 42, 0, 0, 0, 0xc3 };
	unsigned char *p = anon(PG, PROT_READ | PROT_WRITE);
	memcpy(p, code, sizeof code);
	OK(mprotect(p, PG, PROT_READ | PROT_EXEC));
	int (*fn)(void);
	memcpy(&fn, &p, sizeof fn);
	EQ(fn(), 42);
}

GT_CASE(noexec_page_faults, "mmap")
{
	unsigned char *p = anon(PG, PROT_READ | PROT_WRITE);
	p[0] = 0xc3;
	pid_t pid = gt_fork();
	if (pid == 0) {
		void (*fn)(void);
		memcpy(&fn, &p, sizeof fn);
		fn();
		_exit(0);
	}
	gt_wait_signal(pid, SIGSEGV);
}

GT_CASE(rlimit_as_enomem, "mmap setrlimit")
{
	struct rlimit rl = { 256UL << 20, 256UL << 20 };
	OK(setrlimit(RLIMIT_AS, &rl));
	ERR(mmap(NULL, 512UL << 20, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), ENOMEM);
}

GT_CASE(large_sparse_anon, "mmap")
{
	/* address space larger than RAM is fine until touched */
	char *p = MAP_OK(mmap(NULL, 4UL << 30, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0));
	p[0] = 1;
	p[(4UL << 30) - 1] = 1;
	OK(munmap(p, 4UL << 30));
}

/* A /proc/meminfo figure in kB. */
static long meminfo_kb(const char *name)
{
	char buf[4096];
	gt_read_file("/proc/meminfo", buf, sizeof buf);
	size_t n = strlen(name);
	for (char *l = buf; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (!strncmp(l, name, n) && l[n] == ':')
			return atol(l + n + 1);
	GT_FAIL("no %s in /proc/meminfo", name);
}

/* One write to a sysctl opened afresh: its result, or -errno. */
static long sysctl_put(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	long r = write(fd, text, strlen(text));
	long e = r < 0 ? -errno : r;
	close(fd);
	return e;
}

#define OVERCOMMIT "/proc/sys/vm/overcommit_memory"

static void *try_map(size_t len, int prot, int extra)
{
	return mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS | extra, -1, 0);
}

/* Run @fn in a child under overcommit mode @mode; mode 0 is back whatever happens. */
static void under_overcommit(const char *mode, void (*fn)(void))
{
	pid_t pid = gt_fork();
	if (pid == 0) {
		if (sysctl_put(OVERCOMMIT, mode) != 1)
			GT_FAIL("cannot set overcommit_memory to %s", mode);
		fn();
		_exit(0);
	}
	int st = gt_wait(pid);
	EQ(sysctl_put(OVERCOMMIT, "0"), 1);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

GT_CASE(overcommit_sysctls, "openat read write")
{
	char buf[32];
	gt_read_file(OVERCOMMIT, buf, sizeof buf);
	STREQ(buf, "0\n");
	gt_read_file("/proc/sys/vm/overcommit_ratio", buf, sizeof buf);
	STREQ(buf, "50\n");
	EQ(sysctl_put(OVERCOMMIT, "3"), -EINVAL);
	EQ(sysctl_put(OVERCOMMIT, "-1"), -EINVAL);
	gt_read_file(OVERCOMMIT, buf, sizeof buf);
	STREQ(buf, "0\n");
}

GT_CASE(overcommit_guess_refuses_more_than_ram, "mmap")
{
	size_t ram = (size_t)meminfo_kb("MemTotal") * 1024;
	/* Mode 0: one private writable mapping larger than all memory is refused... */
	ERR(try_map(2 * ram, PROT_READ | PROT_WRITE, 0), ENOMEM);
	/* ...but not one that commits nothing (read-only, or MAP_NORESERVE)... */
	void *p = MAP_OK(try_map(2 * ram, PROT_READ, 0));
	OK(munmap(p, 2 * ram));
	p = MAP_OK(try_map(2 * ram, PROT_READ | PROT_WRITE, MAP_NORESERVE));
	OK(munmap(p, 2 * ram));
	/* ...and half of memory is promised without a question. */
	p = MAP_OK(try_map(ram / 2, PROT_READ | PROT_WRITE, 0));
	OK(munmap(p, ram / 2));
}

static void always_body(void)
{
	size_t ram = (size_t)meminfo_kb("MemTotal") * 1024;
	void *p = MAP_OK(try_map(4 * ram, PROT_READ | PROT_WRITE, 0));
	OK(munmap(p, 4 * ram));
}

GT_CASE(overcommit_always_allows_all, "mmap")
{
	under_overcommit("1", always_body);
}

static void never_body(void)
{
	long total_kb = meminfo_kb("MemTotal"), limit_kb = meminfo_kb("CommitLimit");
	/* CommitLimit: overcommit_ratio (50) percent of RAM, there is no swap. */
	CHECK(limit_kb >= total_kb / 2 - 8 && limit_kb <= total_kb / 2 + 8);
	size_t limit = (size_t)limit_kb * 1024;
	ERR(try_map(limit, PROT_READ | PROT_WRITE, 0), ENOMEM);
	/* Mode 2 ignores MAP_NORESERVE. */
	ERR(try_map(limit, PROT_READ | PROT_WRITE, MAP_NORESERVE), ENOMEM);
	long room_kb = limit_kb - meminfo_kb("Committed_AS");
	CHECK(room_kb > 64 * 1024);
	size_t big = (size_t)(room_kb - 24 * 1024) * 1024;
	char *p = MAP_OK(try_map(big, PROT_READ | PROT_WRITE, 0));
	long after_kb = limit_kb - meminfo_kb("Committed_AS");
	CHECK(after_kb < 28 * 1024);
	/* Nothing more that commits: a mapping, the break, write permission, a fork's copy. */
	size_t more = 48UL << 20;
	ERR(try_map(more, PROT_READ | PROT_WRITE, 0), ENOMEM);
	void *brk0 = sbrk(0);
	CHECK(sbrk((intptr_t)more) == (void *)-1);
	EQ(sbrk(0), brk0);
	char *ro = MAP_OK(try_map(more, PROT_READ, 0));
	ERR(mprotect(ro, more, PROT_READ | PROT_WRITE), ENOMEM);
	ERR(fork(), ENOMEM);
	/* What is unmapped is given back. */
	OK(munmap(p, big));
	OK(mprotect(ro, more, PROT_READ | PROT_WRITE));
	ro[0] = 1;
	char *q = MAP_OK(try_map(more, PROT_READ | PROT_WRITE, 0));
	q[0] = 1;
	OK(munmap(q, more));
	OK(munmap(ro, more));
}

GT_CASE(overcommit_never_keeps_commit_limit, "mmap brk mprotect fork")
{
	under_overcommit("2", never_body);
}
