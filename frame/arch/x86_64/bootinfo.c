/*
 * Reads what the loader passed: the PVH start_info (QEMU -kernel) or the
 * multiboot2 information (GRUB). Every pointer in them is checked to lie in
 * the low 4 GiB the boot page tables map, and every length is bounded.
 */
#include <frame/log.h>
#include <frame/string.h>
#include <internal/boot.h>

#define BOOT_PROTO_PVH 1
#define BOOT_PROTO_MB2 2
#define LOW_LIMIT 0x100000000UL	/* what the boot page tables map */

#define PVH_MAGIC 0x336ec578

struct pvh_start_info {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;
	uint64_t rsdp_paddr;
	uint64_t memmap_paddr;	/* version 1 and later */
	uint32_t memmap_entries;
	uint32_t reserved;
};

struct pvh_module {
	uint64_t paddr;
	uint64_t size;
	uint64_t cmdline_paddr;
	uint64_t reserved;
};

struct pvh_memmap_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
	uint32_t reserved;
};

/* A loader-given range is readable only if it lies inside the boot mapping. */
static const void *low_ptr(uint64_t pa, uint64_t len)
{
	if (pa == 0 || pa >= LOW_LIMIT || len > LOW_LIMIT - pa)
		return NULL;
	return phys_to_virt(pa);
}

static void copy_cmdline(struct boot_info *info, uint64_t pa)
{
	info->cmdline[0] = '\0';
	if (!pa)
		return;
	/* The string may end anywhere below 4 GiB; read it a byte at a time up to our limit. */
	size_t max = MIN((uint64_t)BOOT_CMDLINE_MAX, LOW_LIMIT - MIN(pa, LOW_LIMIT));
	const char *s = low_ptr(pa, 1);
	if (!s)
		return;
	size_t n = strnlen(s, max);
	if (n == max) {
		info->cmdline_truncated = true;
		n = BOOT_CMDLINE_MAX - 1;
	}
	memcpy(info->cmdline, s, n);
	info->cmdline[n] = '\0';
}

static void add_mem(struct boot_info *info, uint64_t start, uint64_t size, uint32_t type)
{
	if (size == 0)
		return;
	if (info->memmap_count == BOOT_MEMMAP_MAX) {
		info->memmap_truncated = true;
		return;
	}
	uint64_t end = start + size;
	if (end < start)	/* wraps: clamp rather than trust it */
		end = ~0UL;
	info->memmap[info->memmap_count++] =
		(struct boot_mem_entry){ start, end, type };
}

static void set_initrd(struct boot_info *info, uint64_t start, uint64_t end)
{
	if (end <= start)
		return;
	info->initrd_start = start;
	info->initrd_end = end;
}

static bool parse_pvh(paddr_t pa, struct boot_info *info)
{
	const struct pvh_start_info *si = low_ptr(pa, sizeof(*si));
	if (!si || si->magic != PVH_MAGIC)
		return false;
	info->loader = "PVH";
	boot_reserve(info, pa, pa + sizeof(*si));
	copy_cmdline(info, si->cmdline_paddr);
	info->rsdp = si->rsdp_paddr;

	if (si->nr_modules) {
		const struct pvh_module *m = low_ptr(si->modlist_paddr, sizeof(*m));
		if (m)
			set_initrd(info, m->paddr, m->paddr + m->size);
		if (si->nr_modules > 1)
			pr_warn("boot: %u modules given, only the first is the initrd\n",
				si->nr_modules);
	}
	if (si->version >= 1 && si->memmap_entries) {
		uint64_t n = si->memmap_entries;
		const struct pvh_memmap_entry *e =
			low_ptr(si->memmap_paddr, n * sizeof(*e));
		if (!e || n > 4096) {
			pr_err("boot: PVH memory map at %#lx is unreadable\n",
			       (unsigned long)si->memmap_paddr);
			return true;
		}
		for (uint64_t i = 0; i < n; i++)
			add_mem(info, e[i].addr, e[i].size, e[i].type);
	}
	return true;
}

/* Multiboot2 information: a size, then 8-byte aligned tags up to an end tag. */
#define MB2_TAG_END 0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_MODULE 3
#define MB2_TAG_MMAP 6
#define MB2_TAG_ACPI_OLD 14
#define MB2_TAG_ACPI_NEW 15

struct mb2_tag {
	uint32_t type;
	uint32_t size;
};

static bool parse_mb2(paddr_t pa, struct boot_info *info)
{
	const uint32_t *hdr = low_ptr(pa, 8);
	if (!hdr)
		return false;
	uint32_t total = hdr[0];
	const uint8_t *base = low_ptr(pa, total);
	if (!base || total < 8)
		return false;
	info->loader = "multiboot2";
	boot_reserve(info, pa, pa + total);
	bool have_initrd = false;

	for (uint32_t off = 8; off + sizeof(struct mb2_tag) <= total;) {
		const struct mb2_tag *tag = (const void *)(base + off);
		if (tag->type == MB2_TAG_END || tag->size < 8 || tag->size > total - off)
			break;
		const uint8_t *body = base + off + 8;
		uint32_t len = tag->size - 8;
		switch (tag->type) {
		case MB2_TAG_CMDLINE: {
			size_t n = strnlen((const char *)body, len);
			size_t c = MIN(n, (size_t)BOOT_CMDLINE_MAX - 1);
			memcpy(info->cmdline, body, c);
			info->cmdline[c] = '\0';
			info->cmdline_truncated = c < n;
			break;
		}
		case MB2_TAG_MODULE:
			if (len >= 8 && !have_initrd) {
				const uint32_t *m = (const void *)body;
				set_initrd(info, m[0], m[1]);
				have_initrd = true;
			}
			break;
		case MB2_TAG_MMAP: {
			if (len < 8)
				break;
			const uint32_t *mm = (const void *)body;
			uint32_t esize = mm[0];
			if (esize < 20)
				break;
			for (uint32_t e = 8; e + 20 <= len; e += esize) {
				const uint8_t *ent = body + e;
				uint64_t addr, size;
				uint32_t type;
				memcpy(&addr, ent, 8);
				memcpy(&size, ent + 8, 8);
				memcpy(&type, ent + 16, 4);
				add_mem(info, addr, size, type);
			}
			break;
		}
		case MB2_TAG_ACPI_OLD:
		case MB2_TAG_ACPI_NEW:
			/* The tag holds a copy of the RSDP; point the ACPI code at it. */
			if (!info->rsdp || tag->type == MB2_TAG_ACPI_NEW)
				info->rsdp = pa + off + 8;
			break;
		}
		off += ALIGN_UP(tag->size, 8u);
	}
	return true;
}

bool arch_boot_parse(unsigned protocol, paddr_t info_phys, struct boot_info *info)
{
	memset(info, 0, sizeof(*info));
	info->loader = "unknown";
	switch (protocol) {
	case BOOT_PROTO_PVH:
		return parse_pvh(info_phys, info);
	case BOOT_PROTO_MB2:
		return parse_mb2(info_phys, info);
	default:
		return false;
	}
}
