/* MMIO windows for services: device-memory registry, uncached mappings, bounds- and alignment-checked accesses. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/io_mem.h>
#include <frame/log.h>
#include <frame/spinlock.h>
#include <frame/vm_space.h>
#include <internal/mm.h>
#include "io_internal.h"
#include "io_range.h"

#define IO_MEM_MAGIC 0x10e3e3u
/* Physical addresses are at most 52 bits on x86_64 and riscv64 (Sv57). */
#define IO_MEM_PHYS_LIMIT (1ULL << 52)

struct io_mem {
	uint32_t magic; /* cleared on release, so a stale handle is refused, not used */
	paddr_t paddr;
	size_t len;
	volatile uint8_t *va; /* mmio_map()'s address of paddr */
	struct io_mem *next;
};

/* The memory map gives up to BOOT_MEMMAP_MAX (128) entries; devices a few more. */
static struct io_range frame_mem_store[160];
static struct io_range_table frame_mem = {
	frame_mem_store, 0, ARRAY_SIZE(frame_mem_store), false, "device memory",
};
static bool frame_mem_known;
static struct io_mem *windows;
/* Guards frame_mem (after boot) and windows; accessors do not take it. */
static spinlock_t registry_lock = SPINLOCK_INIT("io_mem");

void io_mem_reserve(paddr_t start, paddr_t end, const char *owner)
{
	/* Adjacent entries of the same owner (a split memory map) take one slot. */
	if (frame_mem.count) {
		struct io_range *last = &frame_mem.ranges[frame_mem.count - 1];
		if (last->owner == owner && last->end == start) {
			last->end = end;
			return;
		}
	}
	io_range_add(&frame_mem, start, end, owner);
}

/* Refused: overlaps the frame's claims or another window (caller holds the lock). */
static bool range_taken(paddr_t start, paddr_t end)
{
	const struct io_range *r = io_range_find(&frame_mem, start, end);
	if (r) {
		pr_debug("io: device memory %#lx-%#lx refused: %s at %#lx-%#lx\n",
			 (unsigned long)start, (unsigned long)end - 1, r->owner,
			 (unsigned long)r->start, (unsigned long)r->end - 1);
		return true;
	}
	for (struct io_mem *w = windows; w; w = w->next)
		if (io_range_overlaps(start, end, w->paddr, w->paddr + w->len))
			return true;
	return false;
}

/* Unmap the whole pages mmio_map() mapped for [pa, pa + len) at va. */
static void unmap_window(volatile uint8_t *va, paddr_t pa, size_t len)
{
	vaddr_t base = ALIGN_DOWN((vaddr_t)va, PAGE_SIZE);
	size_t size = ALIGN_UP(pa + len, PAGE_SIZE) - ALIGN_DOWN(pa, PAGE_SIZE);
	int err = vm_unmap(vm_space_kernel(), base, size);
	if (err)
		pr_warn("io: unmapping window %#lx+%#zx failed (%d); it stays mapped\n",
			(unsigned long)pa, len, err);
}

int io_mem_acquire(paddr_t paddr, size_t len, struct io_mem **out)
{
	if (out)
		*out = NULL;
	if (!out || len == 0 || paddr >= IO_MEM_PHYS_LIMIT || len > IO_MEM_PHYS_LIMIT - paddr)
		return -EINVAL;
	struct io_mem *m = kmalloc(sizeof(*m));
	if (!m)
		return -ENOMEM;
	*m = (struct io_mem){ IO_MEM_MAGIC, paddr, len, NULL, NULL };

	/* Claim first, map after: mapping may allocate page tables, not under a spin lock. */
	unsigned long flags = spin_lock_irqsave(&registry_lock);
	if (!frame_mem_known) {
		arch_io_mem_reserve_frame();
		frame_mem_known = true;
	}
	if (range_taken(paddr, paddr + len)) {
		spin_unlock_irqrestore(&registry_lock, flags);
		kfree(m);
		return -EBUSY;
	}
	m->next = windows;
	windows = m;
	spin_unlock_irqrestore(&registry_lock, flags);

	m->va = mmio_map(paddr, len);
	if (!m->va) {
		io_mem_release(m);
		return -ENOMEM;
	}
	*out = m;
	return 0;
}

