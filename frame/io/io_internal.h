/* Frame-internal side of device access: the frame's own claims on ports and device memory, and the arch primitives frame/io uses. */
#ifndef FRAME_IO_INTERNAL_H
#define FRAME_IO_INTERNAL_H

#include <frame/types.h>

/*
 * The frame's own claims. io_port_acquire() and io_mem_acquire() refuse any
 * range that overlaps one, so a service can never reach the interrupt
 * controllers, timers, console or RAM through the device API.
 *
 * Ranges are [start, end). @owner is a static string kept for the log.
 * Callers: boot (firmware RAM/ACPI/NVS from the memory map), and the arch's
 * arch_io_*_reserve_frame() below. Not locked: call during boot or from the
 * arch hooks, which frame/io calls with its lock held. When the fixed table
 * is full the frame logs it and refuses every later acquisition of that kind
 * (fail closed) rather than let an unrecorded range through.
 */
void io_mem_reserve(paddr_t start, paddr_t end, const char *owner);
void io_port_reserve(uint32_t start, uint32_t end, const char *owner);

/*
 * Arch hooks, each called once before the first acquisition of its kind
 * (after ACPI and interrupt init, so everything the arch uses is known).
 * They call io_*_reserve() for every port range / device memory range the
 * frame itself drives.
 */
void arch_io_port_reserve_frame(void);
void arch_io_mem_reserve_frame(void);

/* Size of the I/O port space: 0x10000 on x86, 0 where there are no ports. */
uint32_t arch_io_port_space(void);

/* Port accesses; frame/io has checked the port against the caller's range. */
uint8_t arch_io_in8(uint16_t port);
uint16_t arch_io_in16(uint16_t port);
uint32_t arch_io_in32(uint16_t port);
void arch_io_out8(uint16_t port, uint8_t v);
void arch_io_out16(uint16_t port, uint16_t v);
void arch_io_out32(uint16_t port, uint32_t v);

/*
 * Order device accesses: everything before in program order (normal memory
 * and MMIO) is visible to devices before anything after. The compiler may not
 * move accesses across it either.
 */
void arch_io_mb(void);

/*
 * Make a streaming DMA buffer [@pa, @pa + @len) consistent before the device
 * (@for_device) or the CPU (!@for_device) uses it: cache maintenance where
 * DMA is not cache-coherent, just a barrier where it is.
 */
void arch_dma_sync(paddr_t pa, size_t len, bool for_device);

#endif
