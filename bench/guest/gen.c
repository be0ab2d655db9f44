/* Deterministic benchmark input: word text of a given size (for gzip) or N unsorted lines (for sort). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t seed = 0x9e3779b97f4a7c15ULL;

/* xorshift64*: the same bytes on every kernel and every run. */
static uint64_t next(void)
{
	seed ^= seed >> 12;
	seed ^= seed << 25;
	seed ^= seed >> 27;
	return seed * 0x2545f4914f6cdd1dULL;
}

static const char *const words[] = {
	"the", "kernel", "frame", "page", "table", "process", "signal", "memory",
	"file", "system", "call", "return", "value", "error", "thread", "futex",
	"lock", "wait", "queue", "timer", "clock", "device", "driver", "buffer",
	"socket", "pipe", "read", "write", "open", "close", "map", "fault",
	"user", "space", "task", "switch", "context", "interrupt", "vector", "stack",
	"heap", "slab", "cache", "inode", "dentry", "mount", "path", "name",
};

static int gen_text(long bytes)
{
	long out = 0, col = 0;
	while (out < bytes) {
		const char *w = words[next() % (sizeof(words) / sizeof(words[0]))];
		char tmp[32];
		int n = (next() % 16 == 0) ? snprintf(tmp, sizeof(tmp), "%u", (unsigned)(next() % 100000))
					  : snprintf(tmp, sizeof(tmp), "%s", w);
		col += n + 1;
		tmp[n++] = col > 72 ? '\n' : ' ';
		if (col > 72)
			col = 0;
		if (out + n > bytes)
			n = (int)(bytes - out);
		if (fwrite(tmp, 1, (size_t)n, stdout) != (size_t)n)
			return 1;
		out += n;
	}
	return 0;
}

static int gen_lines(long lines)
{
	static const char alnum[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	for (long i = 0; i < lines; i++) {
		char key[17];
		for (int k = 0; k < 16; k++)
			key[k] = alnum[next() % (sizeof(alnum) - 1)];
		key[16] = '\0';
		if (printf("%s %ld\n", key, i) < 0)
			return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 3 || (strcmp(argv[1], "text") && strcmp(argv[1], "lines"))) {
		fprintf(stderr, "usage: gen text BYTES | gen lines COUNT  (to stdout)\n");
		return 2;
	}
	long n = atol(argv[2]);
	int rc = strcmp(argv[1], "text") == 0 ? gen_text(n) : gen_lines(n);
	return (rc || fflush(stdout)) ? 1 : 0;
}
