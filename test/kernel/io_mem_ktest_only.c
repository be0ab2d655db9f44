/* In-kernel tests of io_mem: refusal of RAM and the frame's devices, bounds and alignment, and real reads/writes of q35's PCIe ECAM. */
#include <arch/acpi.h>
#include <frame/errno.h>
#include <frame/io_mem.h>
#include <frame/io_port.h>
#include <frame/ktest.h>
#include <frame/page.h>
#include <internal/mm.h>

#define PCI_CONF 0xcf8
#define PCI_ADDR(bus, dev, fn, reg) \
	(0x80000000u | (bus) << 16 | (dev) << 11 | (fn) << 8 | ((reg) & 0xfc))
/* Q35 MCH: PCIEXBAR (64-bit) at config offset 0x60; bit 0 enables, bits 35:28 the base (256 MiB). */
#define Q35_PCIEXBAR 0x60

/* Physical base of the PCIe ECAM as firmware programmed it, read through io_port; 0 if none. */
static paddr_t ecam_base(void)
{
	struct io_port *pci;
	if (io_port_acquire(PCI_CONF, 8, &pci))
		return 0;
	uint32_t lo = 0, hi = 0, id = 0;
	int err = io_port_write32(pci, 0, PCI_ADDR(0, 0, 0, 0));
	err = err ?: io_port_read32(pci, 4, &id);
	err = err ?: io_port_write32(pci, 0, PCI_ADDR(0, 0, 0, Q35_PCIEXBAR));
	err = err ?: io_port_read32(pci, 4, &lo);
	err = err ?: io_port_write32(pci, 0, PCI_ADDR(0, 0, 0, Q35_PCIEXBAR + 4));
	err = err ?: io_port_read32(pci, 4, &hi);
	io_port_release(pci);
	if (err || id != 0x29c08086 || !(lo & 1))
		return 0;
	return (((paddr_t)hi << 32) | lo) & 0xff0000000ULL;
}

static paddr_t ecam_fn(paddr_t ecam, unsigned dev, unsigned fn)
{
	return ecam + ((paddr_t)dev << 15) + ((paddr_t)fn << 12);
}

KTEST(io_mem_reads_q35_ecam)
{
	paddr_t ecam = ecam_base();
	KASSERT(ecam != 0);
	struct io_mem *m;
	KASSERT(io_mem_acquire(ecam_fn(ecam, 0, 0), PAGE_SIZE, &m) == 0);
	KEXPECT_EQ(io_mem_paddr(m), ecam);
	KEXPECT_EQ(io_mem_len(m), PAGE_SIZE);
	uint8_t v8 = 0;
	uint16_t v16 = 0;
	uint32_t v32 = 0, cmd_status = 0;
	uint64_t v64 = 0;
	KEXPECT_EQ(io_mem_read32(m, 0, &v32), 0);
	KEXPECT_EQ(v32, 0x29c08086);
	KEXPECT_EQ(io_mem_read16(m, 2, &v16), 0);
	KEXPECT_EQ(v16, 0x29c0);
	KEXPECT_EQ(io_mem_read8(m, 0, &v8), 0);
	KEXPECT_EQ(v8, 0x86);
	KEXPECT_EQ(io_mem_read32(m, 4, &cmd_status), 0);
	KEXPECT_EQ(io_mem_read64(m, 0, &v64), 0);
	KEXPECT_EQ(v64, ((uint64_t)cmd_status << 32) | 0x29c08086);
	/* The bulk copy sees the same header: class 06 (bridge) / 00 (host) at 0x0a. */
	uint8_t hdr[16];
	KEXPECT_EQ(io_mem_read(m, 0, hdr, sizeof(hdr)), 0);
	KEXPECT_EQ(hdr[0] | hdr[1] << 8 | hdr[2] << 16 | (uint32_t)hdr[3] << 24, 0x29c08086);
	KEXPECT_EQ(hdr[0x0b], 0x06);
	KEXPECT_EQ(hdr[0x0a], 0x00);
	io_mem_release(m);

	/* Another function: ICH9 LPC at 00:1f.0 (8086:2918). */
	KASSERT(io_mem_acquire(ecam_fn(ecam, 0x1f, 0), 4, &m) == 0);
	KEXPECT_EQ(io_mem_read32(m, 0, &v32), 0);
	KEXPECT_EQ(v32, 0x29188086);
	io_mem_release(m);
}

