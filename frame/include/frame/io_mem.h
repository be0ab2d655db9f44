/* MMIO windows: exclusive, bounds-checked access to a device's memory-mapped registers for services. */
#ifndef FRAME_IO_MEM_H
#define FRAME_IO_MEM_H

#include <frame/types.h>

/*
 * A window on device memory, physical [paddr, paddr + len), mapped uncached
 * by the frame. Services never see its virtual address: they read and write
 * through the handle, at offsets checked against the window.
 *
 * The frame refuses windows on memory that is not a device's: any range the
 * firmware calls RAM, ACPI data or NVS (which covers every page the page
 * allocator manages, the kernel image and the initrd), and the devices the
 * frame drives itself (local APIC, IOAPICs, HPET, the VGA memory
 * 0xa0000-0xbffff). Two windows may not overlap.
 *
 *   struct io_mem *regs;
 *   int err = io_mem_acquire(bar0, 0x1000, &regs);
 *   if (err)
 *           return err;
 *   uint32_t status;
 *   err = io_mem_read32(regs, 0x08, &status);
 *   ...
 *   io_mem_release(regs);
 *
 * Accesses are made in program order with each other and with the dma_*
 * accessors, each as exactly one access of the stated width (no tearing,
 * no merging). They may be made from interrupt handlers; acquire and
 * release may not.
 */
struct io_mem;

/*
 * Map device memory [@paddr, @paddr + @len) uncached and return a handle in
 * *@out; the caller owns it until io_mem_release(). @paddr need not be page
 * aligned. Returns 0, or
 * -EINVAL: @len is 0, the range wraps or lies beyond physical addresses
 *          (2^52), or @out is NULL;
 * -EBUSY:  the range overlaps RAM, a device of the frame, or another window;
 * -ENOMEM: no memory for the handle, the page tables, or mapping space.
 * On error *@out (if @out is not NULL) is set to NULL.
 */
int io_mem_acquire(paddr_t paddr, size_t len, struct io_mem **out)
	__attribute__((warn_unused_result));

/*
 * Unmap the window and give the range back; the handle is freed. NULL is
 * ignored. The virtual space of the window is not reused (see docs/frame-io.md).
 */
void io_mem_release(struct io_mem *mem);

/* Physical start and length of the window, as acquired. */
paddr_t io_mem_paddr(const struct io_mem *mem);
size_t io_mem_len(const struct io_mem *mem);

/*
 * One register access of 8/16/32/64 bits at @offset into the window.
 * Returns 0, or -EINVAL when the access does not lie wholly inside the window,
 * @offset is not a multiple of the width (devices reject or split unaligned
 * register accesses), or the handle is NULL or released; nothing reaches the
 * device then. A failed read sets *@val to all ones.
 */
int io_mem_read8(const struct io_mem *mem, size_t offset, uint8_t *val);
int io_mem_read16(const struct io_mem *mem, size_t offset, uint16_t *val);
int io_mem_read32(const struct io_mem *mem, size_t offset, uint32_t *val);
int io_mem_read64(const struct io_mem *mem, size_t offset, uint64_t *val);
int io_mem_write8(const struct io_mem *mem, size_t offset, uint8_t val);
int io_mem_write16(const struct io_mem *mem, size_t offset, uint16_t val);
int io_mem_write32(const struct io_mem *mem, size_t offset, uint32_t val);
int io_mem_write64(const struct io_mem *mem, size_t offset, uint64_t val);

/*
 * Copy @len bytes between the window at @offset and the kernel buffer @buf
 * (device memory such as a frame buffer or a mailbox, not registers: the
 * access widths are the frame's choice). Returns 0, or -EINVAL when
 * [@offset, @offset + @len) is not inside the window; nothing is copied then.
 */
int io_mem_read(const struct io_mem *mem, size_t offset, void *buf, size_t len);
int io_mem_write(const struct io_mem *mem, size_t offset, const void *buf, size_t len);

#endif
