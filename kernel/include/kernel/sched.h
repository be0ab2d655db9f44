/* Cadre's scheduling policy (kernel/sched/), plugged into the frame's scheduler at boot. */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <frame/sched.h>

/*
 * Weighted round-robin: one FIFO queue, turns of (priority + 1) ticks, so
 * busy tasks share the CPU in proportion to their priority plus one.
 * kernel_main() makes it the policy in force with sched_set_policy().
 */
extern const struct sched_policy sched_weighted_rr_policy;

#endif
