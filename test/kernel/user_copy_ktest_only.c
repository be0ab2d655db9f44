/* In-kernel tests of user-memory access: copies, strings, fixed-size values, readers/writers, range refusal, the fault hook. */
#include <arch/cpu.h>
#include <arch/extable.h>
#include <arch/layout.h>
#include <arch/user.h>
#include <frame/errno.h>
#include <frame/ktest.h>
#include <frame/page.h>
#include <frame/string.h>
#include <frame/vm_io.h>
#include <frame/vm_space.h>
#include <internal/mm.h>

#define UVA 0x10000000UL /* two mapped pages, then a hole */
#define URW (VM_READ | VM_WRITE | VM_USER)
#define TOP_PAGE (USER_SPACE_END - PAGE_SIZE)

struct uspace {
	struct vm_space *space;
	struct page *pages[2];
};

/* A space with two zeroed user pages at UVA, active. */
static bool uspace_setup(struct uspace *u)
{
	u->space = vm_space_create();
	if (!u->space)
		return false;
	for (int i = 0; i < 2; i++) {
		u->pages[i] = page_alloc(0, PAGE_ZERO);
		if (!u->pages[i] || vm_map(u->space, UVA + (vaddr_t)i * PAGE_SIZE, u->pages[i], URW))
			return false;
	}
	vm_space_activate(u->space);
	return true;
}

static void uspace_teardown(struct uspace *u)
{
	vm_space_activate(vm_space_kernel());
	vm_space_destroy(u->space);
	for (int i = 0; i < 2; i++)
		if (u->pages[i])
			page_put(u->pages[i]);
}

/* The bytes of user page @i seen through the direct map (not through the code under test). */
static uint8_t *backing(struct uspace *u, int i)
{
	return page_to_virt(u->pages[i]);
}

KTEST(user_copy_valid_round_trip)
{
	struct uspace u;
	KASSERT(uspace_setup(&u));
	char src[300], dst[300];
	for (unsigned i = 0; i < sizeof(src); i++)
		src[i] = (char)(i * 7 + 1);
	/* Across the boundary between the two pages. */
	vaddr_t va = UVA + PAGE_SIZE - 100;
	KEXPECT_EQ(copy_to_user(user_ptr(va), src, sizeof(src)), 0);
	KEXPECT(memcmp(backing(&u, 0) + PAGE_SIZE - 100, src, 100) == 0);
	KEXPECT(memcmp(backing(&u, 1), src + 100, 200) == 0);
	memset(dst, 0, sizeof(dst));
	KEXPECT_EQ(copy_from_user(dst, user_ptr(va), sizeof(dst)), 0);
	KEXPECT(memcmp(dst, src, sizeof(src)) == 0);
	KEXPECT_EQ(clear_user(user_ptr(va + 10), 50), 0);
	KEXPECT_EQ(backing(&u, 0)[PAGE_SIZE - 100 + 9], (uint8_t)src[9]);
	KEXPECT_EQ(backing(&u, 0)[PAGE_SIZE - 100 + 10], 0);
	KEXPECT_EQ(backing(&u, 0)[PAGE_SIZE - 100 + 59], 0);
	KEXPECT_EQ(backing(&u, 0)[PAGE_SIZE - 100 + 60], (uint8_t)src[60]);
	KEXPECT_EQ(copy_from_user(dst, user_ptr(va), 0), 0);
	uspace_teardown(&u);
}

