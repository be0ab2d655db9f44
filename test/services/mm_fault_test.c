/* kernel/mm tests: page faults (demand zero, protection and mapping errors, file pages, beyond EOF, stack growth) and fork's copy-on-write. */
#include <frame/ktest.h>

#include "mm_fixture.h"

#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)

KTEST(mm_fault_demand_zero_and_errors)
{
	struct mm *mm = mm_create();
	KASSERT(mm);
	vaddr_t a = 0x10000000, ro, r;
	KASSERT(mm_mmap(mm, a, 2 * PAGE_SIZE, RW, ANON | MAP_FIXED, NULL, 0, &r) == 0);
	KASSERT(mm_mmap(mm, 0x20000000, PAGE_SIZE, PROT_READ, ANON | MAP_FIXED, NULL, 0, &ro) == 0);
	KEXPECT(mfx_page(mm, a) == NULL);
	KEXPECT_EQ(mm_handle_fault(mm, a + 123, VM_READ), 0);
	struct page *p;
	KASSERT(vm_get_page(mm_vm_space(mm), a, &p) == 0);
	/* Held by its one mapping, and by the reference vm_get_page gave us. */
	KEXPECT_EQ(page_mapcount(p), 1);
	KEXPECT_EQ(page_refcount(p), 1);
	KEXPECT_EQ(mfx_prot(mm, a), VM_READ | VM_WRITE | VM_USER);
	uint8_t buf[PAGE_SIZE];
	static const uint8_t zeros[PAGE_SIZE];
	KEXPECT_EQ(page_read(p, 0, buf, PAGE_SIZE), 0);
	KEXPECT(memcmp(buf, zeros, PAGE_SIZE) == 0);
	/* A second fault on a resolved page changes nothing. */
	KEXPECT_EQ(mm_handle_fault(mm, a, VM_WRITE), 0);
	KEXPECT(mfx_page(mm, a) == p);
	page_put(p);
	KEXPECT_EQ(page_refcount(p), 0);
	KEXPECT_EQ(page_mapcount(p), 1);
	/* Nothing mapped: SEGV_MAPERR. */
	KEXPECT_EQ(mm_handle_fault(mm, a + 2 * PAGE_SIZE, VM_READ), -EFAULT);
	KEXPECT_EQ(mm_handle_fault(mm, 0, VM_READ), -EFAULT);
	KEXPECT_EQ(mm_handle_fault(mm, MM_USER_END + 5, VM_READ), -EFAULT);
	/* Mapped but forbidden: SEGV_ACCERR, and no page is brought in for it. */
	KEXPECT_EQ(mm_handle_fault(mm, ro, VM_WRITE), -EACCES);
	KEXPECT(mfx_page(mm, ro) == NULL);
	KEXPECT_EQ(mm_handle_fault(mm, a, VM_EXEC), -EACCES);
	KEXPECT_EQ(mm_handle_fault(mm, ro, VM_READ), 0);
	KEXPECT_EQ(mfx_prot(mm, ro), VM_READ | VM_USER);
	/* The frame routes the space's faults here. */
	struct vm_fault f = { .addr = a + PAGE_SIZE, .access = VM_WRITE, .present = false, .from_user = true };
	KEXPECT_EQ(vm_space_handle_fault(mm_vm_space(mm), &f), 0);
	KEXPECT(mfx_page(mm, a + PAGE_SIZE) != NULL);
	mm_put(mm);
}

KTEST(mm_fault_stack_growth)
{
	struct mm *mm = mm_create();
	KASSERT(mm);
	struct mm_limits lim = { MM_RLIM_INFINITY, MM_RLIM_INFINITY, 16 * PAGE_SIZE };
	mm_set_limits(mm, &lim);
	vaddr_t top = 0x40000000, s;
	KASSERT(mm_mmap(mm, top - 4 * PAGE_SIZE, 4 * PAGE_SIZE, RW, ANON | MAP_FIXED | MAP_GROWSDOWN,
			NULL, 0, &s) == 0);
	/* Just below the area: it grows to cover the page. */
	KEXPECT_EQ(mfx_write(mm, s - 8, 0xc1), 0);
	KEXPECT_EQ(mfx_read(mm, s - 8), 0xc1);
	KEXPECT_EQ(mm_total_bytes(mm), 5 * PAGE_SIZE);
	/* Far below, still within the limit. */
	KEXPECT_EQ(mfx_write(mm, top - 16 * PAGE_SIZE, 1), 0);
	KEXPECT_EQ(mm_total_bytes(mm), 16 * PAGE_SIZE);
	KEXPECT_EQ(mfx_areas(mm), 1);
	/* Beyond RLIMIT_STACK: SIGSEGV, nothing changed. */
	KEXPECT_EQ(mm_handle_fault(mm, top - 16 * PAGE_SIZE - 1, VM_WRITE), -EFAULT);
	KEXPECT_EQ(mm_total_bytes(mm), 16 * PAGE_SIZE);
	/* Another mapping within the guard gap below stops growth. */
	lim.stack = MiB(64);
	mm_set_limits(mm, &lim);
	vaddr_t low = top - 16 * PAGE_SIZE - MM_STACK_GUARD_GAP, r;
	KASSERT(mm_mmap(mm, low - PAGE_SIZE, PAGE_SIZE, RW, ANON | MAP_FIXED, NULL, 0, &r) == 0);
	KEXPECT_EQ(mm_handle_fault(mm, low + PAGE_SIZE, VM_WRITE), -EFAULT);
	KEXPECT_EQ(mm_handle_fault(mm, top - 17 * PAGE_SIZE, VM_WRITE), -EFAULT);
	KEXPECT_EQ(mm_munmap(mm, low - PAGE_SIZE, PAGE_SIZE), 0);
	KEXPECT_EQ(mm_handle_fault(mm, top - 17 * PAGE_SIZE, VM_WRITE), 0);
	/* Placement keeps out of a stack's guard gap. */
	vaddr_t hint = top - 17 * PAGE_SIZE - PAGE_SIZE;
	KEXPECT_EQ(mm_mmap(mm, hint, PAGE_SIZE, RW, ANON, NULL, 0, &r), 0);
	KEXPECT(r != hint);
	/* An ordinary area does not grow. */
	KEXPECT_EQ(mm_handle_fault(mm, r - 1, VM_READ), -EFAULT);
	mm_put(mm);
}

