/* sanitize_init(): brings up the runtime checks of the sanitized test build in a safe order; stubs in a plain build. */
#include <frame/log.h>
#include <internal/sanitize.h>

#ifdef FRAME_SANITIZE
#include "sanitize_private.h"

typedef void (*constructor_fn)(void);
/* From the linker script; empty in a plain build. */
extern constructor_fn __init_array_start[], __init_array_end[];

/*
 * Only instrumented globals put constructors in the image (they call
 * __asan_register_globals); they need the shadow, so they run here.
 */
void sanitize_run_constructors(void)
{
	for (constructor_fn *f = __init_array_start; f < __init_array_end; f++)
		(*f)();
}

/*
 * Order matters: constructors poison global redzones in the shadow, and the
 * stack guard may only change while no protected frame is live that will
 * return (boot's caller chain here ends in noreturn calls).
 */
void sanitize_init(const struct mem_region *regions, size_t count)
{
	kasan_init(regions, count);
	sanitize_run_constructors();
	stack_protector_init();
	pr_notice("sanitize: KASAN %s, UBSAN on, stack protector on; reports are counted, not fatal\n",
		  kasan_enabled ? "on" : "OFF (no shadow)");
}

bool sanitize_built(void)
{
	return true;
}

#else

/* Plain build: no runtime checks, nothing to set up. */
void sanitize_init(const struct mem_region *regions, size_t count)
{
	(void)regions;
	(void)count;
}

bool sanitize_built(void)
{
	return false;
}
#endif
