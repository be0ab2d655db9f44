/* Text of the system-wide procfs files: meminfo, cpuinfo, uptime, loadavg, stat, filesystems, version, cmdline, sys/, net/. */
#include <frame/boot.h>
#include <frame/clock.h>
#include <frame/errno.h>
#include <frame/fault_inject.h>
#include <frame/heap.h>
#include <frame/log.h>
#include <frame/mutex.h>
#include <frame/page.h>
#include <frame/string.h>
#include <frame/sched.h>
#include <frame/task.h>
#include <kernel/inet.h>
#include <kernel/mm.h>
#include <kernel/page_cache.h>
#include <kernel/proc.h>
#include <kernel/utsname.h>

#include <kernel/random.h>

#include "procfs_internal.h"

static void put_sbuf(void *ctx, const char *s, size_t n)
{
	sbuf_putn(ctx, s, n);
}

/* Frame ticks (CLOCK_TICK_HZ) to the USER_HZ clock ticks /proc reports. */
static uint64_t to_user_hz(uint64_t ticks)
{
	return ticks * USER_HZ / CLOCK_TICK_HZ;
}

struct proc_counts {
	unsigned total, running;
	int last_pid;
	uint64_t user_ticks;	/* frame ticks of every live process */
};

static void count_processes(struct proc_counts *c)
{
	*c = (struct proc_counts){ 0 };
	struct process *self = process_current();
	proc_tree_lock();
	for (struct process *p = process_first(); p; p = process_next(p)) {
		c->total++;
		if (p == self)
			c->running++;
		if (p->pid > c->last_pid)
			c->last_pid = p->pid;
		c->user_ticks += p->utime_ticks;
		for (struct thread *t = p->threads; t; t = t->next)
			if (t->task)
				c->user_ticks += task_cpu_ticks(t->task);
	}
	proc_tree_unlock();
}

static void gen_cpuinfo(struct sbuf *b)
{
	/* One CPU; the frame exposes no CPUID to services, so the model is generic. */
	uint64_t mhz = clock_counter_hz() / 1000000;
	sbuf_printf(b, "processor\t: 0\nvendor_id\t: CadreVirtual\ncpu family\t: 6\nmodel\t\t: 0\n"
		    "model name\t: Cadre virtual x86_64 CPU\nstepping\t: 0\ncpu MHz\t\t: %llu.000\n"
		    "cache size\t: 0 KB\nphysical id\t: 0\nsiblings\t: 1\ncore id\t\t: 0\n"
		    "cpu cores\t: 1\napicid\t\t: 0\ninitial apicid\t: 0\nfpu\t\t: yes\n"
		    "fpu_exception\t: yes\ncpuid level\t: 13\nwp\t\t: yes\n"
		    "flags\t\t: fpu tsc cx8 cmov pat pse36 clflush mmx fxsr sse sse2 syscall nx lm\n"
		    "bogomips\t: %llu.00\nclflush size\t: 64\ncache_alignment\t: 64\n"
		    "address sizes\t: 48 bits physical, 48 bits virtual\npower management:\n\n",
		    (unsigned long long)mhz, (unsigned long long)(mhz * 2));
}

static void gen_stat(struct sbuf *b)
{
	struct proc_counts c;
	count_processes(&c);
	uint64_t up = to_user_hz(clock_ticks()), idle = to_user_hz(sched_idle_ticks());
	uint64_t user = to_user_hz(c.user_ticks);
	uint64_t busy = up > idle ? up - idle : 0;
	if (user > busy)
		user = busy;
	uint64_t sys = busy - user;
	for (int i = 0; i < 2; i++)
		sbuf_printf(b, "%s %llu 0 %llu %llu 0 0 0 0 0 0\n", i ? "cpu0" : "cpu ",
			    (unsigned long long)user, (unsigned long long)sys,
			    (unsigned long long)idle);
	uint64_t btime = (clock_realtime_ns() - clock_monotonic_ns()) / NSEC_PER_SEC;
	sbuf_printf(b, "intr 0\nctxt %llu\nbtime %llu\nprocesses %d\nprocs_running %u\n"
		    "procs_blocked 0\nsoftirq 0 0 0 0 0 0 0 0 0 0 0\n",
		    (unsigned long long)sched_switch_count(), (unsigned long long)btime, c.last_pid,
		    c.running ? c.running : 1);
}

/* The types Cadre may have registered; /proc/filesystems lists those that are. */
static const char *const fs_names[] = {
	"sysfs", "tmpfs", "devtmpfs", "proc", "ramfs", "devpts", "pipefs", "sockfs", "mqueue",
	"ext2",
};

/*
 * Linux's slabinfo 2.1 layout, one line per kmalloc size class: there are
 * no named caches. Large allocations (whole pages) have no line, as in Linux.
 */
static void gen_slabinfo(struct sbuf *b)
{
	sbuf_printf(b, "slabinfo - version: 2.1\n# name            <active_objs> <num_objs> <objsize> "
		    "<objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> "
		    ": slabdata <active_slabs> <num_slabs> <sharedavail>\n");
	for (unsigned i = 0; i < heap_class_count(); i++) {
		struct heap_class_stats s;
		if (heap_class_stats(i, &s))
			break;
		char name[24];
		snprintf(name, sizeof(name), "kmalloc-%zu", s.object_size);
		sbuf_printf(b, "%-17s %6llu %6llu %6zu %4llu %4d : tunables %4d %4d %4d : slabdata %6llu %6llu %6d\n",
			    name, (unsigned long long)s.live_objects,
			    (unsigned long long)(s.pages * s.objects_per_page), s.object_size,
			    (unsigned long long)s.objects_per_page, 1, 0, 0, 0,
			    (unsigned long long)s.pages, (unsigned long long)s.pages, 0);
	}
}

