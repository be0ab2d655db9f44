/*
 * exec's vDSO mapping: the frame's data pages ([vvar], read-only) and image
 * ([vdso], read and execute) mapped private at a place Linux would pick.
 */
#include <abi/errno.h>
#include <abi/mman.h>
#include <frame/page.h>
#include <frame/string.h>
#include <frame/vdso.h>
#include <kernel/mm.h>
#include <kernel/random.h>
#include "exec_internal.h"

#define PMD_SIZE 0x200000UL

/* One object per part, alive for good (their first reference is never put). */
struct vdso_part {
	struct mm_object obj;
	size_t first;		/* index of its first page in the frame's vDSO mapping */
	const char *name;	/* as /proc/pid/maps shows it */
};

static struct vdso_part *part_of(struct mm_object *obj)
{
	return container_of(obj, struct vdso_part, obj);
}

static int vdso_get_page(struct mm_object *obj, uint64_t pgoff, struct page **out)
{
	struct vdso_part *v = part_of(obj);
	size_t last = v->first ? vdso_pages() : VDSO_DATA_PAGES;
	if (pgoff >= last - v->first)
		return -EIO;
	struct page *pg = vdso_page(v->first + pgoff);
	if (!pg)
		return -EIO;
	*out = pg;
	return 0;
}

static void vdso_path(struct mm_object *obj, char *buf, size_t size)
{
	strlcpy(buf, part_of(obj)->name, size);
}

static void vdso_release(struct mm_object *obj)
{
	(void)obj;	/* static: never the last reference */
}

static const struct mm_object_ops vdso_ops = {
	.get_page = vdso_get_page,
	.path = vdso_path,
	.release = vdso_release,
};

static struct vdso_part data_part = { .first = 0, .name = "[vvar]" };
static struct vdso_part image_part = { .first = VDSO_DATA_PAGES, .name = "[vdso]" };
static bool parts_ready;

static void parts_init(void)
{
	if (parts_ready)
		return;
	mm_object_init(&data_part.obj, &vdso_ops);
	mm_object_init(&image_part.obj, &vdso_ops);
	parts_ready = true;
}

/*
 * Linux's vdso_addr() with randomisation: a random page between the stack's
 * top and the next 2 MiB boundary past it plus the size; without, 0 (mmap's
 * top-down placement, just below the interpreter).
 */
static vaddr_t vdso_hint(bool randomize, vaddr_t stack_top, uint64_t len)
{
	if (!randomize)
		return 0;
	vaddr_t start = ALIGN_UP(stack_top, PAGE_SIZE);
	vaddr_t end = ALIGN_UP(start + len, PMD_SIZE);
	if (end > MM_USER_END)
		end = MM_USER_END;
	if (end < start + len)
		return start;
	end -= len;
	return start + (random_u64() % ((end - start) / PAGE_SIZE + 1)) * PAGE_SIZE;
}

int exec_map_vdso(struct mm *mm, bool randomize, vaddr_t *image)
{
	size_t n = vdso_pages();
	*image = 0;
	if (n <= VDSO_DATA_PAGES)
		return 0;	/* no vDSO: programs make system calls */
	parts_init();
	uint64_t len = n * PAGE_SIZE, data_len = VDSO_DATA_PAGES * PAGE_SIZE;
	vaddr_t at;
	/* Reserve the whole range first so that both parts land side by side. */
	int err = mm_mmap(mm, vdso_hint(randomize, mm_stack_top(mm), len), len, PROT_NONE,
			  MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0, &at);
	vaddr_t got;
	if (!err)
		err = mm_mmap(mm, at, data_len, PROT_READ, MAP_PRIVATE | MAP_FIXED, &data_part.obj, 0, &got);
	if (!err)
		err = mm_mmap(mm, at + data_len, len - data_len, PROT_READ | PROT_EXEC,
			      MAP_PRIVATE | MAP_FIXED, &image_part.obj, 0, &got);
	if (!err)
		*image = at + data_len;
	return err;
}
