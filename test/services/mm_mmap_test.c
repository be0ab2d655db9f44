/* kernel/mm tests: mmap placement, MAP_FIXED, munmap splits, mprotect splits and merges, mremap, madvise, resource limits. */
#include <frame/ktest.h>

#include "mm_fixture.h"

#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)
/*
 * Where the first mapping ends with the default 8 MiB stack limit: the stack
 * limit plus the guard gap is under Linux's minimum gap of 128 MiB (under
 * `setarch -R`, Linux's ld.so ends at 0x7ffff7fff000).
 */
#define FIRST_END (MM_USER_END - MiB(128))

KTEST(mm_mmap_topdown_placement)
{
	struct mm *mm = mm_create();
	KASSERT(mm);
	vaddr_t a = 0, b = 0, c = 0;
	KEXPECT_EQ(mm_mmap(mm, 0, 3 * PAGE_SIZE, RW, ANON, NULL, 0, &a), 0);
	KEXPECT_EQ(a + 3 * PAGE_SIZE, FIRST_END);
	/* An unaligned length is rounded up; the next one goes right below. */
	KEXPECT_EQ(mm_mmap(mm, 0, 100, PROT_READ, ANON, NULL, 0, &b), 0);
	KEXPECT_EQ(b, a - PAGE_SIZE);
	/* A free hint is honoured; a taken one is not. */
	KEXPECT_EQ(mm_mmap(mm, 0x10000000, PAGE_SIZE, RW, ANON, NULL, 0, &c), 0);
	KEXPECT_EQ(c, 0x10000000);
	KEXPECT_EQ(mm_mmap(mm, 0x10000000, PAGE_SIZE, RW, ANON, NULL, 0, &c), 0);
	KEXPECT(c != 0x10000000);
	/* An unaligned hint is rounded up. */
	KEXPECT_EQ(mm_mmap(mm, 0x20000123, PAGE_SIZE, RW, ANON, NULL, 0, &c), 0);
	KEXPECT_EQ(c, 0x20001000);
	/* MAP_32BIT: the 1-2 GiB window. */
	KEXPECT_EQ(mm_mmap(mm, 0, PAGE_SIZE, RW, ANON | MAP_32BIT, NULL, 0, &c), 0);
	KEXPECT(c >= 0x40000000 && c + PAGE_SIZE <= 0x80000000);
	/* Nothing is mapped until touched. */
	KEXPECT(mfx_page(mm, a) == NULL);
	mm_put(mm);
}

KTEST(mm_mmap_errors)
{
	struct mm *mm = mm_create();
	KASSERT(mm);
	vaddr_t r = 0;
	struct mfx_file f;
	KASSERT(mfx_file_init(&f, 3 * PAGE_SIZE, false) == 0);
	KEXPECT_EQ(mm_mmap(mm, 0, 0, RW, ANON, NULL, 0, &r), -EINVAL);
	KEXPECT_EQ(mm_mmap(mm, 0, PAGE_SIZE, RW, ANON, NULL, 100, &r), -EINVAL);
	KEXPECT_EQ(mm_mmap(mm, 0, PAGE_SIZE, RW, MAP_ANONYMOUS, NULL, 0, &r), -EINVAL);
	KEXPECT_EQ(mm_mmap(mm, 0, PAGE_SIZE, RW, MAP_PRIVATE, NULL, 0, &r), -EBADF);
	KEXPECT_EQ(mm_mmap(mm, 0, PAGE_SIZE, RW, MAP_SHARED_VALIDATE | 0x400000, &f.obj, 0, &r),
		   -EOPNOTSUPP);
	KEXPECT_EQ(mm_mmap(mm, 0, PAGE_SIZE, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_GROWSDOWN,
			   NULL, 0, &r), -EINVAL);
	KEXPECT_EQ(mm_mmap(mm, 0, UINT64_MAX - 5, RW, ANON, NULL, 0, &r), -ENOMEM);
	KEXPECT_EQ(mm_mmap(mm, 0, MM_USER_END, RW, ANON, NULL, 0, &r), -ENOMEM);
	KEXPECT_EQ(mm_mmap(mm, 0, PAGE_SIZE, RW, MAP_PRIVATE, &f.obj, UINT64_MAX & PAGE_MASK, &r),
		   -EOVERFLOW);
	KEXPECT_EQ(mm_mmap(mm, 0x10000800, PAGE_SIZE, RW, ANON | MAP_FIXED, NULL, 0, &r), -EINVAL);
	KEXPECT_EQ(mm_mmap(mm, 0x1000, PAGE_SIZE, RW, ANON | MAP_FIXED, NULL, 0, &r), -EPERM);
	KEXPECT_EQ(mm_mmap(mm, MM_USER_END, PAGE_SIZE, RW, ANON | MAP_FIXED, NULL, 0, &r), -ENOMEM);
	/* The file's own rule (a read-only open file mapped shared and writable). */
	f.may_map_err = -EACCES;
	KEXPECT_EQ(mm_mmap(mm, 0, PAGE_SIZE, RW, MAP_SHARED, &f.obj, 0, &r), -EACCES);
	KEXPECT_EQ(mm_mmap(mm, 0, PAGE_SIZE, PROT_READ, MAP_SHARED, &f.obj, 0, &r), 0);
	KEXPECT_EQ(mfx_areas(mm), 1);
	mm_put(mm);
	KEXPECT(!f.released);
	mm_object_put(&f.obj);
	KEXPECT(f.released);
}

