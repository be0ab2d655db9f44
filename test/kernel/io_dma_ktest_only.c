/* In-kernel tests of dma_coherent and dma_stream: zeroed contiguous memory at the device address, bounds, ownership, and failure paths. */
#include <frame/dma.h>
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/ktest.h>
#include <frame/page.h>
#include <frame/string.h>
#include <internal/mm.h>

/* What a device reading physical memory at @pa sees (the CPU's direct map is coherent with it). */
static uint8_t device_peek(paddr_t pa)
{
	return *(volatile uint8_t *)phys_to_virt(pa);
}

static void device_poke(paddr_t pa, uint8_t v)
{
	*(volatile uint8_t *)phys_to_virt(pa) = v;
}

KTEST(dma_coherent_is_zeroed_and_contiguous_at_its_device_address)
{
	const size_t size = 3 * PAGE_SIZE + 100;
	struct dma_coherent *d;
	KASSERT(dma_coherent_alloc(size, &d) == 0);
	KEXPECT_EQ(dma_coherent_size(d), size);
	paddr_t pa = dma_coherent_paddr(d);
	KEXPECT(pa != 0 && IS_ALIGNED(pa, PAGE_SIZE));
	/* Zeroed, read back through the accessor. */
	static uint8_t buf[3 * 4096 + 100];
	memset(buf, 0xee, sizeof(buf));
	KEXPECT_EQ(dma_coherent_read(d, 0, buf, size), 0);
	size_t nonzero = 0;
	for (size_t i = 0; i < size; i++)
		nonzero += buf[i] != 0;
	KEXPECT_EQ(nonzero, 0);
	/* Byte i written by the CPU is at device address pa + i, on every page. */
	for (size_t i = 0; i < size; i++)
		buf[i] = (uint8_t)(i * 7 + i / PAGE_SIZE);
	KEXPECT_EQ(dma_coherent_write(d, 0, buf, size), 0);
	size_t wrong = 0;
	for (size_t i = 0; i < size; i++)
		wrong += device_peek(pa + i) != (uint8_t)(i * 7 + i / PAGE_SIZE);
	KEXPECT_EQ(wrong, 0);
	/* And what the device writes, the CPU reads, in the last page too. */
	device_poke(pa + 3 * PAGE_SIZE + 99, 0x42);
	uint8_t b = 0;
	KEXPECT_EQ(dma_coherent_read(d, 3 * PAGE_SIZE + 99, &b, 1), 0);
	KEXPECT_EQ(b, 0x42);
	dma_coherent_free(d);

	/* A recycled block is zeroed again (the frame does not hand out old contents). */
	KASSERT(dma_coherent_alloc(size, &d) == 0);
	KEXPECT_EQ(dma_coherent_read(d, 0, buf, size), 0);
	nonzero = 0;
	for (size_t i = 0; i < size; i++)
		nonzero += buf[i] != 0;
	KEXPECT_EQ(nonzero, 0);
	dma_coherent_free(d);
	dma_coherent_free(NULL);
}

KTEST(dma_coherent_accessors_check_bounds_and_alignment)
{
	struct dma_coherent *d;
	KASSERT(dma_coherent_alloc(64, &d) == 0);
	uint8_t buf[16] = { 0 };
	uint16_t v16 = 0;
	uint32_t v32 = 0;
	uint64_t v64 = 0;
	KEXPECT_EQ(dma_coherent_read(d, 63, buf, 2), -EINVAL);
	KEXPECT_EQ(dma_coherent_write(d, 64, buf, 1), -EINVAL);
	KEXPECT_EQ(dma_coherent_write(d, SIZE_MAX, buf, 2), -EINVAL);
	KEXPECT_EQ(dma_coherent_read(d, 0, NULL, 1), -EINVAL);
	KEXPECT_EQ(dma_coherent_read(d, 64, buf, 0), 0);
	KEXPECT_EQ(dma_coherent_read(NULL, 0, buf, 1), -EINVAL);
	/* The page behind the 64 bytes exists, but bounds are the size asked for. */
	KEXPECT_EQ(dma_coherent_read(d, 0, buf, 65 > 16 ? 16 : 65), 0);
	KEXPECT_EQ(dma_coherent_read32(d, 64, &v32), -EINVAL);
	KEXPECT_EQ(v32, 0xffffffffu);
	KEXPECT_EQ(dma_coherent_read32(d, 2, &v32), -EINVAL);
	KEXPECT_EQ(dma_coherent_read64(d, 60, &v64), -EINVAL);
	KEXPECT_EQ(dma_coherent_read16(d, 63, &v16), -EINVAL);
	KEXPECT_EQ(dma_coherent_write64(d, 4, 0), -EINVAL);
	KEXPECT_EQ(dma_coherent_write16(d, 64, 0), -EINVAL);
	/* Sized accesses are little-endian, at the right offset, seen by the bulk copy. */
	KEXPECT_EQ(dma_coherent_write32(d, 8, 0x11223344), 0);
	KEXPECT_EQ(dma_coherent_write64(d, 56, 0x0102030405060708ULL), 0);
	KEXPECT_EQ(dma_coherent_write16(d, 14, 0xbeef), 0);
	KEXPECT_EQ(dma_coherent_read(d, 8, buf, 8), 0);
	KEXPECT_EQ(buf[0], 0x44);
	KEXPECT_EQ(buf[3], 0x11);
	KEXPECT_EQ(buf[6], 0xef);
	KEXPECT_EQ(buf[7], 0xbe);
	KEXPECT_EQ(dma_coherent_read64(d, 56, &v64), 0);
	KEXPECT_EQ(v64, 0x0102030405060708ULL);
	KEXPECT_EQ(dma_coherent_read16(d, 10, &v16), 0);
	KEXPECT_EQ(v16, 0x1122);
	dma_coherent_free(d);
}

