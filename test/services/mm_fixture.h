/* Test fixture for kernel/mm tests: simulated user accesses through the page tables, a file object over test pages, memory footprints. */
#ifndef TEST_SERVICES_MM_FIXTURE_H
#define TEST_SERVICES_MM_FIXTURE_H

#include <abi/mman.h>
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/page.h>
#include <frame/string.h>
#include <frame/vm_space.h>
#include <kernel/mm.h>

/*
 * What the CPU does for a user access at @va: use the mapping if it allows
 * the access from user mode, otherwise take the fault to the space's
 * handler (through the frame, as a real fault would) and retry. 0, or the
 * handler's error.
 */
static inline int mfx_access(struct mm *mm, vaddr_t va, unsigned access, struct vm_mapping *m)
{
	struct vm_space *s = mm_vm_space(mm);
	for (int tries = 0; tries < 3; tries++) {
		if (vm_query(s, va, m) == 0 && (m->prot & VM_USER) && (m->prot & access) == access)
			return 0;
		struct vm_fault f = { .addr = va, .access = access,
				      .present = vm_query(s, va, m) == 0, .from_user = true };
		int err = vm_space_handle_fault(s, &f);
		if (err)
			return err;
	}
	return -EAGAIN;	/* the handler said yes but nothing changed */
}

/* A user write of byte @b at @va: 0 or the fault's error. */
static inline int mfx_write(struct mm *mm, vaddr_t va, uint8_t b)
{
	struct vm_mapping m;
	int err = mfx_access(mm, va, VM_WRITE, &m);
	if (err)
		return err;
	struct page *p;
	err = vm_get_page(mm_vm_space(mm), va, &p);
	if (err)
		return err;
	err = page_write(p, va - m.start, &b, 1);
	page_put(p);
	return err;
}

/* A user read at @va: the byte (0..255) or the fault's error. */
static inline int mfx_read(struct mm *mm, vaddr_t va)
{
	struct vm_mapping m;
	int err = mfx_access(mm, va, VM_READ, &m);
	if (err)
		return err;
	uint8_t b = 0;
	struct page *p;
	err = vm_get_page(mm_vm_space(mm), va, &p);
	if (err)
		return err;
	err = page_read(p, va - m.start, &b, 1);
	page_put(p);
	return err ? err : b;
}

/* The page mapped at @va, or NULL: for comparing identities only (no reference kept). */
static inline struct page *mfx_page(struct mm *mm, vaddr_t va)
{
	struct page *p;
	if (vm_get_page(mm_vm_space(mm), va, &p) != 0)
		return NULL;
	page_put(p);
	return p;
}

/* Frame protection at @va, or 0 when unmapped. */
static inline unsigned mfx_prot(struct mm *mm, vaddr_t va)
{
	struct vm_mapping m;
	return vm_query(mm_vm_space(mm), va, &m) == 0 ? m.prot : 0;
}

/* Pages that are free or cached by the heap or holding tables: back to its start once all is freed. */
static inline uint64_t mfx_footprint(void)
{
	struct mem_stats st;
	mem_stats(&st);
	return st.free_pages + st.heap_slab_pages + st.pgtable_pages;
}

/* Number of lines of /proc/pid/maps: the number of areas. */
static inline int mfx_areas(struct mm *mm)
{
	static char buf[8192];
	mm_format_maps(mm, buf, sizeof(buf));
	int n = 0;
	for (const char *p = buf; *p; p++)
		n += *p == '\n';
	return n;
}

/* A file of @size bytes over test pages: byte i of the file is (i * 7 + 1) & 0xff, or 0xee where @fill_tail beyond EOF. */
#define MFX_FILE_PAGES 8
struct mfx_file {
	struct mm_object obj;
	struct page *pages[MFX_FILE_PAGES];
	uint64_t size;
	int may_map_err;	/* what may_map answers */
	bool released;
};

static inline uint8_t mfx_file_byte(uint64_t off)
{
	return (uint8_t)(off * 7 + 1);
}

static inline int mfx_file_get_page(struct mm_object *obj, uint64_t pgoff, struct page **out)
{
	struct mfx_file *f = container_of(obj, struct mfx_file, obj);
	if (pgoff >= MFX_FILE_PAGES || pgoff * PAGE_SIZE >= f->size)
		return -EIO;
	page_get(f->pages[pgoff]);
	*out = f->pages[pgoff];
	return 0;
}

static inline int mfx_file_may_map(struct mm_object *obj, unsigned prot, unsigned flags)
{
	struct mfx_file *f = container_of(obj, struct mfx_file, obj);
	(void)flags;
	return (prot & PROT_WRITE) ? f->may_map_err : 0;
}

static inline void mfx_file_path(struct mm_object *obj, char *buf, size_t size)
{
	(void)obj;
	strlcpy(buf, "/bin/test", size);
}

static inline void mfx_file_release(struct mm_object *obj)
{
	struct mfx_file *f = container_of(obj, struct mfx_file, obj);
	for (int i = 0; i < MFX_FILE_PAGES; i++)
		page_put(f->pages[i]);
	f->released = true;
}

static const struct mm_object_ops mfx_file_ops = {
	.get_page = mfx_file_get_page,
	.may_map = mfx_file_may_map,
	.path = mfx_file_path,
	.release = mfx_file_release,
};

/* 0, or -ENOMEM. The page holding EOF carries 0xee after it when @fill_tail, as a page cache may. */
static inline int mfx_file_init(struct mfx_file *f, uint64_t size, bool fill_tail)
{
	memset(f, 0, sizeof(*f));
	mm_object_init(&f->obj, &mfx_file_ops);
	f->obj.dev_major = 8;
	f->obj.dev_minor = 1;
	f->obj.ino = 1234;
	f->size = size;
	static uint8_t buf[PAGE_SIZE];
	for (int i = 0; i < MFX_FILE_PAGES; i++) {
		f->pages[i] = page_alloc(0, PAGE_ZERO);
		if (!f->pages[i]) {
			for (int j = 0; j < i; j++)
				page_put(f->pages[j]);
			return -ENOMEM;
		}
		for (uint64_t k = 0; k < PAGE_SIZE; k++) {
			uint64_t off = (uint64_t)i * PAGE_SIZE + k;
			buf[k] = off < size ? mfx_file_byte(off) : fill_tail ? 0xee : 0;
		}
		page_write(f->pages[i], 0, buf, PAGE_SIZE);
	}
	return 0;
}

#endif
