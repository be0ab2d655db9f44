/* x86_64 CPU primitives for the frame: port I/O, MSRs, control registers, CPUID, segment selectors. */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

/*
 * GDT selectors. The order is fixed by syscall/sysret: STAR[47:32] = kernel
 * CS (SS = +8); sysret to 64-bit loads CS = STAR[63:48] + 16 and SS = +8, so
 * user CS32, user SS, user CS64 must be consecutive.
 */
#define GDT_KERNEL_CS 0x08
#define GDT_KERNEL_SS 0x10
#define GDT_USER_CS32 0x18
#define GDT_USER_SS 0x20
#define GDT_USER_CS 0x28
#define GDT_TSS 0x30 /* 16-byte system descriptor: two slots */
#define GDT_USER_RPL 3
/* Value for the STAR MSR (syscall/sysret segment bases). */
#define GDT_STAR_VALUE \
	(((uint64_t)(GDT_USER_CS32 | GDT_USER_RPL) << 48) | ((uint64_t)GDT_KERNEL_CS << 32))

/* Interrupt stack table slots (1-based as in the IDT gate). */
#define IST_DOUBLE_FAULT 1
#define IST_NMI 2
#define IST_MACHINE_CHECK 3
#define IST_STACK_SIZE 16384

#ifndef __ASSEMBLER__
#include <frame/types.h>

#define MSR_EFER 0xc0000080
#define MSR_STAR 0xc0000081
#define MSR_LSTAR 0xc0000082
#define MSR_FMASK 0xc0000084
#define MSR_FS_BASE 0xc0000100
#define MSR_GS_BASE 0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102
#define MSR_APIC_BASE 0x1b

#define EFER_SCE (1u << 0)
#define EFER_LME (1u << 8)
#define EFER_NXE (1u << 11)

#define CR0_MP (1ul << 1)
#define CR0_EM (1ul << 2)
#define CR0_TS (1ul << 3)
#define CR0_NE (1ul << 5)
#define CR0_WP (1ul << 16)
#define CR4_PGE (1ul << 7)
#define CR4_OSFXSR (1ul << 9)
#define CR4_OSXMMEXCPT (1ul << 10)
#define CR4_SMEP (1ul << 20)

#define RFLAGS_IF (1ul << 9)

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}
static inline void outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}
static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}
static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
static inline uint16_t inw(uint16_t port)
{
	uint16_t v;
	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
static inline uint32_t inl(uint16_t port)
{
	uint32_t v;
	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
/* A write to the unused POST port takes about a microsecond on real buses. */
static inline void io_wait(void)
{
	outb(0x80, 0);
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}
static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

/* Ordered: lfence keeps rdtsc from running ahead of earlier loads. */
static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t *a, uint32_t *b,
			 uint32_t *c, uint32_t *d)
{
	__asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
			 : "a"(leaf), "c"(sub));
}

#define DEFINE_CR(n) \
	static inline uint64_t read_cr##n(void) \
	{ \
		uint64_t v; \
		__asm__ volatile("mov %%cr" #n ", %0" : "=r"(v)); \
		return v; \
	} \
	static inline void write_cr##n(uint64_t v) \
	{ \
		__asm__ volatile("mov %0, %%cr" #n : : "r"(v) : "memory"); \
	}
DEFINE_CR(0)
DEFINE_CR(2)
DEFINE_CR(3)
DEFINE_CR(4)
#undef DEFINE_CR

static inline uint64_t read_rflags(void)
{
	uint64_t f;
	__asm__ volatile("pushfq; popq %0" : "=r"(f));
	return f;
}
static inline void cpu_relax(void)
{
	__asm__ volatile("pause" ::: "memory");
}
static inline void cli(void)
{
	__asm__ volatile("cli" ::: "memory");
}
static inline void sti(void)
{
	__asm__ volatile("sti" ::: "memory");
}

/* CPU features the frame looked up once in arch_cpu_init(). */
struct cpu_features {
	char vendor[13];
	uint32_t family, model, stepping;
	bool nx, x2apic, tsc_deadline, invariant_tsc, smep, smap, xsave, fsgsbase;
	bool hypervisor;
	uint32_t max_leaf, max_ext_leaf;
};
extern struct cpu_features cpu_features;

/* Load this CPU's GDT and TSS and reload every segment register. */
void gdt_init(void);
/* Stack the CPU switches to when a trap arrives from user mode (TSS.RSP0). */
void tss_set_kernel_stack(uint64_t rsp0);
/* Load the IDT with a gate for every vector (exceptions, IRQs, spurious). */
void idt_init(void);
#endif

#endif
