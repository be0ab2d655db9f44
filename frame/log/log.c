/* Leveled, timestamped kernel log: console output plus a ring buffer of recent lines. */
#include <frame/irq.h>
#include <frame/log.h>
#include <frame/spinlock.h>
#include <frame/string.h>
#include <internal/arch.h>
#include <internal/log.h>

#define LOG_LINE_MAX 512
#define LOG_RING_SIZE 65536

static int console_level = LOG_INFO;
static char ring[LOG_RING_SIZE];
static size_t ring_head;	/* total bytes ever written; position = head % size */
static spinlock_t console_lock = SPINLOCK_INIT("console");
static bool console_emergency;

unsigned long console_lock_irqsave(void)
{
	if (__atomic_load_n(&console_emergency, __ATOMIC_ACQUIRE))
		return 0;
	return spin_lock_irqsave(&console_lock);
}

void console_unlock_irqrestore(unsigned long flags)
{
	/* Entered emergency while holding it: leave the lock taken, interrupts off. */
	if (__atomic_load_n(&console_emergency, __ATOMIC_ACQUIRE))
		return;
	spin_unlock_irqrestore(&console_lock, flags);
}

void console_enter_emergency(void)
{
	irq_disable();
	__atomic_store_n(&console_emergency, true, __ATOMIC_RELEASE);
}

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
	unsigned long flags = console_lock_irqsave();
	size_t oldest = ring_head > LOG_RING_SIZE ? ring_head - LOG_RING_SIZE : 0;
	if (from < oldest)
		from = oldest;
	size_t n = 0;
	while (from + n < ring_head && n < len) {
		buf[n] = ring[(from + n) % LOG_RING_SIZE];
		n++;
	}
	console_unlock_irqrestore(flags);
	return n;
}

size_t log_ring_head(void)
{
	unsigned long flags = console_lock_irqsave();
	size_t head = ring_head;
	console_unlock_irqrestore(flags);
	return head;
}

void console_write(const char *buf, size_t len)
{
	unsigned long flags = console_lock_irqsave();
	arch_console_write(buf, len);
	console_unlock_irqrestore(flags);
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
	/* Ring and console together, so a line is whole in both. */
	unsigned long flags = console_lock_irqsave();
	ring_append(line, len);
	if ((int)level <= console_level)
		arch_console_write(line, len);
	console_unlock_irqrestore(flags);
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
