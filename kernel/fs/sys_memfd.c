/* memfd_create: name and flag checks as Linux, then an fd on a new memfd (kernel/fs/memfd.c). */
#include <frame/errno.h>
#include <frame/vm_io.h>
#include <abi/mman.h>
#include <kernel/memfd.h>
#include "sys_fs.h"

int64_t sys_memfd_create(const char __user *name, uint64_t flags)
{
	if (flags & ~(uint64_t)(MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_HUGETLB))
		return -EINVAL;
	/* No hugetlbfs: a huge-page memfd is refused (a limit; Linux would give one). */
	if (flags & MFD_HUGETLB)
		return -EINVAL;
	char kname[MEMFD_NAME_MAX + 1];
	ssize_t n = strncpy_from_user(kname, name, sizeof(kname));
	if (n < 0)
		return n;
	if ((size_t)n >= sizeof(kname))
		return -EINVAL;
	struct file *f;
	int err = memfd_create_file(fs_ctx()->cred, kname, flags & MFD_ALLOW_SEALING, &f);
	if (err)
		return err;
	int fd = fs_install(f, flags & MFD_CLOEXEC);
	file_put(f);
	return fd;
}