KTEST(mm_mmap_fixed_replaces)
{
	struct mm *mm = mm_create();
	KASSERT(mm);
	vaddr_t a = 0x10000000, r = 0;
	KASSERT(mm_mmap(mm, a, 4 * PAGE_SIZE, RW, ANON | MAP_FIXED, NULL, 0, &r) == 0);
	KEXPECT_EQ(r, a);
	for (int i = 0; i < 4; i++)
		KEXPECT_EQ(mfx_write(mm, a + i * PAGE_SIZE + 5, 0x50 + i), 0);
	KEXPECT_EQ(mm_mmap(mm, a + PAGE_SIZE, PAGE_SIZE, RW, ANON | MAP_FIXED_NOREPLACE, NULL, 0, &r),
		   -EEXIST);
	KEXPECT_EQ(mfx_read(mm, a + PAGE_SIZE + 5), 0x51);
	/* MAP_FIXED over the middle: the old page goes, the new one starts as zero. */
	KEXPECT_EQ(mm_mmap(mm, a + PAGE_SIZE, 2 * PAGE_SIZE, PROT_READ, ANON | MAP_FIXED, NULL, 0, &r), 0);
	KEXPECT_EQ(r, a + PAGE_SIZE);
	KEXPECT(mfx_page(mm, a + PAGE_SIZE) == NULL);
	KEXPECT(mfx_page(mm, a + 2 * PAGE_SIZE) == NULL);
	KEXPECT_EQ(mfx_read(mm, a + PAGE_SIZE + 5), 0);
	KEXPECT_EQ(mfx_read(mm, a + 5), 0x50);
	KEXPECT_EQ(mfx_read(mm, a + 3 * PAGE_SIZE + 5), 0x53);
	KEXPECT_EQ(mfx_write(mm, a + PAGE_SIZE, 1), -EACCES);
	KEXPECT_EQ(mfx_areas(mm), 3);
	/* NOREPLACE on free space is an ordinary fixed mapping. */
	KEXPECT_EQ(mm_mmap(mm, a + 8 * PAGE_SIZE, PAGE_SIZE, RW, ANON | MAP_FIXED_NOREPLACE, NULL, 0, &r), 0);
	KEXPECT_EQ(r, a + 8 * PAGE_SIZE);
	mm_put(mm);
}

