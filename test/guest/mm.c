/* Guest cases: memory — mmap/munmap/mprotect/mremap/brk, file and shared mappings, madvise, mlock, memfd. */
#include "gt.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <stdio.h>
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
