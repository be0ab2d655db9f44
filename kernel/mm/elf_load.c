/* exec: an ELF load plan's segments as private file mappings with zeroed bss, the initial break and the stack. */
#include <frame/errno.h>
#include <kernel/exec.h>

#include "mm_internal.h"

static int map_segment(struct mm *mm, const struct exec_segment *s, struct mm_object *obj)
{
	if (!s->memsz)
		return 0;
	vaddr_t start = ALIGN_DOWN(s->vaddr, PAGE_SIZE);
	vaddr_t file_end = s->vaddr + s->filesz;
	vaddr_t file_map_end = ALIGN_UP(file_end, PAGE_SIZE);
	vaddr_t end = ALIGN_UP(s->vaddr + s->memsz, PAGE_SIZE);
	unsigned prot = s->prot & (PROT_READ | PROT_WRITE | PROT_EXEC);
	if (start < MM_MMAP_MIN_ADDR || end > MM_USER_END || end <= start)
		return -EINVAL;
	if (s->filesz) {
		struct vma *v;
		int err = mm_map_area(mm, start, file_map_end, prot, 0, obj,
				      ALIGN_DOWN(s->offset, PAGE_SIZE) >> PAGE_SHIFT, &v);
		if (err)
			return err;
		/* The file's bytes after p_filesz in the last page are not the program's: they read as zero. */
		if (s->memsz > s->filesz && file_end != file_map_end)
			v->zero_from = file_end;
		vma_merge(mm, v);
	} else {
		file_map_end = start;
	}
	if (end > file_map_end) {
		struct vma *v;
		int err = mm_map_area(mm, file_map_end, end, prot, 0, NULL, 0, &v);
		if (err)
			return err;
		vma_merge(mm, v);
	}
	return 0;
}

static int map_segments_locked(struct mm *mm, const struct exec_plan *plan, struct mm_object *obj)
{
	for (size_t i = 0; i < plan->nseg; i++) {
		int err = map_segment(mm, &plan->seg[i], obj);
		if (err)
			return err;
	}
	return 0;
}

int mm_map_elf_segments(struct mm *mm, const struct exec_plan *plan, struct mm_object *obj)
{
	if (!obj)
		return -EINVAL;
	mutex_lock(&mm->lock);
	int err = map_segments_locked(mm, plan, obj);
	mutex_unlock(&mm->lock);
	return err;
}

static int load_locked(struct mm *mm, const struct exec_plan *plan, struct mm_object *obj,
		       const struct mm_exec_layout *layout)
{
	if ((layout->stack_top & (PAGE_SIZE - 1)) || layout->stack_top > MM_USER_END ||
	    layout->stack_top < MM_USER_END / 2 || (layout->brk_rnd & (PAGE_SIZE - 1)) ||
	    layout->brk_rnd > GiB(1) || (layout->mmap_rnd & (PAGE_SIZE - 1)) ||
	    (layout->brk_start & (PAGE_SIZE - 1)) || layout->brk_start >= layout->stack_top)
		return -EINVAL;
	int err = map_segments_locked(mm, plan, obj);
	if (err)
		return err;
	/* Linux's start_data/end_data: the writable segment's file part, for RLIMIT_DATA with brk. */
	mm->start_data = mm->end_data = 0;
	for (size_t i = 0; i < plan->nseg; i++) {
		const struct exec_segment *s = &plan->seg[i];
		if (!(s->prot & PROT_WRITE))
			continue;
		if (!mm->start_data || s->vaddr < mm->start_data)
			mm->start_data = s->vaddr;
		mm->end_data = MAX(mm->end_data, s->vaddr + s->filesz);
	}
	mm->start_brk = (layout->brk_start ? layout->brk_start : ALIGN_UP(plan->end, PAGE_SIZE)) +
			layout->brk_rnd;
	mm->brk = mm->start_brk;
	mm_reset_mmap_base(mm, layout->stack_rnd_max, layout->mmap_rnd);

	mm->stack_top = layout->stack_top;
	unsigned prot = PROT_READ | PROT_WRITE | (plan->exec_stack ? PROT_EXEC : 0);
	struct vma *v;
	err = mm_map_area(mm, mm->stack_top - MM_INITIAL_STACK_SIZE, mm->stack_top, prot,
			  VMA_GROWSDOWN | VMA_STACK, NULL, 0, &v);
	return err;
}

int mm_load_elf_at(struct mm *mm, const struct exec_plan *plan, struct mm_object *obj,
		   const struct mm_exec_layout *layout)
{
	if (!obj)
		return -EINVAL;
	mutex_lock(&mm->lock);
	int err = load_locked(mm, plan, obj, layout);
	mutex_unlock(&mm->lock);
	return err;
}

int mm_load_elf(struct mm *mm, const struct exec_plan *plan, struct mm_object *obj)
{
	static const struct mm_exec_layout fixed = { .stack_top = MM_USER_END };
	return mm_load_elf_at(mm, plan, obj, &fixed);
}

void mm_exec_set_mmap_base(struct mm *mm, const struct mm_exec_layout *layout)
{
	mutex_lock(&mm->lock);
	mm_reset_mmap_base(mm, layout->stack_rnd_max, layout->mmap_rnd);
	mutex_unlock(&mm->lock);
}

int mm_extend_exec_stack(struct mm *mm, uint64_t bytes)
{
	bytes = ALIGN_UP(bytes, PAGE_SIZE);
	mutex_lock(&mm->lock);
	struct vma *v = vma_find(mm, mm->stack_top - 1);
	int err = -EINVAL;
	if (v && (v->flags & VMA_STACK) && v->start <= mm->stack_top - 1 && bytes < v->start &&
	    !vma_overlaps(mm, v->start - bytes, v->start)) {
		struct vma *n;
		err = bytes ? mm_map_area(mm, v->start - bytes, v->start, v->prot, v->flags, NULL, 0, &n) : 0;
		if (!err && bytes)
			vma_merge(mm, n);
	}
	mutex_unlock(&mm->lock);
	return err;
}

int mm_find_exec_range(struct mm *mm, uint64_t len, uint64_t align, vaddr_t *out)
{
	if (!len || (len & (PAGE_SIZE - 1)) || align < PAGE_SIZE || (align & (align - 1)) ||
	    len + align < len)
		return -EINVAL;
	mutex_lock(&mm->lock);
	vaddr_t at;
	int err = mm_find_free(mm, 0, len + align - PAGE_SIZE, 0, &at);
	mutex_unlock(&mm->lock);
	if (err)
		return err;
	/* Top-down placement: the highest aligned start that keeps the range inside the hole. */
	*out = ALIGN_DOWN(at + align - PAGE_SIZE, align);
	return 0;
}
