/* The file name /proc/pid/maps shows beside a file mapping: computed from the mapped path on first use, then kept. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/string.h>
#include <kernel/fs.h>

static file_map_namer_fn namer;

void file_map_set_namer(file_map_namer_fn fn)
{
	namer = fn;
}

void file_map_name(const struct path *p, char **cache, char *buf, size_t size)
{
	char *name = __atomic_load_n(cache, __ATOMIC_ACQUIRE);
	if (!name) {
		char *tmp = namer ? kmalloc(PATH_MAX) : NULL;
		if (!tmp) {
			if (size)
				buf[0] = '\0';
			return;
		}
		int n = namer(p, tmp, PATH_MAX);
		if (n < 0) {
			kfree(tmp);
			if (size)
				buf[0] = '\0';
			return;
		}
		name = kmalloc((size_t)n + 1);
		if (name)
			memcpy(name, tmp, (size_t)n + 1);
		kfree(tmp);
		if (!name) {
			if (size)
				buf[0] = '\0';
			return;
		}
		/* Two readers may race: the first name published stays. */
		char *none = NULL;
		if (!__atomic_compare_exchange_n(cache, &none, name, false, __ATOMIC_ACQ_REL,
						 __ATOMIC_ACQUIRE)) {
			kfree(name);
			name = none;
		}
	}
	strlcpy(buf, name, size);
}
