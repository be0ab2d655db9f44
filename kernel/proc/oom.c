/*
 * The out-of-memory killer: when a page fault finds no memory even after
 * the page cache gave back what it could, Linux's badness rule picks the
 * process to kill, SIGKILL ends it, and the faulting thread sleeps until the
 * victim's address space is released before it tries again.
 */
#include <abi/errno.h>
#include <abi/signal.h>
#include <frame/log.h>
#include <frame/mutex.h>
#include <frame/page.h>
#include <frame/wait.h>
#include <kernel/kwait.h>
#include <kernel/mm.h>
#include <kernel/proc.h>
#include "proc_internal.h"

#define INIT_PID 1
#define BADNESS_UNKILLABLE INT64_MIN
/* Free pages above the reserve (frame/page.h) beyond which a failed fault is retried rather than a process killed. */
#define OOM_RETRY_FREE_PAGES 64

/* One selection at a time (Linux's oom_lock): two faulting threads must not kill two victims. */
static struct mutex oom_lock = MUTEX_INIT("oom");
/* Bumped (atomic) each time a victim's address space is released; oom_wq is woken then. */
static uint64_t oom_released;
static struct wait_queue oom_wq;

/* Linux's totalpages: all RAM, there is no swap. */
static uint64_t oom_total_pages(void)
{
	return page_count_total();
}

/*
 * Linux's oom_badness(): resident pages plus page-table pages (there is no
 * swap), with oom_score_adj added in thousandths of all memory; init, zombies,
 * a vfork child (its memory is its parent's) and OOM_SCORE_ADJ_MIN are never
 * chosen. Tree lock held: p->mm stays referenced meanwhile.
 */
static int64_t badness_locked(struct process *p, uint64_t total)
{
	if (p->pid == INIT_PID || p->state == PROC_ZOMBIE || !p->mm || p->vfork_waiter ||
	    p->oom_score_adj == OOM_SCORE_ADJ_MIN)
		return BADNESS_UNKILLABLE;
	uint64_t rss, tables;
	mm_usage(p->mm, &rss, &tables);
	int64_t points = (int64_t)(rss + tables);
	return points + (int64_t)p->oom_score_adj * (int64_t)(total / 1000);
}

int proc_oom_score(int pid, unsigned *score, int *adj)
{
	uint64_t total = oom_total_pages();
	proc_tree_lock();
	struct process *p = process_find(pid);
	if (!p) {
		proc_tree_unlock();
		return -ESRCH;
	}
	int64_t b = badness_locked(p, total);
	*adj = p->oom_score_adj;
	proc_tree_unlock();
	/* Linux's /proc/PID/oom_score: badness scaled from [-1000, 1000] to [0, 2000], times 2/3. */
	int64_t points = 0;
	if (b != BADNESS_UNKILLABLE)
		points = (1000 + b * 1000 / (int64_t)total) * 2 / 3;
	*score = points < 0 ? 0 : (unsigned)points;
	return 0;
}

int proc_oom_set_adj(int pid, int adj, bool privileged)
{
	if (adj < OOM_SCORE_ADJ_MIN || adj > OOM_SCORE_ADJ_MAX)
		return -EINVAL;
	proc_tree_lock();
	struct process *p = process_find(pid);
	int err = 0;
	if (!p || p->state == PROC_ZOMBIE) {
		err = -ESRCH;
	} else if (adj < p->oom_score_adj_min && !privileged) {
		err = -EACCES;	/* below what a privileged writer last set needs CAP_SYS_RESOURCE */
	} else {
		p->oom_score_adj = (int16_t)adj;
		if (privileged)
			p->oom_score_adj_min = (int16_t)adj;
	}
	proc_tree_unlock();
	return err;
}

void proc_oom_released(struct process *p)
{
	if (!__atomic_exchange_n(&p->oom_victim, false, __ATOMIC_ACQ_REL))
		return;
	__atomic_add_fetch(&oom_released, 1, __ATOMIC_RELEASE);
	wait_wake_all(&oom_wq);
}

