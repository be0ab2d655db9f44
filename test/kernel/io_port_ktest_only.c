/* In-kernel tests of io_port: range ownership, the frame's own ports refused, bounds, and real PCI configuration reads on q35. */
#include <arch/acpi.h>
#include <frame/errno.h>
#include <frame/io_port.h>
#include <frame/ktest.h>

/* PCI configuration mechanism #1: address at 0xcf8, data at 0xcfc-0xcff. */
#define PCI_CONF 0xcf8
#define PCI_ADDR(bus, dev, fn, reg) \
	(0x80000000u | (bus) << 16 | (dev) << 11 | (fn) << 8 | ((reg) & 0xfc))

static uint32_t conf_read32(struct io_port *pci, uint32_t addr)
{
	uint32_t v = 0;
	if (io_port_write32(pci, 0, addr) || io_port_read32(pci, 4, &v))
		return 0xdeadbeef;
	return v;
}

KTEST(io_port_acquire_release_and_overlap)
{
	struct io_port *a, *b;
	KASSERT(io_port_acquire(PCI_CONF, 8, &a) == 0);
	KEXPECT_EQ(io_port_base(a), PCI_CONF);
	KEXPECT_EQ(io_port_count(a), 8);
	/* Inside, straddling the start, straddling the end, covering: all owned already. */
	b = (struct io_port *)&b;
	KEXPECT_EQ(io_port_acquire(0xcfc, 4, &b), -EBUSY);
	KEXPECT(b == NULL);
	KEXPECT_EQ(io_port_acquire(0xcf0, 9, &b), -EBUSY);
	KEXPECT_EQ(io_port_acquire(0xcff, 2, &b), -EBUSY);
	KEXPECT_EQ(io_port_acquire(0xc00, 0x200, &b), -EBUSY);
	/* Adjacent on both sides is free. */
	KEXPECT_EQ(io_port_acquire(0xcf0, 8, &b), 0);
	io_port_release(b);
	KEXPECT_EQ(io_port_acquire(0xd00, 1, &b), 0);
	io_port_release(b);
	io_port_release(a);
	/* Released ranges can be taken again, in other shapes. */
	KEXPECT_EQ(io_port_acquire(0xcfc, 4, &b), 0);
	io_port_release(b);
	io_port_release(NULL);
}

KTEST(io_port_acquire_rejects_bad_ranges)
{
	struct io_port *p = (struct io_port *)&p;
	KEXPECT_EQ(io_port_acquire(0x1000, 0, &p), -EINVAL);
	KEXPECT(p == NULL);
	KEXPECT_EQ(io_port_acquire(0x10000, 1, &p), -EINVAL);
	KEXPECT_EQ(io_port_acquire(0xffff, 2, &p), -EINVAL);
	KEXPECT_EQ(io_port_acquire(0x1000, 0xffffffffu, &p), -EINVAL);
	KEXPECT_EQ(io_port_acquire(0xffffffffu, 1, &p), -EINVAL);
	KEXPECT_EQ(io_port_acquire(0x1000, 1, NULL), -EINVAL);
	/* The very last port is a valid range. */
	KEXPECT_EQ(io_port_acquire(0xffff, 1, &p), 0);
	io_port_release(p);
}

KTEST(io_port_frame_ports_are_refused)
{
	static const struct { uint32_t base, count; } frame[] = {
		{ 0x20, 1 }, { 0x21, 1 }, { 0xa0, 2 }, { 0x40, 4 }, { 0x43, 1 }, { 0x61, 1 },
		{ 0x60, 1 }, { 0x64, 1 }, { 0x70, 2 }, { 0x71, 1 }, { 0x80, 1 }, { 0xf4, 1 },
		{ 0xf4, 4 }, { 0x3c0, 0x20 }, { 0x3d4, 2 }, { 0x3f8, 8 }, { 0x3fd, 1 },
		{ 0x3f0, 0x10 }, { 0x0, 0x10000 }, { 0x1f, 2 },
	};
	struct io_port *p;
	for (size_t i = 0; i < ARRAY_SIZE(frame); i++) {
		int err = io_port_acquire(frame[i].base, frame[i].count, &p);
		if (!KEXPECT_EQ(err, -EBUSY) && err == 0)
			io_port_release(p);
	}
	/* ACPI power-management ports from the FADT (QEMU q35: 0x600-0x60b, SMI 0xb2). */
	KASSERT(acpi_info.have_fadt);
	uint32_t acpi[] = { acpi_info.pm1a_evt, acpi_info.pm1a_cnt, acpi_info.pm1a_cnt + 1,
			    acpi_info.pm_timer + 3, acpi_info.smi_cmd };
	for (size_t i = 0; i < ARRAY_SIZE(acpi); i++) {
		KEXPECT(acpi[i] != 0);
		int err = io_port_acquire(acpi[i], 1, &p);
		if (!KEXPECT_EQ(err, -EBUSY) && err == 0)
			io_port_release(p);
	}
	/* Between the frame's ports there is room: the check is not "refuse everything". */
	KEXPECT_EQ(io_port_acquire(0x22, 2, &p), 0);
	io_port_release(p);
}

