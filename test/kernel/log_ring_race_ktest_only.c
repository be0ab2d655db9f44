/* Log lines written by preempted tasks at once stay whole: the ring and the console take one writer at a time. */
#include <frame/clock.h>
#include <frame/ktest.h>
#include <frame/log.h>
#include <frame/string.h>
#include <frame/task.h>
#include <internal/log.h>

#define BODY 440

struct writer {
	char fill;
	uint64_t until_ns;
	uint64_t lines;
};

/* Debug level: into the ring only, not onto the console. */
static int write_lines(void *arg)
{
	struct writer *w = arg;
	char body[BODY + 1];
	memset(body, w->fill, BODY);
	body[BODY] = '\0';
	while (clock_monotonic_ns() < w->until_ns) {
		pr_debug("ringrace %s\n", body);
		w->lines++;
	}
	return 0;
}

static char ring_copy[65536];

/* Lines of the newest ring window: how many writer lines, and how many of them cut or mixed. */
static void check_ring(size_t *checked, size_t *bad)
{
	size_t head = log_ring_head();
	size_t start = head > sizeof(ring_copy) ? head - sizeof(ring_copy) : 0;
	size_t len = log_ring_read(start, ring_copy, sizeof(ring_copy));
	/*
	 * Line by line from the first whole one: a writer's line cut by the
	 * other's shows up as a line of fill bytes without its prefix, a line of
	 * mixed bytes, or one of the wrong length.
	 */
	size_t i = 0;
	while (i < len && ring_copy[i] != '\n')
		i++;
	for (i++; i < len;) {
		size_t end = i;
		while (end < len && ring_copy[end] != '\n')
			end++;
		if (end == len)
			break;
		const char *line = ring_copy + i;
		size_t n = end - i;
		const char *pfx = NULL;
		for (size_t k = 0; k + 9 <= n; k++)
			if (memcmp(line + k, "ringrace ", 9) == 0) {
				pfx = line + k;
				break;
			}
		bool fill_only = n > 0;
		for (size_t k = 0; k < n; k++)
			if (line[k] != 'a' && line[k] != 'b')
				fill_only = false;
		if (pfx) {
			const char *body = pfx + 9;
			bool ok = (size_t)(line + n - body) == BODY && line[0] == '[' &&
				  (body[0] == 'a' || body[0] == 'b');
			for (size_t k = 0; ok && k < BODY; k++)
				ok = body[k] == body[0];
			*bad += !ok;
			(*checked)++;
		} else if (fill_only) {
			(*bad)++;
		}
		i = end + 1;
	}
}

KTEST(log_lines_whole_under_preemption)
{
	/*
	 * Rounds short enough that the ring keeps all a round wrote: each has a
	 * few preemptions of the writers, many landing inside a line's copy.
	 */
	size_t checked = 0, bad = 0;
	for (int round = 0; round < 25; round++) {
		uint64_t until = clock_monotonic_ns() + 30 * NSEC_PER_MSEC;
		struct writer a = { 'a', until, 0 }, b = { 'b', until, 0 };
		struct task *ta, *tb;
		KASSERT(task_create("log-a", write_lines, &a, TASK_PRIO_DEFAULT, &ta) == 0);
		KASSERT(task_create("log-b", write_lines, &b, TASK_PRIO_DEFAULT, &tb) == 0);
		KEXPECT_EQ(task_join(ta, NULL), 0);
		KEXPECT_EQ(task_join(tb, NULL), 0);
		check_ring(&checked, &bad);
	}
	KEXPECT(checked > 500);
	KEXPECT_EQ(bad, 0);
}
