/* The growing text buffer procfs files are generated into. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/log.h>
#include <frame/string.h>
#include <stdarg.h>

#include "procfs_internal.h"

void sbuf_init(struct sbuf *b)
{
	*b = (struct sbuf){ NULL, 0, 0, 0 };
}

void sbuf_free(struct sbuf *b)
{
	kfree(b->buf);
	sbuf_init(b);
}

char *sbuf_reserve(struct sbuf *b, size_t n)
{
	if (b->err)
		return NULL;
	if (n > SBUF_MAX || b->len + n > SBUF_MAX) {
		b->err = -EFBIG;
		return NULL;
	}
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *nb = krealloc(b->buf, cap);
		if (!nb) {
			b->err = -ENOMEM;
			return NULL;
		}
		b->buf = nb;
		b->cap = cap;
	}
	return b->buf + b->len;
}

void sbuf_putn(struct sbuf *b, const char *s, size_t n)
{
	char *p = sbuf_reserve(b, n);
	if (!p)
		return;
	memcpy(p, s, n);
	b->len += n;
	b->buf[b->len] = '\0';
}

void sbuf_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char small[256];
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(small)) {
		sbuf_putn(b, small, (size_t)n);
		return;
	}
	char *p = sbuf_reserve(b, (size_t)n);
	if (!p)
		return;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}
