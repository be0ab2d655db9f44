/* Private to exec: the file object programs are mapped from. */
#ifndef KERNEL_PROC_EXEC_INTERNAL_H
#define KERNEL_PROC_EXEC_INTERNAL_H

#include <kernel/file.h>
#include <kernel/mm.h>

/* A private-mapping object over @f (which it keeps a reference on); NULL when out of memory. */
struct mm_object *exec_file_object(struct file *f);

#endif
