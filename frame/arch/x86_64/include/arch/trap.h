/* x86_64 trap frame, vector map and trap dispatch hooks shared by the frame's arch code. */
#ifndef ARCH_TRAP_H
#define ARCH_TRAP_H

/* Exception vectors with names used in reports. */
#define VEC_DIVIDE 0
#define VEC_DEBUG 1
#define VEC_NMI 2
#define VEC_BREAKPOINT 3
#define VEC_DOUBLE_FAULT 8
#define VEC_GP 13
#define VEC_PAGE_FAULT 14
#define VEC_MACHINE_CHECK 18
#define NR_EXCEPTIONS 32

/*
 * Interrupt vectors. The 8259 is remapped onto 0x20-0x2f and fully masked, so
 * only its spurious IRQ7/IRQ15 can arrive there. IOAPIC GSI n uses
 * VEC_GSI_BASE + n; MSI line IRQ_MSI_BASE + n uses VEC_MSI_BASE + n. The top class (0xf0-0xff) holds local APIC sources.
 */
#define VEC_PIC_BASE 0x20
#define VEC_GSI_BASE 0x30
#define NR_GSI_VECTORS 64
/* Message-signalled interrupts (PCI MSI-X) take vectors 0x70-0xef, one per line. */
#define VEC_MSI_BASE 0x70
#define NR_MSI_VECTORS 128
#define VEC_LAPIC_TIMER 0xf0
#define VEC_LAPIC_ERROR 0xfe
#define VEC_SPURIOUS 0xff

/* Page-fault error code bits. */
#define PF_PRESENT (1u << 0)
#define PF_WRITE (1u << 1)
#define PF_USER (1u << 2)
#define PF_RSVD (1u << 3)
#define PF_FETCH (1u << 4)

/* Byte offsets into struct trap_frame used by trap_entry.S. */
#define TF_VECTOR 120
#define TF_CS 144
#define TF_SIZE 176

#ifndef __ASSEMBLER__
#include <frame/types.h>

/*
 * What every vector's entry stub saves, lowest address first: the general
 * registers (pushed by trap_entry.S), the vector and error code (0 when the
 * CPU gives none), then the CPU's own interrupt frame. Handlers may modify it;
 * the values are restored on return (iretq).
 */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code;
	uint64_t rip, cs, rflags, rsp, ss;
};

static inline bool trap_from_user(const struct trap_frame *f)
{
	return (f->cs & 3) != 0;
}

/*
 * A handler for one vector. Called with interrupts off on the interrupted
 * stack (IST stack for #DF, NMI, #MC). For an exception, returning true means
 * it was dealt with and execution resumes at frame->rip; false falls through
 * to the fatal report. For interrupt vectors the return value is ignored.
 */
typedef bool (*trap_handler_fn)(struct trap_frame *frame);

/*
 * Install @fn for @vector, replacing any previous one (NULL restores the
 * default). Returns the previous handler. Intended for frame code: the
 * interrupt controllers, the timer, later IPIs, and tests.
 */
trap_handler_fn trap_set_handler(unsigned vector, trap_handler_fn fn);

/*
 * Issue 3 (user mode) hook: called for every trap taken from user mode after
 * interrupt handlers ran, and instead of the fatal report for exceptions.
 * It may rewrite @frame or switch tasks. NULL (the default) means a user-mode
 * exception is reported like a kernel one.
 */
typedef void (*trap_user_hook_fn)(struct trap_frame *frame);
void trap_set_user_hook(trap_user_hook_fn hook);

/* Called by trap_entry.S for every vector. */
void trap_dispatch(struct trap_frame *frame);

/* Print the exception name, error code, CR2 decode, registers and backtrace, then end. */
_Noreturn void trap_fatal(struct trap_frame *frame);

/* Print every register of @frame and the control registers. */
void trap_dump_registers(const struct trap_frame *frame);

/* Name of exception @vector ("Page fault"), or "Interrupt" past 31. */
const char *trap_exception_name(unsigned vector);

/* Execute int3 (tests: a #BP handled by a trap handler must return here). */
void arch_breakpoint(void);

/* Entry stubs built by trap_entry.S, one per vector. */
extern const uint64_t trap_stub_table[256];

_Static_assert(sizeof(struct trap_frame) == TF_SIZE, "trap frame size");
_Static_assert(__builtin_offsetof(struct trap_frame, vector) == TF_VECTOR, "vector offset");
_Static_assert(__builtin_offsetof(struct trap_frame, cs) == TF_CS, "cs offset");
#endif

#endif
