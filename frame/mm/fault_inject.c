/* Allocation fault injection (sanitized test kernels): a counter every allocation passes, failing each N-th. */
#include <frame/errno.h>
#include <frame/fault_inject.h>

#include "mm_private.h"

static uint64_t every;		/* atomic; 0: off */
static uint64_t failures;	/* atomic */

#ifdef FRAME_SANITIZE
static uint64_t counted;	/* atomic: allocations since arming */

bool fault_inject_supported(void)
{
	return true;
}

int fault_inject_set(uint64_t n)
{
	__atomic_store_n(&every, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&counted, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&every, n, __ATOMIC_RELEASE);
	return 0;
}

bool fault_inject_fail(void)
{
	uint64_t n = __atomic_load_n(&every, __ATOMIC_ACQUIRE);
	if (!n)
		return false;
	if (__atomic_add_fetch(&counted, 1, __ATOMIC_RELAXED) % n)
		return false;
	__atomic_add_fetch(&failures, 1, __ATOMIC_RELAXED);
	return true;
}
#else
bool fault_inject_supported(void)
{
	return false;
}

int fault_inject_set(uint64_t n)
{
	(void)n;
	return -EOPNOTSUPP;
}

bool fault_inject_fail(void)
{
	return false;
}
#endif

uint64_t fault_inject_every(void)
{
	return __atomic_load_n(&every, __ATOMIC_RELAXED);
}

uint64_t fault_inject_failures(void)
{
	return __atomic_load_n(&failures, __ATOMIC_RELAXED);
}