KTEST(user_copy_refuses_bad_ranges)
{
	struct uspace u;
	KASSERT(uspace_setup(&u));
	static const vaddr_t bad[] = {
		KERNEL_VIRT_BASE,            /* kernel image */
		DIRECT_MAP_BASE,             /* all of RAM */
		(vaddr_t)__kernel_start + 64,
		0x0000800000000000UL,        /* first non-canonical */
		0x8000000000000000UL,
		0xfffffffffffffff0UL,        /* wraps around */
		USER_SPACE_END - 8,          /* straddles the end of user space */
	};
	char buf[32];
	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
		memset(buf, 0x5a, sizeof(buf));
		KEXPECT_EQ(copy_from_user(buf, user_ptr(bad[i]), 16), 16);
		KEXPECT_EQ(buf[0], 0x5a);
		KEXPECT_EQ(copy_to_user(user_ptr(bad[i]), buf, 16), 16);
		KEXPECT_EQ(clear_user(user_ptr(bad[i]), 16), 16);
		KEXPECT_EQ(strncpy_from_user(buf, user_ptr(bad[i]), 16), -EFAULT);
		uint64_t v = 77;
		KEXPECT_EQ(get_user_u64(&v, user_ptr(bad[i])), -EFAULT);
		KEXPECT_EQ(v, 77);
		KEXPECT_EQ(put_user_u32(1, user_ptr(bad[i])), -EFAULT);
	}
	/* A kernel object named as a user address is neither read nor written. */
	static char victim[16] = "kernel secret";
	memset(buf, 0x5a, sizeof(buf));
	KEXPECT_EQ(copy_to_user(user_ptr((vaddr_t)victim), buf, sizeof(victim)), sizeof(victim));
	KEXPECT_EQ(copy_from_user(buf, user_ptr((vaddr_t)victim), sizeof(victim)), sizeof(victim));
	KEXPECT(strcmp(victim, "kernel secret") == 0);
	KEXPECT_EQ(buf[0], 0x5a);
	/* A valid start with a length that runs off the end or wraps. */
	KEXPECT_EQ(copy_from_user(buf, user_ptr(UVA), SIZE_MAX), SIZE_MAX);
	KEXPECT_EQ(copy_from_user(buf, user_ptr(UVA), USER_SPACE_END), USER_SPACE_END);
	KEXPECT(!user_range_ok(UVA, SIZE_MAX));
	KEXPECT(!user_range_ok(USER_SPACE_END, 1));
	KEXPECT(user_range_ok(USER_SPACE_END - 1, 1));
	KEXPECT(user_range_ok(0, USER_SPACE_END));
	KEXPECT(!user_range_ok(1, USER_SPACE_END));
	KEXPECT(user_range_ok(USER_SPACE_END, 0));
	KEXPECT(!user_range_ok(DIRECT_MAP_BASE, 0));
	uspace_teardown(&u);
}

KTEST(user_copy_unmapped_and_partial)
{
	struct uspace u;
	KASSERT(uspace_setup(&u));
	char buf[256];
	/* Nothing mapped at all, including NULL. */
	KEXPECT_EQ(copy_from_user(buf, user_ptr(0), 8), 8);
	KEXPECT_EQ(copy_from_user(buf, user_ptr(UVA + 2 * PAGE_SIZE), 8), 8);
	KEXPECT_EQ(copy_to_user(user_ptr(UVA - 8), buf, 8), 8);
	/* The last 10 bytes of the second page are mapped, the rest is not. */
	memset(buf, 0x33, sizeof(buf));
	vaddr_t va = UVA + 2 * PAGE_SIZE - 10;
	KEXPECT_EQ(copy_to_user(user_ptr(va), buf, 100), 90);
	KEXPECT_EQ(backing(&u, 1)[PAGE_SIZE - 10], 0x33);
	KEXPECT_EQ(backing(&u, 1)[PAGE_SIZE - 1], 0x33);
	memset(buf, 0, sizeof(buf));
	KEXPECT_EQ(copy_from_user(buf, user_ptr(va), 100), 90);
	KEXPECT_EQ(buf[0], 0x33);
	KEXPECT_EQ(buf[9], 0x33);
	KEXPECT_EQ(clear_user(user_ptr(va), 100), 90);
	KEXPECT_EQ(backing(&u, 1)[PAGE_SIZE - 1], 0);
	/* Starting in the hole before the mapping: nothing at all. */
	KEXPECT_EQ(copy_from_user(buf, user_ptr(UVA - 10), 100), 100);
	/* A read-only page refuses writes but reads fine. */
	KEXPECT_EQ(vm_protect(u.space, UVA, PAGE_SIZE, VM_READ | VM_USER), 0);
	backing(&u, 0)[5] = 42;
	KEXPECT_EQ(copy_to_user(user_ptr(UVA + 4), buf, 4), 4);
	KEXPECT_EQ(backing(&u, 0)[5], 42);
	uint8_t b = 0;
	KEXPECT_EQ(get_user_u8(&b, user_ptr(UVA + 5)), 0);
	KEXPECT_EQ(b, 42);
	uspace_teardown(&u);
}

