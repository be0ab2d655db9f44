/* x86_64 GDT and TSS: flat kernel/user segments in syscall/sysret order, RSP0 and IST stacks. */
#include <arch/cpu.h>
#include <frame/string.h>

/* 64-bit TSS as the CPU reads it (packed: the RSP/IST fields are misaligned). */
struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));
_Static_assert(sizeof(struct tss) == 104, "TSS layout");

struct gdt_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

/* Access byte + flags for each code/data descriptor; base and limit are ignored in long mode. */
#define SEG_PRESENT (1ull << 47)
#define SEG_DPL3 (3ull << 45)
#define SEG_CODE_DATA (1ull << 44)
#define SEG_EXEC (1ull << 43)
#define SEG_RW (1ull << 41)
#define SEG_LONG (1ull << 53)
#define SEG_DB32 (1ull << 54)
#define SEG_GRAN4K (1ull << 55)
#define SEG_LIMIT_MAX (0xffffull | (0xfull << 48))

#define SEG_KCODE (SEG_PRESENT | SEG_CODE_DATA | SEG_EXEC | SEG_RW | SEG_LONG)
#define SEG_KDATA (SEG_PRESENT | SEG_CODE_DATA | SEG_RW | SEG_DB32 | SEG_GRAN4K | SEG_LIMIT_MAX)
#define SEG_UCODE32 (SEG_PRESENT | SEG_DPL3 | SEG_CODE_DATA | SEG_EXEC | SEG_RW | SEG_DB32 | \
		     SEG_GRAN4K | SEG_LIMIT_MAX)
#define SEG_UDATA (SEG_KDATA | SEG_DPL3)
#define SEG_UCODE (SEG_KCODE | SEG_DPL3)

static uint64_t gdt[(GDT_TSS >> 3) + 2] __attribute__((aligned(16)));
static struct tss tss __attribute__((aligned(16)));

/* Stacks for the IST slots: a fault that destroyed the kernel stack still gets reported. */
static uint8_t ist_stacks[3][IST_STACK_SIZE] __attribute__((aligned(16)));
/* RSP0 until the scheduler gives every task its own kernel stack. */
static uint8_t boot_rsp0_stack[IST_STACK_SIZE] __attribute__((aligned(16)));

static void set_tss_descriptor(unsigned slot, uint64_t base, uint32_t limit)
{
	uint64_t lo = (limit & 0xffffull) | ((base & 0xffffffull) << 16) |
		      (0x9ull << 40) /* available 64-bit TSS */ | SEG_PRESENT |
		      ((uint64_t)(limit >> 16 & 0xf) << 48) | (((base >> 24) & 0xffull) << 56);
	gdt[slot] = lo;
	gdt[slot + 1] = base >> 32;
}

void tss_set_kernel_stack(uint64_t rsp0)
{
	tss.rsp[0] = rsp0;
}

void gdt_init(void)
{
	gdt[0] = 0;
	gdt[GDT_KERNEL_CS >> 3] = SEG_KCODE;
	gdt[GDT_KERNEL_SS >> 3] = SEG_KDATA;
	gdt[GDT_USER_CS32 >> 3] = SEG_UCODE32;
	gdt[GDT_USER_SS >> 3] = SEG_UDATA;
	gdt[GDT_USER_CS >> 3] = SEG_UCODE;

	memset(&tss, 0, sizeof(tss));
	tss.rsp[0] = (uint64_t)(boot_rsp0_stack + sizeof(boot_rsp0_stack));
	tss.ist[IST_DOUBLE_FAULT - 1] = (uint64_t)(ist_stacks[0] + IST_STACK_SIZE);
	tss.ist[IST_NMI - 1] = (uint64_t)(ist_stacks[1] + IST_STACK_SIZE);
	tss.ist[IST_MACHINE_CHECK - 1] = (uint64_t)(ist_stacks[2] + IST_STACK_SIZE);
	/* No I/O permission bitmap: user port access always faults. */
	tss.iomap_base = sizeof(tss);
	set_tss_descriptor(GDT_TSS >> 3, (uint64_t)&tss, sizeof(tss) - 1);

	struct gdt_ptr ptr = { sizeof(gdt) - 1, (uint64_t)gdt };
	/* CS can only be reloaded by a far transfer: push the new CS and return into it. */
	__asm__ volatile(
		"lgdt %0\n\t"
		"pushq %1\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"movw %w2, %%ax\n\t"
		"movw %%ax, %%ds\n\t"
		"movw %%ax, %%es\n\t"
		"movw %%ax, %%ss\n\t"
		"ltr %w3\n\t"
		:
		: "m"(ptr), "i"((uint64_t)GDT_KERNEL_CS), "r"((uint32_t)GDT_KERNEL_SS),
		  "r"((uint32_t)GDT_TSS)
		: "rax", "memory");
}
