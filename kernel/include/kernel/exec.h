/*
 * Program loading, the parts that need no process: reading an ELF file into a
 * load plan, and laying out the initial stack (argv, envp, auxv) a new
 * program starts with.
 */
#ifndef KERNEL_EXEC_H
#define KERNEL_EXEC_H

#include <frame/types.h>

#define EXEC_MAX_SEGMENTS 16
#define EXEC_INTERP_MAX 256

/* Where user space ends for programs (x86_64, 4-level paging), and where PIEs go (Linux's ELF_ET_DYN_BASE). */
#define EXEC_USER_END 0x00007ffffffff000UL
#define EXEC_PIE_BASE 0x0000555555554000UL
#define EXEC_MAX_ALIGN 0x40000000UL	/* larger p_align values are ignored (placement cost) */

/* Reads @len bytes at @off of the file; returns bytes read or a negative errno. */
typedef ssize_t (*exec_read_fn)(void *file, uint64_t off, void *buf, size_t len);

struct exec_segment {
	vaddr_t vaddr;		/* after the load bias */
	uint64_t offset;	/* in the file */
	uint64_t filesz;
	uint64_t memsz;		/* >= filesz: the rest is zero (bss) */
	unsigned prot;		/* PROT_READ | PROT_WRITE | PROT_EXEC */
};

struct exec_plan {
	bool pie;		/* ET_DYN: placed by exec_plan_place() */
	vaddr_t bias;		/* added to every address of the file */
	vaddr_t entry;
	vaddr_t phdr;		/* where the program headers are in memory, 0 if nowhere */
	vaddr_t lo;		/* page-aligned start of the lowest segment */
	uint64_t align;		/* largest power-of-two p_align of the segments (at least a page) */
	uint16_t phnum;
	uint16_t phentsize;
	struct exec_segment seg[EXEC_MAX_SEGMENTS];
	size_t nseg;
	vaddr_t end;		/* end of the highest segment: the initial brk */
	bool exec_stack;	/* PT_GNU_STACK asks for an executable stack */
	char interp[EXEC_INTERP_MAX];	/* PT_INTERP path, "" for static programs */
};

/*
 * Validate the ELF executable read through @read (file size @size) and fill
 * @plan with the file's own addresses (an ET_DYN file is then placed with
 * exec_plan_place()). Returns 0, -ENOEXEC for anything that is not a well-formed x86_64
 * ELF executable this kernel can map (bad magic, class, machine, type,
 * header sizes, segments outside user space, overlapping or overflowing
 * ranges, p_filesz > p_memsz, offsets beyond the file, misaligned segments),
 * or the reader's error.
 */
int exec_plan_elf(exec_read_fn read, void *file, uint64_t size, struct exec_plan *plan);

/*
 * Move an ET_DYN plan by @bias (page aligned; once): every segment, the
 * entry, the headers and the end. 0; -ENOEXEC if the image would leave user
 * space; -EINVAL for a misaligned or second bias, or a bias for ET_EXEC
 * (which stays where it is: 0 is accepted and changes nothing).
 */
int exec_plan_place(struct exec_plan *plan, vaddr_t bias);

/* One auxiliary vector entry. */
struct exec_auxv {
	uint64_t type;
	uint64_t value;
};

#define EXEC_MAX_ARG_STRLEN 131072	/* Linux's limit on one argument or variable */

/* What the initial stack holds, besides the auxv entries the caller chooses. */
struct exec_stack_args {
	const char *const *argv;	/* NULL-terminated, kernel copies */
	const char *const *envp;	/* NULL-terminated, kernel copies */
	const char *execfn;		/* the path exec was called with */
	const uint8_t *random;		/* 16 bytes for AT_RANDOM */
	const struct exec_auxv *auxv;	/* caller's entries, without AT_NULL/AT_RANDOM/AT_HWCAP2/AT_EXECFN/AT_PLATFORM */
	size_t auxv_count;
	uint64_t hwcap2;		/* AT_HWCAP2 (HWCAP2_FSGSBASE when user FSGSBASE is on: not in Cadre) */
};

/*
 * Lay out the initial stack of a new program into @buf, which stands for the
 * user memory [@stack_top - @size, @stack_top). On success returns 0 and
 * sets *@sp to the user stack pointer (16-byte aligned, pointing at argc)
 * and *@used to the bytes at the top of @buf that must be copied to user
 * memory. -E2BIG when the arguments do not fit in @size or one string is
 * longer than EXEC_MAX_ARG_STRLEN; -EINVAL for a misaligned @stack_top.
 */
int exec_build_stack(const struct exec_stack_args *args, vaddr_t stack_top,
		     uint8_t *buf, size_t size, vaddr_t *sp, size_t *used);

#endif
