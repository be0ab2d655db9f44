/* Private to kernel/proc: table and tree helpers shared by its files (callers hold the tree lock). */
#ifndef KERNEL_PROC_INTERNAL_H
#define KERNEL_PROC_INTERNAL_H

#include <kernel/proc.h>

int id_alloc(void);
bool pgid_in_use(int id);
void pid_table_set(int pid, struct process *p);
void tid_table_set(int tid, struct thread *t);
struct process *process_next_after(int pid);
/* Change pgid and sid together, keeping the ids taken while in use. */
void process_set_groups(struct process *p, int pgid, int sid);

struct process *process_alloc(void);
struct thread *thread_alloc(struct process *p);
void process_link_thread(struct process *p, struct thread *t);
void process_unlink_thread(struct process *p, struct thread *t);
void process_add_child(struct process *parent, struct process *child);
void process_remove_child(struct process *child);
void process_release_resources(struct process *p);
void process_free(struct process *p);

/* Start @t's task running its user context (thread_loop.c). */
int thread_start(struct thread *t);

/*
 * clone(2)'s work (fork and vfork are clone with fixed flags): a new thread,
 * or a new process when CLONE_THREAD is not given. Returns its id or -errno.
 */
int64_t proc_clone(uint64_t flags, vaddr_t newsp, vaddr_t ptid, vaddr_t ctid, vaddr_t tls);
/* Run @t's user context from the calling task (already set up for it) until it exits. */
int thread_enter_user(struct thread *t);

/* Drop pending signals and their information (signal code, on exit and exec). */
void signal_discard_process(struct process *p);

/* The default resource limits of init, as Linux's. */
void rlimits_default(struct rlimit *rlim);


#endif
