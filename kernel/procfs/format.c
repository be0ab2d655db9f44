/* Text of the procfs files that are pure formatting of numbers, in Linux's exact layouts (fs/proc/meminfo.c, array.c). */
#include <frame/clock.h>
#include <frame/page.h>
#include <kernel/page_cache.h>

#include "procfs_internal.h"

#define KB(pages) ((pages) * (PAGE_SIZE / 1024))

/* Linux's show_val_kb(): the label padded to 16 columns, the value in 8, then " kB". */
static void kb_line(struct sbuf *b, const char *label, uint64_t kb)
{
	sbuf_printf(b, "%-16s%8llu kB\n", label, (unsigned long long)kb);
}

void format_meminfo(struct sbuf *b, const struct mem_stats *m, const struct page_cache_stats *pc,
		    const struct meminfo_commit *commit, uint64_t kernel_stack_bytes)
{
	static const struct page_cache_stats none;
	static const struct meminfo_commit no_commit;
	if (!pc)
		pc = &none;
	if (!commit)
		commit = &no_commit;
	uint64_t slab = m->heap_slab_pages + m->heap_large_pages;
	/* Clean file pages can be dropped at once: Linux counts them as available. */
	uint64_t reclaimable = pc->cached - pc->shmem + pc->buffers;
	uint64_t dirty = pc->dirty + pc->writeback;
	uint64_t avail = m->free_pages + (reclaimable > dirty ? reclaimable - dirty : 0);
	kb_line(b, "MemTotal:", KB(m->total_pages));
	kb_line(b, "MemFree:", KB(m->free_pages));
	kb_line(b, "MemAvailable:", KB(avail));
	kb_line(b, "Buffers:", KB(pc->buffers));
	kb_line(b, "Cached:", KB(pc->cached));
	kb_line(b, "SwapCached:", 0);
	kb_line(b, "Active:", 0);
	kb_line(b, "Inactive:", 0);
	kb_line(b, "Active(anon):", 0);
	kb_line(b, "Inactive(anon):", 0);
	kb_line(b, "Active(file):", 0);
	kb_line(b, "Inactive(file):", 0);
	kb_line(b, "Unevictable:", 0);
	kb_line(b, "Mlocked:", 0);
	kb_line(b, "SwapTotal:", 0);
	kb_line(b, "SwapFree:", 0);
	kb_line(b, "Dirty:", KB(pc->dirty));
	kb_line(b, "Writeback:", KB(pc->writeback));
	kb_line(b, "AnonPages:", 0);
	kb_line(b, "Mapped:", 0);
	kb_line(b, "Shmem:", KB(pc->shmem));
	kb_line(b, "KReclaimable:", 0);
	kb_line(b, "Slab:", KB(slab));
	kb_line(b, "SReclaimable:", 0);
	kb_line(b, "SUnreclaim:", KB(slab));
	kb_line(b, "KernelStack:", kernel_stack_bytes / 1024);
	kb_line(b, "PageTables:", KB(m->pgtable_pages));
	kb_line(b, "NFS_Unstable:", 0);
	kb_line(b, "Bounce:", 0);
	kb_line(b, "WritebackTmp:", 0);
	kb_line(b, "CommitLimit:", KB(commit->limit_pages));
	kb_line(b, "Committed_AS:", KB(commit->committed_pages));
	kb_line(b, "VmallocTotal:", 34359738367ull);
	kb_line(b, "VmallocUsed:", 0);
	kb_line(b, "VmallocChunk:", 0);
	kb_line(b, "Percpu:", 0);
	sbuf_printf(b, "HugePages_Total:       0\nHugePages_Free:        0\n"
		    "HugePages_Rsvd:        0\nHugePages_Surp:        0\n");
	kb_line(b, "Hugepagesize:", 2048);
	kb_line(b, "Hugetlb:", 0);
}

void format_uptime(struct sbuf *b, uint64_t up_ns, uint64_t idle_ns)
{
	uint64_t up_cs = up_ns / (NSEC_PER_SEC / 100), idle_cs = idle_ns / (NSEC_PER_SEC / 100);
	sbuf_printf(b, "%llu.%02llu %llu.%02llu\n", (unsigned long long)(up_cs / 100),
		    (unsigned long long)(up_cs % 100), (unsigned long long)(idle_cs / 100),
		    (unsigned long long)(idle_cs % 100));
}

void format_loadavg(struct sbuf *b, unsigned running, unsigned total, int last_pid)
{
	sbuf_printf(b, "0.00 0.00 0.00 %u/%u %d\n", running, total, last_pid);
}