KTEST(user_copy_fixed_size_values)
{
	struct uspace u;
	KASSERT(uspace_setup(&u));
	KEXPECT_EQ(put_user_u64(0x1122334455667788ULL, user_ptr(UVA + PAGE_SIZE - 4)), 0);
	uint64_t v64 = 0;
	uint32_t v32 = 0;
	KEXPECT_EQ(get_user_u64(&v64, user_ptr(UVA + PAGE_SIZE - 4)), 0);
	KEXPECT_EQ(v64, 0x1122334455667788ULL);
	KEXPECT_EQ(get_user_u32(&v32, user_ptr(UVA + PAGE_SIZE)), 0);
	KEXPECT_EQ(v32, 0x11223344);
	KEXPECT_EQ(put_user_u32(0xdeadbeef, user_ptr(UVA + 8)), 0);
	KEXPECT_EQ(backing(&u, 0)[8], 0xef);
	/* Half of a u64 beyond the mapping: fails, and the partial write is not reported as success. */
	KEXPECT_EQ(put_user_u64(1, user_ptr(UVA + 2 * PAGE_SIZE - 4)), -EFAULT);
	v64 = 9;
	KEXPECT_EQ(get_user_u64(&v64, user_ptr(UVA + 2 * PAGE_SIZE - 4)), -EFAULT);
	KEXPECT_EQ(v64, 9);
	uspace_teardown(&u);
}

KTEST(user_copy_strncpy_bounds)
{
	struct uspace u;
	KASSERT(uspace_setup(&u));
	memcpy(backing(&u, 0), "hello", 6);
	char buf[16];
	memset(buf, 'x', sizeof(buf));
	KEXPECT_EQ(strncpy_from_user(buf, user_ptr(UVA), sizeof(buf)), 5);
	KEXPECT(strcmp(buf, "hello") == 0);
	/* Exactly room for the terminator. */
	memset(buf, 'x', sizeof(buf));
	KEXPECT_EQ(strncpy_from_user(buf, user_ptr(UVA), 6), 5);
	KEXPECT_EQ(buf[5], 0);
	/* Too short: n bytes, no terminator, nothing beyond touched. */
	memset(buf, 'x', sizeof(buf));
	KEXPECT_EQ(strncpy_from_user(buf, user_ptr(UVA), 3), 3);
	KEXPECT(memcmp(buf, "helx", 4) == 0);
	KEXPECT_EQ(strncpy_from_user(buf, user_ptr(UVA), 0), 0);
	KEXPECT_EQ(buf[0], 'h');
	/* Empty string. */
	KEXPECT_EQ(strncpy_from_user(buf, user_ptr(UVA + 100), sizeof(buf)), 0);
	/* A string that runs into the unmapped page: -EFAULT, even with a short limit... */
	memset(backing(&u, 1) + PAGE_SIZE - 4, 'a', 4);
	KEXPECT_EQ(strncpy_from_user(buf, user_ptr(UVA + 2 * PAGE_SIZE - 4), sizeof(buf)), -EFAULT);
	/* ...unless the limit stops it first. */
	KEXPECT_EQ(strncpy_from_user(buf, user_ptr(UVA + 2 * PAGE_SIZE - 4), 4), 4);
	/* Straight into the hole. */
	KEXPECT_EQ(strncpy_from_user(buf, user_ptr(UVA + 2 * PAGE_SIZE), sizeof(buf)), -EFAULT);
	uspace_teardown(&u);
}