KTEST(mm_fault_file_pages)
{
	struct mfx_file f;
	KASSERT(mfx_file_init(&f, 2 * PAGE_SIZE + 100, true) == 0);
	struct mm *mm = mm_create();
	KASSERT(mm);
	vaddr_t sh, pr;
	KASSERT(mm_mmap(mm, 0, 4 * PAGE_SIZE, RW, MAP_SHARED, &f.obj, 0, &sh) == 0);
	KASSERT(mm_mmap(mm, 0, 2 * PAGE_SIZE, RW, MAP_PRIVATE, &f.obj, PAGE_SIZE, &pr) == 0);
	/* Shared: the file's page itself, writes reach the file. */
	KEXPECT_EQ(mfx_read(mm, sh + 5), mfx_file_byte(5));
	KEXPECT(mfx_page(mm, sh) == f.pages[0]);
	KEXPECT_EQ(mfx_write(mm, sh + 5, 0xd1), 0);
	uint8_t b = 0;
	KEXPECT_EQ(page_read(f.pages[0], 5, &b, 1), 0);
	KEXPECT_EQ(b, 0xd1);
	/* Private: reads share the file's page read-only, the first write copies. */
	KEXPECT_EQ(mfx_read(mm, pr + 7), mfx_file_byte(PAGE_SIZE + 7));
	KEXPECT(mfx_page(mm, pr) == f.pages[1]);
	KEXPECT(!(mfx_prot(mm, pr) & VM_WRITE));
	KEXPECT_EQ(mfx_write(mm, pr + 7, 0xd2), 0);
	KEXPECT(mfx_page(mm, pr) != f.pages[1]);
	KEXPECT_EQ(mfx_read(mm, pr + 7), 0xd2);
	KEXPECT_EQ(mfx_read(mm, pr + 8), mfx_file_byte(PAGE_SIZE + 8));
	KEXPECT_EQ(page_read(f.pages[1], 7, &b, 1), 0);
	KEXPECT_EQ(b, mfx_file_byte(PAGE_SIZE + 7));
	KEXPECT_EQ(page_refcount(f.pages[1]), 1);
	KEXPECT_EQ(page_mapcount(f.pages[1]), 0);
	/* The page holding EOF maps; pages past it are SIGBUS. */
	KEXPECT_EQ(mfx_read(mm, sh + 2 * PAGE_SIZE + 99), mfx_file_byte(2 * PAGE_SIZE + 99));
	KEXPECT_EQ(mm_handle_fault(mm, sh + 3 * PAGE_SIZE, VM_READ), -EIO);
	/* mprotect to writable consults the file too. */
	KEXPECT_EQ(mm_mprotect(mm, sh, PAGE_SIZE, PROT_READ), 0);
	f.may_map_err = -EACCES;
	KEXPECT_EQ(mm_mprotect(mm, sh, PAGE_SIZE, RW), -EACCES);
	mm_put(mm);
	KEXPECT(!f.released);
	for (int i = 0; i < MFX_FILE_PAGES; i++)
		KEXPECT(page_refcount(f.pages[i]) == 1 && page_mapcount(f.pages[i]) == 0);
	mm_object_put(&f.obj);
	KEXPECT(f.released);
}

