/* Frame-internal access to the kernel log's ring buffer. */
#ifndef FRAME_INTERNAL_LOG_H
#define FRAME_INTERNAL_LOG_H

#include <frame/types.h>

/*
 * Copy log bytes starting at absolute position @from (0 = first byte ever
 * logged; older bytes that the ring dropped are skipped) into @buf.
 * Returns the number of bytes copied.
 */
size_t log_ring_read(size_t from, char *buf, size_t len);
/* Absolute position just past the newest logged byte. */
size_t log_ring_head(void);

/*
 * The console lock: one writer at a time on the console devices and the
 * ring (tasks preempt each other and interrupts log too: unlocked, their
 * bytes interleave and the VGA cursor runs off the screen). Irq-saving.
 * Every console writer in the frame takes it through these.
 */
unsigned long console_lock_irqsave(void);
void console_unlock_irqrestore(unsigned long flags);

/*
 * From now on the console is written without the lock, with interrupts off:
 * a fatal error (panic, a fatal trap) may have struck while it was held.
 */
void console_enter_emergency(void);

#endif