KTEST(user_copy_string_at_top_of_user_space)
{
	struct vm_space *s = vm_space_create();
	struct page *p = page_alloc(0, PAGE_ZERO);
	KASSERT(s && p);
	KASSERT(vm_map(s, TOP_PAGE, p, URW) == 0);
	vm_space_activate(s);
	uint8_t *top = page_to_virt(p);
	memset(top + PAGE_SIZE - 8, 'z', 8); /* no NUL before the end of user space */
	char buf[32];
	KEXPECT_EQ(strncpy_from_user(buf, user_ptr(USER_SPACE_END - 8), sizeof(buf)), -EFAULT);
	KEXPECT_EQ(strncpy_from_user(buf, user_ptr(USER_SPACE_END - 8), 8), 8);
	top[PAGE_SIZE - 1] = 0;
	KEXPECT_EQ(strncpy_from_user(buf, user_ptr(USER_SPACE_END - 8), sizeof(buf)), 7);
	KEXPECT_EQ(copy_from_user(buf, user_ptr(USER_SPACE_END - 8), 8), 0);
	KEXPECT_EQ(copy_from_user(buf, user_ptr(USER_SPACE_END - 8), 9), 9);
	vm_space_activate(vm_space_kernel());
	vm_space_destroy(s);
	page_put(p);
}

KTEST(user_copy_readers_writers)
{
	struct uspace u;
	KASSERT(uspace_setup(&u));
	char kbuf[64], out[64];
	for (unsigned i = 0; i < sizeof(kbuf); i++)
		kbuf[i] = (char)('A' + i % 26);
	struct vm_reader r;
	struct vm_writer w;
	/* Kernel buffer to user memory. */
	vm_reader_init_kernel(&r, kbuf, sizeof(kbuf));
	KEXPECT_EQ(vm_writer_init_user(&w, user_ptr(UVA + 10), 40), 0);
	KEXPECT_EQ(vm_reader_read_to(&r, &w), 40);
	KEXPECT_EQ(vm_reader_remaining(&r), 24);
	KEXPECT_EQ(vm_writer_remaining(&w), 0);
	KEXPECT(memcmp(backing(&u, 0) + 10, kbuf, 40) == 0);
	KEXPECT_EQ(vm_writer_write(&w, kbuf, 5), 0); /* full writer: nothing, no error */
	/* User to user, then user to kernel. */
	KEXPECT_EQ(vm_reader_init_user(&r, user_ptr(UVA + 10), 40), 0);
	KEXPECT_EQ(vm_writer_init_user(&w, user_ptr(UVA + PAGE_SIZE + 100), 1000), 0);
	KEXPECT_EQ(vm_reader_read_to(&r, &w), 40);
	KEXPECT(memcmp(backing(&u, 1) + 100, kbuf, 40) == 0);
	KEXPECT_EQ(vm_reader_init_user(&r, user_ptr(UVA + PAGE_SIZE + 100), 40), 0);
	KEXPECT_EQ(vm_reader_skip(&r, 4), 4);
	vm_reader_limit(&r, 10);
	memset(out, 0, sizeof(out));
	KEXPECT_EQ(vm_reader_read(&r, out, sizeof(out)), 10);
	KEXPECT(memcmp(out, kbuf + 4, 10) == 0);
	KEXPECT_EQ(vm_reader_read(&r, out, sizeof(out)), 0);
	/* Fill and zero. */
	KEXPECT_EQ(vm_writer_init_user(&w, user_ptr(UVA + 500), 300), 0);
	KEXPECT_EQ(vm_writer_fill(&w, 0xab, 280), 280);
	KEXPECT_EQ(vm_writer_zero(&w, 100), 20);
	KEXPECT_EQ(backing(&u, 0)[500 + 279], 0xab);
	KEXPECT_EQ(backing(&u, 0)[500 + 280], 0);
	KEXPECT_EQ(backing(&u, 0)[500 + 300], 0);
	vm_writer_init_kernel(&w, out, sizeof(out));
	KEXPECT_EQ(vm_writer_fill(&w, 7, 3), 3);
	KEXPECT_EQ(vm_writer_skip(&w, 100), sizeof(out) - 3);
	KEXPECT_EQ(out[2], 7);
	/* Ranges refused up front. */
	KEXPECT_EQ(vm_reader_init_user(&r, user_ptr(DIRECT_MAP_BASE), 1), -EFAULT);
	KEXPECT_EQ(vm_writer_init_user(&w, user_ptr(USER_SPACE_END - 4), 8), -EFAULT);
	/* Partial: a short count first, -EFAULT on the next call. */
	KEXPECT_EQ(vm_reader_init_user(&r, user_ptr(UVA + 2 * PAGE_SIZE - 6), 20), 0);
	KEXPECT_EQ(vm_reader_read(&r, out, 20), 6);
	KEXPECT_EQ(vm_reader_remaining(&r), 14);
	KEXPECT_EQ(vm_reader_read(&r, out, 20), -EFAULT);
	KEXPECT_EQ(vm_writer_init_user(&w, user_ptr(UVA + 2 * PAGE_SIZE - 6), 20), 0);
	KEXPECT_EQ(vm_writer_fill(&w, 1, 20), 6);
	KEXPECT_EQ(vm_writer_fill(&w, 1, 20), -EFAULT);
	uspace_teardown(&u);
}

