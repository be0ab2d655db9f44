/* Shared inside kernel/procfs: the text buffer files are generated into, the formatters, and the node kinds. */
#ifndef KERNEL_PROCFS_PROCFS_INTERNAL_H
#define KERNEL_PROCFS_PROCFS_INTERNAL_H

#include <frame/page.h>
#include <frame/types.h>
#include <kernel/procfs.h>

/* A growing text buffer; an allocation failure sticks (err) and later appends are dropped. */
struct sbuf {
	char *buf;
	size_t len, cap;
	int err;
};

/* Largest generated file: beyond it the text is cut (err -EFBIG). */
#define SBUF_MAX (1u << 20)

void sbuf_init(struct sbuf *b);
void sbuf_free(struct sbuf *b);
void sbuf_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sbuf_putn(struct sbuf *b, const char *s, size_t n);
/* Room for @n more bytes at buf + len (the caller then adds to len): a pointer or NULL. */
char *sbuf_reserve(struct sbuf *b, size_t n);

/* ---- formatters over plain numbers (format.c, host-tested) ---- */

/* /proc/meminfo from a frame snapshot; @cached_pages: page-cache/tmpfs pages (Cached, Shmem). */
struct page_cache_stats;
/* @pc: the page cache's figures (NULL: none). */
/* Overcommit figures (CommitLimit, Committed_AS), in pages. */
struct meminfo_commit {
	uint64_t limit_pages, committed_pages;
};
/* @commit: NULL shows zeros. */
void format_meminfo(struct sbuf *b, const struct mem_stats *m, const struct page_cache_stats *pc,
		    const struct meminfo_commit *commit, uint64_t kernel_stack_bytes);
/* /proc/uptime: seconds up and idle, two decimals. */
void format_uptime(struct sbuf *b, uint64_t up_ns, uint64_t idle_ns);
/* /proc/loadavg: Cadre keeps no load average: 0.00, and the running/total and last pid fields. */
void format_loadavg(struct sbuf *b, unsigned running, unsigned total, int last_pid);

/* One process's numbers for /proc/[pid]/stat and status. */
struct proc_info {
	int pid, ppid, pgid, sid, tty_nr, tpgid;
	char state;		/* R S T Z */
	char comm[16];
	unsigned nthreads;
	uint32_t uid, euid, suid, fsuid, gid, egid, sgid, fsgid;
	uint32_t ngroups;
	uint32_t groups[32];
	uint64_t utime, stime, cutime, cstime;	/* clock ticks (USER_HZ 100) */
	uint64_t start_ticks;			/* since boot, USER_HZ */
	uint64_t vsize, rss_pages, data_bytes;
	uint64_t sig_pending, sig_blocked, sig_ignored, sig_caught;
	uint64_t start_code, end_code, start_stack;
	uint64_t arg_start, arg_end, env_start, env_end;
	int exit_code;
	uint32_t umask;
};

void format_pid_stat(struct sbuf *b, const struct proc_info *p);
void format_pid_status(struct sbuf *b, const struct proc_info *p);
void format_pid_statm(struct sbuf *b, const struct proc_info *p);

/* Linux's USER_HZ, the unit of clock ticks user space sees. */
#define USER_HZ 100

/* procfs_path_name() with the VFS lock already held (inside lookups). */
int procfs_path_name_locked(const struct path *root, const struct path *p, char *buf,
			    size_t size);

/* ---- mount records (mounts.c) ---- */

/* /proc/[pid]/mounts as seen from @root (a process's root). */
void mounts_format(struct sbuf *b, const struct path *root);
/* /proc/pid/mountinfo: Linux's fields (ids, device, root, mount point, options, "-", type, source, super options). */
void mountinfo_format(struct sbuf *b, const struct path *root);

/* ---- the file system (procfs.c) and its content (global.c, pid.c) ---- */

enum pkind {
	K_ROOT, K_SELF, K_MOUNTS_LINK, K_MEMINFO, K_CPUINFO, K_UPTIME, K_LOADAVG, K_STAT,
	K_FILESYSTEMS, K_VERSION, K_CMDLINE, K_SLABINFO,
	K_SYS, K_SYS_KERNEL, K_SYS_FS, K_SYS_PIDMAX, K_SYS_OSTYPE, K_SYS_OSRELEASE,
	K_SYS_VERSION, K_SYS_HOSTNAME, K_SYS_DOMAINNAME, K_SYS_NR_OPEN, K_SYS_PIPE_MAX,
	K_SYS_FILE_MAX, K_SYS_NGROUPS_MAX, K_SYS_CAP_LAST_CAP, K_SYS_RANDOM, K_SYS_BOOT_ID,
	K_SYS_UUID, K_SYS_THREADS_MAX, K_SYS_VM, K_SYS_OVERCOMMIT_MEMORY,
	K_SYS_OVERCOMMIT_RATIO, K_SYS_DEBUG, K_SYS_FAIL_ALLOC, K_SYS_FAIL_ALLOC_FAILURES,
	K_NET, K_NET_ARP, K_NET_DEV, K_NET_ROUTE, K_NET_TCP, K_NET_UDP,
	K_PID_DIR, K_PID_STAT, K_PID_STATUS, K_PID_STATM, K_PID_CMDLINE, K_PID_COMM,
	K_PID_ENVIRON, K_PID_MAPS, K_PID_MOUNTS, K_PID_MOUNTINFO, K_PID_EXE, K_PID_CWD, K_PID_ROOT,
	K_PID_FD, K_PID_FD_LINK, K_PID_OOM_SCORE, K_PID_OOM_SCORE_ADJ,
	K_COUNT
};

/* Text of a global file (K_MEMINFO ... K_SYS_UUID, K_NET_*). 0 or -errno. */
int procfs_gen_global(enum pkind kind, struct sbuf *b);
/* Text of a file of process @pid: 0, -ESRCH when it is gone. */
int procfs_gen_pid(enum pkind kind, int pid, struct sbuf *b);
/*
 * Link text of a process link (exe, cwd, root, fd/@fd) as the caller sees
 * it, under the VFS lock (from a lookup). 0 and a kmalloc'd string in *@out.
 */
int procfs_pid_link(enum pkind kind, int pid, int fd, char **out);
/* True if process @pid exists (zombies too); its owner in @uid and @gid. */
bool procfs_pid_alive(int pid, uint32_t *uid, uint32_t *gid);
/* True if @pid has descriptor @fd open. */
bool procfs_pid_has_fd(int pid, int fd);
/* Up to @max pids (ascending) > @after into @out; the count. */
size_t procfs_list_pids(int after, int *out, size_t max);
/* Up to @max open descriptors >= @from of @pid, ascending; the count. */
size_t procfs_list_fds(int pid, int from, int *out, size_t max);
/*
 * May the caller see @pid's address space and descriptors (maps, environ,
 * fd, cwd/root/exe links)? Itself, root, or the same user in every id, as
 * Linux's ptrace access check (the target's dumpable flag is not looked at).
 */
bool procfs_may_trace(int pid);
/* The caller's process id, or 0 outside a process. */
int procfs_self_pid(void);

#endif
