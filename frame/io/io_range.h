/* Fixed tables of claimed [start, end) ranges, shared by the port and MMIO registries of frame/io. */
#ifndef FRAME_IO_RANGE_H
#define FRAME_IO_RANGE_H

#include <frame/log.h>
#include <frame/types.h>

struct io_range {
	uint64_t start, end;
	const char *owner;
};

/* A table that can fill up; a full table refuses everything (fail closed). */
struct io_range_table {
	struct io_range *ranges;
	size_t count, max;
	bool overflowed;
	const char *kind; /* for the log */
};

static inline bool io_range_overlaps(uint64_t s1, uint64_t e1, uint64_t s2, uint64_t e2)
{
	return s1 < e2 && s2 < e1;
}

static inline void io_range_add(struct io_range_table *t, uint64_t start, uint64_t end,
				const char *owner)
{
	if (start >= end)
		return;
	if (t->count == t->max) {
		if (!t->overflowed)
			pr_err("io: %s reservation table full at %s; refusing all %s requests\n",
			       t->kind, owner, t->kind);
		t->overflowed = true;
		return;
	}
	t->ranges[t->count++] = (struct io_range){ start, end, owner };
}

/* The first range overlapping [start, end), or NULL; a full table matches everything. */
static inline const struct io_range *io_range_find(const struct io_range_table *t,
						   uint64_t start, uint64_t end)
{
	static const struct io_range full = { 0, ~0ULL, "(table overflow)" };
	if (t->overflowed)
		return &full;
	for (size_t i = 0; i < t->count; i++)
		if (io_range_overlaps(start, end, t->ranges[i].start, t->ranges[i].end))
			return &t->ranges[i];
	return NULL;
}

#endif
