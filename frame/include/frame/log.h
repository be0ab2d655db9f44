/* Kernel log: leveled, timestamped messages to every console. */
#ifndef FRAME_LOG_H
#define FRAME_LOG_H

#include <stdarg.h>
#include <frame/types.h>

enum log_level {
	LOG_EMERG, LOG_ALERT, LOG_CRIT, LOG_ERR,
	LOG_WARNING, LOG_NOTICE, LOG_INFO, LOG_DEBUG,
};

/*
 * Print a message at @level with a "[seconds.micros]" timestamp prefix, if
 * @level is at or below the console level (command line: loglevel=N, quiet
 * means loglevel=4). Formats: %d %i %u %x %X %o %p %s %c %% with l, ll, z, h
 * modifiers, width, '-' and '0' flags, and precision for %s.
 */
void log_printf(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void log_vprintf(enum log_level level, const char *fmt, va_list ap);

/* Set/get the console level; messages above it are dropped. */
void log_set_level(int level);
int log_get_level(void);

#define pr_err(...) log_printf(LOG_ERR, __VA_ARGS__)
#define pr_warn(...) log_printf(LOG_WARNING, __VA_ARGS__)
#define pr_notice(...) log_printf(LOG_NOTICE, __VA_ARGS__)
#define pr_info(...) log_printf(LOG_INFO, __VA_ARGS__)
#define pr_debug(...) log_printf(LOG_DEBUG, __VA_ARGS__)

/* Unconditional, unprefixed output to every console (panic, test reports). */
void console_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void console_write(const char *buf, size_t len);

/* Bounded formatting into a buffer; returns the length the full output needs. */
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

#endif