KTEST(dma_alloc_rejects_bad_sizes)
{
	struct dma_coherent *d = (struct dma_coherent *)&d;
	KEXPECT_EQ(dma_coherent_alloc(0, &d), -EINVAL);
	KEXPECT(d == NULL);
	KEXPECT_EQ(dma_coherent_alloc(DMA_MAX_SIZE + 1, &d), -EINVAL);
	KEXPECT_EQ(dma_coherent_alloc(SIZE_MAX, &d), -EINVAL);
	KEXPECT_EQ(dma_coherent_alloc(PAGE_SIZE, NULL), -EINVAL);
	struct dma_stream *s = (struct dma_stream *)&s;
	KEXPECT_EQ(dma_stream_alloc(0, DMA_TO_DEVICE, &s), -EINVAL);
	KEXPECT(s == NULL);
	KEXPECT_EQ(dma_stream_alloc(SIZE_MAX, DMA_FROM_DEVICE, &s), -EINVAL);
	KEXPECT_EQ(dma_stream_alloc(PAGE_SIZE, (enum dma_direction)0, &s), -EINVAL);
	KEXPECT_EQ(dma_stream_alloc(PAGE_SIZE, (enum dma_direction)4, &s), -EINVAL);
	/* The largest size is allowed. */
	KEXPECT_EQ(dma_coherent_alloc(DMA_MAX_SIZE, &d), 0);
	dma_coherent_free(d);
}

KTEST(dma_alloc_reports_exhaustion_as_enomem)
{
	/* Take every largest block there is, then one more: -ENOMEM, no crash. */
	size_t max = page_count_total() / (DMA_MAX_SIZE / PAGE_SIZE) + 2;
	struct dma_coherent **held = kcalloc(max, sizeof(*held));
	KASSERT(held != NULL);
	size_t n = 0;
	int err = 0;
	while (n < max && (err = dma_coherent_alloc(DMA_MAX_SIZE, &held[n])) == 0)
		n++;
	KEXPECT_EQ(err, -ENOMEM);
	KEXPECT(n > 0);
	KEXPECT(n < max);
	for (size_t i = 0; i < n; i++)
		dma_coherent_free(held[i]);
	kfree(held);
	struct dma_coherent *d;
	KEXPECT_EQ(dma_coherent_alloc(DMA_MAX_SIZE, &d), 0);
	dma_coherent_free(d);
}

KTEST(dma_stream_ownership_and_sync)
{
	struct dma_stream *s;
	KASSERT(dma_stream_alloc(2 * PAGE_SIZE, DMA_BIDIRECTIONAL, &s) == 0);
	KEXPECT_EQ(dma_stream_size(s), 2 * PAGE_SIZE);
	KEXPECT_EQ(dma_stream_direction(s), DMA_BIDIRECTIONAL);
	paddr_t pa = dma_stream_paddr(s);
	KEXPECT(pa != 0 && IS_ALIGNED(pa, PAGE_SIZE));
	uint8_t out[4] = { 1, 2, 3, 4 }, in[4] = { 0 };
	/* CPU owns it after allocation: fill it, hand it over. */
	KEXPECT_EQ(dma_stream_write(s, PAGE_SIZE - 2, out, 4), 0);
	KEXPECT_EQ(dma_stream_sync(s, DMA_SYNC_FOR_DEVICE), 0);
	KEXPECT_EQ(device_peek(pa + PAGE_SIZE - 2), 1);
	KEXPECT_EQ(device_peek(pa + PAGE_SIZE + 1), 4);
	/* While the device owns it the CPU is refused, both ways. */
	KEXPECT_EQ(dma_stream_read(s, 0, in, 4), -EBUSY);
	KEXPECT_EQ(dma_stream_write(s, 0, out, 4), -EBUSY);
	KEXPECT_EQ(dma_stream_sync(s, DMA_SYNC_FOR_DEVICE), 0); /* repeating is allowed */
	device_poke(pa + 2 * PAGE_SIZE - 1, 0x77);
	KEXPECT_EQ(dma_stream_sync(s, DMA_SYNC_FOR_CPU), 0);
	KEXPECT_EQ(dma_stream_read(s, 2 * PAGE_SIZE - 1, in, 1), 0);
	KEXPECT_EQ(in[0], 0x77);
	/* Bounds and arguments. */
	KEXPECT_EQ(dma_stream_read(s, 2 * PAGE_SIZE - 1, in, 2), -EINVAL);
	KEXPECT_EQ(dma_stream_write(s, SIZE_MAX, out, 1), -EINVAL);
	KEXPECT_EQ(dma_stream_write(s, 0, NULL, 1), -EINVAL);
	KEXPECT_EQ(dma_stream_sync(s, (enum dma_sync)0), -EINVAL);
	KEXPECT_EQ(dma_stream_sync(s, (enum dma_sync)3), -EINVAL);
	KEXPECT_EQ(dma_stream_sync(NULL, DMA_SYNC_FOR_CPU), -EINVAL);
	KEXPECT_EQ(dma_stream_read(NULL, 0, in, 1), -EINVAL);
	dma_stream_free(s);
	dma_stream_free(NULL);

	/* A device-to-memory stream starts zeroed, so nothing stale reaches the CPU. */
	KASSERT(dma_stream_alloc(64, DMA_FROM_DEVICE, &s) == 0);
	uint8_t z[64];
	memset(z, 0xff, sizeof(z));
	KEXPECT_EQ(dma_stream_read(s, 0, z, 64), 0);
	size_t nonzero = 0;
	for (size_t i = 0; i < 64; i++)
		nonzero += z[i] != 0;
	KEXPECT_EQ(nonzero, 0);
	dma_stream_free(s);
}