/* A random (version 4) UUID's text, as Linux's proc_do_uuid. */
static void put_uuid(struct sbuf *b, const uint8_t *in)
{
	uint8_t u[16];
	memcpy(u, in, sizeof(u));
	u[6] = (u[6] & 0x0f) | 0x40;
	u[8] = (u[8] & 0x3f) | 0x80;
	for (int i = 0; i < 16; i++)
		sbuf_printf(b, "%02x%s", u[i], i == 3 || i == 5 || i == 7 || i == 9 ? "-" : "");
	sbuf_printf(b, "\n");
}

/* One per boot, drawn at first use. */
static const uint8_t *boot_id(void)
{
	static struct mutex lock = MUTEX_INIT("boot_id");
	static uint8_t id[16];
	static bool drawn;
	mutex_lock(&lock);
	if (!drawn) {
		random_bytes(id, sizeof(id));
		drawn = true;
	}
	mutex_unlock(&lock);
	return id;
}

int procfs_gen_global(enum pkind kind, struct sbuf *b)
{
	struct mem_stats m;
	struct new_utsname u;
	struct proc_counts c;
	struct page_cache_stats pcs;
	switch (kind) {
	case K_MEMINFO:
		mem_stats(&m);
		page_cache_stats(&pcs);
		format_meminfo(b, &m, &pcs,
			       &(struct meminfo_commit){ mm_commit_limit_pages(), mm_committed_pages() },
			       (uint64_t)task_count() * TASK_STACK_SIZE);
		return 0;
	case K_SLABINFO:
		gen_slabinfo(b);
		return 0;
	case K_CPUINFO:
		gen_cpuinfo(b);
		return 0;
	case K_UPTIME:
		format_uptime(b, clock_monotonic_ns(), sched_idle_ticks() * CLOCK_TICK_NS);
		return 0;
	case K_LOADAVG:
		count_processes(&c);
		format_loadavg(b, c.running ? c.running : 1, c.total, c.last_pid);
		return 0;
	case K_STAT:
		gen_stat(b);
		return 0;
	case K_FILESYSTEMS:
		for (size_t i = 0; i < ARRAY_SIZE(fs_names); i++)
			if (vfs_find_fs(fs_names[i]))
				/* Block-device file systems have no "nodev" tag. */
				sbuf_printf(b, "%s\t%s\n", strcmp(fs_names[i], "ext2") ? "nodev" : "",
					    fs_names[i]);
		return 0;
	case K_VERSION:
		sbuf_printf(b, "%s version %s (cadre@cadre) (gcc) %s\n", UTS_SYSNAME, UTS_RELEASE,
			    UTS_VERSION);
		return 0;
	case K_CMDLINE:
		sbuf_printf(b, "%s\n", boot_cmdline());
		return 0;
	case K_SYS_PIDMAX:
		sbuf_printf(b, "%d\n", PID_MAX);
		return 0;
	case K_SYS_NGROUPS_MAX:
		sbuf_printf(b, "%d\n", 65536);	/* Linux's NGROUPS_MAX */
		return 0;
	case K_SYS_CAP_LAST_CAP:
		sbuf_printf(b, "%d\n", 40);	/* CAP_CHECKPOINT_RESTORE, Linux 6.1's last */
		return 0;
	case K_SYS_BOOT_ID:
		put_uuid(b, boot_id());
		return 0;
	case K_SYS_UUID: {
		uint8_t u[16];
		random_bytes(u, sizeof(u));
		put_uuid(b, u);
		return 0;
	}
	case K_SYS_OSTYPE:
		sbuf_printf(b, "%s\n", UTS_SYSNAME);
		return 0;
	case K_SYS_OSRELEASE:
		sbuf_printf(b, "%s\n", UTS_RELEASE);
		return 0;
	case K_SYS_VERSION:
		sbuf_printf(b, "%s\n", UTS_VERSION);
		return 0;
	case K_SYS_HOSTNAME:
	case K_SYS_DOMAINNAME:
		utsname_get(&u);
		sbuf_printf(b, "%s\n", kind == K_SYS_HOSTNAME ? u.nodename : u.domainname);
		return 0;
	case K_SYS_NR_OPEN:
	case K_SYS_PIPE_MAX:
		sbuf_printf(b, "%u\n", 1u << 20);
		return 0;
	case K_SYS_FILE_MAX:
		sbuf_printf(b, "9223372036854775807\n");
		return 0;
	case K_NET_ARP:
		return inet_proc_net("arp", put_sbuf, b);
	case K_NET_DEV:
		return inet_proc_net("dev", put_sbuf, b);
	case K_NET_ROUTE:
		return inet_proc_net("route", put_sbuf, b);
	case K_NET_TCP:
		return inet_proc_net("tcp", put_sbuf, b);
	case K_NET_UDP:
		return inet_proc_net("udp", put_sbuf, b);
	case K_SYS_THREADS_MAX:
		sbuf_printf(b, "%u\n", proc_threads_max());
		return 0;
	case K_SYS_FAIL_ALLOC:
		sbuf_printf(b, "%llu\n", (unsigned long long)fault_inject_every());
		return 0;
	case K_SYS_FAIL_ALLOC_FAILURES:
		sbuf_printf(b, "%llu\n", (unsigned long long)fault_inject_failures());
		return 0;
	case K_SYS_OVERCOMMIT_MEMORY:
		sbuf_printf(b, "%d\n", mm_overcommit_mode());
		return 0;
	case K_SYS_OVERCOMMIT_RATIO:
		sbuf_printf(b, "%d\n", mm_overcommit_ratio());
		return 0;
	default:
		return -EISDIR;
	}
}
