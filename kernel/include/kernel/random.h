/*
 * Kernel random numbers: AT_RANDOM, getrandom(2), /dev/urandom. A
 * xoshiro256** generator seeded from the clocks at first use. Not a
 * cryptographic generator: the frame has no entropy source for services yet.
 */
#ifndef KERNEL_RANDOM_H
#define KERNEL_RANDOM_H

#include <frame/types.h>

void random_bytes(void *buf, size_t len);
uint64_t random_u64(void);

#endif
