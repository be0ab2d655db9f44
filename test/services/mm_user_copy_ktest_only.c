/* kernel/mm in the test kernel: real page faults from the frame's user-copy routines reach mm_handle_fault (demand zero, copy-on-write, errors). */
#include <frame/ktest.h>
#include <frame/vm_io.h>

#include "mm_fixture.h"

KTEST(mm_user_copy_faults_through_hook)
{
	uint64_t base = mfx_footprint();
	struct mm *mm = mm_create();
	KASSERT(mm);
	vaddr_t a = 0x10000000, ro, r;
	KASSERT(mm_mmap(mm, a, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0, &r) == 0);
	KASSERT(mm_mmap(mm, 0x20000000, PAGE_SIZE, PROT_READ,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0, &ro) == 0);
	struct vm_space *prev = vm_space_current();
	vm_space_activate(mm_vm_space(mm));
	char buf[8] = { 0 };
	/* Demand zero on a write across the page boundary. */
	KEXPECT_EQ(copy_to_user(user_ptr(a + PAGE_SIZE - 3), "hello", 6), 0);
	KEXPECT_EQ(copy_from_user(buf, user_ptr(a + PAGE_SIZE - 3), 6), 0);
	KEXPECT(strcmp(buf, "hello") == 0);
	KEXPECT(mfx_page(mm, a) != NULL && mfx_page(mm, a + PAGE_SIZE) != NULL);
	/* Unmapped and read-only memory: -EFAULT for the kernel's copy. */
	KEXPECT_EQ(copy_from_user(buf, user_ptr(a + 2 * PAGE_SIZE), 4), 4);
	KEXPECT_EQ(copy_to_user(user_ptr(ro), "x", 1), 1);
	KEXPECT_EQ(copy_from_user(buf, user_ptr(ro), 1), 0);
	/* Copy-on-write after fork, with the child's space active for its write. */
	struct mm *child = NULL;
	KASSERT(mm_fork(mm, &child) == 0);
	vm_space_activate(mm_vm_space(child));
	KEXPECT_EQ(copy_to_user(user_ptr(a + PAGE_SIZE - 3), "child", 6), 0);
	KEXPECT_EQ(copy_from_user(buf, user_ptr(a + PAGE_SIZE - 3), 6), 0);
	KEXPECT(strcmp(buf, "child") == 0);
	vm_space_activate(mm_vm_space(mm));
	KEXPECT_EQ(copy_from_user(buf, user_ptr(a + PAGE_SIZE - 3), 6), 0);
	KEXPECT(strcmp(buf, "hello") == 0);
	vm_space_activate(prev);
	mm_put(child);
	mm_put(mm);
	KEXPECT_EQ(mfx_footprint(), base);
}
