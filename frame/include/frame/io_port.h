/* I/O port ranges: exclusive, bounds-checked access to a device's ports for services. */
#ifndef FRAME_IO_PORT_H
#define FRAME_IO_PORT_H

#include <frame/types.h>

/*
 * A range of I/O ports [base, base + count) owned by one holder. Services
 * reach ports only through such a handle: every access is checked against
 * the range, so a driver can touch its device and nothing else.
 *
 * Ports the frame drives itself are never handed out: the 8259 PICs
 * (0x20-0x21, 0xa0-0xa1), the PIT (0x40-0x43) and its gate port 0x61, the
 * 8042 (0x60, 0x64), the POST delay port 0x80, VGA
 * (0x3c0-0x3df), COM1 (0x3f8-0x3ff), QEMU's debug exit (0xf4-0xf7), PCI
 * configuration (0xcf8-0xcff: frame/pci.h), and the ACPI PM1 event/control,
 * PM timer, SMI command and reset ports from the FADT. A PCI device's I/O
 * BAR comes from pci_bar_map_io().
 *
 *   struct io_port *fw;
 *   int err = io_port_acquire(0x510, 2, &fw);      (QEMU's fw_cfg)
 *   if (err)
 *           return err;
 *   err = io_port_write16(fw, 0, 0);               (select the signature)
 *   uint8_t c;
 *   err = err ?: io_port_read8(fw, 1, &c);         ('Q')
 *   io_port_release(fw);
 *
 * Errors are negative errno values. Accesses may be made from interrupt
 * handlers; acquire and release may not (they allocate).
 */
struct io_port;

/*
 * Take ownership of ports [@base, @base + @count) and return a handle in
 * *@out; the caller owns it until io_port_release(). Returns 0, or
 * -EINVAL: @count is 0, the range passes the end of the port space, or
 *          @out is NULL (also: the machine has no port space);
 * -EBUSY:  a port in the range belongs to the frame or to another handle;
 * -ENOMEM: no memory for the handle.
 * On error *@out (if @out is not NULL) is set to NULL.
 */
int io_port_acquire(uint32_t base, uint32_t count, struct io_port **out)
	__attribute__((warn_unused_result));

/* Give the ports back; the handle is freed. NULL is ignored. */
void io_port_release(struct io_port *port);

/* First port and number of ports of the range. */
uint32_t io_port_base(const struct io_port *port);
uint32_t io_port_count(const struct io_port *port);

/*
 * Read or write the port at @base + @offset with an 8/16/32-bit access. The
 * whole access must lie inside the range (@offset + width <= count);
 * otherwise nothing reaches the bus and -EINVAL is returned (also for a NULL
 * or released handle). Port accesses need no alignment. A failed read sets
 * *@val to all ones, what an absent device would return, so an ignored error
 * cannot leak an uninitialised value.
 */
int io_port_read8(const struct io_port *port, uint32_t offset, uint8_t *val);
int io_port_read16(const struct io_port *port, uint32_t offset, uint16_t *val);
int io_port_read32(const struct io_port *port, uint32_t offset, uint32_t *val);
int io_port_write8(const struct io_port *port, uint32_t offset, uint8_t val);
int io_port_write16(const struct io_port *port, uint32_t offset, uint16_t val);
int io_port_write32(const struct io_port *port, uint32_t offset, uint32_t val);

/*
 * Repeated access to one port (a data FIFO, e.g. ATA PIO): read @n items of
 * @width bytes (1, 2 or 4) from the port at @offset into @buf, or write them
 * from @buf. @buf is a kernel buffer of @n * @width bytes. Returns 0 or
 * -EINVAL (bad width, access outside the range, @n * @width overflows);
 * nothing is accessed on error.
 */
int io_port_read_rep(const struct io_port *port, uint32_t offset, unsigned width,
		     void *buf, size_t n);
int io_port_write_rep(const struct io_port *port, uint32_t offset, unsigned width,
		      const void *buf, size_t n);

#endif
