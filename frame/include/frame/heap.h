/* Kernel heap: kmalloc/kfree over size-classed slabs and whole pages. */
#ifndef FRAME_HEAP_H
#define FRAME_HEAP_H

#include <frame/page.h>
#include <frame/types.h>

/* Largest size served from a slab; bigger requests take whole pages. */
#define KMALLOC_MAX_SLAB 2048
/* Largest request at all: one PAGE_MAX_ORDER block. */
#define KMALLOC_MAX_SIZE (PAGE_SIZE << PAGE_MAX_ORDER)

/*
 * Allocate @size bytes, 8-byte aligned; a power-of-two size up to
 * KMALLOC_MAX_SLAB is aligned to itself, larger ones to a page. The caller
 * owns the memory until kfree(). kmalloc(0) returns a unique pointer to zero
 * usable bytes. Returns NULL when out of memory or @size > KMALLOC_MAX_SIZE.
 */
void *kmalloc(size_t size);

/* kmalloc() and zero the @size bytes. */
void *kzalloc(size_t size);

/* kzalloc(@n * @size), NULL if the product overflows. */
void *kcalloc(size_t n, size_t size);

/* Free memory from kmalloc()/kzalloc()/krealloc(); NULL is ignored. */
void kfree(const void *ptr);

/*
 * Resize @ptr to @size bytes, keeping the common prefix. NULL @ptr acts as
 * kmalloc(); @size 0 frees @ptr and returns NULL. On failure returns NULL and
 * @ptr is left untouched and still owned by the caller.
 */
void *krealloc(void *ptr, size_t size);

/*
 * Usable size of the live allocation @ptr: its size class for small objects,
 * the exact request for large ones. Only the requested bytes may be touched
 * under the sanitizers.
 */
size_t ksize(const void *ptr);

/* One kmalloc size class, for /proc/slabinfo. */
struct heap_class_stats {
	size_t object_size;
	uint64_t live_objects;     /* handed out and not yet freed */
	uint64_t pages;            /* slab pages the class holds, in use or cached */
	uint64_t objects_per_page;
};

/* Number of size classes, and the figures of class @index: 0 or -EINVAL. */
unsigned heap_class_count(void);
int heap_class_stats(unsigned index, struct heap_class_stats *out);

#endif
