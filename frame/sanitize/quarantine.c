/* The kfree quarantine: freed small objects stay poisoned for a while before the heap may reuse them. */
#ifdef FRAME_SANITIZE
#include <frame/spinlock.h>
#include <internal/sanitize.h>

#include "sanitize_private.h"

/*
 * Small on purpose: it only has to outlive the usual reuse distance of the
 * heap's LIFO free lists. Entries stay in free order (oldest at head).
 */
#define QUARANTINE_SLOTS 64
#define QUARANTINE_BYTES (16 * 1024)

static struct {
	const void *ptr;
	size_t size;
} ring[QUARANTINE_SLOTS];
static unsigned head, count;
static size_t bytes;
/* kfree may run in interrupt handlers: the ring is shared with them. */
static spinlock_t quarantine_lock = SPINLOCK_INIT("kasan quarantine");

static const void *remove_at(unsigned i)
{
	unsigned at = (head + i) % QUARANTINE_SLOTS;
	const void *p = ring[at].ptr;
	bytes -= ring[at].size;
	/* Close the gap so the ring stays oldest-first. */
	for (unsigned k = i; k + 1 < count; k++)
		ring[(head + k) % QUARANTINE_SLOTS] = ring[(head + k + 1) % QUARANTINE_SLOTS];
	count--;
	return p;
}

const void *kasan_quarantine_take(size_t size)
{
	const void *p = NULL;
	unsigned long flags = spin_lock_irqsave(&quarantine_lock);
	for (unsigned i = 0; i < count && !p; i++)
		if (ring[(head + i) % QUARANTINE_SLOTS].size == size)
			p = remove_at(i);
	spin_unlock_irqrestore(&quarantine_lock, flags);
	return p;
}

int kasan_quarantine_put(const void *ptr, size_t size, const void **evict)
{
	*evict = ptr;
	if (!kasan_enabled)
		return 0;
	if (kasan_shadow_value(ptr) == KASAN_HEAP_FREED) {
		*evict = NULL;
		kasan_report((uintptr_t)ptr, size, true, "double-free",
			     (uintptr_t)__builtin_return_address(0),
			     (uintptr_t)__builtin_frame_address(0));
		return -1;
	}
	kasan_poison(ptr, size, KASAN_HEAP_FREED);
	*evict = NULL;
	unsigned long flags = spin_lock_irqsave(&quarantine_lock);
	if (count == QUARANTINE_SLOTS || bytes + size > QUARANTINE_BYTES)
		*evict = remove_at(0);
	ring[(head + count) % QUARANTINE_SLOTS].ptr = ptr;
	ring[(head + count) % QUARANTINE_SLOTS].size = size;
	count++;
	bytes += size;
	spin_unlock_irqrestore(&quarantine_lock, flags);
	return 0;
}
#endif
