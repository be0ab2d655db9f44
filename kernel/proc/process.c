/* The process and thread tables, the tree lock, and creating and freeing process records. */
#include <abi/errno.h>
#include <frame/clock.h>
#include <frame/heap.h>
#include <frame/page.h>
#include <frame/string.h>
#include <frame/task.h>
#include <kernel/fdtable.h>
#include <kernel/mm.h>
#include <kernel/proc.h>
#include <kernel/signal.h>
#include "proc_internal.h"

static struct mutex tree_lock = MUTEX_INIT("proc tree");
/* Ids are shared by processes and threads, as on Linux: a process's pid is its first thread's tid. */
static struct process *pid_table[PID_MAX];
static struct thread *tid_table[PID_MAX];
static int last_id;

void proc_tree_lock(void)
{
	mutex_lock(&tree_lock);
}

void proc_tree_unlock(void)
{
	mutex_unlock(&tree_lock);
}

struct thread *thread_current(void)
{
	return task_data(task_current());
}

struct process *process_current(void)
{
	struct thread *t = thread_current();
	return t ? t->proc : NULL;
}

struct process *process_find(int pid)
{
	return pid > 0 && pid < PID_MAX ? pid_table[pid] : NULL;
}

struct thread *thread_find(int tid)
{
	return tid > 0 && tid < PID_MAX ? tid_table[tid] : NULL;
}

struct process *process_first(void)
{
	return process_next_after(0);
}

struct process *process_next(struct process *p)
{
	return process_next_after(p->pid);
}

struct process *process_next_after(int pid)
{
	for (int i = pid + 1; i < PID_MAX; i++)
		if (pid_table[i])
			return pid_table[i];
	return NULL;
}

/* Lowest free id above the last one handed out, wrapping like Linux's pid allocator. */
int id_alloc(void)
{
	for (int n = 0; n < PID_MAX - 1; n++) {
		int id = last_id + 1 + n;
		if (id >= PID_MAX)
			id -= PID_MAX - 1;
		if (!pid_table[id] && !tid_table[id] && !pgid_in_use(id)) {
			last_id = id;
			return id;
		}
	}
	return -EAGAIN;
}

/* A process group or session id stays taken while any process carries it. */
static uint16_t group_refs[PID_MAX];

bool pgid_in_use(int id)
{
	return group_refs[id] != 0;
}

static void group_ref(int id, int delta)
{
	if (id > 0 && id < PID_MAX)
		group_refs[id] = (uint16_t)(group_refs[id] + delta);
}

void process_set_groups(struct process *p, int pgid, int sid)
{
	group_ref(p->pgid, -1);
	group_ref(p->sid, -1);
	p->pgid = pgid;
	p->sid = sid;
	group_ref(pgid, 1);
	group_ref(sid, 1);
}

void pid_table_set(int pid, struct process *p)
{
	pid_table[pid] = p;
}

void tid_table_set(int tid, struct thread *t)
{
	tid_table[tid] = t;
}

struct process *process_alloc(void)
{
	struct process *p = kzalloc(sizeof(*p));
	if (!p)
		return NULL;
	wait_queue_init(&p->child_wait);
	wait_queue_init(&p->vfork_wait);
	wait_queue_init(&p->stop_wait);
	p->fs.cred = &p->cred;
	p->fs.umask = 022;
	p->start_ns = clock_monotonic_ns();
	return p;
}

struct thread *thread_alloc(struct process *p)
{
	struct thread *t = kzalloc(sizeof(*t));
	if (!t)
		return NULL;
	t->proc = p;
	return t;
}

/* Signal senders walk the thread list under the signal lock, from interrupts too. */
/* Threads of all processes (Linux's nr_threads, without kernel threads), and the limit on them. */
static unsigned nr_threads;
static unsigned threads_max;

/* Linux's default: as many threads as eight kernel stacks (16 KiB each) per page of RAM allow, at least 20. */
static unsigned threads_max_default(void)
{
	uint64_t n = page_count_total() / 32;
	return n < PROC_THREADS_MIN ? PROC_THREADS_MIN : n > PROC_THREADS_LIMIT ? PROC_THREADS_LIMIT : (unsigned)n;
}

unsigned proc_threads_max(void)
{
	unsigned m = __atomic_load_n(&threads_max, __ATOMIC_RELAXED);
	return m ? m : threads_max_default();
}

int proc_set_threads_max(int64_t n)
{
	if (n < 1 || n > PROC_THREADS_LIMIT)
		return -EINVAL;
	__atomic_store_n(&threads_max, (unsigned)n, __ATOMIC_RELAXED);
	return 0;
}

bool proc_threads_at_limit(void)
{
	return __atomic_load_n(&nr_threads, __ATOMIC_RELAXED) >= proc_threads_max();
}

void process_link_thread(struct process *p, struct thread *t)
{
	unsigned long flags = signal_lock();
	t->next = p->threads;
	p->threads = t;
	p->nthreads++;
	nr_threads++;
	signal_unlock(flags);
}

void process_unlink_thread(struct process *p, struct thread *t)
{
	unsigned long flags = signal_lock();
	for (struct thread **pp = &p->threads; *pp; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			p->nthreads--;
			nr_threads--;
			break;
		}
	}
	signal_unlock(flags);
}

void process_add_child(struct process *parent, struct process *child)
{
	child->parent = parent;
	child->sibling = parent->children;
	parent->children = child;
}

void process_remove_child(struct process *child)
{
	struct process *parent = child->parent;
	if (!parent)
		return;
	for (struct process **pp = &parent->children; *pp; pp = &(*pp)->sibling) {
		if (*pp == child) {
			*pp = child->sibling;
			break;
		}
	}
	child->parent = NULL;
	child->sibling = NULL;
}

/*
 * What a process holds besides its record: released when its last thread
 * exits. The pointers are cleared under the tree lock first, so /proc
 * readers (which take their references under it) never get a dying one.
 * Callers must not hold the tree lock unless everything is released already.
 */
void process_release_resources(struct process *p)
{
	if (!p->fds && !p->fs.root.inode && !p->fs.cwd.inode && !p->mm && !p->sighand &&
	    !p->shared_pending && !p->shared_queue && !p->exe_path.inode)
		return;
	proc_tree_lock();
	struct fdtable *fds = p->fds;
	struct path root = p->fs.root, cwd = p->fs.cwd, exe = p->exe_path;
	p->exe_path = (struct path){ 0 };
	struct mm *mm = p->mm;
	struct sighand *sh = p->sighand;
	p->fds = NULL;
	p->fs.root = (struct path){ 0 };
	p->fs.cwd = (struct path){ 0 };
	p->mm = NULL;
	p->sighand = NULL;
	proc_tree_unlock();

	if (fds)
		fdtable_put(fds);
	if (root.inode)
		path_put(&root);
	if (cwd.inode)
		path_put(&cwd);
	if (exe.inode) {
		inode_allow_write_access(exe.inode);
		path_put(&exe);
	}
	if (mm)
		mm_put(mm);
	proc_oom_released(p);
	if (sh)
		sighand_put(sh);
	signal_discard_process(p);
}

void process_free(struct process *p)
{
	process_release_resources(p);
	process_set_groups(p, 0, 0);
	kfree(p);
}
