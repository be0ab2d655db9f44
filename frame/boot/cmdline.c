/* The kernel command line: lookup of name=value words for the frame and the kernel on it. */
#include <frame/boot.h>
#include <frame/errno.h>
#include <frame/string.h>
#include <internal/boot.h>

static const char *cmdline = "";

void boot_set_cmdline(const char *line)
{
	cmdline = line;
}

const char *boot_cmdline(void)
{
	return cmdline;
}

/* Calls @fn on each whitespace-separated word; stops early when it returns true. */
bool boot_for_each_word(bool (*fn)(const char *word, size_t len, void *arg), void *arg)
{
	const char *p = cmdline;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		const char *w = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n')
			p++;
		if (p > w && fn(w, (size_t)(p - w), arg))
			return true;
	}
	return false;
}

struct param_query {
	const char *name;
	size_t name_len;
	char *buf;
	size_t size;
	int result;
};

static bool match_param(const char *word, size_t len, void *arg)
{
	struct param_query *q = arg;
	if (len < q->name_len || strncmp(word, q->name, q->name_len) != 0)
		return false;
	const char *value;
	size_t vlen;
	if (len == q->name_len) {
		value = "";
		vlen = 0;
	} else if (word[q->name_len] == '=') {
		value = word + q->name_len + 1;
		vlen = len - q->name_len - 1;
	} else {
		return false;
	}
	/* The last occurrence wins, as on Linux. */
	if (q->size) {
		size_t n = MIN(vlen, q->size - 1);
		memcpy(q->buf, value, n);
		q->buf[n] = '\0';
	}
	q->result = (int)vlen;
	return false;
}

int boot_param(const char *name, char *buf, size_t size)
{
	struct param_query q = { name, strlen(name), buf, size, -ENOENT };
	boot_for_each_word(match_param, &q);
	return q.result;
}
