/*
 * procfs ("proc"): directories and files made up on lookup. Every lookup
 * makes a fresh inode (so a process's files never outlive it); unreferenced
 * ones are swept at the next allocation. File text is generated on each
 * read, whole, and the asked-for slice copied out.
 */
#include <frame/errno.h>
#include <frame/fault_inject.h>
#include <frame/heap.h>
#include <frame/log.h>
#include <frame/mutex.h>
#include <frame/string.h>
#include <kernel/fs.h>
#include <kernel/mm.h>
#include <kernel/proc.h>
#include <kernel/procfs.h>
#include <kernel/utsname.h>

#include "procfs_internal.h"

/* Linux's PID_MAX_LIMIT: names above it are never pids. */
#define PID_MAX_LIMIT 4194304

struct pnode {
	struct inode inode;
	enum pkind kind;
	int pid, fd;
	char *link;		/* precomputed link text (fd, cwd, root, exe) */
	struct pnode *next;
};

struct procfs_sb {
	struct super_block sb;
	struct mutex lock;
	struct pnode *all;	/* every node but the root */
	struct pnode *root;
};

struct pentry {
	const char *name;
	enum pkind kind;
	uint32_t mode;
};

static const struct pentry root_entries[] = {
	{ "self", K_SELF, S_IFLNK | 0777 },
	{ "mounts", K_MOUNTS_LINK, S_IFLNK | 0777 },
	{ "meminfo", K_MEMINFO, S_IFREG | 0444 },
	{ "cpuinfo", K_CPUINFO, S_IFREG | 0444 },
	{ "uptime", K_UPTIME, S_IFREG | 0444 },
	{ "loadavg", K_LOADAVG, S_IFREG | 0444 },
	{ "stat", K_STAT, S_IFREG | 0444 },
	{ "filesystems", K_FILESYSTEMS, S_IFREG | 0444 },
	{ "version", K_VERSION, S_IFREG | 0444 },
	{ "cmdline", K_CMDLINE, S_IFREG | 0444 },
	{ "slabinfo", K_SLABINFO, S_IFREG | 0400 },
	{ "sys", K_SYS, S_IFDIR | 0555 },
	{ "net", K_NET, S_IFDIR | 0555 },
};
/* The IPv4 stack's tables (kernel/net/inet/proc_net.c writes them). */
static const struct pentry net_entries[] = {
	{ "arp", K_NET_ARP, S_IFREG | 0444 },
	{ "dev", K_NET_DEV, S_IFREG | 0444 },
	{ "route", K_NET_ROUTE, S_IFREG | 0444 },
	{ "tcp", K_NET_TCP, S_IFREG | 0444 },
	{ "udp", K_NET_UDP, S_IFREG | 0444 },
};
static const struct pentry sys_entries[] = {
	{ "debug", K_SYS_DEBUG, S_IFDIR | 0555 },
	{ "fs", K_SYS_FS, S_IFDIR | 0555 },
	{ "kernel", K_SYS_KERNEL, S_IFDIR | 0555 },
	{ "vm", K_SYS_VM, S_IFDIR | 0555 },
};
/* Cadre's own: allocation fault injection of the sanitized test kernel (frame/fault_inject.h). */
static const struct pentry sys_debug_entries[] = {
	{ "fail_alloc", K_SYS_FAIL_ALLOC, S_IFREG | 0600 },
	{ "fail_alloc_failures", K_SYS_FAIL_ALLOC_FAILURES, S_IFREG | 0400 },
};
static const struct pentry sys_vm_entries[] = {
	{ "overcommit_memory", K_SYS_OVERCOMMIT_MEMORY, S_IFREG | 0644 },
	{ "overcommit_ratio", K_SYS_OVERCOMMIT_RATIO, S_IFREG | 0644 },
};
static const struct pentry sys_kernel_entries[] = {
	{ "domainname", K_SYS_DOMAINNAME, S_IFREG | 0644 },
	{ "cap_last_cap", K_SYS_CAP_LAST_CAP, S_IFREG | 0444 },
	{ "hostname", K_SYS_HOSTNAME, S_IFREG | 0644 },
	{ "ngroups_max", K_SYS_NGROUPS_MAX, S_IFREG | 0444 },
	{ "osrelease", K_SYS_OSRELEASE, S_IFREG | 0444 },
	{ "ostype", K_SYS_OSTYPE, S_IFREG | 0444 },
	{ "pid_max", K_SYS_PIDMAX, S_IFREG | 0444 },
	{ "random", K_SYS_RANDOM, S_IFDIR | 0555 },
	{ "threads-max", K_SYS_THREADS_MAX, S_IFREG | 0644 },
	{ "version", K_SYS_VERSION, S_IFREG | 0444 },
};
static const struct pentry sys_random_entries[] = {
	{ "boot_id", K_SYS_BOOT_ID, S_IFREG | 0444 },
	{ "uuid", K_SYS_UUID, S_IFREG | 0444 },
};
static const struct pentry sys_fs_entries[] = {
	{ "file-max", K_SYS_FILE_MAX, S_IFREG | 0444 },
	{ "nr_open", K_SYS_NR_OPEN, S_IFREG | 0444 },
	{ "pipe-max-size", K_SYS_PIPE_MAX, S_IFREG | 0444 },
};
static const struct pentry pid_entries[] = {
	{ "cmdline", K_PID_CMDLINE, S_IFREG | 0444 },
	{ "comm", K_PID_COMM, S_IFREG | 0444 },
	{ "cwd", K_PID_CWD, S_IFLNK | 0777 },
	{ "environ", K_PID_ENVIRON, S_IFREG | 0400 },
	{ "exe", K_PID_EXE, S_IFLNK | 0777 },
	{ "fd", K_PID_FD, S_IFDIR | 0500 },
	{ "maps", K_PID_MAPS, S_IFREG | 0444 },
	{ "mountinfo", K_PID_MOUNTINFO, S_IFREG | 0444 },
	{ "mounts", K_PID_MOUNTS, S_IFREG | 0444 },
	{ "oom_score", K_PID_OOM_SCORE, S_IFREG | 0444 },
	{ "oom_score_adj", K_PID_OOM_SCORE_ADJ, S_IFREG | 0644 },
	{ "root", K_PID_ROOT, S_IFLNK | 0777 },
	{ "stat", K_PID_STAT, S_IFREG | 0444 },
	{ "statm", K_PID_STATM, S_IFREG | 0444 },
	{ "status", K_PID_STATUS, S_IFREG | 0444 },
};

