/* x86_64 IDT: an interrupt gate for each of the 256 entry stubs, IST stacks for #DF/NMI/#MC. */
#include <arch/cpu.h>
#include <arch/trap.h>

struct idt_gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct idt_gate) == 16, "IDT gate layout");

struct idt_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

/* Present, 64-bit interrupt gate: the CPU clears IF on entry, so handlers start with interrupts off. */
#define GATE_INTERRUPT 0x8e
#define GATE_DPL3 0x60

static struct idt_gate idt[256] __attribute__((aligned(16)));

static void set_gate(unsigned vector, uint64_t handler, uint8_t ist, uint8_t attr)
{
	idt[vector] = (struct idt_gate){
		.offset_lo = handler & 0xffff,
		.selector = GDT_KERNEL_CS,
		.ist = ist,
		.type_attr = attr,
		.offset_mid = (handler >> 16) & 0xffff,
		.offset_hi = handler >> 32,
	};
}

void idt_init(void)
{
	for (unsigned v = 0; v < 256; v++) {
		uint8_t ist = 0, attr = GATE_INTERRUPT;
		if (v == VEC_DOUBLE_FAULT)
			ist = IST_DOUBLE_FAULT;
		else if (v == VEC_NMI)
			ist = IST_NMI;
		else if (v == VEC_MACHINE_CHECK)
			ist = IST_MACHINE_CHECK;
		/* int3 and into are meant to be usable from user mode (debuggers, signals). */
		if (v == VEC_BREAKPOINT || v == 4)
			attr |= GATE_DPL3;
		set_gate(v, trap_stub_table[v], ist, attr);
	}
	struct idt_ptr ptr = { sizeof(idt) - 1, (uint64_t)idt };
	__asm__ volatile("lidt %0" : : "m"(ptr) : "memory");
}
