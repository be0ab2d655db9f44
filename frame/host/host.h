/* Hosted frame set-up, called by the host test runner before any test. */
#ifndef FRAME_HOST_H
#define FRAME_HOST_H

#include <internal/mm.h>

/* Map the fake physical memory and run mm_init() + kernel_space_init() on it. */
void host_mem_init(void);

/* The RAM regions the hosted frame pretends the boot loader reported. */
const struct mem_region *host_mem_regions(size_t *count);

#endif
