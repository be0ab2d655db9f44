/* x86_64 user FPU/SSE state: FXSAVE images saved and loaded around user mode (the kernel never uses the FPU). */
#ifndef ARCH_FPU_H
#define ARCH_FPU_H

#include <frame/user.h>

/* Save the live x87/SSE registers into @st (64-bit form: full FPU IP/DP). */
static inline void fpu_save(struct user_fpu_state *st)
{
	__asm__ volatile("fxsaveq %0" : "=m"(*st) : : "memory");
}

/* Load @st into the registers. An mxcsr with reserved bits set would #GP: callers sanitise. */
static inline void fpu_restore(const struct user_fpu_state *st)
{
	__asm__ volatile("fxrstorq %0" : : "m"(*st) : "memory");
}

/* Capture the reset-state image (after fninit) that new contexts start from. Boot CPU, once. */
void fpu_init(void);

/* Copy the reset-state image into @st. */
void fpu_init_state(struct user_fpu_state *st);

/* Clear MXCSR bits the CPU would refuse (a service may have written any value). */
void fpu_sanitize(struct user_fpu_state *st);

#endif
