/* x86_64 user FPU/SSE state: the reset image new contexts start from and MXCSR sanitising. */
#include <arch/fpu.h>
#include <frame/string.h>

#define FXSAVE_MXCSR 24
#define FXSAVE_MXCSR_MASK 28

static struct user_fpu_state fpu_reset_image;
/* MXCSR bits this CPU accepts; 0xffbf when it does not say (SDM 11.6.6). */
static uint32_t mxcsr_mask = 0xffbf;

void fpu_init(void)
{
	uint32_t mxcsr = 0x1f80; /* all SIMD exceptions masked, round to nearest */
	__asm__ volatile("fninit; ldmxcsr %0" : : "m"(mxcsr));
	memset(&fpu_reset_image, 0, sizeof(fpu_reset_image));
	fpu_save(&fpu_reset_image);
	uint32_t mask;
	memcpy(&mask, fpu_reset_image.bytes + FXSAVE_MXCSR_MASK, 4);
	if (mask)
		mxcsr_mask = mask;
}

void fpu_init_state(struct user_fpu_state *st)
{
	memcpy(st, &fpu_reset_image, sizeof(*st));
}

void fpu_sanitize(struct user_fpu_state *st)
{
	uint32_t mxcsr;
	memcpy(&mxcsr, st->bytes + FXSAVE_MXCSR, 4);
	mxcsr &= mxcsr_mask;
	memcpy(st->bytes + FXSAVE_MXCSR, &mxcsr, 4);
}
