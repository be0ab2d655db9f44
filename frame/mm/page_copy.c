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

/*
 * A free or boot-reserved block is not the caller's to touch: that is a bug,
 * not an error. A live block the caller holds no reference on (a mapping
 * still holds it) is misuse: reported, and the access goes ahead safely.
 */
#define check_owned(page) check_owned_by(page, __builtin_return_address(0), __builtin_frame_address(0))
static void check_owned_by(const struct page *page, void *caller, void *frame)
{
	BUG_ON(!page_handle_ok(page) || page_counts(page) == 0 ||
	       (page->flags & (PG_FREE | PG_RESERVED)));
	if (!page_counts_refs(page_counts(page)))
		page_misuse("page contents accessed without a reference", page, caller, frame);
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
