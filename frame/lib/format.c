/* vsnprintf: the one formatter behind every log line and snprintf. */
#include <frame/log.h>
#include <frame/string.h>

struct out {
	char *buf;
	size_t size;
	size_t len;	/* the length the full output needs */
};

static void out_char(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		out_char(o, c);
}

struct spec {
	bool left;
	bool zero;
	bool plus;
	bool space;
	bool alt;
	int width;
	int precision;	/* -1 when absent */
};

static void out_str(struct out *o, const char *s, const struct spec *sp)
{
	if (!s)
		s = "(null)";
	size_t n = sp->precision >= 0 ? strnlen(s, (size_t)sp->precision) : strlen(s);
	int pad = sp->width - (int)n;
	if (!sp->left)
		out_pad(o, ' ', pad);
	for (size_t i = 0; i < n; i++)
		out_char(o, s[i]);
	if (sp->left)
		out_pad(o, ' ', pad);
}

static void out_num(struct out *o, uint64_t v, bool negative, unsigned base,
		    bool upper, const struct spec *sp, const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;
	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	int min_digits = sp->precision >= 0 ? sp->precision : 1;
	int zeros = min_digits > n ? min_digits - n : 0;
	char sign = negative ? '-' : sp->plus ? '+' : sp->space ? ' ' : 0;
	int plen = (int)strlen(prefix) + (sign ? 1 : 0);
	int pad = sp->width - n - zeros - plen;
	if (sp->zero && !sp->left && sp->precision < 0) {
		zeros += pad > 0 ? pad : 0;
		pad = 0;
	}
	if (!sp->left)
		out_pad(o, ' ', pad);
	if (sign)
		out_char(o, sign);
	for (const char *p = prefix; *p; p++)
		out_char(o, *p);
	out_pad(o, '0', zeros);
	while (n)
		out_char(o, tmp[--n]);
	if (sp->left)
		out_pad(o, ' ', pad);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	for (const char *p = fmt; *p; p++) {
		if (*p != '%') {
			out_char(&o, *p);
			continue;
		}
		struct spec sp = { .precision = -1 };
		for (;; p++) {
			char f = p[1];
			if (f == '-')
				sp.left = true;
			else if (f == '0')
				sp.zero = true;
			else if (f == '+')
				sp.plus = true;
			else if (f == ' ')
				sp.space = true;
			else if (f == '#')
				sp.alt = true;
			else
				break;
		}
		p++;
		if (*p == '*') {
			sp.width = va_arg(ap, int);
			if (sp.width < 0) {
				sp.left = true;
				sp.width = -sp.width;
			}
			p++;
		} else {
			while (*p >= '0' && *p <= '9')
				sp.width = sp.width * 10 + (*p++ - '0');
		}
		if (*p == '.') {
			p++;
			sp.precision = 0;
			if (*p == '*') {
				sp.precision = va_arg(ap, int);
				p++;
			} else {
				while (*p >= '0' && *p <= '9')
					sp.precision = sp.precision * 10 + (*p++ - '0');
			}
		}
		int longs = 0;
		bool half = false, size_mod = false;
		for (;; p++) {
			if (*p == 'l')
				longs++;
			else if (*p == 'h')
				half = true;
			else if (*p == 'z' || *p == 't' || *p == 'j')
				size_mod = true;
			else
				break;
		}
		bool wide = longs || size_mod;
		switch (*p) {
		case 'd':
		case 'i': {
			int64_t v = wide ? va_arg(ap, int64_t) : va_arg(ap, int);
			if (half && !wide)
				v = (short)v;
			uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
			out_num(&o, mag, v < 0, 10, false, &sp, "");
			break;
		}
		case 'u':
		case 'x':
		case 'X':
		case 'o': {
			uint64_t v = wide ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
			if (half && !wide)
				v = (unsigned short)v;
			unsigned base = *p == 'u' ? 10 : *p == 'o' ? 8 : 16;
			const char *prefix = "";
			if (sp.alt && v && base == 16)
				prefix = *p == 'X' ? "0X" : "0x";
			else if (sp.alt && base == 8)
				prefix = "0";
			out_num(&o, v, false, base, *p == 'X', &sp, prefix);
			break;
		}
		case 'p': {
			const void *ptr = va_arg(ap, const void *);
			sp.zero = true;
			sp.width = 18;
			out_num(&o, (uint64_t)ptr, false, 16, false, &sp, "0x");
			break;
		}
		case 's':
			out_str(&o, va_arg(ap, const char *), &sp);
			break;
		case 'c':
			out_char(&o, (char)va_arg(ap, int));
			break;
		case '%':
			out_char(&o, '%');
			break;
		case '\0':
			p--;
			break;
		default:
			/* Unknown conversion: show it rather than guess at its argument. */
			out_char(&o, '%');
			out_char(&o, *p);
			break;
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