/*
 * Choose and kill (oom_lock held). Returns true if a victim is on its way out
 * (one chosen now or an earlier one not yet gone), false if none can be killed.
 */
static bool kill_one(void)
{
	uint64_t total = oom_total_pages();
	struct process *chosen = NULL;
	int64_t chosen_points = BADNESS_UNKILLABLE;
	proc_tree_lock();
	for (struct process *p = process_first(); p; p = process_next(p)) {
		if (p->state == PROC_ZOMBIE || !p->mm)
			continue;
		/* A victim still holding its memory, or a process already exiting: wait for it. */
		if (__atomic_load_n(&p->oom_victim, __ATOMIC_ACQUIRE) || p->exiting) {
			__atomic_store_n(&p->oom_victim, true, __ATOMIC_RELEASE);
			proc_tree_unlock();
			return true;
		}
		int64_t points = badness_locked(p, total);
		if (points == BADNESS_UNKILLABLE || points < chosen_points)
			continue;
		chosen = p;
		chosen_points = points;
	}
	if (!chosen) {
		proc_tree_unlock();
		log_printf(LOG_ERR, "Out of memory and no killable processes...\n");
		return false;
	}
	uint64_t rss, tables;
	mm_usage(chosen->mm, &rss, &tables);
	struct mm *mm = chosen->mm;
	mm_get(mm);
	__atomic_store_n(&chosen->oom_victim, true, __ATOMIC_RELEASE);
	int pid = chosen->pid;
	uint32_t uid = chosen->cred.uid;
	int adj = chosen->oom_score_adj;
	char comm[PROC_COMM_LEN];
	for (unsigned i = 0; i < sizeof(comm); i++)
		comm[i] = chosen->comm[i];
	comm[sizeof(comm) - 1] = 0;
	proc_kill_group_locked(chosen, W_SIGNALED(SIGKILL, 0));
	proc_tree_unlock();
	uint64_t vm_kb = mm_total_bytes(mm) / 1024;
	mm_put(mm);
	/* Linux's line; anonymous and file pages are not told apart, so all of RSS shows as anon-rss. */
	log_printf(LOG_ERR,
		   "Out of memory: Killed process %d (%s) total-vm:%llukB, anon-rss:%llukB, "
		   "file-rss:0kB, shmem-rss:0kB, UID:%u pgtables:%llukB oom_score_adj:%d\n",
		   pid, comm, (unsigned long long)vm_kb, (unsigned long long)rss * 4, uid,
		   (unsigned long long)tables * 4, adj);
	return true;
}

void proc_out_of_memory(void)
{
	struct thread *t = thread_current();
	struct process *self = t->proc;
	/* Dying already: its exit frees memory, nothing else needs to go. */
	if (self->exiting || t->exiting)
		return;
	mutex_lock(&oom_lock);
	/*
	 * Memory back already (freed meanwhile, or the failure was injected or
	 * transient): try again without a victim, as Linux's last allocation
	 * attempt under the OOM lock does.
	 */
	if (page_count_free() > page_reserve() + OOM_RETRY_FREE_PAGES) {
		mutex_unlock(&oom_lock);
		return;
	}
	uint64_t gen = __atomic_load_n(&oom_released, __ATOMIC_ACQUIRE);
	bool waiting = kill_one();
	mutex_unlock(&oom_lock);
	if (!waiting) {
		/* Nothing else can go: the process that needs the page does (Linux would panic). */
		proc_kill_group(self, W_SIGNALED(SIGKILL, 0));
		return;
	}
	if (self->exiting)
		return;
	/* Until a victim's memory is back, or a signal must be handled first. */
	wait_event_interruptible(&oom_wq, __atomic_load_n(&oom_released, __ATOMIC_ACQUIRE) != gen ||
						  self->exiting);
}
