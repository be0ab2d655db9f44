/* Frame-internal raw lock word operations: the atomic part of spin locks, without preemption or interrupt handling. */
#ifndef FRAME_SYNC_INTERNAL_H
#define FRAME_SYNC_INTERNAL_H

#include <arch/task_arch.h>
#include <frame/panic.h>
#include <frame/spinlock.h>
#include <task/task_internal.h>

/*
 * Acquire @l's word. The caller has preemption or interrupts off, so the
 * owner check below is stable: finding our own CPU as owner means this CPU
 * would spin forever (a recursive lock, or an interrupt handler taking a lock
 * its CPU holds without irqsave).
 */
static inline void raw_spin_acquire(spinlock_t *l)
{
	uint32_t me = this_cpu()->id + 1;
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE)) {
		if (__atomic_load_n(&l->owner_cpu, __ATOMIC_RELAXED) == me)
			panic("spinlock %s: already held by this CPU (recursion or missing irqsave)",
			      l->name ? l->name : "?");
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			arch_spin_pause();
	}
	__atomic_store_n(&l->owner_cpu, me, __ATOMIC_RELAXED);
}

static inline bool raw_spin_try_acquire(spinlock_t *l)
{
	if (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		return false;
	__atomic_store_n(&l->owner_cpu, this_cpu()->id + 1, __ATOMIC_RELAXED);
	return true;
}

static inline void raw_spin_release(spinlock_t *l)
{
	__atomic_store_n(&l->owner_cpu, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

#endif
