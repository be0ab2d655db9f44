/* The x86_64 signal frame's user-visible parts: the FXSAVE image, struct sigcontext and struct ucontext. */
/* uapi: <asm/signal.h> <asm/sigcontext.h> <asm/ucontext.h> */
#ifndef ABI_UCONTEXT_H
#define ABI_UCONTEXT_H

#include <abi/signal.h>
#include <frame/types.h>

#define UC_FP_XSTATE 0x1
#define UC_SIGCONTEXT_SS 0x2
#define UC_STRICT_RESTORE_SS 0x4

#define FP_XSTATE_MAGIC1 0x46505853U
#define FP_XSTATE_MAGIC2 0x46505845U

/* The software-reserved tail of the FXSAVE image: zero in a legacy (no XSAVE) frame. */
struct _fpx_sw_bytes {
	uint32_t magic1;
	uint32_t extended_size;
	uint64_t xfeatures;
	uint32_t xstate_size;
	uint32_t padding[7];
};

/* The 512-byte FXSAVE image a signal frame carries (struct _fpstate on x86_64). */
struct _fpstate_64 {
	uint16_t cwd;
	uint16_t swd;
	uint16_t twd;
	uint16_t fop;
	uint64_t rip;
	uint64_t rdp;
	uint32_t mxcsr;
	uint32_t mxcsr_mask;
	uint32_t st_space[32];
	uint32_t xmm_space[64];
	uint32_t reserved2[12];
	struct _fpx_sw_bytes sw_reserved;
};

/* The registers a handler's frame saves and rt_sigreturn restores. */
struct sigcontext {
	uint64_t r8;
	uint64_t r9;
	uint64_t r10;
	uint64_t r11;
	uint64_t r12;
	uint64_t r13;
	uint64_t r14;
	uint64_t r15;
	uint64_t rdi;
	uint64_t rsi;
	uint64_t rbp;
	uint64_t rbx;
	uint64_t rdx;
	uint64_t rax;
	uint64_t rcx;
	uint64_t rsp;
	uint64_t rip;
	uint64_t eflags;
	uint16_t cs;
	uint16_t gs;
	uint16_t fs;
	uint16_t ss;
	uint64_t err;
	uint64_t trapno;
	uint64_t oldmask;
	uint64_t cr2;
	uint64_t fpstate;	/* user address of struct _fpstate_64, 0 if none */
	uint64_t reserved1[8];
};

struct ucontext {
	uint64_t uc_flags;
	uint64_t uc_link;
	struct sigaltstack uc_stack;
	struct sigcontext uc_mcontext;
	kernel_sigset_t uc_sigmask;
};

#endif