struct dir_table {
	const struct pentry *e;
	size_t n;
	enum pkind parent;
};

static bool dir_table(enum pkind kind, struct dir_table *t)
{
	switch (kind) {
	case K_ROOT: *t = (struct dir_table){ root_entries, ARRAY_SIZE(root_entries), K_ROOT }; return true;
	case K_SYS: *t = (struct dir_table){ sys_entries, ARRAY_SIZE(sys_entries), K_ROOT }; return true;
	case K_SYS_KERNEL: *t = (struct dir_table){ sys_kernel_entries, ARRAY_SIZE(sys_kernel_entries), K_SYS }; return true;
	case K_SYS_FS: *t = (struct dir_table){ sys_fs_entries, ARRAY_SIZE(sys_fs_entries), K_SYS }; return true;
	case K_SYS_RANDOM: *t = (struct dir_table){ sys_random_entries, ARRAY_SIZE(sys_random_entries), K_SYS_KERNEL }; return true;
	case K_NET: *t = (struct dir_table){ net_entries, ARRAY_SIZE(net_entries), K_ROOT }; return true;
	case K_SYS_DEBUG: *t = (struct dir_table){ sys_debug_entries, ARRAY_SIZE(sys_debug_entries), K_SYS }; return true;
	case K_SYS_VM: *t = (struct dir_table){ sys_vm_entries, ARRAY_SIZE(sys_vm_entries), K_SYS }; return true;
	case K_PID_DIR: *t = (struct dir_table){ pid_entries, ARRAY_SIZE(pid_entries), K_ROOT }; return true;
	case K_PID_FD: *t = (struct dir_table){ NULL, 0, K_PID_DIR }; return true;
	default: return false;
	}
}

static const struct inode_ops procfs_inode_ops;