/* Demand paging for the kernel's copies: a handler that maps zeroed pages where asked. */
struct demand {
	int calls;
	struct vm_fault last;
	struct page *mapped[4];
	int nmapped;
	bool lie;        /* say "resolved" without doing anything */
	bool upgrade;    /* make a present read-only page writable (copy-on-write stand-in) */
};

static int demand_fault(struct vm_space *space, const struct vm_fault *f, void *arg)
{
	struct demand *d = arg;
	d->calls++;
	d->last = *f;
	if (d->lie)
		return 0;
	vaddr_t page = ALIGN_DOWN(f->addr, PAGE_SIZE);
	if (f->present)
		return d->upgrade && f->access == VM_WRITE ? vm_protect(space, page, PAGE_SIZE, URW) :
							      -EFAULT;
	if (d->nmapped == (int)ARRAY_SIZE(d->mapped))
		return -ENOMEM;
	struct page *p = page_alloc(0, PAGE_ZERO);
	if (!p)
		return -ENOMEM;
	int err = vm_map(space, page, p, URW);
	page_put(p); /* the mapping holds its own reference */
	if (!err)
		d->mapped[d->nmapped++] = p;
	return err;
}

KTEST(user_copy_fault_hook_demand_paging)
{
	struct uspace u;
	KASSERT(uspace_setup(&u));
	struct demand d = { 0 };
	KEXPECT_EQ(vm_space_set_fault_handler(vm_space_kernel(), demand_fault, &d), -EINVAL);
	KEXPECT_EQ(vm_space_set_fault_handler(u.space, demand_fault, &d), 0);
	char src[100], dst[100];
	for (unsigned i = 0; i < sizeof(src); i++)
		src[i] = (char)i;
	/* Straddles the last mapped page and the hole after it: one fault, resolved. */
	vaddr_t va = UVA + 2 * PAGE_SIZE - 30;
	KEXPECT_EQ(copy_to_user(user_ptr(va), src, sizeof(src)), 0);
	KEXPECT_EQ(d.calls, 1);
	KEXPECT_EQ(d.last.addr, UVA + 2 * PAGE_SIZE);
	KEXPECT_EQ(d.last.access, VM_WRITE);
	KEXPECT(!d.last.present);
	KEXPECT(!d.last.from_user);
	KASSERT(d.nmapped == 1);
	KEXPECT(memcmp(page_to_virt(d.mapped[0]), src + 30, 70) == 0);
	KEXPECT_EQ(copy_from_user(dst, user_ptr(va), sizeof(dst)), 0);
	KEXPECT(memcmp(dst, src, sizeof(src)) == 0);
	KEXPECT_EQ(d.calls, 1);
	/* A read of a fresh page, and a string from one. */
	KEXPECT_EQ(strncpy_from_user(dst, user_ptr(UVA + 5 * PAGE_SIZE), 10), 0);
	KEXPECT_EQ(d.calls, 2);
	KEXPECT_EQ(d.last.access, VM_READ);
	/* Copy-on-write stand-in: a present read-only page made writable by the handler. */
	KEXPECT_EQ(vm_protect(u.space, UVA, PAGE_SIZE, VM_READ | VM_USER), 0);
	KEXPECT_EQ(put_user_u32(5, user_ptr(UVA + 16)), -EFAULT);
	KEXPECT_EQ(d.calls, 3);
	KEXPECT(d.last.present);
	d.upgrade = true;
	KEXPECT_EQ(put_user_u32(5, user_ptr(UVA + 16)), 0);
	KEXPECT_EQ(d.calls, 4);
	KEXPECT_EQ(backing(&u, 0)[16], 5);
	/* A handler that claims success but maps nothing: bounded retries, then -EFAULT. */
	d.lie = true;
	d.calls = 0;
	KEXPECT_EQ(copy_from_user(dst, user_ptr(UVA + 9 * PAGE_SIZE), 8), 8);
	KEXPECT(d.calls >= 1 && d.calls <= 4);
	/* Kernel addresses never reach the handler. */
	d.calls = 0;
	KEXPECT_EQ(copy_from_user(dst, user_ptr(DIRECT_MAP_BASE), 8), 8);
	KEXPECT_EQ(d.calls, 0);
	KEXPECT_EQ(vm_space_set_fault_handler(u.space, NULL, NULL), 0);
	KEXPECT_EQ(copy_from_user(dst, user_ptr(UVA + 11 * PAGE_SIZE), 8), 8);
	KEXPECT_EQ(d.calls, 0);
	uspace_teardown(&u);
}