KTEST(mm_munmap_splits)
{
	struct mm *mm = mm_create();
	KASSERT(mm);
	vaddr_t a = 0x10000000, r;
	KASSERT(mm_mmap(mm, a, 4 * PAGE_SIZE, RW, ANON | MAP_FIXED, NULL, 0, &r) == 0);
	for (int i = 0; i < 4; i++)
		KEXPECT_EQ(mfx_write(mm, a + i * PAGE_SIZE, 0x60 + i), 0);
	KEXPECT_EQ(mfx_areas(mm), 1);
	KEXPECT_EQ(mm_munmap(mm, a + PAGE_SIZE, PAGE_SIZE), 0);
	KEXPECT_EQ(mfx_areas(mm), 2);
	KEXPECT(mfx_page(mm, a + PAGE_SIZE) == NULL);
	KEXPECT_EQ(mfx_read(mm, a + PAGE_SIZE), -EFAULT);
	KEXPECT_EQ(mfx_read(mm, a), 0x60);
	KEXPECT_EQ(mfx_read(mm, a + 2 * PAGE_SIZE), 0x62);
	/* A length of 1 is a whole page; then a range over holes and part of an area. */
	KEXPECT_EQ(mm_munmap(mm, a, 1), 0);
	KEXPECT_EQ(mfx_areas(mm), 1);
	KEXPECT_EQ(mm_munmap(mm, a - 16 * PAGE_SIZE, 18 * PAGE_SIZE + 1), 0);
	KEXPECT_EQ(mfx_areas(mm), 1);
	KEXPECT(mfx_page(mm, a + 2 * PAGE_SIZE) == NULL);
	KEXPECT_EQ(mfx_read(mm, a + 3 * PAGE_SIZE), 0x63);
	KEXPECT_EQ(mm_munmap(mm, a + 1, PAGE_SIZE), -EINVAL);
	KEXPECT_EQ(mm_munmap(mm, a, 0), -EINVAL);
	KEXPECT_EQ(mm_munmap(mm, MM_USER_END, PAGE_SIZE), -EINVAL);
	KEXPECT_EQ(mm_munmap(mm, 0x70000000, PAGE_SIZE), 0);	/* nothing there: fine */
	mm_put(mm);
}

KTEST(mm_mprotect_splits_and_merges)
{
	struct mm *mm = mm_create();
	KASSERT(mm);
	vaddr_t a = 0x10000000, r;
	KASSERT(mm_mmap(mm, a, 4 * PAGE_SIZE, RW, ANON | MAP_FIXED, NULL, 0, &r) == 0);
	for (int i = 0; i < 4; i++)
		KEXPECT_EQ(mfx_write(mm, a + i * PAGE_SIZE, 0x70 + i), 0);
	KEXPECT_EQ(mm_mprotect(mm, a + PAGE_SIZE, 2 * PAGE_SIZE, PROT_READ), 0);
	KEXPECT_EQ(mfx_areas(mm), 3);
	KEXPECT(!(mfx_prot(mm, a + PAGE_SIZE) & VM_WRITE));
	KEXPECT(mfx_prot(mm, a) & VM_WRITE);
	KEXPECT_EQ(mfx_write(mm, a + 2 * PAGE_SIZE, 1), -EACCES);
	KEXPECT_EQ(mfx_read(mm, a + 2 * PAGE_SIZE), 0x72);
	/* PROT_NONE: pages stay (kernel-only), user access is refused, data survives. */
	KEXPECT_EQ(mm_mprotect(mm, a + PAGE_SIZE, PAGE_SIZE, PROT_NONE), 0);
	KEXPECT_EQ(mfx_areas(mm), 4);
	KEXPECT(!(mfx_prot(mm, a + PAGE_SIZE) & VM_USER));
	KEXPECT_EQ(mfx_read(mm, a + PAGE_SIZE), -EACCES);
	KEXPECT_EQ(mm_mprotect(mm, a, 4 * PAGE_SIZE, RW), 0);
	KEXPECT_EQ(mfx_areas(mm), 1);
	KEXPECT_EQ(mfx_read(mm, a + PAGE_SIZE), 0x71);
	KEXPECT_EQ(mfx_write(mm, a + 2 * PAGE_SIZE, 0x99), 0);
	/* Errors: unaligned, unknown bits, a hole (the part before it changes, as Linux). */
	KEXPECT_EQ(mm_mprotect(mm, a + 1, PAGE_SIZE, PROT_READ), -EINVAL);
	KEXPECT_EQ(mm_mprotect(mm, a, PAGE_SIZE, 0x40), -EINVAL);
	KEXPECT_EQ(mm_mprotect(mm, a, PAGE_SIZE, PROT_GROWSDOWN | PROT_GROWSUP), -EINVAL);
	KEXPECT_EQ(mm_mprotect(mm, a - PAGE_SIZE, 2 * PAGE_SIZE, PROT_READ), -ENOMEM);
	KEXPECT_EQ(mm_mprotect(mm, a + 3 * PAGE_SIZE, 2 * PAGE_SIZE, PROT_READ), -ENOMEM);
	KEXPECT(!(mfx_prot(mm, a + 3 * PAGE_SIZE) & VM_WRITE));
	KEXPECT_EQ(mm_mprotect(mm, a, 0, PROT_READ), 0);
	mm_put(mm);
}

