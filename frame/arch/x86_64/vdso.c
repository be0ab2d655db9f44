/* The vDSO's pages: the image built from vdso/vdso_user.c (embedded by vdso_image.S) copied into frame pages, and the data page kept in step with the clock. */
#include <frame/log.h>
#include <frame/page.h>
#include <frame/panic.h>
#include <frame/vdso.h>
#include <frame/irq.h>
#include <arch/time.h>
#include <internal/arch.h>
#include <internal/mm.h>
#include <timer/timer_internal.h>

#include "vdso/vdso_data.h"

#define VDSO_IMAGE_PAGES 2	/* as Linux's x86_64 vDSO: the same layout under setarch -R */
#define VDSO_PAGES (VDSO_DATA_PAGES + VDSO_IMAGE_PAGES)

_Static_assert(sizeof(struct vdso_data) <= PAGE_SIZE, "vDSO data fits its page");

extern const uint8_t vdso_image_start[], vdso_image_end[];

static struct page *pages[VDSO_PAGES];
static struct vdso_data *data;	/* pages[0] through the direct map */
static size_t npages;		/* 0 until arch_vdso_init() succeeded */

void arch_vdso_update(void)
{
	if (!data)
		return;
	uint64_t base, mult;
	tsc_params(&base, &mult);
	unsigned long f = irq_save();
	/* Odd while writing: readers retry. */
	__atomic_store_n(&data->seq, data->seq + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	__atomic_store_n(&data->tsc_base, base, __ATOMIC_RELAXED);
	__atomic_store_n(&data->tsc_mult, mult, __ATOMIC_RELAXED);
	__atomic_store_n(&data->realtime_offset, clock_realtime_offset(), __ATOMIC_RELAXED);
	__atomic_store_n(&data->seq, data->seq + 1, __ATOMIC_RELEASE);
	irq_restore(f);
}

void arch_vdso_init(void)
{
	size_t len = (size_t)(vdso_image_end - vdso_image_start);
	if (len > VDSO_IMAGE_PAGES * PAGE_SIZE)
		panic("vdso: image of %zu bytes exceeds %d pages", len, VDSO_IMAGE_PAGES);
	for (size_t i = 0; i < VDSO_PAGES; i++) {
		pages[i] = page_alloc(0, PAGE_ZERO);
		if (!pages[i]) {
			pr_err("vdso: out of memory; programs get none\n");
			for (size_t j = 0; j < i; j++)
				page_put(pages[j]);
			return;
		}
	}
	for (size_t off = 0; off < len; off += PAGE_SIZE) {
		size_t n = len - off < PAGE_SIZE ? len - off : PAGE_SIZE;
		page_write(pages[VDSO_DATA_PAGES + off / PAGE_SIZE], 0, vdso_image_start + off, n);
	}
	data = page_to_virt(pages[0]);
	arch_vdso_update();
	npages = VDSO_PAGES;
}

size_t vdso_pages(void)
{
	return npages;
}

struct page *vdso_page(size_t i)
{
	if (i >= npages)
		return NULL;
	page_get(pages[i]);
	return pages[i];
}
