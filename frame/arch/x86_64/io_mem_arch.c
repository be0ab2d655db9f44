/* x86_64 side of io_mem and dma: the device memory the frame drives itself, and the ordering DMA and MMIO need. */
#include <arch/acpi.h>
#include <arch/cpu.h>
#include <io/io_internal.h>
#include <io/pci_internal.h>

/* Where ioapic.c assumes the IOAPIC when the MADT lists none. */
#define IOAPIC_FALLBACK_BASE 0xfec00000UL
/* Legacy VGA memory; vga.c writes the text buffer at 0xb8000. */
#define VGA_MEM_START 0xa0000UL
#define VGA_MEM_END 0xc0000UL

static void reserve_page(paddr_t pa, const char *owner)
{
	paddr_t base = ALIGN_DOWN(pa, PAGE_SIZE);
	io_mem_reserve(base, base + PAGE_SIZE, owner);
}

/* Everything apic.c, ioapic.c, hpet.c, vga.c and pci_arch.c map, whether or not they are running. */
void arch_io_mem_reserve_frame(void)
{
	const struct acpi_info *a = &acpi_info;
	reserve_page(rdmsr(MSR_APIC_BASE) & 0xffffff000ULL, "local APIC");
	if (a->have_madt && a->lapic_address)
		reserve_page(a->lapic_address, "local APIC (MADT)");
	for (unsigned i = 0; i < a->nr_ioapics; i++)
		reserve_page(a->ioapics[i].address, "IOAPIC");
	if (a->nr_ioapics == 0)
		reserve_page(IOAPIC_FALLBACK_BASE, "IOAPIC (default address)");
	if (a->have_hpet)
		reserve_page(a->hpet_address, "HPET");
	io_mem_reserve(VGA_MEM_START, VGA_MEM_END, "VGA memory");
	paddr_t ecam_start, ecam_end;
	arch_pci_ecam_range(&ecam_start, &ecam_end);
	io_mem_reserve(ecam_start, ecam_end, "PCI ECAM");
}

/*
 * x86 keeps stores in order and orders uncached MMIO with ordinary memory,
 * so only the compiler has to be stopped from moving accesses across.
 */
void arch_io_mb(void)
{
	__asm__ volatile("" ::: "memory");
}

/*
 * DMA on x86 snoops the caches: there is nothing to clean or invalidate.
 * mfence also orders non-temporal and write-combining stores, which the
 * plain barrier above would not.
 */
void arch_dma_sync(paddr_t pa, size_t len, bool for_device)
{
	(void)pa, (void)len, (void)for_device;
	__asm__ volatile("mfence" ::: "memory");
}