KTEST(mm_mremap_grow_shrink_move)
{
	struct mm *mm = mm_create();
	KASSERT(mm);
	vaddr_t a = 0x10000000, r = 0;
	KASSERT(mm_mmap(mm, a, 2 * PAGE_SIZE, RW, ANON | MAP_FIXED, NULL, 0, &r) == 0);
	KEXPECT_EQ(mfx_write(mm, a + 10, 0xa1), 0);
	KEXPECT_EQ(mfx_write(mm, a + PAGE_SIZE + 10, 0xa2), 0);
	/* Grow in place into free space. */
	KEXPECT_EQ(mm_mremap(mm, a, 2 * PAGE_SIZE, 3 * PAGE_SIZE, 0, 0, &r), 0);
	KEXPECT_EQ(r, a);
	KEXPECT_EQ(mfx_write(mm, a + 2 * PAGE_SIZE, 0xa3), 0);
	/* Something right after: no room in place, and no permission to move. */
	vaddr_t blk;
	KASSERT(mm_mmap(mm, a + 3 * PAGE_SIZE, PAGE_SIZE, PROT_READ, ANON | MAP_FIXED, NULL, 0, &blk) == 0);
	KEXPECT_EQ(mm_mremap(mm, a, 3 * PAGE_SIZE, 5 * PAGE_SIZE, 0, 0, &r), -ENOMEM);
	/* MAYMOVE: contents come along, the old range is gone. */
	r = 0;
	KEXPECT_EQ(mm_mremap(mm, a, 3 * PAGE_SIZE, 5 * PAGE_SIZE, MREMAP_MAYMOVE, 0, &r), 0);
	KEXPECT(r != a && r != 0);
	KEXPECT_EQ(mfx_read(mm, r + 10), 0xa1);
	KEXPECT_EQ(mfx_read(mm, r + PAGE_SIZE + 10), 0xa2);
	KEXPECT_EQ(mfx_read(mm, r + 2 * PAGE_SIZE), 0xa3);
	KEXPECT_EQ(mfx_read(mm, r + 4 * PAGE_SIZE), 0);
	KEXPECT(mfx_page(mm, a) == NULL);
	KEXPECT_EQ(mfx_read(mm, a), -EFAULT);
	/* Shrink in place. */
	vaddr_t m = r, r2 = 0;
	KEXPECT_EQ(mm_mremap(mm, m, 5 * PAGE_SIZE, PAGE_SIZE, 0, 0, &r2), 0);
	KEXPECT_EQ(r2, m);
	KEXPECT_EQ(mfx_read(mm, m + PAGE_SIZE), -EFAULT);
	/* MREMAP_FIXED to a chosen address. */
	KEXPECT_EQ(mm_mremap(mm, m, PAGE_SIZE, PAGE_SIZE, MREMAP_MAYMOVE | MREMAP_FIXED,
			     0x30000000, &r2), 0);
	KEXPECT_EQ(r2, 0x30000000);
	KEXPECT_EQ(mfx_read(mm, 0x30000000 + 10), 0xa1);
	/* Errors. */
	KEXPECT_EQ(mm_mremap(mm, 0x50000000, PAGE_SIZE, 2 * PAGE_SIZE, MREMAP_MAYMOVE, 0, &r2), -EFAULT);
	KEXPECT_EQ(mm_mremap(mm, 0x30000000, 2 * PAGE_SIZE, 3 * PAGE_SIZE, MREMAP_MAYMOVE, 0, &r2), -EFAULT);
	KEXPECT_EQ(mm_mremap(mm, 0x30000001, PAGE_SIZE, PAGE_SIZE, 0, 0, &r2), -EINVAL);
	KEXPECT_EQ(mm_mremap(mm, 0x30000000, PAGE_SIZE, 0, 0, 0, &r2), -EINVAL);
	KEXPECT_EQ(mm_mremap(mm, 0x30000000, PAGE_SIZE, PAGE_SIZE, 8, 0, &r2), -EINVAL);
	KEXPECT_EQ(mm_mremap(mm, 0x30000000, PAGE_SIZE, PAGE_SIZE, MREMAP_FIXED, 0x40000000, &r2), -EINVAL);
	KEXPECT_EQ(mm_mremap(mm, 0x30000000, PAGE_SIZE, 2 * PAGE_SIZE, MREMAP_MAYMOVE | MREMAP_FIXED,
			     0x2ffff000, &r2), -EINVAL);
	KEXPECT_EQ(mm_mremap(mm, 0x30000000, 0, PAGE_SIZE, MREMAP_MAYMOVE, 0, &r2), -EINVAL);
	mm_put(mm);
}