static struct pnode *pnode_of(struct inode *inode)
{
	return (struct pnode *)inode;
}

static struct procfs_sb *psb_of(struct super_block *sb)
{
	return (struct procfs_sb *)sb;
}

/* Stable inode numbers: global nodes by kind, a process's by pid and kind (and fd). */
static uint64_t ino_of(enum pkind kind, int pid, int fd)
{
	if (pid == 0)
		return (uint64_t)kind + 1;
	return ((uint64_t)pid << 32) | ((uint64_t)kind << 24) | (uint64_t)(fd + 1);
}

static void pnode_free(struct pnode *n)
{
	kfree(n->link);
	kfree(n);
}

/* Under the sb lock: nodes nobody references can never be found again. */
static void sweep(struct procfs_sb *ps)
{
	for (struct pnode **pp = &ps->all; *pp;) {
		struct pnode *n = *pp;
		if (__atomic_load_n(&n->inode.refcount, __ATOMIC_ACQUIRE) == 0) {
			*pp = n->next;
			pnode_free(n);
		} else {
			pp = &n->next;
		}
	}
}

static struct pnode *pnode_new(struct super_block *sb, enum pkind kind, uint32_t mode, int pid,
			       int fd, uint32_t uid, uint32_t gid)
{
	struct procfs_sb *ps = psb_of(sb);
	struct pnode *n = kzalloc(sizeof(*n));
	if (!n)
		return NULL;
	inode_init(&n->inode, sb, mode);
	n->inode.ino = ino_of(kind, pid, fd);
	n->inode.ops = &procfs_inode_ops;
	n->inode.uid = uid;
	n->inode.gid = gid;
	if (S_ISDIR(mode))
		n->inode.nlink = 2;
	n->kind = kind;
	n->pid = pid;
	n->fd = fd;
	mutex_lock(&ps->lock);
	sweep(ps);
	n->next = ps->all;
	ps->all = n;
	mutex_unlock(&ps->lock);
	return n;
}

static int parse_num(const char *name, size_t len, int max)
{
	if (len == 0 || len > 10 || (len > 1 && name[0] == '0'))
		return -1;
	int64_t v = 0;
	for (size_t i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -1;
		v = v * 10 + (name[i] - '0');
	}
	return v > max ? -1 : (int)v;
}

static int procfs_lookup(struct inode *dir, const char *name, size_t len, struct inode **out)
{
	struct pnode *d = pnode_of(dir);
	struct dir_table t;
	if (!dir_table(d->kind, &t))
		return -ENOTDIR;
	uint32_t uid = dir->uid, gid = dir->gid;
	if (d->pid && !procfs_pid_alive(d->pid, &uid, &gid))
		return -ENOENT;
	struct pnode *n = NULL;
	if (len == 2 && name[0] == '.' && name[1] == '.') {
		if (t.parent == K_ROOT) {
			inode_get(&psb_of(dir->sb)->root->inode);
			*out = &psb_of(dir->sb)->root->inode;
			return 0;
		}
		const struct pentry *pe = NULL;
		for (size_t i = 0; i < ARRAY_SIZE(root_entries); i++)
			if (root_entries[i].kind == t.parent)
				pe = &root_entries[i];
		uint32_t mode = pe ? pe->mode : S_IFDIR | 0555;
		n = pnode_new(dir->sb, t.parent, mode, t.parent == K_PID_DIR ? d->pid : 0, -1, uid, gid);
		if (!n)
			return -ENOMEM;
		*out = &n->inode;
		return 0;
	}
	for (size_t i = 0; i < t.n; i++) {
		const struct pentry *e = &t.e[i];
		if (strlen(e->name) != len || memcmp(e->name, name, len))
			continue;
		if (e->kind == K_SELF && procfs_self_pid() == 0)
			return -ENOENT;
		n = pnode_new(dir->sb, e->kind, e->mode, d->pid, -1, uid, gid);
		break;
	}
	if (!n && d->kind == K_ROOT) {
		int pid = parse_num(name, len, PID_MAX_LIMIT);
		if (pid <= 0 || !procfs_pid_alive(pid, &uid, &gid))
			return -ENOENT;
		n = pnode_new(dir->sb, K_PID_DIR, S_IFDIR | 0555, pid, -1, uid, gid);
	} else if (!n && d->kind == K_PID_FD) {
		int fd = parse_num(name, len, 1 << 30);
		if (fd < 0 || !procfs_pid_has_fd(d->pid, fd))
			return -ENOENT;
		char *link;
		int err = procfs_pid_link(K_PID_FD_LINK, d->pid, fd, &link);
		if (err)
			return err;
		/* Linux's fd links carry the access mode in their permission bits; 0700 suffices. */
		n = pnode_new(dir->sb, K_PID_FD_LINK, S_IFLNK | 0700, d->pid, fd, uid, gid);
		if (!n) {
			kfree(link);
			return -ENOMEM;
		}
		n->link = link;
	} else if (!n) {
		return -ENOENT;
	}
	if (!n)
		return -ENOMEM;
	if (n->kind == K_PID_CWD || n->kind == K_PID_ROOT || n->kind == K_PID_EXE) {
		int err = procfs_pid_link(n->kind, n->pid, -1, &n->link);
		if (err) {
			inode_put(&n->inode);
			return err;
		}
	}
	*out = &n->inode;
	return 0;
}

#define PID_COOKIE_BASE 0x100ull
#define LIST_BATCH 32

static int procfs_iterate(struct inode *dir, uint64_t *pos, struct dir_emit *emit)
{
	struct pnode *d = pnode_of(dir);
	struct dir_table t;
	if (!dir_table(d->kind, &t))
		return -ENOTDIR;
	if (*pos == 0) {
		if (!emit->actor(emit, ".", 1, dir->ino, DT_DIR, 1))
			return 0;
		*pos = 1;
	}
	if (*pos == 1) {
		uint64_t pino = ino_of(t.parent, t.parent == K_PID_DIR ? d->pid : 0, -1);
		if (!emit->actor(emit, "..", 2, pino, DT_DIR, 2))
			return 0;
		*pos = 2;
	}
	for (; *pos - 2 < t.n; (*pos)++) {
		const struct pentry *e = &t.e[*pos - 2];
		if (e->kind == K_SELF && procfs_self_pid() == 0)
			continue;
		if (!emit->actor(emit, e->name, strlen(e->name), ino_of(e->kind, d->pid, -1),
				 mode_to_dtype(e->mode), *pos + 1))
			return 0;
	}
	if (d->kind != K_ROOT && d->kind != K_PID_FD)
		return 0;
	/* Then pids (or fds) in order; the cookie after one is its number + base + 1. */
	int ids[LIST_BATCH];
	for (;;) {
		int from = *pos < PID_COOKIE_BASE ? 0 : (int)(*pos - PID_COOKIE_BASE);
		size_t n = d->kind == K_ROOT ? procfs_list_pids(from - 1, ids, LIST_BATCH)
					     : procfs_list_fds(d->pid, from, ids, LIST_BATCH);
		if (n == 0)
			return 0;
		for (size_t i = 0; i < n; i++) {
			char name[16];
			int len = snprintf(name, sizeof(name), "%d", ids[i]);
			uint64_t next = PID_COOKIE_BASE + (uint64_t)ids[i] + 1;
			bool ok = d->kind == K_ROOT
				? emit->actor(emit, name, (size_t)len, ino_of(K_PID_DIR, ids[i], -1), DT_DIR, next)
				: emit->actor(emit, name, (size_t)len, ino_of(K_PID_FD_LINK, d->pid, ids[i]), DT_LNK, next);
			if (!ok)
				return 0;
			*pos = next;
		}
	}
}

/* Files of another process that only a tracer may read (Linux checks at open and readlink). */
static bool needs_trace_access(enum pkind kind)
{
	return kind == K_PID_MAPS || kind == K_PID_ENVIRON || kind == K_PID_FD ||
	       kind == K_PID_CWD || kind == K_PID_ROOT || kind == K_PID_EXE || kind == K_PID_FD_LINK;
}

static int procfs_may_open(struct inode *inode, const struct cred *c, uint32_t flags)
{
	(void)c, (void)flags;
	struct pnode *n = pnode_of(inode);
	return n->pid && needs_trace_access(n->kind) && !procfs_may_trace(n->pid) ? -EACCES : 0;
}

