/* kernel/mm tests: ELF loading (file segments, zeroed bss tail), brk growth and shrinking, the exec stack, /proc/pid/maps text. */
#include <frame/ktest.h>
#include <kernel/exec.h>

#include "mm_fixture.h"

/* A static program: text over two file pages, data whose bss starts mid-page and runs three pages on. */
static void make_plan(struct exec_plan *plan)
{
	memset(plan, 0, sizeof(*plan));
	plan->entry = 0x400080;
	plan->nseg = 2;
	plan->seg[0] = (struct exec_segment){ 0x400000, 0, 0x1100, 0x1100, PROT_READ | PROT_EXEC };
	plan->seg[1] = (struct exec_segment){ 0x402100, 0x2100, 0x200, 0x3000, PROT_READ | PROT_WRITE };
	plan->end = 0x405100;
}

static bool contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; *hay; hay++)
		if (strncmp(hay, needle, n) == 0)
			return true;
	return false;
}

KTEST(mm_load_elf_segments_and_bss)
{
	uint64_t base = mfx_footprint();
	struct mfx_file f;
	KASSERT(mfx_file_init(&f, 3 * PAGE_SIZE, false) == 0);
	struct exec_plan plan;
	make_plan(&plan);
	struct mm *mm = mm_create();
	KASSERT(mm);
	KASSERT(mm_load_elf(mm, &plan, &f.obj) == 0);
	/* Text: the file's page itself, readable and executable, not writable. */
	KEXPECT_EQ(mfx_read(mm, 0x400005), mfx_file_byte(5));
	KEXPECT(mfx_page(mm, 0x400000) == f.pages[0]);
	KEXPECT_EQ(mm_handle_fault(mm, 0x401000, VM_EXEC), 0);
	KEXPECT_EQ(mm_handle_fault(mm, 0x400000, VM_WRITE), -EACCES);
	/* Data: file bytes up to p_filesz, zeros after them although the file has bytes there. */
	KEXPECT_EQ(mfx_read(mm, 0x402101), mfx_file_byte(0x2101));
	KEXPECT_EQ(mfx_read(mm, 0x4022ff), mfx_file_byte(0x22ff));
	KEXPECT(mfx_file_byte(0x2300) != 0);
	KEXPECT_EQ(mfx_read(mm, 0x402300), 0);
	KEXPECT_EQ(mfx_read(mm, 0x402fff), 0);
	KEXPECT(mfx_page(mm, 0x402000) != f.pages[2]);
	/* The rest of the bss is anonymous zeros, writable. */
	KEXPECT_EQ(mfx_read(mm, 0x404000), 0);
	KEXPECT_EQ(mfx_write(mm, 0x405fff, 9), 0);
	KEXPECT_EQ(mm_handle_fault(mm, 0x406000, VM_READ), -EFAULT);
	/* The stack sits at the top and grows. */
	vaddr_t top = mm_stack_top(mm);
	KEXPECT_EQ(top, MM_USER_END);
	KEXPECT_EQ(mfx_write(mm, top - 8, 1), 0);
	KEXPECT_EQ(mfx_write(mm, top - MM_INITIAL_STACK_SIZE - 100, 2), 0);
	KEXPECT_EQ(mm_handle_fault(mm, top - MM_DEFAULT_STACK_LIMIT - 1, VM_WRITE), -EFAULT);
	mm_put(mm);
	KEXPECT(!f.released);
	mm_object_put(&f.obj);
	KEXPECT(f.released);
	KEXPECT_EQ(mfx_footprint(), base);
}

