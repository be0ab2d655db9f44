/* Leveled, timestamped kernel log: console output plus a ring buffer of recent lines. */
#include <frame/log.h>
#include <frame/string.h>
#include <internal/arch.h>
#include <internal/log.h>

#define LOG_LINE_MAX 512
#define LOG_RING_SIZE 65536

static int console_level = LOG_INFO;
static char ring[LOG_RING_SIZE];
static size_t ring_head;	/* total bytes ever written; position = head % size */

void log_set_level(int level)
{
	if (level < LOG_EMERG)
		level = LOG_EMERG;
	if (level > LOG_DEBUG)
		level = LOG_DEBUG;
	console_level = level;
}

int log_get_level(void)
{
	return console_level;
}

static void ring_append(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		ring[(ring_head + i) % LOG_RING_SIZE] = s[i];
	ring_head += len;
}

size_t log_ring_read(size_t from, char *buf, size_t len)
{
	size_t oldest = ring_head > LOG_RING_SIZE ? ring_head - LOG_RING_SIZE : 0;
	if (from < oldest)
		from = oldest;
	size_t n = 0;
	while (from + n < ring_head && n < len) {
		buf[n] = ring[(from + n) % LOG_RING_SIZE];
		n++;
	}
	return n;
}

void console_write(const char *buf, size_t len)
{
	arch_console_write(buf, len);
}

void log_vprintf(enum log_level level, const char *fmt, va_list ap)
{
	char line[LOG_LINE_MAX];
	uint64_t ns = arch_clock_ns();
	int n = snprintf(line, sizeof(line), "[%5lu.%06lu] ",
			 (unsigned long)(ns / 1000000000),
			 (unsigned long)(ns / 1000 % 1000000));
	int m = vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	size_t len = (size_t)n + (size_t)m;
	if (len > sizeof(line) - 2)
		len = sizeof(line) - 2;
	if (len == 0 || line[len - 1] != '\n')
		line[len++] = '\n';
	ring_append(line, len);
	if ((int)level <= console_level)
		console_write(line, len);
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
	char buf[LOG_LINE_MAX];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	console_write(buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}
