/* Hosted frame log and console: formatted output to stdout via libc. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <frame/log.h>

/* Quiet by default so test output stays one line per test; CADRE_LOGLEVEL raises it. */
static int console_level = -1;

void log_set_level(int level)
{
	console_level = level;
}

int log_get_level(void)
{
	if (console_level < 0) {
		const char *env = getenv("CADRE_LOGLEVEL");
		console_level = env ? atoi(env) : LOG_ERR;
	}
	return console_level;
}

void log_vprintf(enum log_level level, const char *fmt, va_list ap)
{
	if ((int)level > log_get_level())
		return;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	printf("[%5ld.%06ld] ", (long)ts.tv_sec, ts.tv_nsec / 1000);
	vprintf(fmt, ap);
	fflush(stdout);
}

void log_printf(enum log_level level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vprintf(level, fmt, ap);
	va_end(ap);
}

void console_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

void console_write(const char *buf, size_t len)
{
	fwrite(buf, 1, len, stdout);
	fflush(stdout);
}