KTEST(io_port_out_of_range_offsets_are_refused)
{
	struct io_port *pci;
	KASSERT(io_port_acquire(PCI_CONF, 8, &pci) == 0);
	uint8_t v8 = 0;
	uint16_t v16 = 0;
	uint32_t v32 = 0;
	KEXPECT_EQ(io_port_read32(pci, 5, &v32), -EINVAL);
	KEXPECT_EQ(v32, 0xffffffffu);
	KEXPECT_EQ(io_port_read16(pci, 7, &v16), -EINVAL);
	KEXPECT_EQ(v16, 0xffff);
	KEXPECT_EQ(io_port_read8(pci, 8, &v8), -EINVAL);
	KEXPECT_EQ(v8, 0xff);
	KEXPECT_EQ(io_port_read8(pci, 0xffffffffu, &v8), -EINVAL);
	KEXPECT_EQ(io_port_write32(pci, 6, 0), -EINVAL);
	KEXPECT_EQ(io_port_write16(pci, 0xfffffffful, 0), -EINVAL);
	KEXPECT_EQ(io_port_write8(pci, 8, 0), -EINVAL);
	KEXPECT_EQ(io_port_read8(NULL, 0, &v8), -EINVAL);
	KEXPECT_EQ(io_port_write8(NULL, 0, 0), -EINVAL);
	uint32_t buf[2];
	KEXPECT_EQ(io_port_read_rep(pci, 4, 3, buf, 1), -EINVAL);
	KEXPECT_EQ(io_port_read_rep(pci, 6, 4, buf, 1), -EINVAL);
	KEXPECT_EQ(io_port_read_rep(pci, 4, 4, buf, SIZE_MAX / 2), -EINVAL);
	KEXPECT_EQ(io_port_write_rep(pci, 8, 1, buf, 1), -EINVAL);
	KEXPECT_EQ(io_port_read_rep(pci, 4, 4, NULL, 1), -EINVAL);
	/* The last byte of the range is still reachable. */
	KEXPECT_EQ(io_port_read8(pci, 7, &v8), 0);
	io_port_release(pci);

	/* A two-port range: a 32-bit access at its start would spill over. */
	struct io_port *small;
	KASSERT(io_port_acquire(0xcfc, 2, &small) == 0);
	KEXPECT_EQ(io_port_read32(small, 0, &v32), -EINVAL);
	KEXPECT_EQ(io_port_write32(small, 0, 0), -EINVAL);
	KEXPECT_EQ(io_port_read16(small, 1, &v16), -EINVAL);
	KEXPECT_EQ(io_port_read8(small, 2, &v8), -EINVAL);
	KEXPECT_EQ(io_port_read16(small, 0, &v16), 0);
	KEXPECT_EQ(io_port_read8(small, 1, &v8), 0);
	io_port_release(small);
}

KTEST(io_port_reads_q35_host_bridge_ids)
{
	struct io_port *pci;
	KASSERT(io_port_acquire(PCI_CONF, 8, &pci) == 0);
	/* 00:00.0 is the Q35 MCH (8086:29c0), 00:1f.0 the ICH9 LPC bridge (8086:2918). */
	KEXPECT_EQ(conf_read32(pci, PCI_ADDR(0, 0, 0, 0)), 0x29c08086);
	KEXPECT_EQ(conf_read32(pci, PCI_ADDR(0, 0x1f, 0, 0)), 0x29188086);
	/* Narrower accesses land on the right bytes of the data window. */
	uint16_t dev = 0;
	uint8_t vlo = 0;
	KEXPECT_EQ(io_port_write32(pci, 0, PCI_ADDR(0, 0, 0, 0)), 0);
	KEXPECT_EQ(io_port_read16(pci, 6, &dev), 0);
	KEXPECT_EQ(dev, 0x29c0);
	KEXPECT_EQ(io_port_read8(pci, 4, &vlo), 0);
	KEXPECT_EQ(vlo, 0x86);
	/* The repeated form reads the same port each time. */
	uint32_t twice[2] = { 0, 0 };
	KEXPECT_EQ(io_port_read_rep(pci, 4, 4, twice, 2), 0);
	KEXPECT_EQ(twice[0], 0x29c08086);
	KEXPECT_EQ(twice[1], 0x29c08086);
	/* A missing device reads as all ones: 00:1e.7 does not exist on q35. */
	KEXPECT_EQ(conf_read32(pci, PCI_ADDR(0, 0x1e, 7, 0)), 0xffffffffu);
	io_port_release(pci);
}

KTEST(io_port_writes_reach_the_device)
{
	struct io_port *pci;
	KASSERT(io_port_acquire(PCI_CONF, 8, &pci) == 0);
	/* Interrupt Line (0x3c) of the host bridge: a read/write byte with no effect on hardware. */
	const uint32_t addr = PCI_ADDR(0, 0, 0, 0x3c);
	uint8_t old = 0, now = 0;
	KEXPECT_EQ(io_port_write32(pci, 0, addr), 0);
	KEXPECT_EQ(io_port_read8(pci, 4, &old), 0);
	uint8_t vals[2] = { 0x5a, 0xa5 };
	KEXPECT_EQ(io_port_write_rep(pci, 4, 1, vals, 2), 0);
	KEXPECT_EQ(io_port_read8(pci, 4, &now), 0);
	KEXPECT_EQ(now, 0xa5);
	KEXPECT_EQ(io_port_write8(pci, 4, old), 0);
	KEXPECT_EQ(io_port_read8(pci, 4, &now), 0);
	KEXPECT_EQ(now, old);
	io_port_release(pci);
}
