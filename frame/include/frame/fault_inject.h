/* Allocation fault injection for test kernels: once armed, every N-th page or heap allocation fails. */
#ifndef FRAME_FAULT_INJECT_H
#define FRAME_FAULT_INJECT_H

#include <frame/types.h>

/*
 * Only the sanitized test kernel (FRAME_SANITIZE) injects: elsewhere
 * fault_inject_supported() is false and fault_inject_set() -EOPNOTSUPP.
 * With @every N > 0, the N-th, 2N-th, ... allocation counted from the call
 * fails: page_alloc() (every order, so DMA buffers and page tables too),
 * kmalloc()/kzalloc()/kcalloc()/krealloc() return NULL as if memory had
 * run out. 0 disarms. Arm it only once whatever cannot survive a failure
 * (boot) is done; the caller owns the policy (when, how often).
 */
bool fault_inject_supported(void);
int fault_inject_set(uint64_t every);
/* The period in force (0: off) and how many allocations failed because of it so far. */
uint64_t fault_inject_every(void);
uint64_t fault_inject_failures(void);

#endif
