/*
 * Reading and writing another (or a not yet active) address space through
 * its pages: exec fills the new stack this way, /proc reads argv from here.
 * Pages not yet present are faulted in as the program itself would.
 */
#include <abi/errno.h>
#include <frame/page.h>
#include <kernel/mm.h>
#include "proc_internal.h"

/* Exactly one of @rbuf (read into) and @wbuf (write from) is set. */
static int access_mm(struct mm *mm, vaddr_t va, uint8_t *rbuf, const uint8_t *wbuf, size_t len)
{
	bool write = wbuf != NULL;
	while (len) {
		struct page *pg;
		size_t off;
		/* A reference of our own: the owner may unmap the page meanwhile. */
		if (mm_get_user_page(mm, va, write, &pg, &off) != 0)
			return -EFAULT;
		size_t in_page = PAGE_SIZE - (va & (PAGE_SIZE - 1));
		size_t n = len < in_page ? len : in_page;
		int err = write ? page_write(pg, off, wbuf, n) : page_read(pg, off, rbuf, n);
		page_put(pg);
		if (err)
			return -EFAULT;
		va += n;
		len -= n;
		if (write)
			wbuf += n;
		else
			rbuf += n;
	}
	return 0;
}

int proc_mem_write(struct mm *mm, vaddr_t va, const void *buf, size_t len)
{
	return access_mm(mm, va, NULL, buf, len);
}

int proc_mem_read(struct mm *mm, vaddr_t va, void *buf, size_t len)
{
	return access_mm(mm, va, buf, NULL, len);
}

size_t proc_mem_strlen(struct mm *mm, vaddr_t va, size_t max)
{
	char c;
	size_t n = 0;
	while (n < max && proc_mem_read(mm, va + n, &c, 1) == 0 && c)
		n++;
	return n;
}