static ssize_t procfs_readlink(struct inode *inode, char *buf, size_t len)
{
	struct pnode *n = pnode_of(inode);
	if (n->pid && needs_trace_access(n->kind) && !procfs_may_trace(n->pid))
		return -EACCES;
	char tmp[24];
	const char *text = n->link;
	if (n->kind == K_SELF) {
		int pid = procfs_self_pid();
		if (!pid)
			return -ENOENT;
		snprintf(tmp, sizeof(tmp), "%d", pid);
		text = tmp;
	} else if (n->kind == K_MOUNTS_LINK) {
		text = "self/mounts";
	}
	if (!text)
		return -ENOENT;
	size_t full = strlen(text);
	memcpy(buf, text, MIN(full, len));
	return (ssize_t)full;
}

static ssize_t procfs_read(struct inode *inode, uint64_t off, void *buf, size_t len)
{
	struct pnode *n = pnode_of(inode);
	struct sbuf b;
	sbuf_init(&b);
	int err = n->pid ? procfs_gen_pid(n->kind, n->pid, &b) : procfs_gen_global(n->kind, &b);
	if (!err && b.err && b.err != -EFBIG)
		err = b.err;
	ssize_t r = err;
	if (!err) {
		size_t avail = off < b.len ? b.len - (size_t)off : 0;
		r = (ssize_t)MIN(avail, len);
		if (r)
			memcpy(buf, b.buf + off, (size_t)r);
	}
	sbuf_free(&b);
	return r;
}

