/* Memory system calls: thin wrappers over the process address space (kernel/mm). */
#include <abi/errno.h>
#include <abi/fcntl.h>
#include <abi/mman.h>
#include <abi/stat.h>
#include <kernel/fdtable.h>
#include <kernel/file.h>
#include <kernel/mm.h>
#include <kernel/proc.h>
#include "../syscall/syscall.h"
#include "exec_internal.h"

int64_t sys_brk(const struct syscall_args *a)
{
	return (int64_t)mm_brk(process_current()->mm, a->a[0]);
}

/* The object a file mapping maps: the file system's own, or a snapshot for private maps. */
static int file_object(int fd, unsigned long prot, unsigned long flags, struct mm_object **out)
{
	struct process *p = process_current();
	struct file *f = fd_get(p->fds, fd);
	if (!f)
		return -EBADF;
	int err = 0;
	uint32_t acc = f->flags & O_ACCMODE;
	if ((f->flags & O_PATH) || acc == O_WRONLY)
		err = -EACCES;
	else if ((f->path.inode->mode & S_IFMT) == S_IFDIR)
		err = -ENODEV;
	else if ((flags & MAP_TYPE) != MAP_PRIVATE && (prot & PROT_WRITE) && acc != O_RDWR)
		err = -EACCES;
	if (!err) {
		*out = file_mm_object(f);
		if (!*out)
			err = -ENODEV;
	}
	file_put(f);
	return err;
}

int64_t sys_mmap(const struct syscall_args *a)
{
	vaddr_t addr = a->a[0];
	uint64_t len = a->a[1];
	unsigned long prot = a->a[2], flags = a->a[3];
	int fd = (int)a->a[4];
	uint64_t off = a->a[5];
	struct mm_object *obj = NULL;
	vaddr_t result;

	if (off & (PAGE_SIZE - 1))
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS)) {
		int err = file_object(fd, prot, flags, &obj);
		if (err)
			return err;
	}
	int err = mm_mmap(process_current()->mm, addr, len, prot, flags, obj, off, &result);
	if (obj)
		mm_object_put(obj);
	return err ? err : (int64_t)result;
}

int64_t sys_munmap(const struct syscall_args *a)
{
	return mm_munmap(process_current()->mm, a->a[0], a->a[1]);
}

int64_t sys_mprotect(const struct syscall_args *a)
{
	return mm_mprotect(process_current()->mm, a->a[0], a->a[1], a->a[2]);
}

int64_t sys_mremap(const struct syscall_args *a)
{
	vaddr_t result;
	int err = mm_mremap(process_current()->mm, a->a[0], a->a[1], a->a[2], a->a[3],
			    a->a[4], &result);
	return err ? err : (int64_t)result;
}

int64_t sys_madvise(const struct syscall_args *a)
{
	return mm_madvise(process_current()->mm, a->a[0], a->a[1], (int)a->a[2]);
}
