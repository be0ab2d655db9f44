/* Shared inside kernel/tty: flag tests, character classes, and the steps the files call in each other. */
#ifndef KERNEL_TTY_INTERNAL_H
#define KERNEL_TTY_INTERNAL_H

#include <kernel/tty.h>

#define TTY_MASK (TTY_BUF_SIZE - 1)

#define I_FLAG(tty, f) (((tty)->termios.c_iflag & (f)) != 0)
#define O_FLAG(tty, f) (((tty)->termios.c_oflag & (f)) != 0)
#define L_FLAG(tty, f) (((tty)->termios.c_lflag & (f)) != 0)

/* 0 is _POSIX_VDISABLE: a control character set to it matches nothing. */
static inline bool tty_is_cc(const struct tty *tty, int idx, uint8_t c)
{
	return tty->termios.c_cc[idx] != 0 && tty->termios.c_cc[idx] == c;
}

static inline bool tty_iscntrl(uint8_t c)
{
	return c < 0x20 || c == 0x7f;
}

static inline bool tty_isalnum(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* A UTF-8 continuation byte, when IUTF8 says input is UTF-8 (it takes no column). */
static inline bool tty_is_continuation(const struct tty *tty, uint8_t c)
{
	return I_FLAG(tty, IUTF8) && (c & 0xc0) == 0x80;
}

static inline uint8_t tty_byte(const struct tty *tty, size_t idx)
{
	return tty->buf[idx & TTY_MASK];
}

static inline bool tty_line_end(const struct tty *tty, size_t idx)
{
	idx &= TTY_MASK;
	return (tty->line_end[idx / 64] >> (idx % 64)) & 1;
}

static inline void tty_set_line_end(struct tty *tty, size_t idx, bool on)
{
	idx &= TTY_MASK;
	if (on)
		tty->line_end[idx / 64] |= 1ull << (idx % 64);
	else
		tty->line_end[idx / 64] &= ~(1ull << (idx % 64));
}

/* The process layer's hooks (defaults until tty_set_session_ops()). */
const struct tty_session_ops *tty_session(void);

/*
 * Job control for a caller about to use @tty (Linux's __tty_check_change):
 * 0 if it may go on, -ERESTARTSYS after sending @sig (SIGTTIN/SIGTTOU) to the
 * caller's background group, -EIO if that cannot stop it. No lock held.
 */
int tty_job_check(struct tty *tty, int sig);

/* Called with tty->lock held. */
/* Send one output byte through output processing (if OPOST) to the driver, or hold it while stopped. */
void tty_emit(struct tty *tty, uint8_t c);
/* Echo @c as the terminal shows it: ^X for control characters under ECHOCTL. */
void tty_echo_char(struct tty *tty, uint8_t c);
/* Stop / restart output (^S / ^Q, TCXONC); restarting sends held echoes and wakes writers. */
void tty_stop_locked(struct tty *tty);
void tty_start_locked(struct tty *tty);
/* Discard all input / held output. */
void tty_flush_input_locked(struct tty *tty);
void tty_flush_output_locked(struct tty *tty);
/* Bytes a read could take now, in the current mode. */
size_t tty_available_locked(const struct tty *tty);
/* Termios changed from @old: adjust the line discipline (canonical switch, flow). */
void tty_termios_changed_locked(struct tty *tty, const struct termios *old);

#endif