KTEST(io_mem_writes_reach_the_device)
{
	paddr_t ecam = ecam_base();
	KASSERT(ecam != 0);
	struct io_mem *m;
	struct io_port *pci;
	KASSERT(io_mem_acquire(ecam_fn(ecam, 0, 0), 0x40, &m) == 0);
	/* Interrupt Line (0x3c): a read/write byte with no effect on hardware. */
	uint8_t old = 0, now = 0;
	KEXPECT_EQ(io_mem_read8(m, 0x3c, &old), 0);
	KEXPECT_EQ(io_mem_write8(m, 0x3c, 0x5a), 0);
	/* Read back the other way, through the configuration ports. */
	if (KEXPECT_EQ(io_port_acquire(PCI_CONF, 8, &pci), 0)) {
		KEXPECT_EQ(io_port_write32(pci, 0, PCI_ADDR(0, 0, 0, 0x3c)), 0);
		KEXPECT_EQ(io_port_read8(pci, 4, &now), 0);
		KEXPECT_EQ(now, 0x5a);
		KEXPECT_EQ(io_port_write8(pci, 4, 0xa5), 0);
		io_port_release(pci);
	}
	KEXPECT_EQ(io_mem_read8(m, 0x3c, &now), 0);
	KEXPECT_EQ(now, 0xa5);
	uint8_t back = old;
	KEXPECT_EQ(io_mem_write(m, 0x3c, &back, 1), 0);
	KEXPECT_EQ(io_mem_read8(m, 0x3c, &now), 0);
	KEXPECT_EQ(now, old);
	io_mem_release(m);
}

KTEST(io_mem_bounds_and_alignment)
{
	paddr_t ecam = ecam_base();
	KASSERT(ecam != 0);
	struct io_mem *m;
	/* 0x40 bytes: the page behind is mapped, but only the window may be reached. */
	KASSERT(io_mem_acquire(ecam_fn(ecam, 0, 0), 0x40, &m) == 0);
	uint8_t v8 = 0;
	uint16_t v16 = 0;
	uint32_t v32 = 0;
	uint64_t v64 = 0;
	uint8_t buf[16];
	KEXPECT_EQ(io_mem_read32(m, 0x3c, &v32), 0);
	KEXPECT_EQ(io_mem_read8(m, 0x3f, &v8), 0);
	KEXPECT_EQ(io_mem_read32(m, 0x40, &v32), -EINVAL);
	KEXPECT_EQ(v32, 0xffffffffu);
	KEXPECT_EQ(io_mem_read8(m, 0x40, &v8), -EINVAL);
	KEXPECT_EQ(io_mem_read64(m, 0x3c, &v64), -EINVAL); /* unaligned and past the end */
	KEXPECT_EQ(io_mem_read64(m, 0x38, &v64), 0);
	KEXPECT_EQ(io_mem_read32(m, 2, &v32), -EINVAL);
	KEXPECT_EQ(io_mem_read16(m, 1, &v16), -EINVAL);
	KEXPECT_EQ(v16, 0xffff);
	KEXPECT_EQ(io_mem_read64(m, 4, &v64), -EINVAL);
	KEXPECT_EQ(io_mem_write32(m, 0x40, 0), -EINVAL);
	KEXPECT_EQ(io_mem_write16(m, 0x3d, 0), -EINVAL);
	KEXPECT_EQ(io_mem_write64(m, SIZE_MAX - 7, 0), -EINVAL);
	KEXPECT_EQ(io_mem_read32(NULL, 0, &v32), -EINVAL);
	KEXPECT_EQ(io_mem_read32(m, 0, NULL), -EINVAL);
	KEXPECT_EQ(io_mem_read(m, 0x38, buf, 9), -EINVAL);
	KEXPECT_EQ(io_mem_read(m, SIZE_MAX, buf, 2), -EINVAL);
	KEXPECT_EQ(io_mem_write(m, 0x30, buf, 0x11), -EINVAL);
	KEXPECT_EQ(io_mem_read(m, 0x40, buf, 0), 0);
	KEXPECT_EQ(io_mem_read(m, 0x30, buf, 16), 0);
	io_mem_release(m);
}