/* Linux's kstrtoint(strstrip(s), 0): optional sign, 0x hex or 0 octal, surrounding blanks; 0 or -EINVAL. */
static int parse_int(const char *s, size_t len, int *out)
{
	size_t i = 0;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\n' || s[len - 1] == '\t'))
		len--;
	while (i < len && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t'))
		i++;
	bool neg = false;
	if (i < len && (s[i] == '-' || s[i] == '+'))
		neg = s[i++] == '-';
	unsigned base = 10;
	if (i + 1 < len && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
		base = 16;
		i += 2;
	} else if (i < len && s[i] == '0') {
		base = 8;
	}
	if (i >= len)
		return -EINVAL;
	int64_t v = 0;
	for (; i < len; i++) {
		char c = s[i];
		unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0')
			   : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
			   : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 99;
		if (d >= base)
			return -EINVAL;
		v = v * base + d;
		if (v > (int64_t)1 << 31)
			return -ERANGE;
	}
	v = neg ? -v : v;
	if (v > INT32_MAX || v < INT32_MIN)
		return -ERANGE;
	*out = (int)v;
	return 0;
}

/* /proc/PID/oom_score_adj: Linux reads at most 23 bytes, whatever the offset. */
static ssize_t oom_adj_write(int pid, const char *buf, size_t len)
{
	int adj;
	int err = parse_int(buf, MIN(len, (size_t)23), &adj);
	if (!err) {
		struct process *self = process_current();
		err = proc_oom_set_adj(pid, adj, self && self->cred.euid == 0);
	}
	return err ? err : (ssize_t)len;
}

/* An integer sysctl: Linux's proc_dointvec reads the number and ignores what follows a blank. */
static ssize_t sysctl_int_write(const char *buf, size_t len, int (*set)(int64_t))
{
	size_t n = 0;
	while (n < len && n < 64 && buf[n] != '\n' && buf[n] != ' ' && buf[n] != '\t')
		n++;
	int v;
	int err = parse_int(buf, n, &v);
	if (!err)
		err = set(v);
	return err ? (err == -ERANGE ? -EINVAL : err) : (ssize_t)len;
}

static int set_fail_alloc(int64_t every)
{
	return every < 0 ? -EINVAL : fault_inject_set((uint64_t)every);
}

/* sysctl writes: the whole value in one write from offset 0, a trailing newline dropped. */
static ssize_t procfs_write(struct inode *inode, uint64_t off, const void *buf, size_t len)
{
	struct pnode *n = pnode_of(inode);
	if (n->kind == K_PID_OOM_SCORE_ADJ)
		return oom_adj_write(n->pid, buf, len);
	if (n->kind == K_SYS_THREADS_MAX)
		return sysctl_int_write(buf, len, proc_set_threads_max);
	if (n->kind == K_SYS_FAIL_ALLOC)
		return sysctl_int_write(buf, len, set_fail_alloc);
	if (n->kind == K_SYS_OVERCOMMIT_MEMORY)
		return sysctl_int_write(buf, len, mm_set_overcommit_mode);
	if (n->kind == K_SYS_OVERCOMMIT_RATIO)
		return sysctl_int_write(buf, len, mm_set_overcommit_ratio);
	if (n->kind != K_SYS_HOSTNAME && n->kind != K_SYS_DOMAINNAME)
		return -EINVAL;
	if (off != 0)
		return -EINVAL;
	size_t vlen = len;
	const char *s = buf;
	if (vlen && s[vlen - 1] == '\n')
		vlen--;
	int err = n->kind == K_SYS_HOSTNAME ? utsname_set_hostname(s, vlen)
					    : utsname_set_domainname(s, vlen);
	return err ? err : (ssize_t)len;
}

static int procfs_truncate(struct inode *inode, uint64_t size)
{
	(void)inode, (void)size;
	return 0;	/* nothing stored: O_TRUNC on a sysctl file is harmless */
}

static int procfs_create(struct inode *dir, const char *name, size_t len, uint32_t mode,
			 uint32_t uid, uint32_t gid, uint64_t rdev, const char *target,
			 struct inode **out)
{
	(void)dir, (void)name, (void)len, (void)mode, (void)uid, (void)gid, (void)rdev;
	(void)target, (void)out;
	return -EACCES;
}

static const struct inode_ops procfs_inode_ops = {
	.lookup = procfs_lookup,
	.create = procfs_create,
	.readlink = procfs_readlink,
	.read = procfs_read,
	.write = procfs_write,
	.truncate = procfs_truncate,
	.may_open = procfs_may_open,
	.iterate = procfs_iterate,
};

static void procfs_kill(struct super_block *sb)
{
	struct procfs_sb *ps = psb_of(sb);
	while (ps->all) {
		struct pnode *n = ps->all;
		ps->all = n->next;
		pnode_free(n);
	}
	pnode_free(ps->root);
	kfree(ps);
}

static const struct super_ops procfs_super_ops = {
	.kill = procfs_kill,
};

static int procfs_mount(const struct fs_type *type, const char *data, struct super_block **out)
{
	(void)data;	/* hidepid= and gid= are not supported; ignored as unknown options would not be */
	struct procfs_sb *ps = kzalloc(sizeof(*ps));
	struct pnode *root = kzalloc(sizeof(*root));
	if (!ps || !root) {
		kfree(ps);
		kfree(root);
		return -ENOMEM;
	}
	mutex_init(&ps->lock, "procfs nodes");
	ps->sb.type = type;
	ps->sb.ops = &procfs_super_ops;
	ps->sb.magic = PROC_SUPER_MAGIC;
	ps->sb.dev = vfs_anon_dev();
	ps->sb.max_file_size = PAGE_SIZE;	/* the longest sysctl value written */
	inode_init(&root->inode, &ps->sb, S_IFDIR | 0555);
	root->inode.ino = 1;
	root->inode.ops = &procfs_inode_ops;
	root->inode.nlink = 2;
	root->kind = K_ROOT;
	ps->root = root;
	ps->sb.root = &root->inode;
	*out = &ps->sb;
	return 0;
}

static const struct fs_type proc_type = { .name = "proc", .mount = procfs_mount };

/* Linux names a mapped file as the reader's root sees it. */
static int reader_path_name(const struct path *p, char *buf, size_t size)
{
	struct process *self = process_current();
	if (!self || !self->fs.root.inode)
		return -ENOENT;
	return procfs_path_name(&self->fs.root, p, buf, size);
}

int procfs_init(void)
{
	file_map_set_namer(reader_path_name);
	int err = vfs_register_fs(&proc_type);
	if (err && err != -EEXIST)
		return err;
	return sysfs_register();
}