KTEST(mm_madvise_dontneed)
{
	struct mm *mm = mm_create();
	KASSERT(mm);
	vaddr_t a = 0x10000000, s = 0, r;
	KASSERT(mm_mmap(mm, a, 2 * PAGE_SIZE, RW, ANON | MAP_FIXED, NULL, 0, &r) == 0);
	KASSERT(mm_mmap(mm, 0, PAGE_SIZE, RW, MAP_SHARED | MAP_ANONYMOUS, NULL, 0, &s) == 0);
	KEXPECT_EQ(mfx_write(mm, a + 1, 0xb1), 0);
	KEXPECT_EQ(mfx_write(mm, a + PAGE_SIZE + 1, 0xb2), 0);
	KEXPECT_EQ(mfx_write(mm, s + 1, 0xb3), 0);
	KEXPECT_EQ(mm_madvise(mm, a, PAGE_SIZE, MADV_DONTNEED), 0);
	KEXPECT(mfx_page(mm, a) == NULL);
	KEXPECT_EQ(mfx_read(mm, a + 1), 0);
	KEXPECT_EQ(mfx_read(mm, a + PAGE_SIZE + 1), 0xb2);
	/* Shared memory keeps its data: the object has it. */
	KEXPECT_EQ(mm_madvise(mm, s, PAGE_SIZE, MADV_DONTNEED), 0);
	KEXPECT(mfx_page(mm, s) == NULL);
	KEXPECT_EQ(mfx_read(mm, s + 1), 0xb3);
	/* Hints are accepted; unknown advice, unaligned and unmapped ranges are not. */
	KEXPECT_EQ(mm_madvise(mm, a, PAGE_SIZE, MADV_SEQUENTIAL), 0);
	KEXPECT_EQ(mm_madvise(mm, a, PAGE_SIZE, 77), -EINVAL);
	KEXPECT_EQ(mm_madvise(mm, a + 1, PAGE_SIZE, MADV_DONTNEED), -EINVAL);
	KEXPECT_EQ(mm_madvise(mm, a + PAGE_SIZE, 2 * PAGE_SIZE, MADV_DONTNEED), -ENOMEM);
	KEXPECT(mfx_page(mm, a + PAGE_SIZE) == NULL);	/* the mapped part was still dropped */
	KEXPECT_EQ(mm_madvise(mm, a, 0, MADV_DONTNEED), 0);
	mm_put(mm);
}

KTEST(mm_rlimit_as_and_data)
{
	struct mm *mm = mm_create();
	KASSERT(mm);
	vaddr_t r;
	struct mm_limits lim = { 4 * PAGE_SIZE, 2 * PAGE_SIZE, MM_DEFAULT_STACK_LIMIT };
	mm_set_limits(mm, &lim);
	KEXPECT_EQ(mm_mmap(mm, 0, 3 * PAGE_SIZE, RW, ANON, NULL, 0, &r), -ENOMEM);	/* data */
	KEXPECT_EQ(mm_mmap(mm, 0, 3 * PAGE_SIZE, PROT_READ, ANON, NULL, 0, &r), 0);
	KEXPECT_EQ(mm_mmap(mm, 0, 2 * PAGE_SIZE, PROT_READ, ANON, NULL, 0, &r), -ENOMEM);	/* as */
	/* MAP_FIXED over existing pages only counts what it adds. */
	KEXPECT_EQ(mm_mmap(mm, r, 2 * PAGE_SIZE, RW, ANON | MAP_FIXED, NULL, 0, &r), 0);
	KEXPECT_EQ(mm_total_bytes(mm), 3 * PAGE_SIZE);
	KEXPECT_EQ(mm_data_bytes(mm), 2 * PAGE_SIZE);
	/* mprotect making a third page data is refused. */
	KEXPECT_EQ(mm_mprotect(mm, r + 2 * PAGE_SIZE, PAGE_SIZE, RW), -ENOMEM);
	mm_put(mm);
}