KTEST(io_mem_refuses_ram_frame_devices_and_overlaps)
{
	struct io_mem *m = (struct io_mem *)&m;
	/* RAM the page allocator manages, allocated or not. */
	struct page *pg = page_alloc(0, 0);
	KASSERT(pg != NULL);
	KEXPECT_EQ(io_mem_acquire(page_to_phys(pg), PAGE_SIZE, &m), -EBUSY);
	KEXPECT(m == NULL);
	KEXPECT_EQ(io_mem_acquire(page_to_phys(pg) + 8, 4, &m), -EBUSY);
	page_put(pg);
	/* RAM it does not manage: the kernel image, the real-mode area at 0. */
	KEXPECT_EQ(io_mem_acquire(virt_to_phys(__text_start), PAGE_SIZE, &m), -EBUSY);
	KEXPECT_EQ(io_mem_acquire(0, PAGE_SIZE, &m), -EBUSY);
	/* The frame's devices. */
	KEXPECT_EQ(io_mem_acquire(0xfee00000, 4, &m), -EBUSY);
	KASSERT(acpi_info.nr_ioapics > 0);
	KEXPECT_EQ(io_mem_acquire(acpi_info.ioapics[0].address, 0x20, &m), -EBUSY);
	KASSERT(acpi_info.have_hpet);
	KEXPECT_EQ(io_mem_acquire(acpi_info.hpet_address + 0xf0, 8, &m), -EBUSY);
	KEXPECT_EQ(io_mem_acquire(0xb8000, 80 * 25 * 2, &m), -EBUSY);
	KEXPECT_EQ(io_mem_acquire(0x9f000, 0x2000, &m), -EBUSY);
	/* Overlapping another window: exactly, inside, straddling; adjacent is fine. */
	paddr_t ecam = ecam_base();
	KASSERT(ecam != 0);
	struct io_mem *a, *b;
	KASSERT(io_mem_acquire(ecam + 0x100, 0x100, &a) == 0);
	KEXPECT_EQ(io_mem_acquire(ecam + 0x100, 0x100, &b), -EBUSY);
	KEXPECT_EQ(io_mem_acquire(ecam + 0x180, 4, &b), -EBUSY);
	KEXPECT_EQ(io_mem_acquire(ecam + 0xfc, 8, &b), -EBUSY);
	KEXPECT_EQ(io_mem_acquire(ecam + 0x1ff, 0x10, &b), -EBUSY);
	if (KEXPECT_EQ(io_mem_acquire(ecam + 0x200, 4, &b), 0))
		io_mem_release(b);
	io_mem_release(a);
	if (KEXPECT_EQ(io_mem_acquire(ecam + 0x180, 4, &b), 0))
		io_mem_release(b);
	io_mem_release(NULL);
}

KTEST(io_mem_acquire_rejects_bad_ranges)
{
	struct io_mem *m = (struct io_mem *)&m;
	KEXPECT_EQ(io_mem_acquire(0xc0000000, 0, &m), -EINVAL);
	KEXPECT(m == NULL);
	KEXPECT_EQ(io_mem_acquire(~0ULL, 1, &m), -EINVAL);
	KEXPECT_EQ(io_mem_acquire(~0ULL - 0xfff, 0x2000, &m), -EINVAL);
	KEXPECT_EQ(io_mem_acquire(1ULL << 52, PAGE_SIZE, &m), -EINVAL);
	KEXPECT_EQ(io_mem_acquire((1ULL << 52) - PAGE_SIZE, 2 * PAGE_SIZE, &m), -EINVAL);
	KEXPECT_EQ(io_mem_acquire(0xc0000000, PAGE_SIZE, NULL), -EINVAL);
}