/* Linux's do_task_stat() field by field (52 fields); what Cadre does not track is 0. */
void format_pid_stat(struct sbuf *b, const struct proc_info *p)
{
	sbuf_printf(b, "%d (%s) %c %d %d %d %d %d %u %lu %lu %lu %lu ", p->pid, p->comm, p->state,
		    p->ppid, p->pgid, p->sid, p->tty_nr, p->tpgid, 4194304u, 0ul, 0ul, 0ul, 0ul);
	sbuf_printf(b, "%llu %llu %llu %llu %ld %ld %ld %ld %llu %llu %llu %llu ",
		    (unsigned long long)p->utime, (unsigned long long)p->stime,
		    (unsigned long long)p->cutime, (unsigned long long)p->cstime, 20l, 0l,
		    (long)p->nthreads, 0l, (unsigned long long)p->start_ticks,
		    (unsigned long long)p->vsize, (unsigned long long)p->rss_pages,
		    18446744073709551615ull);
	sbuf_printf(b, "%llu %llu %llu %lu %lu %llu %llu %llu %llu %lu %lu %lu %d %d %u %u %llu %lu %ld ",
		    (unsigned long long)p->start_code, (unsigned long long)p->end_code,
		    (unsigned long long)p->start_stack, 0ul, 0ul,
		    (unsigned long long)p->sig_pending, (unsigned long long)p->sig_blocked,
		    (unsigned long long)p->sig_ignored, (unsigned long long)p->sig_caught,
		    0ul, 0ul, 0ul, 17, 0, 0u, 0u, 0ull, 0ul, 0l);
	sbuf_printf(b, "%lu %lu %lu %llu %llu %llu %llu %d\n", 0ul, 0ul, 0ul,
		    (unsigned long long)p->arg_start, (unsigned long long)p->arg_end,
		    (unsigned long long)p->env_start, (unsigned long long)p->env_end, p->exit_code);
}

static const char *state_name(char s)
{
	switch (s) {
	case 'R': return "R (running)";
	case 'T': return "T (stopped)";
	case 'Z': return "Z (zombie)";
	default: return "S (sleeping)";
	}
}

static void vm_line(struct sbuf *b, const char *label, uint64_t kb)
{
	sbuf_printf(b, "%s\t%8llu kB\n", label, (unsigned long long)kb);
}

/* Linux's proc_pid_status() layout: tab after each label, ids as real/effective/saved/fs. */
void format_pid_status(struct sbuf *b, const struct proc_info *p)
{
	sbuf_printf(b, "Name:\t%s\nUmask:\t%04o\nState:\t%s\nTgid:\t%d\nNgid:\t0\nPid:\t%d\n"
		    "PPid:\t%d\nTracerPid:\t0\n", p->comm, p->umask, state_name(p->state), p->pid,
		    p->pid, p->ppid);
	sbuf_printf(b, "Uid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\nFDSize:\t64\nGroups:\t",
		    p->uid, p->euid, p->suid, p->fsuid, p->gid, p->egid, p->sgid, p->fsgid);
	for (uint32_t i = 0; i < p->ngroups && i < 32; i++)
		sbuf_printf(b, "%s%u", i ? " " : "", p->groups[i]);
	sbuf_printf(b, "\nNStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n", p->pid, p->pid,
		    p->pgid, p->sid);
	if (p->state != 'Z') {
		uint64_t vm_kb = p->vsize / 1024, rss_kb = KB(p->rss_pages);
		vm_line(b, "VmPeak:", vm_kb);
		vm_line(b, "VmSize:", vm_kb);
		vm_line(b, "VmLck:", 0);
		vm_line(b, "VmPin:", 0);
		vm_line(b, "VmHWM:", rss_kb);
		vm_line(b, "VmRSS:", rss_kb);
		vm_line(b, "RssAnon:", rss_kb);
		vm_line(b, "RssFile:", 0);
		vm_line(b, "RssShmem:", 0);
		vm_line(b, "VmData:", p->data_bytes / 1024);
		vm_line(b, "VmStk:", 132);
		vm_line(b, "VmExe:", (p->end_code - p->start_code) / 1024);
		vm_line(b, "VmLib:", 0);
		vm_line(b, "VmPTE:", 0);
		vm_line(b, "VmSwap:", 0);
	}
	bool root = p->euid == 0;
	const char *caps = root ? "000001ffffffffff" : "0000000000000000";
	sbuf_printf(b, "Threads:\t%u\nSigQ:\t0/%d\nSigPnd:\t%016llx\nShdPnd:\t%016llx\n"
		    "SigBlk:\t%016llx\nSigIgn:\t%016llx\nSigCgt:\t%016llx\n", p->nthreads, 31457,
		    0ull, (unsigned long long)p->sig_pending, (unsigned long long)p->sig_blocked,
		    (unsigned long long)p->sig_ignored, (unsigned long long)p->sig_caught);
	sbuf_printf(b, "CapInh:\t0000000000000000\nCapPrm:\t%s\nCapEff:\t%s\n"
		    "CapBnd:\t000001ffffffffff\nCapAmb:\t0000000000000000\nNoNewPrivs:\t0\n"
		    "Seccomp:\t0\nSeccomp_filters:\t0\nSpeculation_Store_Bypass:\tvulnerable\n"
		    "Cpus_allowed:\t1\nCpus_allowed_list:\t0\nMems_allowed:\t1\n"
		    "Mems_allowed_list:\t0\nvoluntary_ctxt_switches:\t0\n"
		    "nonvoluntary_ctxt_switches:\t0\n", caps, caps);
}

void format_pid_statm(struct sbuf *b, const struct proc_info *p)
{
	sbuf_printf(b, "%llu %llu 0 %llu 0 %llu 0\n", (unsigned long long)(p->vsize / PAGE_SIZE),
		    (unsigned long long)p->rss_pages,
		    (unsigned long long)((p->end_code - p->start_code) / PAGE_SIZE),
		    (unsigned long long)(p->data_bytes / PAGE_SIZE));
}
