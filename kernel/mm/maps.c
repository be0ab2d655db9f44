/* /proc/pid/maps text in Linux's format, for procfs. */
#include <frame/log.h>
#include <frame/string.h>

#include "mm_internal.h"

/* Linux pads the name to column 25 + 6 * sizeof(void *) - 1. */
#define MAPS_NAME_COLUMN 73
#define MAPS_PATH_MAX 256

struct out {
	char *buf;
	size_t size;
	size_t len;	/* of the whole text, even past @size */
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->len < o->size) {
		size_t room = o->size - 1 - o->len;
		memcpy(o->buf + o->len, s, MIN(n, room));
		o->buf[o->len + MIN(n, room)] = '\0';
	}
	o->len += n;
}

static void name_of(struct mm *mm, struct vma *v, char *name, size_t size)
{
	name[0] = '\0';
	if (v->obj && v->obj->anon)
		strlcpy(name, "/dev/zero (deleted)", size);
	else if (v->obj && v->obj->ops->path)
		v->obj->ops->path(v->obj, name, size);
	else if (v->flags & VMA_STACK)
		strlcpy(name, "[stack]", size);
	else if (!v->obj && v->start < mm->brk && v->end > mm->start_brk)	/* Linux's vma_is_initial_heap() */
		strlcpy(name, "[heap]", size);
}

static void format_vma(struct mm *mm, struct vma *v, struct out *o)
{
	char line[MAPS_NAME_COLUMN + MAPS_PATH_MAX + 2];
	char name[MAPS_PATH_MAX];
	bool file = v->obj != NULL;
	int n = snprintf(line, sizeof(line), "%08lx-%08lx %c%c%c%c %08lx %02x:%02x %lu ",
			 (unsigned long)v->start, (unsigned long)v->end,
			 v->prot & PROT_READ ? 'r' : '-', v->prot & PROT_WRITE ? 'w' : '-',
			 v->prot & PROT_EXEC ? 'x' : '-', v->flags & VMA_SHARED ? 's' : 'p',
			 file ? (unsigned long)(v->pgoff << PAGE_SHIFT) : 0UL,
			 file ? v->obj->dev_major : 0, file ? v->obj->dev_minor : 0,
			 file ? (unsigned long)v->obj->ino : 0UL);
	if (n < 0)
		return;
	size_t len = MIN((size_t)n, sizeof(line) - 1);
	name_of(mm, v, name, sizeof(name));
	if (name[0]) {
		while (len < MAPS_NAME_COLUMN && len < sizeof(line) - 1)
			line[len++] = ' ';
		len += strlcpy(line + len, name, sizeof(line) - len);
		len = MIN(len, sizeof(line) - 1);
	}
	put(o, line, len);
	put(o, "\n", 1);
}

size_t mm_format_maps(struct mm *mm, char *buf, size_t size)
{
	struct out o = { buf, size, 0 };
	if (size)
		buf[0] = '\0';
	mutex_lock(&mm->lock);
	for (struct vma *v = vma_first(mm); v; v = vma_next(mm, v))
		format_vma(mm, v, &o);
	mutex_unlock(&mm->lock);
	return o.len;
}
