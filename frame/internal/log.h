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

#endif
