/* Memory system calls: thin wrappers over the process address space (kernel/mm). */
#include <abi/errno.h>
#include <abi/fcntl.h>
#include <abi/mman.h>
#include <abi/stat.h>
#include <kernel/fdtable.h>
#include <kernel/file.h>
#include <kernel/mm.h>
#include <kernel/proc.h>
#include <kernel/syscalls.h>
#include <kernel/file_map.h>

int64_t sys_brk(vaddr_t brk)
{
	return (int64_t)mm_brk(process_current()->mm, brk);
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

int64_t sys_mmap(vaddr_t addr, size_t len, uint64_t prot, uint64_t flags, int fd, uint64_t offset)
{
	uint64_t off = offset;
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

int64_t sys_munmap(vaddr_t addr, size_t len)
{
	return mm_munmap(process_current()->mm, addr, len);
}

int64_t sys_mprotect(vaddr_t addr, size_t len, uint64_t prot)
{
	return mm_mprotect(process_current()->mm, addr, len, prot);
}

int64_t sys_mremap(vaddr_t addr, size_t old_len, size_t new_len, uint64_t flags, vaddr_t new_addr)
{
	vaddr_t result;
	int err = mm_mremap(process_current()->mm, addr, old_len, new_len, flags,
			    new_addr, &result);
	return err ? err : (int64_t)result;
}

int64_t sys_madvise(vaddr_t addr, size_t len, int advice)
{
	return mm_madvise(process_current()->mm, addr, len, advice);
}
