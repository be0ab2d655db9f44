/* KASAN in the sanitized test kernel: each kind of bad access is reported once, exactly where it happened, and the kernel goes on. */
#include <frame/heap.h>
#include <frame/ktest.h>
#include <frame/string.h>
#include <internal/sanitize.h>

/* Volatile indices and pointees keep the compiler from seeing (or warning about) the deliberate bugs. */
static volatile size_t idx13 = 13, idx12 = 12, idx16 = 16;

/* UBSAN's object-size check would see the stack and global bugs too; only KASAN is under test here. */
static __attribute__((noinline, no_sanitize_undefined)) unsigned char read_at(volatile void *p, size_t i)
{
	return ((volatile unsigned char *)p)[i];
}

static __attribute__((noinline, no_sanitize_undefined)) void write_at(volatile void *p, size_t i)
{
	((volatile unsigned char *)p)[i] = 1;
}

static bool last_report_is(const char *kind, uintptr_t addr, size_t size, bool write)
{
	struct kasan_report_info r;
	kasan_last_report(&r);
	return r.kind && strcmp(r.kind, kind) == 0 && r.addr == addr &&
	       r.size == size && r.write == write;
}

KTEST(sanitize_kasan_heap_out_of_bounds)
{
	volatile unsigned char *p = kmalloc(13);
	KASSERT(p != NULL);
	unsigned long before = kasan_report_count();
	write_at(p, idx12); /* last byte of the object: fine */
	KEXPECT_EQ(kasan_report_count(), before);
	write_at(p, idx13); /* first byte past it, inside its 16-byte size class */
	KEXPECT_EQ(kasan_report_count(), before + 1);
	KEXPECT(last_report_is("heap-out-of-bounds", (uintptr_t)p + 13, 1, true));
	read_at(p, idx16); /* the next object's slot */
	KEXPECT_EQ(kasan_report_count(), before + 2);
	KEXPECT(last_report_is("heap-out-of-bounds", (uintptr_t)p + 16, 1, false));
	kfree((void *)p);
}

KTEST(sanitize_kasan_use_after_free)
{
	volatile uint32_t *p = kmalloc(32);
	KASSERT(p != NULL);
	p[0] = 7;
	kfree((void *)p);
	/* The quarantine keeps the object from coming straight back. */
	void *again[8];
	for (int i = 0; i < 8; i++) {
		again[i] = kmalloc(32);
		KEXPECT(again[i] != (void *)p);
	}
	unsigned long before = kasan_report_count();
	uint32_t v = p[0];
	(void)v;
	KEXPECT_EQ(kasan_report_count(), before + 1);
	KEXPECT(last_report_is("use-after-free", (uintptr_t)p, 4, false));
	for (int i = 0; i < 8; i++)
		kfree(again[i]);
}

KTEST(sanitize_kasan_double_free)
{
	void *p = kmalloc(48);
	KASSERT(p != NULL);
	kfree(p);
	unsigned long before = kasan_report_count();
	kfree(p);
	KEXPECT_EQ(kasan_report_count(), before + 1);
	KEXPECT(last_report_is("double-free", (uintptr_t)p, 64, true));
}

static char global13[13];

/* Needs the image's constructors to have registered the globals' redzones. */
KTEST(sanitize_kasan_global_out_of_bounds)
{
	volatile char *g = global13;
	unsigned long before = kasan_report_count();
	write_at(g, idx12);
	KEXPECT_EQ(kasan_report_count(), before);
	read_at(g, idx16);
	KEXPECT_EQ(kasan_report_count(), before + 1);
	KEXPECT(last_report_is("global-out-of-bounds", (uintptr_t)g + 16, 1, false));
}

/* Stack redzones are written by the instrumented prologue itself. */
KTEST(sanitize_kasan_stack_out_of_bounds)
{
	char buf[13];
	volatile char *q = buf;
	memset(buf, 0, sizeof(buf));
	unsigned long before = kasan_report_count();
	read_at(q, idx16);
	KEXPECT_EQ(kasan_report_count(), before + 1);
	KEXPECT(last_report_is("stack-out-of-bounds", (uintptr_t)q + 16, 1, false));
}
