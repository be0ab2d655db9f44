/* Frame-internal side of console input: what the arch's console driver provides and calls. */
#ifndef FRAME_IO_CONSOLE_INTERNAL_H
#define FRAME_IO_CONSOLE_INTERNAL_H

#include <frame/types.h>

/*
 * Arch hooks. arch_console_rx_start() enables the input device's receive
 * interrupt (idempotent): 0, or -ENODEV when there is no input device.
 * arch_console_write_raw() writes bytes to every console output unchanged.
 */
int arch_console_rx_start(void);
void arch_console_write_raw(const char *buf, size_t len);

/*
 * Called by the arch's receive interrupt handler with bytes drained from the
 * device, and with the number of overruns it saw (each lost at least a byte).
 */
void console_input_receive(const uint8_t *bytes, size_t n);
void console_input_note_overruns(uint64_t count);

#endif
