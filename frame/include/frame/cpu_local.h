/*
 * Per-CPU identity and data. One CPU runs today; every call here is already
 * written for several, so SMP bring-up adds CPUs without changing this API.
 */
#ifndef FRAME_CPU_LOCAL_H
#define FRAME_CPU_LOCAL_H

#include <frame/types.h>

struct task;

/* Most CPUs the frame will ever run on; sizes per-CPU arrays. */
#define CPU_MAX 64

/*
 * Index of the CPU running the caller, 0 .. cpu_count() - 1. A task may move
 * to another CPU whenever it can be preempted, so the answer is only stable
 * with preemption disabled (sched_preempt_disable()) or interrupts off.
 */
unsigned cpu_id(void);

/* Number of CPUs online (1 until SMP bring-up). */
unsigned cpu_count(void);

/* The task running on this CPU; never NULL (early in boot: the boot task). Same as task_current(). */
struct task *cpu_current_task(void);

/*
 * Per-CPU variables for any code: one slot per CPU, reached through cpu_id()
 * with preemption disabled so the slot cannot change under the caller.
 *
 *   static CPU_LOCAL(uint64_t, packets);
 *   sched_preempt_disable();
 *   CPU_LOCAL_THIS(packets)++;
 *   sched_preempt_enable();
 */
#define CPU_LOCAL(type, name) type name[CPU_MAX]
#define CPU_LOCAL_THIS(name) ((name)[cpu_id()])
#define CPU_LOCAL_OF(name, cpu) ((name)[(cpu)])

#endif