KTEST(mm_fork_copy_on_write)
{
	uint64_t base = mfx_footprint();
	struct mm *parent = mm_create();
	KASSERT(parent);
	vaddr_t a = 0x10000000, ro, r;
	KASSERT(mm_mmap(parent, a, 2 * PAGE_SIZE, RW, ANON | MAP_FIXED, NULL, 0, &r) == 0);
	KASSERT(mm_mmap(parent, 0x20000000, PAGE_SIZE, PROT_READ, ANON | MAP_FIXED, NULL, 0, &ro) == 0);
	KEXPECT_EQ(mfx_write(parent, a + 1, 'A'), 0);
	KEXPECT_EQ(mfx_write(parent, a + PAGE_SIZE + 1, 'C'), 0);
	KEXPECT_EQ(mfx_read(parent, ro), 0);
	struct page *pa = mfx_page(parent, a);
	struct mm *child = NULL;
	KASSERT(mm_fork(parent, &child) == 0);
	/* Both see the same page, read-only, shared by reference. */
	KEXPECT(mfx_page(child, a) == pa);
	KEXPECT_EQ(page_mapcount(pa), 2);
	KEXPECT_EQ(page_refcount(pa), 0);
	KEXPECT(!(mfx_prot(parent, a) & VM_WRITE));
	KEXPECT(!(mfx_prot(child, a) & VM_WRITE));
	KEXPECT_EQ(mfx_read(child, a + 1), 'A');
	KEXPECT_EQ(mfx_areas(child), 2);
	/* The child's write copies; the parent keeps its byte. */
	KEXPECT_EQ(mfx_write(child, a + 1, 'B'), 0);
	KEXPECT(mfx_page(child, a) != pa);
	KEXPECT_EQ(mfx_read(child, a + 1), 'B');
	KEXPECT_EQ(mfx_read(parent, a + 1), 'A');
	KEXPECT_EQ(page_mapcount(pa), 1);
	/* Now alone with its page, the parent's write just regains the right: no copy. */
	KEXPECT_EQ(mfx_write(parent, a + 2, 'D'), 0);
	KEXPECT(mfx_page(parent, a) == pa);
	KEXPECT_EQ(mfx_read(child, a + 2), 0);
	/* Read-only areas stay shared and read-only; writes there are still refused. */
	KEXPECT(mfx_page(child, ro) == mfx_page(parent, ro));
	KEXPECT_EQ(mm_handle_fault(child, ro, VM_WRITE), -EACCES);
	/* The parent's write to the second page after the child exits: no copy either. */
	struct page *pc = mfx_page(parent, a + PAGE_SIZE);
	mm_put(child);
	KEXPECT_EQ(page_mapcount(pc), 1);
	KEXPECT_EQ(mfx_write(parent, a + PAGE_SIZE + 1, 'E'), 0);
	KEXPECT(mfx_page(parent, a + PAGE_SIZE) == pc);
	mm_put(parent);
	KEXPECT_EQ(mfx_footprint(), base);
}

KTEST(mm_fork_shared_dontfork_wipeonfork)
{
	uint64_t base = mfx_footprint();
	struct mm *parent = mm_create();
	KASSERT(parent);
	vaddr_t sh, dont, wipe;
	KASSERT(mm_mmap(parent, 0, PAGE_SIZE, RW, MAP_SHARED | MAP_ANONYMOUS, NULL, 0, &sh) == 0);
	KASSERT(mm_mmap(parent, 0x10000000, PAGE_SIZE, RW, ANON | MAP_FIXED, NULL, 0, &dont) == 0);
	KASSERT(mm_mmap(parent, 0x20000000, PAGE_SIZE, RW, ANON | MAP_FIXED, NULL, 0, &wipe) == 0);
	KEXPECT_EQ(mfx_write(parent, sh, 1), 0);
	KEXPECT_EQ(mfx_write(parent, dont, 2), 0);
	KEXPECT_EQ(mfx_write(parent, wipe, 3), 0);
	KEXPECT_EQ(mm_madvise(parent, dont, PAGE_SIZE, MADV_DONTFORK), 0);
	KEXPECT_EQ(mm_madvise(parent, wipe, PAGE_SIZE, 18 /* MADV_WIPEONFORK */), 0);
	KEXPECT_EQ(mm_madvise(parent, sh, PAGE_SIZE, 18), -EINVAL);
	struct mm *child = NULL;
	KASSERT(mm_fork(parent, &child) == 0);
	/* Shared memory: each side sees the other's writes, the page stays writable. */
	KEXPECT_EQ(mfx_write(child, sh, 0x77), 0);
	KEXPECT_EQ(mfx_read(parent, sh), 0x77);
	KEXPECT(mfx_prot(parent, sh) & VM_WRITE);
	KEXPECT_EQ(mm_handle_fault(child, dont, VM_READ), -EFAULT);
	KEXPECT_EQ(mfx_read(child, wipe), 0);
	KEXPECT_EQ(mfx_read(parent, wipe), 3);
	KEXPECT_EQ(mfx_read(parent, dont), 2);
	mm_put(parent);
	KEXPECT_EQ(mfx_read(child, sh), 0x77);
	mm_put(child);
	KEXPECT_EQ(mfx_footprint(), base);
}
