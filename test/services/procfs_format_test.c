/* procfs text formats: meminfo, uptime, loadavg and /proc/[pid]/{stat,status} in Linux's exact layouts, and the text buffer. */
#include <frame/errno.h>
#include <frame/ktest.h>
#include <frame/string.h>

#include <kernel/utsname.h>
#include "../../kernel/procfs/procfs_internal.h"

static bool has_line(const struct sbuf *b, const char *line)
{
	size_t n = strlen(line);
	for (const char *p = b->buf; p && *p;) {
		if (!strncmp(p, line, n) && (p[n] == '\n' || p[n] == '\0'))
			return true;
		const char *nl = strchr(p, '\n');
		p = nl ? nl + 1 : NULL;
	}
	return false;
}

static bool has_prefix(const struct sbuf *b, const char *prefix)
{
	size_t n = strlen(prefix);
	for (const char *p = b->buf; p && *p;) {
		if (!strncmp(p, prefix, n))
			return true;
		const char *nl = strchr(p, '\n');
		p = nl ? nl + 1 : NULL;
	}
	return false;
}

KTEST(procfs_meminfo_layout)
{
	struct mem_stats m = { 0 };
	m.total_pages = 1000;
	m.free_pages = 250;
	m.pgtable_pages = 3;
	struct sbuf b;
	sbuf_init(&b);
	format_meminfo(&b, &m, NULL, &(struct meminfo_commit){ 500, 123 }, 3 * 16384);
	KASSERT(b.err == 0 && b.buf);
	KEXPECT(!strncmp(b.buf, "MemTotal:           4000 kB\n", 28));
	KEXPECT(has_line(&b, "MemFree:            1000 kB"));
	KEXPECT(has_line(&b, "MemAvailable:       1000 kB"));
	KEXPECT(has_line(&b, "SwapTotal:             0 kB"));
	KEXPECT(has_line(&b, "PageTables:           12 kB"));
	KEXPECT(has_line(&b, "KernelStack:          48 kB"));
	KEXPECT(has_line(&b, "HugePages_Total:       0"));
	KEXPECT(has_line(&b, "CommitLimit:        2000 kB"));
	KEXPECT(has_line(&b, "Committed_AS:        492 kB"));
	sbuf_free(&b);
}

KTEST(procfs_uptime_loadavg)
{
	struct sbuf b;
	sbuf_init(&b);
	format_uptime(&b, 12345678901ull, 2500000000ull);
	KEXPECT(b.buf && !strcmp(b.buf, "12.34 2.50\n"));
	sbuf_free(&b);
	format_loadavg(&b, 1, 7, 42);
	KEXPECT(b.buf && !strcmp(b.buf, "0.00 0.00 0.00 1/7 42\n"));
	sbuf_free(&b);
}

static void sample(struct proc_info *p)
{
	memset(p, 0, sizeof(*p));
	p->pid = 42, p->ppid = 1, p->pgid = 42, p->sid = 7, p->tpgid = -1;
	p->state = 'S';
	strlcpy(p->comm, "a b) c", sizeof(p->comm));
	p->nthreads = 2;
	p->uid = 1000, p->euid = 1001, p->suid = 0, p->fsuid = 1001;
	p->ngroups = 2, p->groups[0] = 10, p->groups[1] = 20;
	p->utime = 5, p->start_ticks = 300, p->vsize = 8192 * 1024;
	p->umask = 022;
}

KTEST(procfs_pid_stat_fields)
{
	struct proc_info p;
	sample(&p);
	struct sbuf b;
	sbuf_init(&b);
	format_pid_stat(&b, &p);
	KASSERT(b.buf);
	/* comm is shown raw, parenthesised: readers split at the last ')'. */
	KEXPECT(!strncmp(b.buf, "42 (a b) c) S 1 42 7 0 -1 ", 26));
	const char *rp = b.buf;
	for (const char *s = b.buf; *s; s++)
		if (*s == ')')
			rp = s;
	int fields = 1;
	for (const char *s = rp + 2; *s; s++)
		fields += *s == ' ';
	KEXPECT_EQ(fields, 50);	/* after pid and comm: Linux 6.1 has 52 in all */
	KEXPECT(b.buf[b.len - 1] == '\n');
	sbuf_free(&b);
}

KTEST(procfs_pid_status_fields)
{
	struct proc_info p;
	sample(&p);
	struct sbuf b;
	sbuf_init(&b);
	format_pid_status(&b, &p);
	KASSERT(b.buf);
	KEXPECT(!strncmp(b.buf, "Name:\ta b) c\nUmask:\t0022\nState:\tS (sleeping)\n", 44));
	KEXPECT(has_line(&b, "Pid:\t42"));
	KEXPECT(has_line(&b, "PPid:\t1"));
	KEXPECT(has_line(&b, "Uid:\t1000\t1001\t0\t1001"));
	KEXPECT(has_line(&b, "Groups:\t10 20"));
	KEXPECT(has_line(&b, "VmSize:\t    8192 kB"));
	KEXPECT(has_line(&b, "Threads:\t2"));
	p.state = 'Z';
	sbuf_free(&b);
	format_pid_status(&b, &p);
	KEXPECT(has_line(&b, "State:\tZ (zombie)"));
	KEXPECT(!has_prefix(&b, "VmSize:"));	/* a zombie has no memory lines */
	sbuf_free(&b);
}

KTEST(procfs_sbuf_limits)
{
	struct sbuf b;
	sbuf_init(&b);
	sbuf_printf(&b, "%s", "");
	KEXPECT_EQ(b.len, 0);
	static char big[600];
	memset(big, 'x', sizeof(big) - 1);
	sbuf_printf(&b, "%s|%d", big, 7);	/* longer than the small-format buffer */
	KEXPECT_EQ(b.len, sizeof(big) + 1);
	KEXPECT(b.buf && b.buf[b.len - 1] == '7' && b.buf[b.len] == '\0');
	KEXPECT(sbuf_reserve(&b, SBUF_MAX) == NULL);
	KEXPECT_EQ(b.err, -EFBIG);
	sbuf_putn(&b, "y", 1);	/* an error sticks */
	KEXPECT_EQ(b.len, sizeof(big) + 1);
	sbuf_free(&b);
}

KTEST(procfs_utsname_store)
{
	struct new_utsname saved, u;
	utsname_get(&saved);
	KEXPECT(!strcmp(saved.sysname, "Linux"));
	KEXPECT_EQ(utsname_set_hostname("abcdef", 3), 0);
	utsname_get(&u);
	KEXPECT(!strcmp(u.nodename, "abc"));
	KEXPECT_EQ(utsname_set_domainname("x", __NEW_UTS_LEN + 1), -EINVAL);
	utsname_set_hostname(saved.nodename, strlen(saved.nodename));
}
