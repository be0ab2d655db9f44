/* In-kernel tests of io_mem: refusal of RAM and the frame's devices, bounds and alignment, and real reads/writes of a virtio device's registers. */
#include <arch/acpi.h>
#include <frame/errno.h>
#include <frame/io_mem.h>
#include <frame/io_port.h>
#include <frame/ktest.h>
#include <frame/page.h>
#include <internal/mm.h>

#include "pci_test_dev.h"

/*
 * The window the tests use: BAR4 of the spare virtio-rng, its modern
 * registers (common configuration at +0, 16 KiB in all). Claimed for the
 * test so no driver races it; io_mem itself is used raw.
 */
static paddr_t regs_base(struct pci_device **dev)
{
	if (pci_test_claim_rng(dev))
		return 0;
	/* Mapping through the PCI layer once turns memory decoding on (a release turned it off). */
	struct io_mem *probe;
	paddr_t pa = 0;
	if (pci_bar_map_mem(*dev, 4, 0, 4, &probe) == 0) {
		io_mem_release(probe);
		pa = pci_test_bar_addr(*dev, 4);
	}
	if (!pa)
		pci_device_release(*dev);
	return pa;
}

KTEST(io_mem_reads_device_registers)
{
	struct pci_device *dev;
	paddr_t base = regs_base(&dev);
	KASSERT(base != 0);
	struct io_mem *m;
	KASSERT(io_mem_acquire(base, PAGE_SIZE, &m) == 0);
	KEXPECT_EQ(io_mem_paddr(m), base);
	KEXPECT_EQ(io_mem_len(m), PAGE_SIZE);
	/*
	 * QEMU answers each virtio register at its own offset and width, so
	 * every access is one register: num_queues (+0x12, 16 bits) is 1 for
	 * virtio-rng; device_feature (+4, 32 bits) has VIRTIO_F_EVENT_IDX.
	 */
	uint8_t v8 = 0;
	uint16_t v16 = 0;
	uint32_t v32 = 0, sel = 0;
	uint64_t v64 = 0;
	KEXPECT_EQ(io_mem_read16(m, 0x12, &v16), 0);
	KEXPECT_EQ(v16, 1);
	KEXPECT_EQ(io_mem_read8(m, 0x12, &v8), 0);
	KEXPECT_EQ(v8, 1);
	KEXPECT_EQ(io_mem_write32(m, 0, 0), 0);
	KEXPECT_EQ(io_mem_read32(m, 4, &v32), 0);
	KEXPECT(v32 & (1u << 29));
	/* A 64-bit read reaches the device as two 32-bit ones: select, then features. */
	KEXPECT_EQ(io_mem_read64(m, 0, &v64), 0);
	KEXPECT_EQ(v64, (uint64_t)v32 << 32 | sel);
	uint8_t bytes[2];
	KEXPECT_EQ(io_mem_read(m, 0x12, bytes, sizeof(bytes)), 0);
	KEXPECT_EQ(bytes[0], 1);
	io_mem_release(m);
	pci_device_release(dev);
}

KTEST(io_mem_writes_reach_the_device)
{
	struct pci_device *dev;
	paddr_t base = regs_base(&dev);
	KASSERT(base != 0);
	struct io_mem *m;
	KASSERT(io_mem_acquire(base, 0x40, &m) == 0);
	/* device_feature_select (+0) is read-write; it picks which half device_feature (+4) shows. */
	uint32_t low = 0, high = 0, sel = 0;
	KEXPECT_EQ(io_mem_write32(m, 0, 0), 0);
	KEXPECT_EQ(io_mem_read32(m, 4, &low), 0);
	KEXPECT_EQ(io_mem_write32(m, 0, 1), 0);
	KEXPECT_EQ(io_mem_read32(m, 0, &sel), 0);
	KEXPECT_EQ(sel, 1);
	KEXPECT_EQ(io_mem_read32(m, 4, &high), 0);
	KEXPECT(high & 1);	/* VIRTIO_F_VERSION_1 is bit 32 */
	KEXPECT(low != high);
	/* queue_select (+0x16), written as bytes through the bulk copy. */
	uint16_t q = 0, back = 0xffff;
	KEXPECT_EQ(io_mem_write(m, 0x16, &q, 2), 0);
	KEXPECT_EQ(io_mem_read16(m, 0x16, &back), 0);
	KEXPECT_EQ(back, 0);
	KEXPECT_EQ(io_mem_write32(m, 0, 0), 0);
	io_mem_release(m);
	pci_device_release(dev);
}

KTEST(io_mem_bounds_and_alignment)
{
	struct pci_device *dev;
	paddr_t base = regs_base(&dev);
	KASSERT(base != 0);
	struct io_mem *m;
	/* 0x40 bytes: the page behind is mapped, but only the window may be reached. */
	KASSERT(io_mem_acquire(base, 0x40, &m) == 0);
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
	pci_device_release(dev);
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
	struct pci_device *dev;
	paddr_t regs = regs_base(&dev);
	KASSERT(regs != 0);
	struct io_mem *a, *b;
	KASSERT(io_mem_acquire(regs + 0x100, 0x100, &a) == 0);
	KEXPECT_EQ(io_mem_acquire(regs + 0x100, 0x100, &b), -EBUSY);
	KEXPECT_EQ(io_mem_acquire(regs + 0x180, 4, &b), -EBUSY);
	KEXPECT_EQ(io_mem_acquire(regs + 0xfc, 8, &b), -EBUSY);
	KEXPECT_EQ(io_mem_acquire(regs + 0x1ff, 0x10, &b), -EBUSY);
	if (KEXPECT_EQ(io_mem_acquire(regs + 0x200, 4, &b), 0))
		io_mem_release(b);
	io_mem_release(a);
	if (KEXPECT_EQ(io_mem_acquire(regs + 0x180, 4, &b), 0))
		io_mem_release(b);
	io_mem_release(NULL);
	pci_device_release(dev);
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
