/* In-kernel tests of io_port: range ownership, the frame's own ports refused, bounds, and real reads of QEMU's fw_cfg device. */
#include <arch/acpi.h>
#include <frame/errno.h>
#include <frame/io_port.h>
#include <frame/ktest.h>

/* A range no device and no frame code uses (the PCI I/O BARs start at 0xc000). */
#define FREE_PORTS 0x1cf8
/* QEMU's fw_cfg: 16-bit selector at 0x510, data bytes at 0x511. */
#define FW_CFG 0x510

KTEST(io_port_acquire_release_and_overlap)
{
	struct io_port *a, *b;
	KASSERT(io_port_acquire(FREE_PORTS, 8, &a) == 0);
	KEXPECT_EQ(io_port_base(a), FREE_PORTS);
	KEXPECT_EQ(io_port_count(a), 8);
	/* Inside, straddling the start, straddling the end, covering: all owned already. */
	b = (struct io_port *)&b;
	KEXPECT_EQ(io_port_acquire(0x1cfc, 4, &b), -EBUSY);
	KEXPECT(b == NULL);
	KEXPECT_EQ(io_port_acquire(0x1cf0, 9, &b), -EBUSY);
	KEXPECT_EQ(io_port_acquire(0x1cff, 2, &b), -EBUSY);
	KEXPECT_EQ(io_port_acquire(0x1c00, 0x200, &b), -EBUSY);
	/* Adjacent on both sides is free. */
	KEXPECT_EQ(io_port_acquire(0x1cf0, 8, &b), 0);
	io_port_release(b);
	KEXPECT_EQ(io_port_acquire(0x1d00, 1, &b), 0);
	io_port_release(b);
	io_port_release(a);
	/* Released ranges can be taken again, in other shapes. */
	KEXPECT_EQ(io_port_acquire(0x1cfc, 4, &b), 0);
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
		{ 0x60, 1 }, { 0x64, 1 }, { 0x80, 1 }, { 0xf4, 1 },
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
	KASSERT(io_port_acquire(FREE_PORTS, 8, &pci) == 0);
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
	KASSERT(io_port_acquire(0x1cfc, 2, &small) == 0);
	KEXPECT_EQ(io_port_read32(small, 0, &v32), -EINVAL);
	KEXPECT_EQ(io_port_write32(small, 0, 0), -EINVAL);
	KEXPECT_EQ(io_port_read16(small, 1, &v16), -EINVAL);
	KEXPECT_EQ(io_port_read8(small, 2, &v8), -EINVAL);
	KEXPECT_EQ(io_port_read16(small, 0, &v16), 0);
	KEXPECT_EQ(io_port_read8(small, 1, &v8), 0);
	io_port_release(small);
}

KTEST(io_port_reads_qemu_fw_cfg)
{
	struct io_port *fw;
	KASSERT(io_port_acquire(FW_CFG, 2, &fw) == 0);
	/* Item 0 is the signature "QEMU", read a byte at a time from the data port. */
	char sig[5] = { 0 };
	KEXPECT_EQ(io_port_write16(fw, 0, 0), 0);
	for (int i = 0; i < 4; i++)
		KEXPECT_EQ(io_port_read8(fw, 1, (uint8_t *)&sig[i]), 0);
	KEXPECT(sig[0] == 'Q' && sig[1] == 'E' && sig[2] == 'M' && sig[3] == 'U');
	/* The repeated form reads the same port each time: the next bytes of the item. */
	uint8_t again[4] = { 0 };
	KEXPECT_EQ(io_port_write16(fw, 0, 0), 0);
	KEXPECT_EQ(io_port_read_rep(fw, 1, 1, again, 4), 0);
	KEXPECT(again[0] == 'Q' && again[3] == 'U');
	io_port_release(fw);
}

KTEST(io_port_writes_reach_the_device)
{
	struct io_port *fw;
	KASSERT(io_port_acquire(FW_CFG, 2, &fw) == 0);
	/* The selector decides what the data port gives: item 1 (the interface ID) is not the signature. */
	uint8_t first = 0;
	KEXPECT_EQ(io_port_write16(fw, 0, 1), 0);
	KEXPECT_EQ(io_port_read8(fw, 1, &first), 0);
	KEXPECT(first != 'Q');
	KEXPECT(first & 1);	/* the traditional I/O interface is always there */
	uint16_t sel = 0;
	KEXPECT_EQ(io_port_write_rep(fw, 0, 2, &sel, 1), 0);
	KEXPECT_EQ(io_port_read8(fw, 1, &first), 0);
	KEXPECT_EQ(first, 'Q');
	io_port_release(fw);
}