KTEST(mm_brk_grow_shrink_limits)
{
	struct mfx_file f;
	KASSERT(mfx_file_init(&f, 3 * PAGE_SIZE, false) == 0);
	struct exec_plan plan;
	make_plan(&plan);
	struct mm *mm = mm_create();
	KASSERT(mm);
	KEXPECT_EQ(mm_brk(mm, 0), 0);	/* no program yet */
	KASSERT(mm_load_elf(mm, &plan, &f.obj) == 0);
	vaddr_t start = 0x406000;
	KEXPECT_EQ(mm_brk(mm, 0), start);
	KEXPECT_EQ(mm_brk(mm, start + 10000), start + 10000);
	KEXPECT_EQ(mfx_write(mm, start + 9999, 0x5a), 0);
	KEXPECT_EQ(mfx_write(mm, start + 3 * PAGE_SIZE - 1, 0x5b), 0);	/* the rest of the last page */
	KEXPECT_EQ(mm_handle_fault(mm, start + 3 * PAGE_SIZE, VM_READ), -EFAULT);
	/* Shrinking unmaps whole pages past the new break. */
	KEXPECT_EQ(mm_brk(mm, start + 10), start + 10);
	KEXPECT(mfx_page(mm, start + PAGE_SIZE) == NULL);
	KEXPECT_EQ(mm_handle_fault(mm, start + PAGE_SIZE, VM_READ), -EFAULT);
	/* Growing again: fresh zero pages. */
	KEXPECT_EQ(mm_brk(mm, start + 10000), start + 10000);
	KEXPECT_EQ(mfx_read(mm, start + 9999), 0);
	/* Below the start, into a mapping, or beyond RLIMIT_DATA: the current break. */
	KEXPECT_EQ(mm_brk(mm, start - 1), start + 10000);
	vaddr_t r;
	KASSERT(mm_mmap(mm, 0x500000, PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
			NULL, 0, &r) == 0);
	KEXPECT_EQ(mm_brk(mm, 0x4ff800), start + 10000);
	KEXPECT_EQ(mm_brk(mm, 0x4fe000), 0x4fe000);
	struct mm_limits lim = { MM_RLIM_INFINITY, 16 * PAGE_SIZE, MM_DEFAULT_STACK_LIMIT };
	mm_set_limits(mm, &lim);
	KEXPECT_EQ(mm_brk(mm, start + 20 * PAGE_SIZE), 0x4fe000);
	KEXPECT_EQ(mm_brk(mm, start + 15 * PAGE_SIZE), start + 15 * PAGE_SIZE);
	mm_put(mm);
	mm_object_put(&f.obj);
	KEXPECT(f.released);
}

KTEST(mm_maps_text)
{
	struct mfx_file f;
	KASSERT(mfx_file_init(&f, 3 * PAGE_SIZE, false) == 0);
	struct exec_plan plan;
	make_plan(&plan);
	struct mm *mm = mm_create();
	KASSERT(mm);
	KASSERT(mm_load_elf(mm, &plan, &f.obj) == 0);
	static char buf[4096];
	size_t len = mm_format_maps(mm, buf, sizeof(buf));
	KEXPECT_EQ(len, strlen(buf));
	/* The name starts at column 73, as Linux pads it. */
	const char *text = "00400000-00402000 r-xp 00000000 08:01 1234 ";
	KEXPECT(strncmp(buf, text, strlen(text)) == 0);
	size_t col = strlen(text);
	while (col < 73 && buf[col] == ' ')
		col++;
	KEXPECT_EQ(col, 73);
	KEXPECT(strncmp(buf + 73, "/bin/test\n", 10) == 0);
	KEXPECT(contains(buf, "\n00402000-00403000 rw-p 00002000 08:01 1234 "));
	KEXPECT(contains(buf, "\n00403000-00406000 rw-p 00000000 00:00 0 \n"));
	KEXPECT(contains(buf, "\n7ffffffdf000-7ffffffff000 rw-p 00000000 00:00 0 "));
	KEXPECT(contains(buf, "[stack]\n"));
	KEXPECT(!contains(buf, "[heap]"));
	KEXPECT_EQ(mm_brk(mm, 0x408000), 0x408000);
	vaddr_t sh;
	KASSERT(mm_mmap(mm, 0, PAGE_SIZE, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, NULL, 0, &sh) == 0);
	len = mm_format_maps(mm, buf, sizeof(buf));
	KEXPECT(contains(buf, "\n00403000-00408000 rw-p 00000000 00:00 0 "));
	KEXPECT(contains(buf, "[heap]\n"));
	KEXPECT(contains(buf, " r--s 00000000 "));
	KEXPECT(contains(buf, "/dev/zero (deleted)\n"));
	/* Truncation: snprintf's contract. */
	char small[16];
	KEXPECT_EQ(mm_format_maps(mm, small, sizeof(small)), len);
	KEXPECT_EQ(strlen(small), sizeof(small) - 1);
	KEXPECT(strncmp(small, buf, sizeof(small) - 1) == 0);
	mm_put(mm);
	mm_object_put(&f.obj);
}