KTEST(user_copy_protection_features)
{
	/* The extable names the copy loops; nothing else in the kernel is allowed to fault on user memory. */
	KEXPECT(extable_search((uint64_t)arch_copy_from_user) == 0);
	KEXPECT(extable_search((uint64_t)ktest_run_all) == 0);
	if (cpu_features.smap) {
		KEXPECT(user_smap_enabled);
		KEXPECT(read_cr4() & CR4_SMAP);
		KEXPECT(!(read_rflags() & RFLAGS_AC));
	}
	if (cpu_features.smep)
		KEXPECT(read_cr4() & CR4_SMEP);
	/* x87/SSE for programs, no XSAVE state the context would not cover. */
	KEXPECT(read_cr4() & CR4_OSFXSR);
	KEXPECT(!(read_cr4() & (1ul << 18)) /* OSXSAVE */);
	KEXPECT(rdmsr(MSR_EFER) & EFER_SCE);
	KEXPECT_EQ(rdmsr(MSR_STAR), GDT_STAR_VALUE);
}

/* Fatal, run by name: kernel code reading user memory outside the copy routines must fault (SMAP). */
KTEST(fatal_user_smap)
{
	struct uspace u;
	KASSERT(uspace_setup(&u));
	backing(&u, 0)[0] = 0x5a;
	KASSERT(user_smap_enabled);
	const volatile uint8_t *p = (const volatile uint8_t *)UVA;
	uint8_t v = *p;
	KEXPECT(!"the kernel read user memory outside a user-copy routine");
	KEXPECT_EQ(v, 0);
}
