/*
 * First instructions: the PVH (QEMU -kernel) and multiboot2 (GRUB) entries,
 * both in 32-bit protected mode without paging, into 64-bit long mode at the
 * higher-half address, then frame_boot().
 */
#include <arch/layout.h>

#define PHYS(x) ((x) - KERNEL_VIRT_BASE)
#define MB2_MAGIC 0xe85250d6
#define MB2_BOOT_MAGIC 0x36d76289
#define PVH_BOOT_MAGIC 0x336ec578
#define BOOT_STACK_SIZE 16384

/* Boot protocols, as frame_boot() receives them (see internal/boot.h). */
#define BOOT_PROTO_PVH 1
#define BOOT_PROTO_MB2 2

	.section .multiboot2, "a"
	.balign 8
mb2_header:
	.long MB2_MAGIC
	.long 0				/* i386 protected mode */
	.long mb2_header_end - mb2_header
	.long -(MB2_MAGIC + 0 + (mb2_header_end - mb2_header))
	/* Entry address tag: the ELF entry is a higher-half address GRUB can't use. */
	.balign 8
	.short 3, 0
	.long 12
	.long PHYS(mb2_entry)
	/* Information request: memory map, command line, modules, ACPI. */
	.balign 8
	.short 1, 0
	.long 8 + 4 * 5
	.long 1, 3, 6, 14, 15
	.balign 8
	.short 0, 0
	.long 8
mb2_header_end:

	/* Xen PVH entry note, read by QEMU's ELF loader from the PT_NOTE segment. */
	.section .note.Xen, "a"
	.balign 4
	.long 4				/* name size: "Xen\0" */
	.long 8				/* descriptor size */
	.long 18			/* XEN_ELFNOTE_PHYS32_ENTRY */
	.asciz "Xen"
	.balign 4
	.quad PHYS(pvh_entry)

	.section .boot.text, "ax"
	.code32
	.globl pvh_entry
pvh_entry:
	cli
	cld
	cmpl $PVH_BOOT_MAGIC, (%ebx)
	jne boot_fail32
	movl $BOOT_PROTO_PVH, PHYS(boot_proto)
	movl %ebx, PHYS(boot_info_phys)
	jmp enter_long_mode

	.globl mb2_entry
mb2_entry:
	cli
	cld
	cmpl $MB2_BOOT_MAGIC, %eax
	jne boot_fail32
	movl $BOOT_PROTO_MB2, PHYS(boot_proto)
	movl %ebx, PHYS(boot_info_phys)

enter_long_mode:
	movl $PHYS(boot_stack_top), %esp

	/* Zero .bss: page tables and stack live there and loaders differ. */
	movl $PHYS(__bss_start), %edi
	movl $PHYS(__bss_end), %ecx
	subl %edi, %ecx
	shrl $2, %ecx
	xorl %eax, %eax
	rep stosl

	/* Four page directories of 2 MiB pages map physical 0..4 GiB. */
	movl $PHYS(boot_pd), %edi
	movl $0x83, %eax		/* present, writable, 2 MiB page */
	xorl %edx, %edx
	movl $2048, %ecx
1:	movl %eax, (%edi)
	movl %edx, 4(%edi)
	addl $0x200000, %eax
	adcl $0, %edx
	addl $8, %edi
	loop 1b

	/* Low PDPT: the four directories. Used for identity and the direct map. */
	movl $PHYS(boot_pdpt_low), %edi
	movl $PHYS(boot_pd) + 0x3, %eax
	movl %eax, 0(%edi)
	addl $0x1000, %eax
	movl %eax, 8(%edi)
	addl $0x1000, %eax
	movl %eax, 16(%edi)
	addl $0x1000, %eax
	movl %eax, 24(%edi)

	/* High PDPT slot 510 (-2 GiB) maps the first GiB for the kernel image. */
	movl $PHYS(boot_pdpt_high), %edi
	movl $PHYS(boot_pd) + 0x3, %eax
	movl %eax, 510 * 8(%edi)

	movl $PHYS(boot_pml4), %edi
	movl $PHYS(boot_pdpt_low) + 0x3, %eax
	movl %eax, 0(%edi)				/* identity, for the jump */
	movl %eax, ((DIRECT_MAP_BASE >> 39) & 511) * 8(%edi)
	movl $PHYS(boot_pdpt_high) + 0x3, %eax
	movl %eax, 511 * 8(%edi)

	movl %cr4, %eax
	orl $(1 << 5), %eax		/* PAE */
	movl %eax, %cr4
	movl $PHYS(boot_pml4), %eax
	movl %eax, %cr3
	movl $0xc0000080, %ecx		/* EFER */
	rdmsr
	orl $(1 << 8), %eax		/* long mode enable */
	wrmsr
	movl %cr0, %eax
	orl $(1 << 31) | (1 << 16) | 1, %eax	/* paging, write protect, protected mode */
	movl %eax, %cr0

	lgdt PHYS(boot_gdt_ptr)
	ljmp $0x08, $PHYS(long_mode_low)

boot_fail32:
	/* Not started by a loader we know: nothing to report to, stop. */
	hlt
	jmp boot_fail32

	.code64
long_mode_low:
	movabsq $long_mode_high, %rax
	jmp *%rax

long_mode_high:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	xorw %ax, %ax
	movw %ax, %fs
	movw %ax, %gs
	movabsq $boot_stack_top, %rsp
	xorl %ebp, %ebp
	movl boot_proto(%rip), %edi
	movl boot_info_phys(%rip), %esi
	call frame_boot
2:	cli
	hlt
	jmp 2b

	.section .rodata
	.balign 16
boot_gdt:
	.quad 0
	.quad 0x00209a0000000000	/* 64-bit kernel code */
	.quad 0x0000920000000000	/* kernel data */
boot_gdt_end:
boot_gdt_ptr:
	.short boot_gdt_end - boot_gdt - 1
	.long PHYS(boot_gdt)

	/* Written before .bss is cleared, so they live in .data. */
	.section .data
	.balign 4
boot_proto:
	.long 0
boot_info_phys:
	.long 0

	.section .bss
	.balign 4096
boot_pml4:
	.skip 4096
boot_pdpt_low:
	.skip 4096
boot_pdpt_high:
	.skip 4096
boot_pd:
	.skip 4096 * 4
	.balign 16
	.globl boot_stack_bottom
boot_stack_bottom:
	.skip BOOT_STACK_SIZE
	.globl boot_stack_top
boot_stack_top:
