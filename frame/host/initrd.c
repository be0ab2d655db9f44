/* Hosted frame initrd: a process has no boot loader, so there is never an initial ramdisk. */
#include <frame/boot.h>
#include <frame/errno.h>

size_t boot_initrd_size(void)
{
	return 0;
}

ssize_t boot_initrd_read(size_t off, void *buf, size_t len)
{
	(void)off, (void)buf, (void)len;
	return -EINVAL;
}