void io_mem_release(struct io_mem *mem)
{
	if (!mem)
		return;
	if (mem->magic != IO_MEM_MAGIC) {
		pr_err("io: io_mem_release of a handle that is not live, ignored\n");
		return;
	}
	mem->magic = 0;
	if (mem->va)
		unmap_window(mem->va, mem->paddr, mem->len);
	unsigned long flags = spin_lock_irqsave(&registry_lock);
	for (struct io_mem **pp = &windows; *pp; pp = &(*pp)->next)
		if (*pp == mem) {
			*pp = mem->next;
			break;
		}
	spin_unlock_irqrestore(&registry_lock, flags);
	kfree(mem);
}

paddr_t io_mem_paddr(const struct io_mem *mem)
{
	return mem ? mem->paddr : 0;
}

size_t io_mem_len(const struct io_mem *mem)
{
	return mem ? mem->len : 0;
}

static bool in_window(const struct io_mem *mem, size_t offset, size_t len)
{
	return mem && mem->magic == IO_MEM_MAGIC && offset <= mem->len && len <= mem->len - offset;
}

/* One access of the exact width: volatile keeps the compiler from splitting or merging it. */
#define IO_MEM_RW(bits)                                                                   \
	int io_mem_read##bits(const struct io_mem *mem, size_t offset, uint##bits##_t *val) \
	{                                                                                 \
		if (!val)                                                                 \
			return -EINVAL;                                                   \
		if (!in_window(mem, offset, bits / 8) || !IS_ALIGNED(offset, bits / 8)) { \
			*val = (uint##bits##_t)~0ULL;                                     \
			return -EINVAL;                                                   \
		}                                                                         \
		arch_io_mb();                                                             \
		*val = *(volatile uint##bits##_t *)(mem->va + offset);                    \
		arch_io_mb();                                                             \
		return 0;                                                                 \
	}                                                                                 \
	int io_mem_write##bits(const struct io_mem *mem, size_t offset, uint##bits##_t val) \
	{                                                                                 \
		if (!in_window(mem, offset, bits / 8) || !IS_ALIGNED(offset, bits / 8))   \
			return -EINVAL;                                                   \
		arch_io_mb();                                                             \
		*(volatile uint##bits##_t *)(mem->va + offset) = val;                     \
		arch_io_mb();                                                             \
		return 0;                                                                 \
	}
IO_MEM_RW(8)
IO_MEM_RW(16)
IO_MEM_RW(32)
IO_MEM_RW(64)

/* Widest aligned accesses the physical address allows, so frame buffers copy quickly. */
int io_mem_read(const struct io_mem *mem, size_t offset, void *buf, size_t len)
{
	if (!in_window(mem, offset, len) || (len && !buf))
		return -EINVAL;
	volatile uint8_t *src = mem->va + offset;
	uint8_t *dst = buf;
	arch_io_mb();
	while (len) {
		if (len >= 8 && IS_ALIGNED((vaddr_t)src, 8)) {
			uint64_t v = *(volatile uint64_t *)src;
			__builtin_memcpy(dst, &v, 8);
			src += 8, dst += 8, len -= 8;
		} else {
			*dst++ = *src++;
			len--;
		}
	}
	arch_io_mb();
	return 0;
}

int io_mem_write(const struct io_mem *mem, size_t offset, const void *buf, size_t len)
{
	if (!in_window(mem, offset, len) || (len && !buf))
		return -EINVAL;
	volatile uint8_t *dst = mem->va + offset;
	const uint8_t *src = buf;
	arch_io_mb();
	while (len) {
		if (len >= 8 && IS_ALIGNED((vaddr_t)dst, 8)) {
			uint64_t v;
			__builtin_memcpy(&v, src, 8);
			*(volatile uint64_t *)dst = v;
			src += 8, dst += 8, len -= 8;
		} else {
			*dst++ = *src++;
			len--;
		}
	}
	arch_io_mb();
	return 0;
}
