/* VGA text-mode console (80x25 at 0xb8000), scrolling, for a screen next to the serial port. */
#include <internal/mm.h>
#include <frame/string.h>
#include <arch/cpu.h>
#include "console.h"

#define VGA_TEXT_PHYS 0xb8000
#define VGA_COLS 80
#define VGA_ROWS 25
#define VGA_ATTR 0x0700	/* light grey on black */

static volatile uint16_t *vga_buf;
static unsigned vga_row, vga_col;

static void vga_move_cursor(void)
{
	unsigned pos = vga_row * VGA_COLS + vga_col;
	outb(0x3d4, 0x0f);
	outb(0x3d5, (uint8_t)pos);
	outb(0x3d4, 0x0e);
	outb(0x3d5, (uint8_t)(pos >> 8));
}

void vga_init(void)
{
	/* The boot page tables map the low 4 GiB at the direct map, so this works early. */
	vga_buf = phys_to_virt(VGA_TEXT_PHYS);
	for (unsigned i = 0; i < VGA_COLS * VGA_ROWS; i++)
		vga_buf[i] = VGA_ATTR | ' ';
	vga_row = vga_col = 0;
	vga_move_cursor();
}

static void vga_scroll(void)
{
	for (unsigned i = 0; i < VGA_COLS * (VGA_ROWS - 1); i++)
		vga_buf[i] = vga_buf[i + VGA_COLS];
	for (unsigned i = 0; i < VGA_COLS; i++)
		vga_buf[VGA_COLS * (VGA_ROWS - 1) + i] = VGA_ATTR | ' ';
	vga_row = VGA_ROWS - 1;
}

static void vga_putc(char c)
{
	if (c == '\n') {
		vga_col = 0;
		vga_row++;
	} else if (c == '\r') {
		vga_col = 0;
	} else if (c == '\b') {
		if (vga_col > 0)
			vga_col--;
	} else {
		vga_buf[vga_row * VGA_COLS + vga_col] = VGA_ATTR | (uint8_t)c;
		if (++vga_col == VGA_COLS) {
			vga_col = 0;
			vga_row++;
		}
	}
	if (vga_row == VGA_ROWS)
		vga_scroll();
}

void vga_write(const char *buf, size_t len)
{
	if (!vga_buf)
		return;
	for (size_t i = 0; i < len; i++)
		vga_putc(buf[i]);
	vga_move_cursor();
}
