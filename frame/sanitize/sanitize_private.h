/* Shared by the runtime-check files of frame/sanitize: KASAN's state and report entry, UBSAN/SSP report plumbing. */
#ifndef FRAME_SANITIZE_PRIVATE_H
#define FRAME_SANITIZE_PRIVATE_H

#include <frame/types.h>

/* Set once the shadow is mapped; checks and poisoning do nothing before. */
extern bool kasan_enabled;

/* Shadow address of @addr (the compiler's formula, offset from mk/sanitize.mk). */
static inline uint8_t *kasan_shadow(uintptr_t addr)
{
	return (uint8_t *)((addr >> 3) + KASAN_SHADOW_OFFSET);
}

/* Map the shadow (after kernel_space_init) and turn KASAN on if it all fits. */
struct mem_region;
void kasan_init(const struct mem_region *regions, size_t count);

/* Is @addr in a range whose shadow is mapped (direct map of RAM, kernel image, stacks made so far)? */
bool kasan_shadowed(uintptr_t addr);

/*
 * Back the shadow of [@start, @start + @len) in the stack area (slots come
 * lowest first, so what has shadow is a prefix of the area). 0 or -1.
 */
int kasan_stack_shadow(uintptr_t start, size_t len);

/*
 * Report a bad access of @size bytes at @addr from the instruction before
 * @ip, in the function whose frame pointer is @fp; @kind NULL means classify
 * by the shadow. Counts it, prints it (rate limited), never stops the kernel.
 */
void kasan_report(uintptr_t addr, size_t size, bool write, const char *kind,
		  uintptr_t ip, uintptr_t fp);

/* Set while a report prints, so checks in the printing code stay quiet. */
extern bool sanitize_reporting;

/* Image constructors (.init_array): instrumented globals register themselves. */
void sanitize_run_constructors(void);

/* Pick a fresh stack-protector guard; only while no protected frame will return. */
void stack_protector_init(void);

#endif
