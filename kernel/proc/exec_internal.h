/* Private to exec: the file object programs are mapped from. */
#ifndef KERNEL_PROC_EXEC_INTERNAL_H
#define KERNEL_PROC_EXEC_INTERNAL_H

#include <kernel/file.h>
#include <kernel/mm.h>

/* A private-mapping object over @f (which it keeps a reference on); NULL when out of memory. */
struct mm_object *exec_file_object(struct file *f);

/*
 * Map the frame's vDSO into @mm (kernel/proc/exec_vdso.c) where Linux would:
 * above the stack at random with @randomize, else top-down. 0 with *@image
 * its ELF header's address (AT_SYSINFO_EHDR), 0 with *@image 0 when the
 * frame has none, or mmap's error.
 */
int exec_map_vdso(struct mm *mm, bool randomize, vaddr_t *image);

#endif
