/*
 * From an ELF file to a load plan: every field a hostile file controls is
 * checked before it is used, so the mapping code downstream can trust the plan.
 */
#include <abi/elf.h>
#include <abi/errno.h>
#include <abi/mman.h>
#include <frame/heap.h>
#include <frame/string.h>
#include <kernel/exec.h>

#define PAGE_OFFSET_MASK (PAGE_SIZE - 1)

static int read_exact(exec_read_fn read, void *file, uint64_t off, void *buf, size_t len)
{
	ssize_t n = read(file, off, buf, len);
	if (n < 0)
		return (int)n;
	return (size_t)n == len ? 0 : -ENOEXEC;
}

static bool header_ok(const struct elf64_hdr *h)
{
	return memcmp(h->e_ident, "\177ELF", 4) == 0 &&
	       h->e_ident[EI_CLASS] == ELFCLASS64 &&
	       h->e_ident[EI_DATA] == ELFDATA2LSB &&
	       h->e_ident[EI_VERSION] == EV_CURRENT &&
	       (h->e_ident[EI_OSABI] == ELFOSABI_NONE ||
		h->e_ident[EI_OSABI] == ELFOSABI_LINUX) &&
	       (h->e_type == ET_EXEC || h->e_type == ET_DYN) &&
	       h->e_machine == EM_X86_64 && h->e_version == EV_CURRENT &&
	       h->e_phentsize == sizeof(struct elf64_phdr) &&
	       h->e_phnum > 0 && h->e_phnum <= 65536 / sizeof(struct elf64_phdr);
}

static unsigned prot_of(uint32_t flags)
{
	return (flags & PF_R ? PROT_READ : 0) | (flags & PF_W ? PROT_WRITE : 0) |
	       (flags & PF_X ? PROT_EXEC : 0);
}

/*
 * A PT_LOAD segment is mappable if it stays in the file and, for ET_EXEC, in
 * user space; an ET_DYN file's addresses are checked once it is placed
 * (exec_plan_place()).
 */
static int add_segment(struct exec_plan *plan, const struct elf64_phdr *ph, uint64_t size)
{
	if (ph->p_memsz == 0)
		return 0;
	if (plan->nseg == EXEC_MAX_SEGMENTS || ph->p_filesz > ph->p_memsz ||
	    ph->p_offset > size || ph->p_filesz > size - ph->p_offset ||
	    (ph->p_vaddr & PAGE_OFFSET_MASK) != (ph->p_offset & PAGE_OFFSET_MASK))
		return -ENOEXEC;
	uint64_t start = ph->p_vaddr;
	if (start >= EXEC_USER_END || ph->p_memsz > EXEC_USER_END - start ||
	    (!plan->pie && start < PAGE_SIZE))
		return -ENOEXEC;
	/* Segments must come in address order and not share a page's bytes. */
	if (plan->nseg && start < plan->seg[plan->nseg - 1].vaddr + plan->seg[plan->nseg - 1].memsz)
		return -ENOEXEC;
	if (plan->nseg == 0)
		plan->lo = ALIGN_DOWN(start, PAGE_SIZE);
	/* p_align: a power of two, for where an ET_DYN file may be placed. */
	if (ph->p_align > plan->align && (ph->p_align & (ph->p_align - 1)) == 0 &&
	    ph->p_align <= EXEC_MAX_ALIGN)
		plan->align = ph->p_align;
	plan->seg[plan->nseg++] = (struct exec_segment){
		.vaddr = start,
		.offset = ph->p_offset,
		.filesz = ph->p_filesz,
		.memsz = ph->p_memsz,
		.prot = prot_of(ph->p_flags),
	};
	plan->end = start + ph->p_memsz;
	return 0;
}

static int read_interp(exec_read_fn read, void *file, uint64_t size,
		       const struct elf64_phdr *ph, struct exec_plan *plan)
{
	if (ph->p_filesz < 2 || ph->p_filesz > EXEC_INTERP_MAX ||
	    ph->p_offset > size || ph->p_filesz > size - ph->p_offset)
		return -ENOEXEC;
	int err = read_exact(read, file, ph->p_offset, plan->interp, ph->p_filesz);
	if (err)
		return err;
	/* The path must be one NUL-terminated string. */
	if (plan->interp[ph->p_filesz - 1] != '\0' ||
	    strlen(plan->interp) != ph->p_filesz - 1)
		return -ENOEXEC;
	return 0;
}

