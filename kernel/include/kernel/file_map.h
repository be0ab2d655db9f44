/* Mapping files: the memory object mmap maps for a file (defined in kernel/proc/exec_file.c). */
#ifndef KERNEL_FILE_MAP_H
#define KERNEL_FILE_MAP_H

#include <kernel/file.h>
#include <kernel/mm.h>

/*
 * The object mmap maps for file @f: the file system's shared object when it
 * has one (so MAP_SHARED writes reach the file), else a private snapshot.
 * NULL when out of memory.
 */
struct mm_object *file_mm_object(struct file *f);

#endif
