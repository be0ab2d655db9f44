/* Page contents for services: whole-block copy and bounds-checked reads/writes of allocated page blocks (copy-on-write, file pages, bss tails). */
#include <frame/errno.h>
#include <frame/page.h>
#include <frame/panic.h>
#include <frame/string.h>

#include "mm_private.h"

static size_t block_bytes(const struct page *page)
{
	return PAGE_SIZE << page->order;
}

/* A free or boot-reserved block is not the caller's to touch: that is a bug, not an error. */
static void check_owned(const struct page *page)
{
	BUG_ON(!page || page->refcount == 0 || (page->flags & (PG_FREE | PG_RESERVED)));
}

/* [@off, @off + @len) inside the block, written so that nothing can wrap. */
static bool range_ok(const struct page *page, size_t off, size_t len)
{
	size_t size = block_bytes(page);
	return off <= size && len <= size - off;
}

void page_copy(struct page *dst, const struct page *src)
{
	check_owned(dst);
	check_owned(src);
	BUG_ON(dst->order != src->order);
	if (dst != src)
		memcpy(page_to_virt(dst), page_to_virt(src), block_bytes(dst));
}

int page_read(const struct page *page, size_t off, void *buf, size_t len)
{
	check_owned(page);
	if (!range_ok(page, off, len))
		return -EINVAL;
	memcpy(buf, (const char *)page_to_virt(page) + off, len);
	return 0;
}

int page_write(struct page *page, size_t off, const void *buf, size_t len)
{
	check_owned(page);
	if (!range_ok(page, off, len))
		return -EINVAL;
	memcpy((char *)page_to_virt(page) + off, buf, len);
	return 0;
}

int page_zero(struct page *page, size_t off, size_t len)
{
	check_owned(page);
	if (!range_ok(page, off, len))
		return -EINVAL;
	memset((char *)page_to_virt(page) + off, 0, len);
	return 0;
}