static int plan_segments(exec_read_fn read, void *file, uint64_t size,
			 const struct elf64_hdr *hdr, const struct elf64_phdr *ph,
			 struct exec_plan *plan)
{
	uint64_t ph_bytes = (uint64_t)hdr->e_phnum * sizeof(struct elf64_phdr);
	int err = 0;

	plan->pie = hdr->e_type == ET_DYN;
	plan->bias = 0;
	plan->align = PAGE_SIZE;
	plan->phnum = hdr->e_phnum;
	plan->phentsize = hdr->e_phentsize;
	for (unsigned i = 0; i < hdr->e_phnum; i++) {
		switch (ph[i].p_type) {
		case PT_LOAD:
			err = add_segment(plan, &ph[i], size);
			break;
		case PT_INTERP:
			err = plan->interp[0] ? -ENOEXEC : read_interp(read, file, size, &ph[i], plan);
			break;
		case PT_GNU_STACK:
			plan->exec_stack = (ph[i].p_flags & PF_X) != 0;
			break;
		}
		if (err)
			return err;
	}
	if (plan->nseg == 0)
		return -ENOEXEC;

	/* The entry point must be inside an executable segment. */
	uint64_t entry = hdr->e_entry;
	bool entry_ok = false;
	for (size_t i = 0; i < plan->nseg; i++) {
		const struct exec_segment *s = &plan->seg[i];
		if (entry >= s->vaddr && entry - s->vaddr < s->memsz && (s->prot & PROT_EXEC))
			entry_ok = true;
		/* AT_PHDR: the headers as mapped by the segment holding their file bytes. */
		if (hdr->e_phoff >= s->offset && ph_bytes <= s->filesz &&
		    hdr->e_phoff - s->offset <= s->filesz - ph_bytes)
			plan->phdr = s->vaddr + (hdr->e_phoff - s->offset);
	}
	if (!entry_ok)
		return -ENOEXEC;
	plan->entry = entry;
	return 0;
}

int exec_plan_elf(exec_read_fn read, void *file, uint64_t size, struct exec_plan *plan)
{
	struct elf64_hdr h;
	int err;

	memset(plan, 0, sizeof(*plan));
	if (size < sizeof(h))
		return -ENOEXEC;
	err = read_exact(read, file, 0, &h, sizeof(h));
	if (err)
		return err;
	if (!header_ok(&h))
		return -ENOEXEC;
	uint64_t ph_bytes = (uint64_t)h.e_phnum * sizeof(struct elf64_phdr);
	if (h.e_phoff > size || ph_bytes > size - h.e_phoff)
		return -ENOEXEC;
	/* Up to 64 KiB of headers: too much for a kernel stack. */
	struct elf64_phdr *ph = kmalloc(ph_bytes);
	if (!ph)
		return -ENOMEM;
	err = read_exact(read, file, h.e_phoff, ph, ph_bytes);
	if (!err)
		err = plan_segments(read, file, size, &h, ph, plan);
	kfree(ph);
	return err;
}

int exec_plan_place(struct exec_plan *plan, vaddr_t bias)
{
	if (!plan->pie)
		return bias ? -EINVAL : 0;
	if ((bias & PAGE_OFFSET_MASK) || plan->bias)
		return -EINVAL;
	/* Every address of the file moves by @bias and must stay in user space. */
	if (bias + plan->lo < bias || plan->lo + bias < PAGE_SIZE ||
	    plan->end + bias < plan->end || plan->end + bias > EXEC_USER_END)
		return -ENOEXEC;
	for (size_t i = 0; i < plan->nseg; i++)
		plan->seg[i].vaddr += bias;
	plan->entry += bias;
	if (plan->phdr)	/* never 0 when found: the ELF header comes first */
		plan->phdr += bias;
	plan->lo += bias;
	plan->end += bias;
	plan->bias = bias;
	return 0;
}
